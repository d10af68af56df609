"""UI strings in Vietnamese and English, and numbers and dates written the way each reader expects.

Every label comes from strings.yaml through `t`, so a missing translation fails a test instead of
showing an English word on a Vietnamese page. Numbers and dates go through Babel (CLDR) so that a
Vietnamese reader sees 1.234,5 and 15/10/2019 and an English reader sees 1,234.5 and 15 Oct 2019.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_scientific

from greengrowth import yaml_files

LANGS = ("vi", "en")
STRINGS_FILE = Path(__file__).with_name("strings.yaml")
# One file per area (strings.yaml, strings_analyst.yaml, ...) so that people adding strings for
# different pages do not edit the same file; a key may live in only one of them.
STRINGS_FILES = sorted(Path(__file__).parent.glob("strings*.yaml"))
MISSING = "–"  # en dash: an empty cell reads as "no value", a 0 would be a claim
HUGE_DIGITS = 15  # from 10^15 up, numbers are written in scientific notation

_DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
# Plotly's layout.separators: first the decimal mark, then the thousands separator.
_PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}


@cache
def strings() -> dict[str, dict[str, str]]:
    """All UI strings, read once; a malformed entry fails here, not on the page that uses it."""
    data: dict[str, dict[str, str]] = {}
    for path in STRINGS_FILES:
        with path.open(encoding="utf-8") as fh:
            part = yaml_files.safe_load(fh) or {}
        for key, entry in part.items():
            if key in data:
                raise ValueError(f"{path.name}: {key!r} is already defined in another strings file")
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(lang), str) for lang in LANGS
            ):
                raise ValueError(f"{path.name}: {key!r} needs text for each of {LANGS}")
            data[key] = entry
    return data


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return lang


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The text for `key` in `lang`, with str.format placeholders filled from kwargs.

    Raises KeyError for an unknown key: showing the raw key would hide a missing translation.
    """
    _check_lang(lang)
    try:
        text = strings()[key][lang]
    except KeyError:
        raise KeyError(f"no UI string {key!r} in strings*.yaml") from None
    return text.format(**kwargs) if kwargs else text


def _is_missing(value: object) -> bool:
    """None, NaN, NaT and pd.NA without importing pandas: the values unequal to themselves."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ArithmeticError):  # pd.NA refuses to become a bool; Decimal sNaN to compare
        return True


def fmt_number(x: float | Decimal | None, lang: str, decimals: int = 0) -> str:
    """`x` with the language's separators (vi 1.234,5; en 1,234.5); missing or infinite -> "–".

    Total: never raises for any float or Decimal (1e300 -> "1E300", 1e-300 -> "0", -0.0 -> "0").
    Rounds half up (2,5 -> 3), as people round by hand, rather than Babel's default half-to-even.
    """
    _check_lang(lang)
    if _is_missing(x):
        return MISSING
    try:
        value = Decimal(str(x))  # str() keeps the shortest decimal form, so 2.675 rounds to 2.68
    except (InvalidOperation, ValueError):
        return MISSING  # not a number at all: show "no value" rather than fail a whole page
    if not value.is_finite():
        return MISSING
    decimals = max(0, min(int(decimals), 20))
    if value != 0 and value.adjusted() >= HUGE_DIGITS:
        # Beyond any figure of the plan (validation refuses such values); digits by the hundred
        # would say nothing, so write it as 1,5E300 (vi) / 1.5E300 (en).
        return format_scientific(value, format="0.###E0", locale=lang)
    with localcontext() as ctx:  # enough digits for every value below HUGE_DIGITS
        ctx.prec = HUGE_DIGITS + 25
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value.is_zero():
        value = abs(value)  # "-0" would read as a small loss
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=lang)


def fmt_percent(x: float | Decimal | None, lang: str, decimals: int = 0) -> str:
    """A percentage given on the 0..100 scale used throughout the plan (45.5 -> vi "45,5%")."""
    text = fmt_number(x, lang, decimals)
    # CLDR writes the sign without a space in both languages ("#,##0%").
    return text if text == MISSING else text + "%"


def fmt_date(d: date | datetime | str | None, lang: str) -> str:
    """vi "15/10/2019", en "15 Oct 2019"; also ISO text as stored in CSV files; missing -> "–"."""
    _check_lang(lang)
    if _is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = date.fromisoformat(d)
    if isinstance(d, datetime):
        d = d.date()  # a data date is a day; the time of day would only add noise
    return format_date(d, _DATE_PATTERNS[lang], locale=lang)


def plotly_separators(lang: str) -> str:
    """Value for Plotly's layout.separators, so axis ticks and hovers match fmt_number."""
    return _PLOTLY_SEPARATORS[_check_lang(lang)]

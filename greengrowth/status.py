"""What people type into a status sheet, turned into canonical values.

Departments type Vietnamese by hand: with or without diacritics, in NFC or NFD, in any case, with stray
spaces, and percentages as 80, "80%", 0.8 or "80,5". Everything that reads a cell goes through here so
that the CLI, the upload page and the tests agree on what is accepted.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.numbers import NumberFormatError, parse_decimal

from greengrowth.i18n import t

STATUS_WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "status_words.csv"

# ---- the status vocabulary: codes, order, rank, colours and words, in one place ------------------
# What a department may report for an activity or a priority task (the template's dropdown order).
STATUS_CODES = ("not_started", "in_progress", "completed", "delayed", "on_hold")
# Everything a leadership page shows, in display order: the reported statuses, then the two that say
# there is no report: not_reported (news missing) and no_lead (the plan names no lead department).
STATUS_ORDER = (
    "completed",
    "in_progress",
    "delayed",
    "on_hold",
    "not_started",
    "not_reported",
    "no_lead",
)
# How advanced a reported status is; where several reports meet (two lead departments, a task led
# by several), the LEAST advanced wins. Anything else ranks 0.
STATUS_RANK = {"completed": 5, "in_progress": 4, "on_hold": 3, "not_started": 2, "delayed": 1}
# Colours chosen so that every pair of statuses stays at least 20 apart (CAM02-UCS ΔE, about what
# reads as clearly different) for normal vision AND under simulated deuteranopia and protanopia
# (colorspacious, severity 100; tests/test_palette.py). They start from Okabe–Ito and keep its meaning
# (green done, blue under way, vermillion delayed, orange on hold, greys for no news, purple for a gap
# in the plan), moved in lightness where two collapsed for colour-blind readers: the old Okabe–Ito
# grey and purple were 6.5 apart under deuteranopia, green and grey 11.6 under protanopia. Colour is
# never the only cue: STATUS_PATTERNS and STATUS_SYMBOLS say the same thing in shapes.
STATUS_COLORS: dict[str, str] = {
    "completed": "#15705C",  # dark bluish green
    "in_progress": "#18659A",  # blue
    "delayed": "#CF6910",  # vermillion
    "on_hold": "#FFB407",  # amber, lighter than vermillion
    "not_started": "#9D9D9D",  # grey
    "not_reported": "#DDDDDD",  # light grey: absence of news, not a state of the work
    "no_lead": "#E280E9",  # light purple: a gap in the plan (no lead department), not a delay
}
# Bar fill patterns (Plotly marker.pattern.shape) for the statuses a leader must not miss; the
# legend shows them too. "" = plain fill.
STATUS_PATTERNS: dict[str, str] = {
    "completed": "",
    "in_progress": "",
    "delayed": "x",
    "on_hold": "-",
    "not_started": ".",
    "not_reported": "",
    "no_lead": "/",
}
# One character per status, drawn in each cell of the status grids and before the legend's word.
STATUS_SYMBOLS: dict[str, str] = {
    "completed": "✓",
    "in_progress": "►",
    "delayed": "!",
    "on_hold": "‖",
    "not_started": "○",
    "not_reported": "?",
    "no_lead": "∅",
}


def status_label(code: str, lang: str) -> str:
    """The reader's word for a status code (completed -> "Hoàn thành"); strings.yaml status.*."""
    return t(f"status.{code}", lang)


def status_rank_sql(column: str = "status") -> str:
    """The SQL CASE that ranks `column` by STATUS_RANK (generated: one definition of the order)."""
    if not re.fullmatch(r"[a-z_.]+", column):
        raise ValueError(column)
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in STATUS_RANK.items())
    return f"CASE {column} {whens} ELSE 0 END"


def status_count_sql(column: str = "status") -> str:
    """`count(*) FILTER (...) AS <code>` for every status in STATUS_ORDER (a select list)."""
    return ", ".join(
        f"count(*) FILTER (WHERE {column} = '{code}') AS {code}" for code in STATUS_ORDER
    )


def clean_text(value: object) -> str:
    """NFC, trimmed, inner whitespace collapsed; control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def fold(value: object) -> str:
    """Lower-case, diacritics removed (đ -> d), single spaces: the key for forgiving matches."""
    text = unicodedata.normalize("NFD", clean_text(value).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text.replace("đ", "d")).strip()


@cache
def _status_lookup() -> tuple[dict[str, str], dict[str, set[str]]]:
    exact: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    with STATUS_WORDS_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, word = row["status_code"], clean_text(row["word"]).casefold()
            exact[word] = code
            folded.setdefault(fold(word), set()).add(code)
    for code in STATUS_CODES:
        exact.setdefault(code, code)
        folded.setdefault(code.replace("_", " "), set()).add(code)
    return exact, folded


def parse_status(value: object) -> str | None:
    """Canonical status code, or None when the word is unknown or ambiguous without diacritics."""
    text = clean_text(value).casefold()
    if not text:
        return None
    exact, folded = _status_lookup()
    if text in exact:
        return exact[text]
    candidates = folded.get(fold(text), set())
    return next(iter(candidates)) if len(candidates) == 1 else None


def status_word(code: str) -> str:
    """The Vietnamese word a template shows for a status code (the UI's own label for it)."""
    return t(f"status.{code}", "vi")


def accepted_status_words() -> list[str]:
    """The Vietnamese words offered in the template's dropdown, one per status."""
    return [status_word(code) for code in STATUS_CODES]


NOTATIONS = {"vi": "vi_VN", "en": "en"}  # how a workbook writes numbers -> Babel locale
_NUMBER_TEXT = re.compile(r"^[+-]?(\d[\d.,]*|[.,]\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class AmbiguousNumber(ValueError):
    """Text such as "1.234" or "1,234": a thousands group in one notation, a decimal in the other.

    `readings` maps notation ("vi", "en") to the value it would give; the officer must write it
    unambiguously, unless the rest of the workbook shows which notation it uses.
    """

    def __init__(self, text: str, readings: dict[str, float]):
        super().__init__(text)
        self.text, self.readings = text, readings


def _readings(text: str) -> dict[str, float]:
    """The value `text` has in each notation where it is a well-formed number (Babel, strict).

    Strict parsing refuses what a notation would have to guess: a group with a leading zero is never
    a thousands group ("0.125" is not 125 in Vietnamese), misplaced groups are not numbers at all.
    """
    out = {}
    for notation, locale in NOTATIONS.items():
        try:
            out[notation] = float(parse_decimal(text, locale=locale, strict=True))
        except NumberFormatError:
            continue
    return out


def number_readings(value: object) -> dict[str, float]:
    """For a cell typed as text: its value in each notation (empty if it is not a number)."""
    if not isinstance(value, str):
        return {}
    text = _SPACES.sub("", clean_text(value))
    return _readings(text) if _NUMBER_TEXT.match(text) else {}


def number_notation(values: Iterable[object]) -> str | None:
    """The notation ("vi" or "en") a workbook's numbers typed as text show, or None if they do not
    say or disagree. Only texts that read one way count: "3,5" says vi, "0.125" and "1,234.5" say en.
    """
    seen = set()
    for value in values:
        readings = number_readings(value)
        if len(readings) == 1 and any(sep in str(value) for sep in ".,"):
            seen |= readings.keys()
    return seen.pop() if len(seen) == 1 else None


def parse_number(value: object, notation: str | None = None) -> float | None:
    """A number from a cell: a number cell as is; text written in Vietnamese (1.234,5) or English
    (1,234.5) notation, never guessed.

    Text that reads the same either way, or only one way, gives that value. Text that reads
    differently ("1.234": 1234 or 1.234) is read in `notation` when given (the notation the rest of
    the workbook uses), else raises AmbiguousNumber. Raises ValueError for text that is not a
    number; returns None for an empty cell.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(value)
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and math.isinf(value):
            raise ValueError(value)
        return float(value)
    text = _SPACES.sub("", clean_text(value))
    if not text:
        return None
    if not _NUMBER_TEXT.match(text):
        raise ValueError(value)
    readings = _readings(text)
    distinct = set(readings.values())
    if not distinct:
        raise ValueError(value)
    if len(distinct) == 1:
        return distinct.pop()
    if notation in readings:
        return readings[notation]
    raise AmbiguousNumber(text, readings)


def parse_percent(value: object, notation: str | None = None) -> float | None:
    """Percent complete on a 0..100 scale from 80, "80%", "80,5 %" or a fraction such as 0.8.

    A bare number between 0 and 1 is read as a fraction (Excel stores a cell formatted as 80% as
    0.8), so 1 means 100%. Raises ValueError for text that is not a percentage.
    """
    text = clean_text(value) if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        return parse_number(text[:-1], notation)
    number = parse_number(value, notation)
    if number is None:
        return None
    if 0 < number <= 1:
        return round(number * 100, 6)
    return number


def parse_date(value: object) -> date | None:
    """A date from an Excel date cell or text written dd/mm/yyyy (Vietnamese) or yyyy-mm-dd."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)

"""UI strings and locale formatting: a missing translation or wrong separator fails here."""

from __future__ import annotations

import math
import string
from datetime import date, datetime
from decimal import Decimal

import pytest
import yaml

from greengrowth import i18n
from greengrowth.i18n import (
    LANGS,
    fmt_date,
    fmt_number,
    fmt_percent,
    plotly_separators,
    strings,
    t,
)

SEED_KEYS = {
    "status.not_started": ("Chưa thực hiện", "Not started"),
    "status.in_progress": ("Đang thực hiện", "In progress"),
    "status.completed": ("Hoàn thành", "Completed"),
    "status.delayed": ("Chậm tiến độ", "Delayed"),
    "status.on_hold": ("Tạm dừng", "On hold"),
    "status.not_reported": ("Chưa báo cáo", "Not reported"),
    "reporting.on_time": ("Đúng hạn", "On time"),
    "reporting.late": ("Trễ hạn", "Late"),
    "reporting.missing": ("Chưa gửi", "Missing"),
    "common.language": ("Ngôn ngữ", "Language"),
}


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# --- strings.yaml ---------------------------------------------------------------------------------


def test_strings_file_has_no_duplicate_keys() -> None:
    """YAML silently keeps the last of two equal keys; several people add strings, so refuse it."""
    keys = []
    for path in i18n.STRINGS_FILES:
        root = yaml.compose(path.read_text(encoding="utf-8"))
        keys += [key_node.value for key_node, _ in (root.value if root else [])]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_every_key_has_non_empty_vi_and_en_and_nothing_else() -> None:
    for key, entry in strings().items():
        assert set(entry) == set(LANGS), key
        for lang in LANGS:
            assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)
            assert entry[lang] == entry[lang].strip(), (key, lang)


def test_placeholders_are_the_same_in_both_languages() -> None:
    for key, entry in strings().items():
        assert _placeholders(entry["vi"]) == _placeholders(entry["en"]), key


def test_vietnamese_differs_from_english_when_it_has_letters() -> None:
    """Catches an English string pasted into the vi slot."""
    for key, entry in strings().items():
        words = string.Formatter().parse(entry["vi"])
        if any(ch.isalpha() for literal, *_ in words for ch in literal):
            assert entry["vi"] != entry["en"], key


@pytest.mark.parametrize(("key", "expected"), sorted(SEED_KEYS.items()))
def test_seed_labels(key: str, expected: tuple[str, str]) -> None:
    assert (t(key, "vi"), t(key, "en")) == expected


def test_vietnamese_is_the_default_language() -> None:
    assert t("status.completed") == "Hoàn thành"


def test_placeholders_are_filled() -> None:
    assert t("chart.source_footnote", "vi", source="Sở KH&ĐT", date="15/10/2019") == (
        "Nguồn: Sở KH&ĐT. Dữ liệu đến 15/10/2019."
    )
    assert t("chart.source_footnote", "en", source="DPI", date="15 Oct 2019") == (
        "Source: DPI. Data as of 15 Oct 2019."
    )
    assert t("chart.empty", "en", reason="no reports yet") == "No data to chart: no reports yet"


def test_missing_placeholder_argument_raises() -> None:
    with pytest.raises(KeyError):
        t("chart.empty", "vi", wrong="x")


def test_unknown_key_raises_key_error_naming_the_key() -> None:
    with pytest.raises(KeyError, match="status.nonexistent"):
        t("status.nonexistent", "vi")


def test_unknown_language_raises() -> None:
    with pytest.raises(ValueError, match="fr"):
        t("status.completed", "fr")
    with pytest.raises(ValueError):
        fmt_number(1, "fr")


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234.5, "vi", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567, "vi", 0, "1.234.567"),
        (1234567, "en", 0, "1,234,567"),
        (1234, "vi", 0, "1.234"),
        (12, "vi", 2, "12,00"),
        (0.5, "vi", 0, "1"),  # half up, not to even
        (2.5, "en", 0, "3"),
        (2.675, "en", 2, "2.68"),  # the decimal the reader sees, not the binary float
        (-1234.56, "vi", 1, "-1.234,6"),
        (-0.4, "en", 0, "0"),  # no "-0"
        (Decimal("1234.5"), "vi", 1, "1.234,5"),
        (1234.5, "vi", 0, "1.235"),
    ],
)
def test_fmt_number(x: float, lang: str, decimals: int, expected: str) -> None:
    assert fmt_number(x, lang, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), math.inf, -math.inf, Decimal("NaN")])
@pytest.mark.parametrize("lang", LANGS)
def test_fmt_number_missing_is_a_dash(missing: object, lang: str) -> None:
    assert fmt_number(missing, lang) == "–"  # type: ignore[arg-type]
    assert fmt_percent(missing, lang) == "–"  # type: ignore[arg-type]


def test_fmt_number_accepts_numpy_and_pandas_values() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert fmt_number(np.float64(1234.5), "vi", 1) == "1.234,5"
    assert fmt_number(np.int64(1234), "en") == "1,234"
    assert fmt_number(np.nan, "vi") == "–"
    assert fmt_number(pd.NA, "vi") == "–"


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (45.5, "vi", 1, "45,5%"),
        (45.5, "en", 1, "45.5%"),
        (45.5, "vi", 0, "46%"),
        (100, "en", 0, "100%"),
        (0, "vi", 0, "0%"),
    ],
)
def test_fmt_percent_takes_the_0_to_100_scale(
    x: float, lang: str, decimals: int, expected: str
) -> None:
    assert fmt_percent(x, lang, decimals) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_plotly_separators_match_fmt_number(lang: str) -> None:
    """Chart ticks and hovers must write numbers as the tables do."""
    decimal_mark, thousands = plotly_separators(lang)
    assert fmt_number(1234.5, lang, 1) == f"1{thousands}234{decimal_mark}5"


def test_plotly_separators() -> None:
    assert plotly_separators("vi") == ",."
    assert plotly_separators("en") == ".,"


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "lang", "expected"),
    [
        (date(2019, 10, 15), "vi", "15/10/2019"),
        (date(2019, 10, 15), "en", "15 Oct 2019"),
        (date(2018, 3, 5), "vi", "05/03/2018"),
        (date(2018, 3, 5), "en", "5 Mar 2018"),
        (datetime(2020, 12, 31, 23, 59), "vi", "31/12/2020"),
        ("2019-10-15", "en", "15 Oct 2019"),
    ],
)
def test_fmt_date(d: date | str, lang: str, expected: str) -> None:
    assert fmt_date(d, lang) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_fmt_date_missing_is_a_dash(lang: str) -> None:
    pd = pytest.importorskip("pandas")
    assert fmt_date(None, lang) == "–"
    assert fmt_date(pd.NaT, lang) == "–"
    assert fmt_date(pd.Timestamp("2019-10-15"), lang) == fmt_date(date(2019, 10, 15), lang)

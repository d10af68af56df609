"""What people type: status words, percentages, numbers and dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from greengrowth.status import (
    AmbiguousNumber,
    clean_text,
    fold,
    number_notation,
    parse_date,
    parse_number,
    parse_percent,
    parse_status,
)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Hoàn thành", "completed"),
        ("  hoàn   THÀNH ", "completed"),
        ("hoan thanh", "completed"),
        ("Đã hoàn thành", "completed"),
        ("da hoan thanh", "completed"),
        (unicodedata.normalize("NFD", "Đang thực hiện"), "in_progress"),
        ("dang trien khai", "in_progress"),
        ("Chưa thực hiện", "not_started"),
        ("chua trien khai", "not_started"),
        ("Chậm tiến độ", "delayed"),
        ("TRỄ HẠN", "delayed"),
        ("tam dung", "on_hold"),
        ("In progress", "in_progress"),
    ],
)
def test_status_words(typed, code):
    assert parse_status(typed) == code


@pytest.mark.parametrize("typed", ["", None, "xong", "hoàn thành một phần", "50%"])
def test_unknown_status_words(typed):
    assert parse_status(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(80, 80.0), ("80", 80.0), ("80%", 80.0), ("80 %", 80.0), (0.8, 80.0), ("0,8", 80.0),
     ("45,5%", 45.5), (1, 100.0), (0, 0.0), (None, None), ("", None)],
)  # fmt: skip
def test_percentages(typed, expected):
    assert parse_percent(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "80%%", "nhiều", True])
def test_bad_percentages(typed):
    with pytest.raises(ValueError):
        parse_percent(typed)


AMBIGUOUS = "ambiguous"

# typed -> (no notation known, workbook writes Vietnamese, workbook writes English)
NUMBER_SPELLINGS = [
    ("0.125", 0.125, 0.125, 0.125),  # a leading-zero group is never a thousands group
    ("0,125", 0.125, 0.125, 0.125),
    ("01.234", 1.234, 1.234, 1.234),
    ("1.234", AMBIGUOUS, 1234.0, 1.234),
    ("1,234", AMBIGUOUS, 1.234, 1234.0),
    ("10.000", AMBIGUOUS, 10000.0, 10.0),
    ("-1.234", AMBIGUOUS, -1234.0, -1.234),
    ("1.234,5", 1234.5, 1234.5, 1234.5),
    ("1,234.5", 1234.5, 1234.5, 1234.5),
    ("2.500.000", 2_500_000.0, 2_500_000.0, 2_500_000.0),
    ("2,500,000", 2_500_000.0, 2_500_000.0, 2_500_000.0),
    ("1.000.000,75", 1_000_000.75, 1_000_000.75, 1_000_000.75),
    ("12,345,678.9", 12_345_678.9, 12_345_678.9, 12_345_678.9),
    ("1 234,5", 1234.5, 1234.5, 1234.5),  # a space as thousands separator
    ("1\u00a0234,5", 1234.5, 1234.5, 1234.5),
    ("3,5", 3.5, 3.5, 3.5),
    ("1.5", 1.5, 1.5, 1.5),
    ("1.23", 1.23, 1.23, 1.23),
    ("1.2345", 1.2345, 1.2345, 1.2345),
    ("1,2340", 1.234, 1.234, 1.234),  # the unambiguous way to write a decimal with three places
    ("10,00", 10.0, 10.0, 10.0),
    ("100.000,00", 100_000.0, 100_000.0, 100_000.0),
    ("0.5", 0.5, 0.5, 0.5),
    (",5", 0.5, 0.5, 0.5),
    (".5", 0.5, 0.5, 0.5),
    ("12", 12.0, 12.0, 12.0),
    (" 7 ", 7.0, 7.0, 7.0),
    ("-3", -3.0, -3.0, -3.0),
    ("1234", 1234.0, 1234.0, 1234.0),
    (12, 12.0, 12.0, 12.0),  # a number cell is a number: nothing to read
    (0.125, 0.125, 0.125, 0.125),
    (1234.5, 1234.5, 1234.5, 1234.5),
    ("", None, None, None),
    (None, None, None, None),
]


@pytest.mark.parametrize(("typed", "plain", "vi", "en"), NUMBER_SPELLINGS)
def test_numbers_typed_as_text_are_read_without_guessing(typed, plain, vi, en):
    for notation, expected in ((None, plain), ("vi", vi), ("en", en)):
        if expected == AMBIGUOUS:
            with pytest.raises(AmbiguousNumber) as info:
                parse_number(typed, notation)
            assert len(set(info.value.readings.values())) == 2
        else:
            assert parse_number(typed, notation) == expected, (typed, notation)


def test_enough_spellings_are_covered():
    assert len(NUMBER_SPELLINGS) >= 30


@pytest.mark.parametrize(
    ("texts", "notation"),
    [
        (["3,5", "1.234"], "vi"),  # "3,5" is only Vietnamese
        (["0.125", "1.234"], "en"),  # "0.125" is only English
        (["1.234,5"], "vi"),
        (["1,234.5", "12"], "en"),
        (["1.234", "1,234"], None),  # ambiguous texts say nothing
        (["3,5", "1.5"], None),  # the workbook disagrees with itself
        ([12.5, "12", "Hoàn thành", None], None),  # number cells and words say nothing
    ],
)
def test_the_workbook_notation_comes_from_texts_that_read_one_way(texts, notation):
    assert number_notation(texts) == notation


@pytest.mark.parametrize(
    "typed", ["khoảng 5", "5 ha", "nan", "inf", float("inf"), "1e3", "1.234.5", "1,23,4", "--1"]
)
def test_bad_numbers(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_dates():
    assert parse_date("15/10/2019") == date(2019, 10, 15)
    assert parse_date("2019-10-15") == date(2019, 10, 15)
    assert parse_date(datetime(2019, 10, 15, 8, 30)) == date(2019, 10, 15)
    assert parse_date(None) is None
    with pytest.raises(ValueError):
        parse_date("31/02/2019")


def test_text_cleaning():
    assert clean_text("  a \u00a0 b\x07 ") == "a b"
    assert fold("Đường  Ôn") == "duong on"

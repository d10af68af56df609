"""What people type: status words, percentages, numbers and dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from greengrowth.status import (
    clean_text,
    fold,
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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234", 1234.0), ("2.500.000", 2_500_000.0),
     ("3,5", 3.5), ("1.5", 1.5), (12, 12.0), (" 7 ", 7.0)],
)  # fmt: skip
def test_numbers_in_vietnamese_and_english_writing(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["khoảng 5", "5 ha", "nan", "inf", float("inf")])
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

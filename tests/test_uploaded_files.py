"""File names as given by the browser (issue 16, items 7 and 8): cleaned for display, refused when
nothing can carry them, the raw name escaped for the event log; originals for signed-in accounts only."""

from __future__ import annotations

import unicodedata

import pytest

from greengrowth.auth import Account
from loaders.uploaded_files import (
    MAX_NAME_CHARS,
    FileNameError,
    check_file_name,
    display_name,
    may_download_originals,
    name_problem,
    raw_name_for_log,
)

RLO = "\u202e"  # right-to-left override: "DOIT_2020_\u202excod.xlsx" reads as "...doc.xslx"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"DOIT_2020_{RLO}xslx.doc", "DOIT_2020_xslx.doc"),
        ("../../../../tmp/x.xlsx", "x.xlsx"),
        ("/etc/cron.d/x.xlsx", "x.xlsx"),
        ("C:\\Users\\lan\\Desktop\\DOIT 2019.xlsx", "DOIT 2019.xlsx"),
        ("bao\u200b cao\u2066DOIT\u2069.xlsx", "bao caoDOIT.xlsx"),
        ("Báo  cáo\tDOIT\n2019.xlsx", "Báo cáo DOIT 2019.xlsx"),
        (unicodedata.normalize("NFD", "Báo cáo.xlsx"), "Báo cáo.xlsx"),
        ("../", "workbook.xlsx"),
        ("", "workbook.xlsx"),
    ],
    ids=["rtl-override", "dot-dot", "absolute", "windows-path", "zero-width-isolates", "spaces",
         "nfd", "only-folders", "empty"],
)  # fmt: skip
def test_display_names_are_cleaned(raw, shown):
    assert display_name(raw) == shown
    assert name_problem(raw) is None


def test_a_1500_character_name_is_bounded_and_keeps_its_extension():
    shown = display_name("a" * 1500 + ".xlsx")
    assert len(shown) <= MAX_NAME_CHARS and shown.endswith("….xlsx")


def test_no_cleaned_name_holds_invisible_or_direction_characters():
    every_bad = (
        "".join(chr(c) for c in range(0x20))
        + "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2028"
    )
    shown = display_name(f"x{every_bad}y.xlsx")
    assert shown == "x y.xlsx"  # tab and newlines become one space, the rest go
    assert all(unicodedata.category(ch)[0] != "C" for ch in shown)


@pytest.mark.parametrize("raw", ["x\x00.xlsx", "\ud800.xlsx", None, b"x.xlsx"],
                         ids=["nul", "lone-surrogate", "none", "bytes"])  # fmt: skip
def test_a_name_nothing_can_carry_is_a_plain_refusal(raw):
    found = name_problem(raw)
    assert found is not None and found.code == "bad_file_name"
    assert found.message_vi and found.message_en and found.hint_vi and found.hint_en
    with pytest.raises(FileNameError) as refused:
        check_file_name(raw)
    assert refused.value.problem == found


def test_check_file_name_returns_the_display_name():
    assert check_file_name(f"../{RLO}DOIT.xlsx") == "DOIT.xlsx"


def test_the_raw_name_for_the_event_log_is_escaped_not_dropped():
    logged = raw_name_for_log(f"../x{RLO}\x00.xlsx")
    assert logged == "../x\\u202e\\u0000.xlsx"
    assert len(raw_name_for_log("a" * 10_000)) <= 4_096
    assert raw_name_for_log("Báo cáo.xlsx") == "Báo cáo.xlsx"


def test_only_signed_in_accounts_may_download_originals():
    analyst = Account("lan", "Lan", "analyst", ("DOIT",))
    assert may_download_originals(analyst) is True
    assert may_download_originals(None) is False

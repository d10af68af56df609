"""Say what a foreign file is (issue 14, item 7): each kind made here, read as an upload would be."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from loaders import layout as L
from loaders.workbook import (
    FORMAT_CSV,
    FORMAT_ODS,
    FORMAT_XLS,
    FORMAT_XLSB,
    MAX_UNCOMPRESSED_BYTES,
    OLE_MAGIC,
    check_container,
    read_workbook,
)
from tests.workbooks import good_workbook


def _cfb(*streams: str) -> bytes:
    """A Compound File Binary container as far as a reader sniffs it: the OLE signature, a header
    sector, and directory entries (64-character UTF-16LE names, as in a real directory sector)."""
    header = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + bytes(512 - 32)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for name in ("Root Entry", *streams)
    )
    return header + entries.ljust(512, b"\x00")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


CASES = {
    # A password-protected .xlsx is an OLE container with EncryptionInfo and EncryptedPackage.
    "encrypted": (_cfb("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), None),
    "xls": (_cfb("Workbook", "\x05SummaryInformation"), FORMAT_XLS),
    "xlsb": (
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}),
        FORMAT_XLSB,
    ),
    "ods": (
        _zip(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            }
        ),  # fmt: skip
        FORMAT_ODS,
    ),
    "csv": ("Mã,Tên,Giá trị\nDOIT,Sở Công Thương,12\n".encode(), FORMAT_CSV),
    "csv-semicolon-utf16": ("a;b;c\n1;2;3\n".encode("utf-16"), FORMAT_CSV),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_foreign_file_named_xlsx_is_named_by_its_format(kind):
    data, fmt = CASES[kind]
    raw, problems = read_workbook(data, "bao-cao.xlsx")
    assert raw is None and len(problems) == 1
    found = problems[0]
    if fmt is None:
        assert found.code == "encrypted_workbook"
        assert "mật khẩu" in found.message_vi and "password" in found.message_en
        assert "xóa mật khẩu" in found.hint_vi
    else:
        assert found.code == "foreign_format" and found.value == fmt
        assert fmt in found.message_vi and fmt in found.message_en
        assert ".xlsx" in found.hint_vi and "Save As" in found.hint_en


def test_plain_text_is_still_just_not_a_workbook():
    assert [p.code for p in check_container(b"Hello, this is not a spreadsheet")] == ["not_xlsx"]


def test_the_unpacked_size_is_called_the_unpacked_size():
    big = b"0" * (MAX_UNCOMPRESSED_BYTES + 8 * 1024 * 1024)
    data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/x.xml": big})
    assert len(data) < 1024 * 1024  # the file itself is small
    (found,) = check_container(data)
    assert found.code == "too_large_unpacked"
    assert "giải nén" in found.message_vi and "unpacked" in found.message_en
    assert found.value.endswith("MB") and float(found.value.split()[0]) > 50


def _with_last_row(wb_bytes: bytes, sheet: str | None) -> bytes:
    wb = load_workbook(io.BytesIO(wb_bytes))
    ws = wb[sheet] if sheet else wb.create_sheet("Ghi chú riêng")
    ws["A1048576"] = "x"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_last_cell_at_row_1048576_names_the_sheet_or_is_ignored_where_unused(catalog_con):
    good = good_workbook(catalog_con)
    raw, problems = read_workbook(_with_last_row(good, L.SHEET_ACTIVITIES), "a.xlsx")
    assert raw is None and [(p.code, p.sheet, p.row) for p in problems] == [
        ("too_many_rows", L.SHEET_ACTIVITIES, 1048576)
    ]
    assert problems[0].location().startswith(f"[{L.SHEET_ACTIVITIES}]")
    raw, problems = read_workbook(_with_last_row(good, None), "b.xlsx")  # a sheet not read
    assert problems == [] and raw is not None

"""Hostile workbooks, built here byte by byte as an attacker with a text editor would write them.

Each is a few kB: a minimal .xlsx whose one sheet (named like a sheet the template reads) holds what
the case says, or a real filled template with one edit. Shared by tests and bench/bench_hostile.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from loaders import layout as L

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def sheet_xml(sheet_data: bytes | str, head: str = "") -> bytes:
    if isinstance(sheet_data, str):
        sheet_data = sheet_data.encode()
    return f"{_SHEET_HEAD}{head}<sheetData>".encode() + sheet_data + b"</sheetData></worksheet>"


def minimal(
    sheet_data: bytes | str,
    sheet: str = L.SHEET_INDICATORS,
    head: str = "",
    *,
    target: str = "worksheets/sheet1.xml",
    parts: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal workbook whose one sheet holds `sheet_data` (the inside of <sheetData>); `target`
    is the relationship's Target, `parts` replaces the worksheet parts written."""
    rels = _WORKBOOK_RELS.replace('Target="worksheets/sheet1.xml"', f'Target="{target}"')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(name=sheet))
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        for name, xml in (
            parts or {"xl/worksheets/sheet1.xml": sheet_xml(sheet_data, head)}
        ).items():
            zf.writestr(name, xml)
    return out.getvalue()


def one_cell(row_attr: str, cell_attr: str) -> bytes:
    """One number in one cell; the attributes are written exactly as given (quotes, spaces)."""
    return minimal(f"<row {row_attr}><c {cell_attr}><v>1</v></c></row>")


def cells_at_a1(count: int = 2_300_000) -> bytes:
    """Millions of cells all addressed A1: a tiny extent, a huge number of cells (127 kB packed)."""
    return minimal(b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * count + b"</row>")


def cells_without_address(count: int = 100_000) -> bytes:
    """Cells with no r attribute: a reader places each after the previous one, far to the right."""
    return minimal(b"<row>" + b"<c><v>1</v></c>" * count + b"</row>")


def rewrite_sheets(data: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """The same workbook with every worksheet part's XML passed through `edit(part, xml)`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = edit(item.filename, body)
            dst.writestr(item, body)
    return out.getvalue()


INDICATOR_PART = "xl/worksheets/sheet5.xml"  # the template's "Chỉ tiêu" sheet


def far_cell_in_template(template: bytes, cell: str = "GR10000", only: str | None = None) -> bytes:
    """A real template with one value at `cell` on every sheet, or on the part `only` (a wide, tall
    grid of empty cells)."""
    row = re.fullmatch(r"[A-Z]+(\d+)", cell).group(1)

    def edit(part: str, xml: bytes) -> bytes:
        if only is not None and part != only:
            return xml
        extra = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>", 1)

    return rewrite_sheets(template, edit)


def with_formula(template: bytes, sheet_part: str, cell: str, formula: str) -> bytes:
    """A real template with `formula` (already XML-escaped) in `cell` of one sheet part."""

    def edit(part: str, xml: bytes) -> bytes:
        if part != sheet_part:
            return xml
        row = re.fullmatch(r"[A-Z]+(\d+)", cell).group(1)
        extra = f'<row r="{row}"><c r="{cell}" t="str"><f>{formula}</f><v>0</v></c></row>'
        return xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>", 1)

    return rewrite_sheets(template, edit)


# name -> (builder, the problem code that must refuse it)
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "single-quotes-GR1048576": (lambda: one_cell("r='1048576'", "r='GR1048576'"), "too_many_rows"),
    "XFD1048576": (lambda: one_cell('r="1048576"', 'r="XFD1048576"'), "too_many_rows"),
    "8-digit-row": (lambda: one_cell('r="10000000"', 'r="B10000000"'), "bad_cell_ref"),
    "spaces-around-equals": (lambda: one_cell('r = "200000"', 'r = "GR200000"'), "too_many_rows"),
    "column-beyond-XFD": (lambda: one_cell('r="1"', 'r="XFE1"'), "bad_cell_ref"),
    "cells-at-A1": (cells_at_a1, "too_many_cells"),
    "cells-without-address": (cells_without_address, "too_many_columns"),
}

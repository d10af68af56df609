"""Text that looks like a formula is written as text and read back unchanged."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from greengrowth.xlsx_cells import put

TEXTS = ['=HYPERLINK("http://example.invalid/x","bấm vào đây")', "+84 274", "-5 điểm", "@SUM(A1)"]


@pytest.mark.parametrize("text", TEXTS)
def test_formula_like_text_stays_text(text):
    wb = Workbook()
    put(wb.active["A1"], text)
    put(wb.active["A2"], 12.5)
    out = io.BytesIO()
    wb.save(out)
    sheet_xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere in the file
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0)
    assert rows.to_python()[0][0] == text
    again = load_workbook(io.BytesIO(out.getvalue())).active
    assert again["A1"].quotePrefix and again["A2"].value == 12.5

"""Workbooks for tests: a correctly filled template, and broken variants with one problem each."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from functools import cache

from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from loaders import layout as L
from loaders.template import build_template


def fill(
    template: bytes,
    edit: Callable[[Workbook], None] | None = None,
    status: str = "Đang thực hiện",
    percent: object = 50,
) -> bytes:
    """Fill every activity and task of a template, then apply `edit` to the workbook."""
    wb = load_workbook(io.BytesIO(template))
    L.info_cells(wb[L.SHEET_INFO])["reported_on"].value = date(2019, 10, 1)
    fill_rows(wb, status, percent, task_status="Đang thực hiện")
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill_rows(wb: Workbook, status: str, percent: object, task_status: str | None = None) -> None:
    """Every activity in one status and percent, every task in `task_status` (default: the same);
    cells found by the field they fill (loaders.layout), as the app itself does."""
    for row in wb[L.SHEET_ACTIVITIES].iter_rows(min_row=2):
        cell = L.cells(row, L.ACTIVITY_COLUMNS)
        if cell["activity_no"].value is not None:
            cell["status"].value, cell["percent_complete"].value = status, percent
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        cell = L.cells(row, L.TASK_COLUMNS)
        if cell["task_id"].value is not None:
            cell["status"].value = task_status or status


def good_workbook(con, department: str = "DOIT", period: int = 2019, **kwargs) -> bytes:
    return fill(build_template(con, "binh-duong-2018-2020", department, period), **kwargs)


def _set(sheet: str, cell: str, value) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        wb[sheet][cell].value = value

    return edit


def _set_many(sheet: str, cells: dict[str, object]) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        for cell, value in cells.items():
            wb[sheet][cell].value = value

    return edit


def _append_activity(activity_no: int) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        ws = wb[L.SHEET_ACTIVITIES]
        ws.append([activity_no, None, "Đang thực hiện", 10])

    return edit


def _delete_sheet(sheet: str) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        del wb[sheet]

    return edit


def _delete_row(sheet: str, row: int) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        wb[sheet].delete_rows(row)

    return edit


# name -> (edit, expected problem code, sheet, row, column letter)
BROKEN: dict[str, tuple[Callable[[Workbook], None], str, str, int | None, str]] = {
    "unknown_status": (
        _set(L.SHEET_ACTIVITIES, "C3", "xong rồi"),
        "unknown_status",
        L.SHEET_ACTIVITIES,
        3,
        "C",
    ),
    "missing_status": (
        _set(L.SHEET_ACTIVITIES, "C2", None),
        "missing_status",
        L.SHEET_ACTIVITIES,
        2,
        "C",
    ),
    "percent_text": (
        _set(L.SHEET_ACTIVITIES, "D4", "nhiều"),
        "bad_percent",
        L.SHEET_ACTIVITIES,
        4,
        "D",
    ),
    "percent_over_100": (
        _set(L.SHEET_ACTIVITIES, "D4", 180),
        "bad_percent",
        L.SHEET_ACTIVITIES,
        4,
        "D",
    ),
    "foreign_activity": (_append_activity(51), "unknown_activity", L.SHEET_ACTIVITIES, 14, "A"),
    "deleted_activity_row": (
        _delete_row(L.SHEET_ACTIVITIES, 2),
        "missing_row",
        L.SHEET_ACTIVITIES,
        None,
        "A",
    ),
    "negative_spending": (
        _set(L.SHEET_ACTIVITIES, "G2", -5),
        "negative_number",
        L.SHEET_ACTIVITIES,
        2,
        "G",
    ),
    "bad_task_date": (_set(L.SHEET_TASKS, "G2", "31/02/2019"), "bad_date", L.SHEET_TASKS, 2, "G"),
    "unknown_district": (
        _set_many(L.SHEET_INDICATORS, {"D2": "Hà Nội", "F2": 5}),
        "unknown_district",
        L.SHEET_INDICATORS,
        2,
        "D",
    ),
    "indicator_value_text": (
        _set(L.SHEET_INDICATORS, "F2", "khoảng 5"),
        "bad_number",
        L.SHEET_INDICATORS,
        2,
        "F",
    ),
    "wrong_period": (_set(L.SHEET_INFO, "C5", 2031), "bad_period", L.SHEET_INFO, 5, "C"),
    "unknown_department": (
        _set(L.SHEET_INFO, "C3", "NASA"),
        "unknown_department",
        L.SHEET_INFO,
        3,
        "C",
    ),
    "missing_sheet": (_delete_sheet(L.SHEET_TASKS), "missing_sheet", L.SHEET_TASKS, None, ""),
    "future_report_date": (
        _set(L.SHEET_INFO, "C8", date(2099, 1, 1)),
        "future_date",
        L.SHEET_INFO,
        8,
        "C",
    ),
}


def not_a_workbook() -> bytes:
    return b"Hello, this is not a spreadsheet"


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def with_macros(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


@cache
def zip_bomb() -> bytes:
    """A small zip that claims a huge uncompressed sheet: must be refused before parsing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (250 * 1024 * 1024))
    return out.getvalue()

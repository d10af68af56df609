"""The template's layout: sheet names and columns, shared by the writer and the reader.

Columns are found by their header text (folded: case, spacing and diacritics ignored), so a department
that reorders columns or retypes a header without accents still gets through; a missing column is a
problem named by sheet and header.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_VERSION = "1"

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_ACTIVITIES = "Hoạt động"
SHEET_TASKS = "Ưu tiên 2018"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_LISTS = "_lists"

WHOLE_PROVINCE = "Toàn tỉnh"


@dataclass(frozen=True)
class Column:
    """One template column: the field it fills (a greengrowth.rows field, or for the read-only
    columns the catalog column it shows) and its header."""

    field: str
    header_vi: str
    width: int = 14
    editable: bool = True
    required: bool = False


INFO_KEYS = {
    # key: (label_vi, editable)
    "plan_id": ("Mã kế hoạch", False),
    "department_code": ("Mã đơn vị", False),
    "department_name": ("Tên đơn vị", False),
    "period": ("Kỳ báo cáo (năm)", False),
    "template_version": ("Phiên bản mẫu", False),
    "illustrative": ("Dữ liệu minh họa (không phải số liệu thật)", False),
    "reported_on": ("Ngày gửi báo cáo (dd/mm/yyyy)", True),
    "prepared_by": ("Người lập báo cáo", True),
}

# The "Thông tin" sheet: one row per INFO_KEYS entry, its key, its label, and the value.
INFO_COLUMNS = [
    Column("key", "Mã", 18, editable=False, required=True),
    Column("label", "Mục", 44, editable=False),
    Column("value", "Giá trị", 40, required=True),
]
INFO_VALUE_LETTER = "C"  # where the value of an info row is, for problems

ACTIVITY_COLUMNS = [
    Column("activity_no", "Số hoạt động", 10, editable=False, required=True),
    Column("title_vi", "Tên hoạt động", 60, editable=False),
    Column("status", "Trạng thái", 18, required=True),
    Column("percent_complete", "% hoàn thành", 12),
    Column("done_text", "Kết quả thực hiện", 40),
    Column("difficulties", "Khó khăn, vướng mắc", 30),
]
SPENDING_PREFIX = "Kinh phí (triệu đồng): "

TASK_COLUMNS = [
    Column("task_id", "Mã nhiệm vụ", 10, editable=False, required=True),
    Column("text_vi", "Nội dung nhiệm vụ", 60, editable=False),
    Column("deadline", "Thời hạn", 12, editable=False),
    Column("target_value", "Chỉ tiêu", 16, editable=False),
    Column("status", "Trạng thái", 18, required=True),
    Column("achieved_value", "Kết quả đạt được (số)", 14),
    Column("completed_on", "Ngày hoàn thành (dd/mm/yyyy)", 16),
    Column("note", "Ghi chú", 30),
]

INDICATOR_COLUMNS = [
    Column("indicator_code", "Mã chỉ tiêu", 22, required=True),
    Column("name_vi", "Tên chỉ tiêu", 45, editable=False),
    Column("unit_vi", "Đơn vị tính", 14, editable=False),
    Column("district_code", "Địa bàn", 18),
    Column("year", "Năm", 8, required=True),
    Column("value", "Giá trị", 14),
    Column("note", "Ghi chú", 30),
]
EXTRA_INDICATOR_ROWS = 60


def position(columns: list[Column], field: str) -> int:
    """The 1-based column number of `field` in a sheet the template wrote (openpyxl's numbering)."""
    for number, column in enumerate(columns, start=1):
        if column.field == field:
            return number
    raise KeyError(field)


def cells(row: tuple, columns: list[Column]) -> dict:
    """One worksheet row (openpyxl cells) as {field: cell}, for a sheet in the template's layout."""
    return {column.field: row[i] for i, column in enumerate(columns) if i < len(row)}


def info_cells(ws) -> dict:
    """The "Thông tin" sheet's value cells by key (plan_id, reported_on, ...)."""
    key, value = position(INFO_COLUMNS, "key") - 1, position(INFO_COLUMNS, "value") - 1
    return {row[key].value: row[value] for row in ws.iter_rows(min_row=2) if row[key].value}

"""Write the prefilled Excel template for one department and reporting period.

The workbook records plan, department and period itself (sheet "Thông tin"), so an upload needs no extra
choices; key columns are locked, status cells have a dropdown, and the first sheet explains in
Vietnamese how to fill it in.
"""

from __future__ import annotations

import io

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from greengrowth import queries
from greengrowth.status import accepted_status_words
from greengrowth.xlsx_cells import put
from loaders import layout as L

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LOCKED_FILL = PatternFill("solid", fgColor="EEF2F7")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


class TemplateError(ValueError):
    """The department or period asked for does not exist in the plan."""


def _append(ws: Worksheet, values: list) -> None:
    """A new row after the last one; texts (plan titles, names) are written as text, never formulas."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        put(ws.cell(row=row, column=col), value)


def _append_fields(ws: Worksheet, columns: list[L.Column], values: dict) -> None:
    """A new row whose cells are placed by the field their column fills (loaders.layout)."""
    row = [None] * len(columns)
    for field, value in values.items():
        row[L.position(columns, field) - 1] = value
    _append(ws, row)


def _at(columns: list[L.Column], *fields: str) -> list[int]:
    return [L.position(columns, f) for f in fields]


def _headers(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    _append(ws, headers)
    for idx, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32


def _protect(ws: Worksheet, editable_cols: list[int], first_row: int, last_row: int) -> None:
    """Lock everything, then unlock the cells a department fills in."""
    for col in editable_cols:
        for row in range(first_row, last_row + 1):
            ws.cell(row=row, column=col).protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _lock_fill(ws: Worksheet, locked_cols: list[int], first_row: int, last_row: int) -> None:
    for col in locked_cols:
        for row in range(first_row, last_row + 1):
            cell = ws.cell(row=row, column=col)
            cell.fill, cell.alignment = LOCKED_FILL, WRAP


def _status_validation(ws: Worksheet, col: int, first: int, last: int) -> None:
    words = ",".join(accepted_status_words())
    dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
    dv.error = "Chọn một trạng thái trong danh sách."
    dv.errorTitle = "Trạng thái không hợp lệ"
    dv.prompt = "Chọn trạng thái"
    ws.add_data_validation(dv)
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")


def _percent_validation(ws: Worksheet, col: int, first: int, last: int) -> None:
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    dv.error = "Nhập số từ 0 đến 100."
    dv.errorTitle = "Tỷ lệ không hợp lệ"
    ws.add_data_validation(dv)
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")


def build_template(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    department_code: str,
    period: int,
    *,
    illustrative: bool = False,
) -> bytes:
    """The template workbook as bytes. Raises TemplateError for an unknown department or period."""
    plan = queries.plan(con, plan_id)
    if plan is None:
        raise TemplateError(f"Không có kế hoạch '{plan_id}' / unknown plan")
    if not plan["period_start"] <= period <= plan["period_end"]:
        raise TemplateError(
            f"Kỳ {period} ngoài thời gian kế hoạch {plan['period_start']}–{plan['period_end']}"
            f" / period outside the plan"
        )
    departments = queries.run(con, "departments", plan=plan_id).set_index("department_code")
    if department_code not in departments.index:
        raise TemplateError(f"Không có đơn vị '{department_code}' / unknown department")
    scope = queries.department_scope(con, plan_id, department_code)
    funding = queries.run(con, "funding_sources", plan=plan_id)
    districts = queries.run(con, "districts", plan=plan_id)
    department_name = departments.loc[department_code, "name_vi"]

    wb = Workbook()
    _guide(wb.active, plan, department_name, period)
    _info(
        wb.create_sheet(L.SHEET_INFO),
        plan_id,
        department_code,
        department_name,
        period,
        illustrative,
    )
    _activities(wb.create_sheet(L.SHEET_ACTIVITIES), scope["activities"], funding)
    _tasks(wb.create_sheet(L.SHEET_TASKS), scope["tasks"])
    # A retired indicator is no longer asked from its retired_from year; its stored values stay.
    asked = queries.run(
        con, "template_indicators", plan=plan_id, department=department_code, period=period
    )
    _indicators(wb, asked, districts, period)
    wb.properties.title = f"Báo cáo tăng trưởng xanh {department_code} {period}"
    wb.properties.creator = "Green Growth Tracker"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _guide(ws: Worksheet, plan: dict, department_name: str, period: int) -> None:
    ws.title = L.SHEET_GUIDE
    lines = [
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN {plan['title_vi'].upper()}",
        f"Đơn vị: {department_name} — Kỳ báo cáo: năm {period}",
        "",
        "Cách điền:",
        f"1. Trang '{L.SHEET_INFO}': ghi ngày gửi báo cáo (dd/mm/yyyy) và người lập. "
        "Không sửa mã kế hoạch, mã đơn vị, kỳ báo cáo.",
        f"2. Trang '{L.SHEET_ACTIVITIES}': mỗi dòng là một hoạt động đơn vị chủ trì. Chọn Trạng thái "
        "trong danh sách (" + ", ".join(accepted_status_words()) + "), ghi % hoàn thành (0–100), "
        "kết quả, khó khăn và kinh phí đã sử dụng theo nguồn vốn (triệu đồng).",
        f"3. Trang '{L.SHEET_TASKS}': tình hình các nhiệm vụ ưu tiên năm 2018 (mục V.3 của Kế hoạch). "
        "Ghi kết quả đạt được (số) khi nhiệm vụ có chỉ tiêu, và ngày hoàn thành nếu đã xong.",
        f"4. Trang '{L.SHEET_INDICATORS}': số liệu chỉ tiêu. Địa bàn để '{L.WHOLE_PROVINCE}' "
        "hoặc chọn huyện/thị xã/thành phố; có thể thêm dòng bên dưới cho từng địa bàn, từng năm.",
        "",
        "Lưu ý:",
        "- 'Hoàn thành' nghĩa là 100%; 'Chưa thực hiện' là 0% hoặc để trống.",
        "- % hoàn thành: ghi 80 hoặc 80%. Một số từ 0 đến 1 được hiểu là tỷ lệ (0,8 = 80%; 1 = 100%).",
        "- Báo cáo gửi Sở Kế hoạch và Đầu tư trước ngày 15 tháng 10 hằng năm (mục V.4 của Kế hoạch).",
        "- Mỗi lần tải lên được lưu thành một lần nộp mới; các lần nộp trước vẫn được giữ lại.",
        "- Các ô màu xám là thông tin có sẵn, không sửa được.",
    ]
    for line in lines:
        _append(ws, [line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _info(ws, plan_id, department_code, department_name, period, illustrative) -> None:
    columns = L.INFO_COLUMNS
    _headers(ws, [c.header_vi for c in columns], [c.width for c in columns])
    values = {
        "plan_id": plan_id,
        "department_code": department_code,
        "department_name": department_name,
        "period": period,
        "template_version": L.TEMPLATE_VERSION,
        "illustrative": "có" if illustrative else "không",
        "reported_on": None,
        "prepared_by": None,
    }
    editable_rows = []
    for key, (label, editable) in L.INFO_KEYS.items():
        _append_fields(ws, columns, {"key": key, "label": label, "value": values[key]})
        if editable:
            editable_rows.append(ws.max_row)
    _lock_fill(ws, [i for i, c in enumerate(columns, 1) if not c.editable], 2, ws.max_row)
    value_col = L.position(columns, "value")
    for row in editable_rows:
        ws.cell(row=row, column=value_col).protection = Protection(locked=False)
        fmt = "dd/mm/yyyy" if row == editable_rows[0] else "@"
        ws.cell(row=row, column=value_col).number_format = fmt
    ws.protection.sheet = True


def _activities(ws: Worksheet, activities, funding) -> None:
    columns = L.ACTIVITY_COLUMNS
    headers = [c.header_vi for c in columns] + [L.SPENDING_PREFIX + n for n in funding["name_vi"]]
    widths = [c.width for c in columns] + [16] * len(funding)
    _headers(ws, headers, widths)
    for row in activities.itertuples():
        _append_fields(ws, columns, {"activity_no": int(row.activity_no), "title_vi": row.title_vi})
    last = max(ws.max_row, 2)
    _lock_fill(ws, [i for i, c in enumerate(columns, 1) if not c.editable], 2, last)
    editable = [i for i, c in enumerate(columns, 1) if c.editable]
    editable += list(range(len(columns) + 1, len(headers) + 1))
    _status_validation(ws, L.position(columns, "status"), 2, last)
    _percent_validation(ws, L.position(columns, "percent_complete"), 2, last)
    _protect(ws, editable, 2, last)


def _tasks(ws: Worksheet, tasks) -> None:
    columns = L.TASK_COLUMNS
    _headers(ws, [c.header_vi for c in columns], [c.width for c in columns])
    for row in tasks.itertuples():
        target = ""
        if not pd.isna(row.target_value):
            target = f"≥ {row.target_value:g} {row.target_unit_vi or ''}".strip()
        deadline = "" if pd.isna(row.deadline) else row.deadline.strftime("%d/%m/%Y")
        _append_fields(
            ws,
            columns,
            {"task_id": row.task_id, "text_vi": row.text_vi, "deadline": deadline,
             "target_value": target},
        )  # fmt: skip
    last = max(ws.max_row, 2)
    _lock_fill(ws, [i for i, c in enumerate(columns, 1) if not c.editable], 2, last)
    for r in range(2, last + 1):
        ws.cell(row=r, column=L.position(columns, "completed_on")).number_format = "dd/mm/yyyy"
    _status_validation(ws, L.position(columns, "status"), 2, last)
    _protect(ws, [i for i, c in enumerate(columns, 1) if c.editable], 2, last)


def _indicators(wb: Workbook, indicators, districts, period: int) -> None:
    ws = wb.create_sheet(L.SHEET_INDICATORS)
    lists = wb.create_sheet(L.SHEET_LISTS)
    lists.sheet_state = "hidden"
    columns = L.INDICATOR_COLUMNS
    _headers(ws, [c.header_vi for c in columns], [c.width for c in columns])
    for row in indicators.itertuples():
        _append_fields(
            ws,
            columns,
            {"indicator_code": row.indicator_code, "name_vi": row.name_vi,
             "unit_vi": row.unit_vi, "district_code": L.WHOLE_PROVINCE, "year": period},
        )  # fmt: skip
    first_extra = ws.max_row + 1
    last = first_extra + L.EXTRA_INDICATOR_ROWS - 1
    _lock_fill(ws, _at(columns, "name_vi", "unit_vi"), 2, first_extra - 1)
    # Hidden lists for dropdowns: indicator codes and districts.
    codes = list(indicators["indicator_code"]) or [""]
    places = [L.WHOLE_PROVINCE, *districts["name_vi"]]
    for i, code in enumerate(codes, start=1):
        put(lists.cell(row=i, column=1), code)
    for i, place in enumerate(places, start=1):
        put(lists.cell(row=i, column=2), place)
    lists.protection.sheet = True
    code_dv = DataValidation(type="list", formula1=f"'{L.SHEET_LISTS}'!$A$1:$A${len(codes)}")
    place_dv = DataValidation(type="list", formula1=f"'{L.SHEET_LISTS}'!$B$1:$B${len(places)}")
    year_dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100")
    code_col = L.position(columns, "indicator_code")
    for dv, field in [(code_dv, "indicator_code"), (place_dv, "district_code"), (year_dv, "year")]:
        dv.error = "Giá trị không hợp lệ"
        ws.add_data_validation(dv)
        col = get_column_letter(L.position(columns, field))
        dv.add(f"{col}{first_extra if field == 'indicator_code' else 2}:{col}{last}")
    editable = [code_col, *_at(columns, "district_code", "year", "value", "note")]
    for col in editable:
        for r in range(2, last + 1):
            if col == code_col and r < first_extra:
                continue
            ws.cell(row=r, column=col).protection = Protection(locked=False)
    ws.protection.sheet = True

"""DPI's consolidation workbook (openpyxl): one sheet per subject, ready to print.

Summary; every department's activity rows as they reported them (status, percent, what was done,
difficulties, spending by funding source); the 2018 priority tasks; indicators against targets;
reporting timeliness. Print-ready: header row frozen and repeated on every printed page, column
widths set, long Vietnamese text wrapped, A4 landscape fitted to the page width. Every value goes
through `xlsx_cells.put`, so a department's text that starts with =, +, - or @ stays text.
"""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from greengrowth import provenance, queries
from greengrowth.briefing.collect import Briefing, collect
from greengrowth.charts import department_label
from greengrowth.i18n import t
from greengrowth.queries import dashboard as q
from greengrowth.xlsx_cells import put

FONT = "Times New Roman"
HEADER_FILL = PatternFill("solid", fgColor="DDEBDD")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(value: object, kind: str, lang: str) -> object:
    """Numbers stay numbers (DPI adds them up), codes become the reader's words."""
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if kind in ("status", "priority", "reporting", "progress", "trend"):
        return t(f"{kind}.{value}", lang)
    if kind == "date":
        return value.date() if hasattr(value, "date") and callable(value.date) else value
    if kind == "int":
        return int(value)
    if kind == "number":
        return float(value)
    return value if isinstance(value, str) else str(value)


def _sheet(  # noqa: PLR0913
    wb: Workbook,
    title: str,
    header: list[str],
    rows: list[list[object]],
    widths: list[int],
    kinds: list[str],
    page_title: str,
) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    for c, text in enumerate(header, start=1):
        cell = put(ws.cell(row=1, column=c), text)
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, values in enumerate(rows, start=2):
        for c, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            cell = put(ws.cell(row=r, column=c), value)
            cell.font, cell.border, cell.alignment = Font(name=FONT), BORDER, WRAP
            if kind == "date" and value is not None:
                cell.number_format = "DD/MM/YYYY"
            elif kind == "number":
                cell.number_format = "#,##0.0"
            elif kind == "percent" and value is not None:
                cell.number_format = '0"%"'
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: set heights.
    for r, values in enumerate([header, *rows], start=1):
        lines = max(
            (_lines(v, w) for v, w in zip(values, widths, strict=False) if isinstance(v, str)),
            default=1,
        )
        ws.row_dimensions[r].height = 15 * max(1, lines) + 2
    _print_ready(ws, page_title)
    return ws


def _lines(text: str, width: int) -> int:
    """Printed lines of `text` wrapped in a column `width` characters wide (Times, 11 pt)."""
    per_line = max(1, int(width * 1.5))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _print_ready(ws: Worksheet, page_title: str) -> None:
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # the header row on every printed page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.center.text = page_title
    ws.oddFooter.center.text = "&P / &N"
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def _summary_sheet(ws: Worksheet, b: Briefing) -> None:
    L = b.lang
    f = b.summary.facts
    head, tasks, year = f["head"], f["tasks"], f["year"]
    title = put(ws.cell(row=1, column=1), t("xlsx.title", L, period=b.period))
    title.font = Font(name=FONT, bold=True, size=14)
    put(ws.cell(row=2, column=1), b.plan_title).font = Font(name=FONT, italic=True)
    row = 3
    if b.illustrative:
        warn = put(ws.cell(row=row, column=1), t("common.illustrative_data", L))
        warn.font = Font(name=FONT, bold=True, color="B33F00")
        row += 1
    row += 1
    for c, text in enumerate([t("xlsx.figure", L), t("xlsx.value", L)], start=1):
        cell = put(ws.cell(row=row, column=c), text)
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
    facts = [
        ("xlsx.fact.adopted", f"{int(head['adopted'])}/{int(head['national'])}"),
        ("xlsx.fact.completed", int(head["completed"])),
        ("xlsx.fact.delayed", int(head["delayed"])),
        ("xlsx.fact.not_reported", int(head["not_reported"])),
        ("xlsx.fact.priority_done", f"{int(tasks['done'])}/{int(tasks['tasks'])}"),
        ("xlsx.fact.priority_open", int(tasks["still_open"])),
        ("xlsx.fact.on_time", f"{int(year['on_time'])}/{int(year['expected'])}"),
        ("xlsx.fact.missing", int(year["missing"])),
        ("xlsx.fact.data_date", b.data_date),
    ]
    for key, value in facts:
        row += 1
        put(ws.cell(row=row, column=1), t(key, L)).border = BORDER
        cell = put(ws.cell(row=row, column=2), value)
        cell.border, cell.alignment = BORDER, Alignment(horizontal="right")
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
    row += 2
    put(ws.cell(row=row, column=1), t("summary.heading", L)).font = Font(name=FONT, bold=True)
    for sentence in b.summary.sentences:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = put(ws.cell(row=row, column=1), sentence)
        cell.alignment = WRAP
        ws.row_dimensions[row].height = 15 * (1 + len(sentence) // 95)
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 40
    for line in ws.iter_rows():
        for cell in line:
            if cell.font.name != FONT:
                cell.font = Font(name=FONT, bold=cell.font.bold, italic=cell.font.italic,
                                 size=cell.font.size, color=cell.font.color)  # fmt: skip
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"


def _activity_sheet(wb: Workbook, con, b: Briefing) -> None:
    L = b.lang
    reports = q.activity_reports(con, plan_id=b.plan_id, period=b.period)
    spending = q.activity_spending(con, plan_id=b.plan_id, period=b.period)
    sources = queries.run(con, "funding_sources", plan=b.plan_id)
    source_names = list(sources["name_en" if L == "en" else "name_vi"])
    amounts = spending.pivot_table(
        index=["department_code", "activity_no"],
        columns="funding_source",
        values="amount_million_vnd",
        aggfunc="sum",
    )
    title_col = "title_en" if L == "en" else "title_vi"
    rows = []
    for r in reports.itertuples():
        key = (r.department_code, r.activity_no)
        per_source = [
            float(amounts.loc[key, code])
            if key in amounts.index and code in amounts.columns and pd.notna(amounts.loc[key, code])
            else None
            for code in sources["code"]
        ]
        total = sum(v for v in per_source if v is not None) if any(per_source) else None
        rows.append([
            department_label(r.department_code, r.acronym, r.short_vi, L),
            int(r.activity_no), getattr(r, title_col), _cell_value(r.status, "status", L),
            _cell_value(r.percent_complete, "number", L), r.done_text, r.difficulties,
            *per_source, total,
        ])  # fmt: skip
    header = [
        t("xlsx.col.lead", L), t("column.activity_no", L), t("column.activity", L),
        t("column.status", L), t("column.percent", L), t("xlsx.col.done_text", L),
        t("xlsx.col.difficulties", L), *source_names, t("xlsx.col.amount", L),
    ]  # fmt: skip
    kinds = ["text", "int", "text", "text", "percent", "text", "text"]
    kinds += ["number"] * (len(source_names) + 1)
    widths = [16, 8, 45, 14, 8, 40, 35] + [13] * (len(source_names) + 1)
    page_title = t("xlsx.sheet.activities", L) + f" {b.period}"
    _sheet(wb, t("xlsx.sheet.activities", L), header, rows, widths, kinds, page_title)


def _priority_sheet(wb: Workbook, con, b: Briefing) -> None:
    L = b.lang
    tasks = q.priority_tasks(con, plan_id=b.plan_id, period=b.period)
    unit = "target_unit_en" if L == "en" else "target_unit_vi"
    text = "summary_en" if L == "en" else "text_vi"
    depts = "departments" if L == "en" else "departments_vi"
    columns = [
        ("task_id", "column.task", "text", 8),
        (depts, "column.departments", "text", 16),
        ("deadline", "column.deadline", "date", 12),
        ("target_value", "column.target", "number", 10),
        (unit, "column.unit", "text", 14),
        ("achieved_value", "column.achieved", "number", 10),
        ("status_at_deadline", "column.status_at_deadline", "status", 14),
        ("status", "column.status_now", "status", 14),
        ("outcome", "column.outcome", "priority", 14),
        ("closed_in", "column.closed_in", "int", 10),
        (text, "column.task_text", "text", 70),
    ]
    rows = [
        [_cell_value(row[c], kind, L) for c, _, kind, _ in columns] for _, row in tasks.iterrows()
    ]
    _sheet(
        wb, t("xlsx.sheet.priorities", L), [t(k, L) for _, k, _, _ in columns], rows,
        [w for *_, w in columns], [k if k in ("date", "number", "int") else "text"
                                   for _, _, k, _ in columns],
        t("xlsx.sheet.priorities", L),
    )  # fmt: skip


def _indicator_sheet(wb: Workbook, con, b: Briefing) -> None:
    L = b.lang
    table = q.indicator_progress(con, plan_id=b.plan_id, period=b.period)
    table = provenance.with_basis(table, b.indicator_basis, L)
    sfx = "en" if L == "en" else "vi"
    columns = [
        ("indicator_code", "column.code", "text", 18),
        (f"name_{sfx}", "xlsx.col.indicator", "text", 45),
        (f"unit_{sfx}", "xlsx.col.unit", "text", 14),
        ("current_value", "xlsx.col.value", "number", 12),
        ("current_year", "xlsx.col.value_year", "int", 10),
        ("target_value", "xlsx.col.target", "number", 12),
        ("target_year", "xlsx.col.target_year", "int", 10),
        ("status", "xlsx.col.judgement", "progress", 20),
        ("trend", "column.trend", "trend", 14),
        ("basis_short", "provenance.column.basis", "text", 14),  # the plan's or the province's
    ]
    rows = [
        [_cell_value(row.get(c), kind, L) for c, _, kind, _ in columns]
        for _, row in table.iterrows()
    ]
    _sheet(
        wb, t("xlsx.sheet.indicators", L), [t(k, L) for _, k, _, _ in columns], rows,
        [w for *_, w in columns], [k if k in ("number", "int") else "text"
                                   for _, _, k, _ in columns],
        t("xlsx.sheet.indicators", L),
    )  # fmt: skip


def _reporting_sheet(wb: Workbook, b: Briefing) -> None:
    L = b.lang
    columns = [
        ("period", "column.period", "int", 8),
        ("department", "column.department", "text", 18),
        ("full", "column.department_full", "text", 40),
        ("due_before", "column.due_before", "date", 14),
        ("received_on", "column.received_on", "date", 14),
        ("outcome", "column.outcome", "reporting", 16),
    ]
    frame = b.reporting.sort_values(["period", "department_code"])
    frame = frame.assign(
        department=[
            department_label(r.department_code, r.acronym, r.short_vi, L)
            for r in frame.itertuples()
        ],
        full=frame["name_en" if L == "en" else "name_vi"],
    )
    rows = [
        [_cell_value(row[c], kind, L) for c, _, kind, _ in columns] for _, row in frame.iterrows()
    ]
    _sheet(
        wb, t("xlsx.sheet.reporting", L), [t(k, L) for _, k, _, _ in columns], rows,
        [w for *_, w in columns], [k if k in ("date", "int") else "text"
                                   for _, _, k, _ in columns],
        t("xlsx.sheet.reporting", L),
    )  # fmt: skip


def build_workbook(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str = "vi",
    today: date | None = None,
) -> bytes:
    """The consolidation workbook of one plan year, as .xlsx bytes."""
    b = collect(con, plan_id, period, lang, today)
    wb = Workbook()
    summary = wb.active
    summary.title = t("xlsx.sheet.summary", lang)[:31]
    _summary_sheet(summary, b)
    _activity_sheet(wb, con, b)
    _priority_sheet(wb, con, b)
    _indicator_sheet(wb, con, b)
    _reporting_sheet(wb, b)
    wb.properties.title = t("xlsx.title", lang, period=period)
    wb.properties.language = "vi-VN" if lang == "vi" else "en-GB"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

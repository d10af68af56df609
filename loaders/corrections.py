"""Corrections: small fixes made in the browser become a new submission derived from the old one.

The corrected rows are written into a fresh template workbook, the same layout a department fills in,
and go through the same validation as any upload (loaders.service.correct). So validation, the diff,
the SHA-256 and the kept original file hold for corrections too, and history is never edited: the old
submission stays as it was and the new one records `derived_from`.

Cells are found by the field they fill (loaders.layout) and written with xlsx_cells.put, so a text
that looks like a formula ("=HYPERLINK(...)", "+84 ...", "- ý 1") comes back exactly as typed.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import PurePath

import duckdb
import pandas as pd
from openpyxl import load_workbook

from greengrowth import queries
from greengrowth.rows import ActivityStatus, IndicatorValue, TaskStatus, values
from greengrowth.status import STATUS_CODES, status_word
from greengrowth.xlsx_cells import put
from loaders import layout as L
from loaders.ingest import IngestResult
from loaders.template import build_template

# What the correction editor lets people change, per table (keys stay fixed).
EDITABLE = {
    "activities": ["status", "percent_complete", "done_text", "difficulties"],
    "tasks": ["status", "achieved_value", "completed_on", "note"],
    "indicators": ["value", "note"],
}
ROW_TYPE = {"activities": ActivityStatus, "tasks": TaskStatus, "indicators": IndicatorValue}


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    """A cell value openpyxl can write: None for NaN/NaT, dates as date, numpy scalars as Python."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def _status_word(code: object) -> object:
    if _missing(code):
        return None
    return status_word(str(code)) if str(code) in STATUS_CODES else code


def corrected_workbook(
    con: duckdb.DuckDBPyConnection, old: dict, rows: dict[str, pd.DataFrame]
) -> bytes:
    """A template workbook for the old submission's department and period holding `rows`
    (frames with the columns of queries.submission_rows: activities, spending, tasks, indicators)."""
    plan_id, department, period = old["plan_id"], old["department_code"], int(old["period"])
    template = build_template(
        con, plan_id, department, period, illustrative=bool(old["illustrative"])
    )
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    put(info["reported_on"], _plain(old["reported_on"]))
    put(info["prepared_by"], _plain(old["prepared_by"]))
    _write_activities(con, wb, plan_id, rows["activities"], rows["spending"])
    _write_tasks(wb, rows["tasks"])
    _write_indicators(con, wb, plan_id, period, rows["indicators"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_activities(con, wb, plan_id: str, activities: pd.DataFrame, spending: pd.DataFrame):
    ws = wb[L.SHEET_ACTIVITIES]
    by_activity = {int(r.activity_no): r for r in activities.itertuples()}
    funding = list(queries.run(con, "funding_sources", plan=plan_id)["code"])
    spend_col = {code: len(L.ACTIVITY_COLUMNS) + 1 + i for i, code in enumerate(funding)}
    for row in ws.iter_rows(min_row=2):
        cell = L.cells(row, L.ACTIVITY_COLUMNS)
        if cell["activity_no"].value is None or int(cell["activity_no"].value) not in by_activity:
            continue
        no = int(cell["activity_no"].value)
        r = by_activity[no]
        put(cell["status"], _status_word(r.status))
        # Written as a fraction in a % cell, as Excel stores "80%": a stored 1% must not come back
        # as the bare number 1, which the reader takes for 100%.
        pct = _plain(r.percent_complete)
        put(cell["percent_complete"], None if pct is None else float(pct) / 100)
        cell["percent_complete"].number_format = "0.##%"
        put(cell["done_text"], _plain(r.done_text))
        put(cell["difficulties"], _plain(r.difficulties))
        for s in spending[spending["activity_no"] == no].itertuples():
            if s.funding_source in spend_col:
                target = ws.cell(row=cell["activity_no"].row, column=spend_col[s.funding_source])
                put(target, _plain(s.amount_million_vnd))


def _write_tasks(wb, tasks: pd.DataFrame) -> None:
    by_task = {str(r.task_id): r for r in tasks.itertuples()}
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        cell = L.cells(row, L.TASK_COLUMNS)
        r = by_task.get(str(cell["task_id"].value))
        if r is None:
            continue
        put(cell["status"], _status_word(r.status))
        for name in ("achieved_value", "completed_on", "note"):
            put(cell[name], _plain(getattr(r, name)))


def _write_indicators(con, wb, plan_id: str, period: int, indicators: pd.DataFrame) -> None:
    ws = wb[L.SHEET_INDICATORS]
    districts = queries.run(con, "districts", plan=plan_id)
    names = dict(zip(districts["district_code"], districts["name_vi"], strict=True))
    remaining = [r for r in indicators.itertuples() if not _missing(r.value)]
    # The template has one row per indicator for the whole province in this period: fill those first.
    last_used = 1
    for row in ws.iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        code = cell["indicator_code"].value
        if not code:
            continue
        last_used = cell["indicator_code"].row
        match = next(
            (
                r
                for r in remaining
                if r.indicator_code == code and _missing(r.district_code) and int(r.year) == period
            ),
            None,
        )
        if match is not None:
            put(cell["value"], _plain(match.value))
            put(cell["note"], _plain(match.note))
            remaining.remove(match)
    next_row = last_used + 1
    for r in remaining:
        place = L.WHOLE_PROVINCE if _missing(r.district_code) else names.get(r.district_code)
        written = {
            "indicator_code": r.indicator_code,
            "district_code": place,
            "year": int(r.year),
            "value": _plain(r.value),
            "note": _plain(r.note),
        }
        for name, value in written.items():
            put(ws.cell(row=next_row, column=L.position(L.INDICATOR_COLUMNS, name)), value)
        next_row += 1


def _norm(value: object) -> object:
    value = _plain(value)
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, int) and not isinstance(value, bool):
        return round(float(value), 9)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _row_set(records) -> set[tuple]:
    return {tuple(_norm(v) for v in values(r)) for r in records}


def _stored(frame: pd.DataFrame, row_type: type) -> list:
    """Stored rows (a submission_rows frame) as typed rows, for comparing with parsed ones."""
    frame = frame.astype(object).where(frame.notna(), None)
    return [row_type(**{k: _plain(v) for k, v in rec.items()}) for rec in frame.to_dict("records")]


def changed_anything(result: IngestResult, old_rows: dict[str, pd.DataFrame]) -> bool:
    """Does the corrected submission differ from the old one in any stored value (text too)?"""
    p = result.parsed
    new = {"activities": p.activities, "tasks": p.tasks, "indicators": p.indicators}
    return any(
        _row_set(new[kind]) != _row_set(_stored(old_rows[kind], row_type))
        for kind, row_type in ROW_TYPE.items()
    )


def correction_file_name(file_name: str) -> str:
    """sua-<old file>.xlsx: the corrected workbook's name says where it came from."""
    stem = PurePath(file_name).stem
    return f"sua-{stem}.xlsx"

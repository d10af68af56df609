"""Corrections: small fixes made in the browser become a new submission derived from the old one.

The corrected rows are written into a fresh template workbook, the same layout a department fills in,
and go through ingest_bytes like any upload. So validation, the diff, the SHA-256 and the kept original
file hold for corrections too, and history is never edited: the old submission stays as it was and the
new one records `derived_from`.
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
from greengrowth.status import STATUS_CODES, status_word
from loaders import layout as L
from loaders.ingest import IngestResult, ingest_bytes
from loaders.template import build_template

# The word a department would pick in the template's dropdown, per status code.

# What the correction editor lets people change, per table (keys stay fixed).
EDITABLE = {
    "activities": ["status", "percent_complete", "done_text", "difficulties"],
    "tasks": ["status", "achieved_value", "completed_on", "note"],
    "indicators": ["value", "note"],
}


class CorrectionError(ValueError):
    """A correction that cannot be made; `code` names the reason for the page's message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


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


def _source(con: duckdb.DuckDBPyConnection, submission_id: int) -> dict:
    """The submission to correct; it must be the current one for its department and period."""
    frame = queries.run(con, "submission", [submission_id])
    if frame.empty:
        raise CorrectionError(
            "not_found", f"Không có lần nộp số {submission_id} / no such submission"
        )
    old = frame.iloc[0].to_dict()
    if old["status"] != "accepted":
        raise CorrectionError(
            "withdrawn", f"Lần nộp số {submission_id} đã được rút / it was withdrawn"
        )
    current = queries.run(
        con, "current_submission", [old["plan_id"], old["department_code"], int(old["period"])]
    )
    if current.empty or int(current["submission_id"].iloc[0]) != submission_id:
        raise CorrectionError(
            "not_current",
            f"Chỉ sửa được lần nộp hiện hành; số {submission_id} đã được thay thế"
            " / only the current submission can be corrected",
        )
    return old


def corrected_workbook(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    *,
    activities: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> bytes:
    """The submission's rows, with any table given replaced by its edited version, as a template
    workbook (frames have the columns of queries.submission_rows)."""
    old = _source(con, submission_id)
    rows = queries.submission_rows(con, submission_id)
    activities = rows["activities"] if activities is None else activities
    tasks = rows["tasks"] if tasks is None else tasks
    indicators = rows["indicators"] if indicators is None else indicators
    plan_id, department, period = old["plan_id"], old["department_code"], int(old["period"])
    template = build_template(
        con, plan_id, department, period, illustrative=bool(old["illustrative"])
    )
    wb = load_workbook(io.BytesIO(template))

    for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
        if row[0].value == "reported_on":
            row[2].value = _plain(old["reported_on"])
        elif row[0].value == "prepared_by":
            row[2].value = _plain(old["prepared_by"])

    acts = wb[L.SHEET_ACTIVITIES]
    by_activity = {int(r.activity_no): r for r in activities.itertuples()}
    funding = list(queries.run(con, "funding_sources", [plan_id])["code"])
    spend_col = {code: len(L.ACTIVITY_COLUMNS) + 1 + i for i, code in enumerate(funding)}
    spending = rows["spending"]
    for row in acts.iter_rows(min_row=2):
        if row[0].value is None or int(row[0].value) not in by_activity:
            continue
        r = by_activity[int(row[0].value)]
        row[2].value = _status_word(r.status)
        # Written as a fraction in a % cell, as Excel stores "80%": a stored 1% must not come back
        # as the bare number 1, which the reader takes for 100%.
        pct = _plain(r.percent_complete)
        row[3].value = None if pct is None else float(pct) / 100
        row[3].number_format = "0.##%"
        row[4].value = _plain(r.done_text)
        row[5].value = _plain(r.difficulties)
        for s in spending[spending["activity_no"] == int(row[0].value)].itertuples():
            if s.funding_source in spend_col:
                acts.cell(row=row[0].row, column=spend_col[s.funding_source]).value = _plain(
                    s.amount_million_vnd
                )

    by_task = {str(r.task_id): r for r in tasks.itertuples()}
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        r = by_task.get(str(row[0].value))
        if r is None:
            continue
        row[4].value = _status_word(r.status)
        row[5].value = _plain(r.achieved_value)
        row[6].value = _plain(r.completed_on)
        row[7].value = _plain(r.note)

    _write_indicators(con, wb, plan_id, period, indicators)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_indicators(con, wb, plan_id: str, period: int, indicators: pd.DataFrame) -> None:
    ws = wb[L.SHEET_INDICATORS]
    districts = queries.run(con, "districts", [plan_id])
    names = dict(zip(districts["district_code"], districts["name_vi"], strict=True))
    remaining = [r for r in indicators.itertuples() if not _missing(r.value)]
    # The template has one row per indicator for the whole province in this period: fill those first.
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        if not code:
            continue
        match = next(
            (
                r
                for r in remaining
                if r.indicator_code == code and _missing(r.district_code) and int(r.year) == period
            ),
            None,
        )
        if match is not None:
            row[5].value, row[6].value = _plain(match.value), _plain(match.note)
            remaining.remove(match)
    next_row = max(r[0].row for r in ws.iter_rows(min_row=1) if r[0].value) + 1
    for r in remaining:
        place = L.WHOLE_PROVINCE if _missing(r.district_code) else names.get(r.district_code)
        values = [r.indicator_code, None, None, place, int(r.year), _plain(r.value), _plain(r.note)]
        for col, value in enumerate(values, start=1):
            ws.cell(row=next_row, column=col, value=value)
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


def _rows(records, columns) -> set[tuple]:
    return {tuple(_norm(rec[c]) for c in columns) for rec in records}


def changed_anything(result: IngestResult, old_rows: dict[str, pd.DataFrame]) -> bool:
    """Does the corrected submission differ from the old one in any stored value (text too)?"""
    p = result.parsed
    act_cols = ["activity_no", "status", "percent_complete", "done_text", "difficulties"]
    task_cols = ["task_id", "status", "achieved_value", "completed_on", "note"]
    ind_cols = ["indicator_code", "district_code", "year", "value", "note"]
    old_ind = old_rows["indicators"].astype(object).where(old_rows["indicators"].notna(), None)
    old_tasks = old_rows["tasks"].astype(object).where(old_rows["tasks"].notna(), None)
    old_tasks["completed_on"] = [_plain(v) for v in old_tasks["completed_on"]]
    return (
        _rows(p.activities, act_cols) != _rows(old_rows["activities"].to_dict("records"), act_cols)
        or _rows(p.tasks, task_cols) != _rows(old_tasks.to_dict("records"), task_cols)
        or _rows(p.indicators, ind_cols) != _rows(old_ind.to_dict("records"), ind_cols)
    )


def correction_file_name(file_name: str) -> str:
    """sua-<old file>.xlsx: the corrected workbook's name says where it came from."""
    stem = PurePath(file_name).stem
    return f"sua-{stem}.xlsx"


def submit_correction(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    actor: str,
    *,
    activities: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> IngestResult:
    """Validate (and unless dry_run store) the corrected rows as a new submission derived from the
    old one. Raises CorrectionError when the submission cannot be corrected or nothing changed."""
    old = _source(con, submission_id)
    data = corrected_workbook(
        con, submission_id, activities=activities, tasks=tasks, indicators=indicators
    )
    name = correction_file_name(old["file_name"])
    check = ingest_bytes(con, data, name, actor, dry_run=True, now=now, derived_from=submission_id)
    if check.outcome == "would_accept" and not changed_anything(
        check, queries.submission_rows(con, submission_id)
    ):
        raise CorrectionError("no_changes", "Không có thay đổi nào / nothing was changed")
    if dry_run or check.outcome != "would_accept":
        return check
    return ingest_bytes(con, data, name, actor, now=now, derived_from=submission_id)

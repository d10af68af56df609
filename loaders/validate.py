"""Turn a workbook's rows into clean records, and list every problem with sheet, row and column.

Validation never stops at the first problem: a department fixes everything in one round. It checks the
rows against the catalog in the store (which activities, tasks and indicators this department reports),
so a new plan needs no code change here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TypeVar

import duckdb
from openpyxl.utils import get_column_letter
from pandas import NA

from greengrowth import queries
from greengrowth.rows import ActivitySpending, ActivityStatus, IndicatorValue, TaskStatus
from greengrowth.status import (
    AmbiguousNumber,
    accepted_status_words,
    clean_text,
    fold,
    number_notation,
    parse_date,
    parse_number,
    parse_percent,
    parse_status,
)
from loaders import layout as L
from loaders.problems import Problem, problem
from loaders.workbook import RawWorkbook

MAX_TEXT = 4000
T = TypeVar("T")
STATUS_HINT = ", ".join(accepted_status_words())


@dataclass
class ParsedSubmission:
    """A validated workbook: what will be stored if there are no problems."""

    plan_id: str
    department_code: str
    period: int
    reported_on: date | None = None
    prepared_by: str | None = None
    illustrative: bool = False
    # How the workbook writes numbers typed as text ("vi" 1.234,5 / "en" 1,234.5), None if unknown.
    number_notation: str | None = None
    activities: list[ActivityStatus] = field(default_factory=list)
    spending: list[ActivitySpending] = field(default_factory=list)
    tasks: list[TaskStatus] = field(default_factory=list)
    indicators: list[IndicatorValue] = field(default_factory=list)
    # Where each record was read, so a data-quality warning can point at it: (kind, key) -> Excel
    # row, key as in greengrowth.quality.QualityWarning.key; (sheet, header) -> "C (Trạng thái)".
    rows: dict[tuple, int] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)


class _Sheet:
    """Header lookup for one sheet: folded header text -> column index."""

    def __init__(
        self, name: str, rows: list[list], problems: list[Problem], notation: str | None = None
    ):
        self.name, self.problems, self.notation = name, problems, notation
        self.header = [clean_text(v) for v in (rows[0] if rows else [])]
        self.body = rows[1:]
        self.index = {fold(h): i for i, h in enumerate(self.header) if h}

    def col(self, header_vi: str, required: bool = True) -> int | None:
        idx = self.index.get(fold(header_vi))
        if idx is None and required:
            self.problems.append(
                problem("missing_column", sheet=self.name, row=1, expected=header_vi)
            )
        return idx

    def label(self, idx: int) -> str:
        return f"{get_column_letter(idx + 1)} ({self.header[idx]})"

    def rows(self):
        """(excel_row_number, row) for every row that has any content."""
        for offset, row in enumerate(self.body, start=2):
            if any(_has_content(v) for v in row):
                yield offset, row

    def add(self, code: str, row: int | None, idx: int | None, value: object = "", expected=""):
        column = self.label(idx) if idx is not None else ""
        self.problems.append(
            problem(code, sheet=self.name, row=row, column=column, value=value, expected=expected)
        )


def _has_content(value: object) -> bool:
    """clean_text(value) != "", without cleaning the common cells: an empty one, a number, a date,
    a printable text (no control or separator characters, so cleaning keeps a non-space one)."""
    if value is None or (isinstance(value, str) and value == ""):
        return False
    if isinstance(value, str):
        return bool(value.strip(" ")) if value.isprintable() else bool(clean_text(value))
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, int | date | time | timedelta):  # bool and datetime included
        return True
    return bool(clean_text(value))


def _memo(fn: Callable[[object], T]) -> Callable[[object], T]:
    """fn computed once per distinct cell value (by type too: 1, 1.0 and True read differently)."""
    seen: dict[tuple[type, object], T] = {}

    def cached(value: object) -> T:
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            seen[key] = out = fn(value)
            return out
        except TypeError:  # not hashable
            return fn(value)

    return cached


def _cell(row: list, idx: int | None) -> object:
    if idx is None or idx >= len(row):
        return None
    value = row[idx]
    return None if value == "" else value


def _as_int(value: object) -> int | None:
    try:
        number = parse_number(value)
    except ValueError:
        return None
    if number is None or number != int(number):
        return None
    return int(number)


def _text(sheet: _Sheet, r: int, idx: int | None, row: list) -> str | None:
    text = clean_text(_cell(row, idx))
    if len(text) > MAX_TEXT:
        sheet.add("text_too_long", r, idx, len(text), MAX_TEXT)
        return None
    return text or None


def _amount(raw: object, notation: str | None) -> tuple[float | None, str | None, str]:
    """(number, problem code or None, expected) for one cell of a number column."""
    try:
        number = parse_number(raw, notation)
    except AmbiguousNumber:
        return None, "ambiguous_number", ""
    except ValueError:
        return None, "bad_number", ""
    if number is not None and number < 0:
        return None, "negative_number", ""
    if number is not None and number >= IMPLAUSIBLE_NUMBER:  # 1e300 is a typo, not a figure
        return None, "implausible_number", "1.000.000.000.000"
    return number, None, ""


def _number(sheet: _Sheet, r: int, idx: int | None, row: list) -> float | None:
    raw = _cell(row, idx)
    number, code, expected = _amount(raw, sheet.notation)
    if code is not None:
        sheet.add(code, r, idx, raw, expected)
    return number


# Spending is in million VND and indicators are shares, tonnes or counts: none comes near 10^12.
IMPLAUSIBLE_NUMBER = 1e12


def _status(sheet: _Sheet, r: int, idx: int | None, row: list) -> str | None:
    raw = _cell(row, idx)
    if clean_text(raw) == "":
        sheet.add("missing_status", r, idx, "", STATUS_HINT)
        return None
    status = parse_status(raw)
    if status is None:
        sheet.add("unknown_status", r, idx, raw, STATUS_HINT)
    return status


def validate(
    con: duckdb.DuckDBPyConnection, raw: RawWorkbook, today: date
) -> tuple[ParsedSubmission | None, list[Problem]]:
    """Check a workbook against the catalog; returns the parsed submission and all problems."""
    problems: list[Problem] = []
    info = _read_info(con, raw.sheets.get(L.SHEET_INFO, []), today, problems)
    if info is None:
        return None, problems
    # Only a text with a "." or "," can say which notation the workbook uses (number_notation).
    info.number_notation = number_notation(
        value
        for name in (L.SHEET_ACTIVITIES, L.SHEET_TASKS, L.SHEET_INDICATORS)
        for row in raw.sheets.get(name, [])[1:]
        for value in row
        if isinstance(value, str) and ("." in value or "," in value)
    )
    scope = queries.department_scope(con, info.plan_id, info.department_code)
    funding = queries.run(con, "funding_sources", plan=info.plan_id)
    districts = queries.run(con, "districts", plan=info.plan_id)
    if L.SHEET_ACTIVITIES in raw.sheets:
        _read_activities(raw.sheets[L.SHEET_ACTIVITIES], scope, funding, info, problems)
    if L.SHEET_TASKS in raw.sheets:
        _read_tasks(raw.sheets[L.SHEET_TASKS], scope, info, today, problems)
    if L.SHEET_INDICATORS in raw.sheets:
        plan = queries.plan(con, info.plan_id)
        _read_indicators(raw.sheets[L.SHEET_INDICATORS], scope, districts, plan, info, problems)
    if not problems and not (info.activities or info.tasks or info.indicators):
        problems.append(
            problem("empty_report", sheet=L.SHEET_ACTIVITIES, expected=L.SHEET_ACTIVITIES)
        )
    return info, problems


def _read_info(con, rows, today, problems) -> ParsedSubmission | None:
    sheet = _Sheet(L.SHEET_INFO, rows, problems)
    values: dict[str, tuple[int, object]] = {}
    for r, row in sheet.rows():
        key = clean_text(_cell(row, L.position(L.INFO_COLUMNS, "key") - 1))
        if key in L.INFO_KEYS:
            values[key] = (r, _cell(row, L.position(L.INFO_COLUMNS, "value") - 1))

    def need(key: str) -> tuple[int | None, object]:
        r, value = values.get(key, (None, None))
        if clean_text(value) == "":
            label = L.INFO_KEYS[key][0]
            problems.append(
                problem(
                    "missing_info",
                    sheet=L.SHEET_INFO,
                    row=r,
                    column=L.INFO_VALUE_LETTER,
                    expected=label,
                )
            )
            return r, None
        return r, value

    r_plan, plan_id = need("plan_id")
    r_dept, department = need("department_code")
    r_period, period_raw = need("period")
    if plan_id is None or department is None or period_raw is None:
        return None
    plan_id, department = clean_text(plan_id), clean_text(department).upper()
    plan = queries.plan(con, plan_id)
    if plan is None:
        problems.append(
            problem(
                "unknown_plan",
                sheet=L.SHEET_INFO,
                row=r_plan,
                column=L.INFO_VALUE_LETTER,
                value=plan_id,
            )
        )
        return None
    codes = set(queries.run(con, "departments", plan=plan_id)["department_code"])
    if department not in codes:
        problems.append(
            problem(
                "unknown_department",
                sheet=L.SHEET_INFO,
                row=r_dept,
                column=L.INFO_VALUE_LETTER,
                value=department,
            )
        )
        return None
    period = _as_int(period_raw)
    span = f"{plan['period_start']}–{plan['period_end']}"
    if period is None or not plan["period_start"] <= period <= plan["period_end"]:
        problems.append(
            problem(
                "bad_period",
                sheet=L.SHEET_INFO,
                row=r_period,
                column=L.INFO_VALUE_LETTER,
                value=period_raw,
                expected=span,
            )
        )
        return None
    parsed = ParsedSubmission(plan_id=plan_id, department_code=department, period=period)
    r_date, reported = values.get("reported_on", (None, None))
    try:
        parsed.reported_on = parse_date(reported)
    except ValueError:
        problems.append(
            problem(
                "bad_date",
                sheet=L.SHEET_INFO,
                row=r_date,
                column=L.INFO_VALUE_LETTER,
                value=reported,
            )
        )
    if parsed.reported_on and parsed.reported_on > today:
        problems.append(
            problem(
                "future_date",
                sheet=L.SHEET_INFO,
                row=r_date,
                column=L.INFO_VALUE_LETTER,
                value=parsed.reported_on.strftime("%d/%m/%Y"),
            )
        )
    parsed.prepared_by = clean_text(values.get("prepared_by", (None, None))[1])[:200] or None
    flag = fold(values.get("illustrative", (None, ""))[1])
    parsed.illustrative = flag in {"co", "yes", "true", "1"}
    return parsed


def _note_columns(info: ParsedSubmission, sheet: _Sheet, columns: list, found: dict) -> None:
    """Remember each template column's letter as found in this workbook (columns may move)."""
    for col in columns:
        if found.get(col.field) is not None:
            info.columns[(sheet.name, col.header_vi)] = sheet.label(found[col.field])


def _read_activities(rows, scope, funding, info: ParsedSubmission, problems) -> None:
    sheet = _Sheet(L.SHEET_ACTIVITIES, rows, problems, info.number_notation)
    c = {col.field: sheet.col(col.header_vi, col.required) for col in L.ACTIVITY_COLUMNS}
    if c["activity_no"] is None or c["status"] is None:
        return
    _note_columns(info, sheet, L.ACTIVITY_COLUMNS, c)
    prefix = fold(L.SPENDING_PREFIX)
    by_name = {fold(n): code for code, n in zip(funding["code"], funding["name_vi"], strict=True)}
    spend_cols = {
        idx: by_name[fold(h)[len(prefix) :].strip()]
        for h, idx in sheet.index.items()
        if h.startswith(prefix) and fold(h)[len(prefix) :].strip() in by_name
    }
    expected = {int(n) for n in scope["activities"]["activity_no"]}
    seen: dict[int, int] = {}
    for r, row in sheet.rows():
        raw_no = _cell(row, c["activity_no"])
        activity_no = _as_int(raw_no)
        if activity_no is None:
            sheet.add("bad_row_key", r, c["activity_no"], raw_no, "số hoạt động / activity number")
            continue
        if activity_no not in expected:
            sheet.add("unknown_activity", r, c["activity_no"], activity_no)
            continue
        if activity_no in seen:
            sheet.add("duplicate_row", r, c["activity_no"], activity_no, seen[activity_no])
            continue
        seen[activity_no] = r
        status = _status(sheet, r, c["status"], row)
        raw_pct = _cell(row, c["percent_complete"])
        try:
            pct = parse_percent(raw_pct, sheet.notation)
            if pct is not None and not 0 <= pct <= 100:
                raise ValueError(raw_pct)
        except AmbiguousNumber:
            sheet.add("ambiguous_number", r, c["percent_complete"], raw_pct)
            pct, status = None, None
        except ValueError:
            sheet.add("bad_percent", r, c["percent_complete"], raw_pct)
            pct, status = None, None
        if status == "completed":
            pct = 100.0 if pct is None else pct
            if pct != 100:
                sheet.add(
                    "percent_status_conflict", r, c["percent_complete"], f"{pct:g}", "Hoàn thành"
                )
        elif status == "not_started":
            pct = 0.0 if pct is None else pct
            if pct != 0:
                sheet.add(
                    "percent_status_conflict",
                    r,
                    c["percent_complete"],
                    f"{pct:g}",
                    "Chưa thực hiện",
                )
        done = _text(sheet, r, c["done_text"], row)
        difficulties = _text(sheet, r, c["difficulties"], row)
        for idx, source in spend_cols.items():
            amount = _number(sheet, r, idx, row)
            if amount is not None:
                info.spending.append(ActivitySpending(activity_no, source, amount))
        if status is not None:
            info.activities.append(
                ActivityStatus(activity_no, status, pct, done_text=done, difficulties=difficulties)
            )
            info.rows[("activity", (activity_no,))] = r
    for activity_no in sorted(expected - set(seen)):
        sheet.add("missing_row", None, c["activity_no"], f"Hoạt động {activity_no}")


def _read_tasks(rows, scope, info: ParsedSubmission, today: date, problems) -> None:
    sheet = _Sheet(L.SHEET_TASKS, rows, problems, info.number_notation)
    c = {col.field: sheet.col(col.header_vi, col.required) for col in L.TASK_COLUMNS}
    if c["task_id"] is None or c["status"] is None:
        return
    _note_columns(info, sheet, L.TASK_COLUMNS, c)
    expected = set(scope["tasks"]["task_id"])
    seen: dict[str, int] = {}
    for r, row in sheet.rows():
        task_id = clean_text(_cell(row, c["task_id"]))
        if task_id not in expected:
            sheet.add("unknown_task", r, c["task_id"], task_id)
            continue
        if task_id in seen:
            sheet.add("duplicate_row", r, c["task_id"], task_id, seen[task_id])
            continue
        seen[task_id] = r
        status = _status(sheet, r, c["status"], row)
        achieved = _number(sheet, r, c["achieved_value"], row)
        raw_date = _cell(row, c["completed_on"])
        completed_on = None
        try:
            completed_on = parse_date(raw_date)
        except ValueError:
            sheet.add("bad_date", r, c["completed_on"], raw_date)
        if completed_on and completed_on > today:
            sheet.add("future_date", r, c["completed_on"], completed_on.strftime("%d/%m/%Y"))
            completed_on = None
        note = _text(sheet, r, c["note"], row)
        if status is not None:
            info.tasks.append(TaskStatus(task_id, status, achieved, completed_on, note))
            info.rows[("task", (task_id,))] = r
    for task_id in sorted(expected - set(seen)):
        sheet.add("missing_row", None, c["task_id"], f"Nhiệm vụ {task_id}")


def _read_indicators(rows, scope, districts, plan, info: ParsedSubmission, problems) -> None:
    """Up to 10,000 rows: every distinct code, place, year, value and note is read once (_memo), and
    one pass in row order only looks them up, so problems keep their order (at most one per row)."""
    sheet = _Sheet(L.SHEET_INDICATORS, rows, problems, info.number_notation)
    c = {col.field: sheet.col(col.header_vi, col.required) for col in L.INDICATOR_COLUMNS}
    if c["indicator_code"] is None or c["year"] is None or c["value"] is None:
        return
    _note_columns(info, sheet, L.INDICATOR_COLUMNS, c)
    frame = scope["indicators"]
    by_district = {
        code: flag is not None and flag is not NA and bool(flag)  # NULL in the catalog: no
        for code, flag in zip(frame["indicator_code"], frame["by_district"], strict=True)
    }
    places = {fold(L.WHOLE_PROVINCE): None}
    for code, name in zip(districts["district_code"], districts["name_vi"], strict=True):
        places[fold(name)] = code
        places[fold(code)] = code
    place_hint = ", ".join([L.WHOLE_PROVINCE, *districts["name_vi"]])
    first_year, last_year = int(plan["period_start"]) - 10, info.period
    text, folded, as_int = _memo(clean_text), _memo(fold), _memo(_as_int)
    amount = _memo(lambda raw: _amount(raw, sheet.notation))
    i_code, i_place, i_year, i_value, i_note = (
        c["indicator_code"], c["district_code"], c["year"], c["value"], c["note"]
    )  # fmt: skip
    seen: dict[tuple, int] = {}
    for r, row in sheet.rows():
        code = text(_cell(row, i_code))
        raw_value = _cell(row, i_value)
        if text(raw_value) == "":
            if code and code not in by_district:
                sheet.add("unknown_indicator", r, i_code, code)
            continue  # a prefilled row left empty: nothing reported for it
        if code not in by_district:
            sheet.add("unknown_indicator", r, i_code, code)
            continue
        raw_place = _cell(row, i_place)
        district = None
        if text(raw_place):
            place = folded(raw_place)
            if place not in places:
                sheet.add("unknown_district", r, i_place, raw_place, place_hint)
                continue
            district = places[place]
            if district is not None and not by_district[code]:
                sheet.add("district_not_allowed", r, i_place, raw_place, L.WHOLE_PROVINCE)
                continue
        raw_year = _cell(row, i_year)
        year = as_int(raw_year) if raw_year is not None else info.period
        if year is None or not first_year <= year <= last_year:
            sheet.add("bad_year", r, i_year, raw_year, f"{first_year}–{last_year}")
            continue
        value, bad, expected = amount(raw_value)
        if bad is not None:
            sheet.add(bad, r, i_value, raw_value, expected)
            continue
        if value is None:
            continue
        key = (code, district, year)
        if key in seen:
            sheet.add("duplicate_row", r, i_code, f"{code} {raw_place or ''} {year}", seen[key])
            continue
        seen[key] = r
        note = text(_cell(row, i_note))
        if len(note) > MAX_TEXT:
            sheet.add("text_too_long", r, i_note, len(note), MAX_TEXT)
            note = None
        info.indicators.append(IndicatorValue(code, district, year, value, note or None))
        info.rows[("indicator", key)] = r

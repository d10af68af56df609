"""Build the demo database: the catalog plus generated, clearly illustrative submissions.

Every sample submission is a real template workbook, filled in by this script and ingested through
loaders.ingest, so the demo exercises the same path as a department's upload. Workbooks are marked
"Dữ liệu minh họa" inside and named "minh-hoa_..." on disk; nothing here is a real figure.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from greengrowth import catalog as catalog_mod
from greengrowth import queries, store
from greengrowth.auth import Account
from greengrowth.status import status_word
from greengrowth.xlsx_cells import put
from loaders import layout as L
from loaders import quality_check, service
from loaders.template import build_template

SEED = 20181015
# Reports that never arrive and reports sent late, so the reporting page has something to show.
MISSING = {("DIC", 2019), ("DOLISA", 2020), ("DOH", 2018), ("DOC", 2020)}
DEMO_USER = "demo (dữ liệu minh họa)"
# The sample data is stored through the analyst service like any upload, by an account of its own.
DEMO_ACCOUNT = Account(DEMO_USER, DEMO_USER, "admin", ("*",))
# The reporting cycle in the demo (issue #9): DPI's (illustrative) reviewer approves most of the first
# year's reports and a few of the last year's, returns one of each with a comment, and leaves the
# rest awaiting review, so the pages show every state. 2019 stays pending (tests edit it).
DEMO_REVIEWER = Account("dpi (minh họa)", "Cán bộ thẩm định minh họa", "reviewer", ("*",))
DEMO_RETURNED = {("DOC", 2018), ("DOT", 2020)}
# Not the newest upload of the data, nor the reports the tests edit (DOIT, DARD, DOC 2019, DONRE 2020).
DEMO_APPROVED_LAST_YEAR = ("DIC", "DOH", "DOST")
DEMO_RETURN_COMMENT = (
    "Minh họa: số liệu chỉ tiêu chưa khớp với báo cáo năm trước, đề nghị kiểm tra lại."
)


# ---- deliberately implausible values (issue 14) ---------------------------------------------------
# The sample data is plausible under the shipped data-quality rules except these values, planted so
# that a newcomer sees what a warning looks like on the upload, history and data-quality pages.
# (department, period, rule that fires, what was typed, explanation the analyst gave or None).
# Every report goes through the service; one with an explanation like any upload, one without as if
# it had arrived before the rules existed (quality_check.before_the_rules; `loaders check` and the
# data_quality_warnings view find its warnings afterwards).
IMPLAUSIBLE_PLAN = "binh-duong-2018-2020"
_DOIT_WHY = (
    "Minh họa: năm 2020 có chương trình kiểm toán năng lượng mở rộng; số học viên đang được "
    "phòng Quản lý năng lượng kiểm tra lại."
)
DELIBERATELY_IMPLAUSIBLE = (
    ("DOIT", 2020, "year_on_year", "energy_audits ×100 (a zero typed twice)", _DOIT_WHY),
    ("DOIT", 2020, "trainees_at_least_courses", "training_courses above trainees", _DOIT_WHY),
    ("DARD", 2020, "forest_cover_is_a_share", "forest_cover_pct 412 (hectares in a %)", None),
    ("DARD", 2020, "year_on_year", "the same 412 against about 4 the year before", None),
    ("DONRE", 2020, "status_backwards", "its furthest 2019 activity 50 points back", None),
    (
        "DOT",
        2020,
        "completed_after_report",
        "a task completed three days after the report date",
        "Minh họa: nhiệm vụ hoàn thành sau ngày lập báo cáo, trước ngày gửi.",
    ),
)


def _explanation(dept: str, period: int) -> str | None:
    found = [e for d, p, _, _, e in DELIBERATELY_IMPLAUSIBLE if (d, p) == (dept, period)]
    return found[0] if found else None


def _store(con, data: bytes, name: str, uploaded: datetime, dept: str, period: int):
    """Through the service; a labelled implausible report without an explanation goes in below
    it, as if stored before the data-quality rules existed."""
    why = _explanation(dept, period)
    planted = (dept, period) in {(d, p) for d, p, *_ in DELIBERATELY_IMPLAUSIBLE}
    if planted and why is None:
        with quality_check.before_the_rules():
            return service.commit(con, DEMO_ACCOUNT, data, name, now=uploaded)
    return service.commit(con, DEMO_ACCOUNT, data, name, now=uploaded, explanation=why)


def implausible_values(
    con: duckdb.DuckDBPyConnection, data: bytes, dept: str, period: int, uploaded: datetime
) -> tuple[bytes, datetime]:
    """Plant this report's DELIBERATELY_IMPLAUSIBLE values; returns the workbook and upload time."""
    rules = {(d, rule) for d, p, rule, _, _ in DELIBERATELY_IMPLAUSIBLE if (d, p) == (dept, period)}
    if not rules:
        return data, uploaded
    wb = load_workbook(io.BytesIO(data))
    rows = {}
    for row in wb[L.SHEET_INDICATORS].iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        year = cell["year"].value
        whole = cell["district_code"].value in (None, "", L.WHOLE_PROVINCE)
        if whole and year in (None, period) and cell["value"].value is not None:
            rows[cell["indicator_code"].value] = cell
    if ("DOIT", "year_on_year") in rules:
        put(rows["energy_audits"]["value"], float(rows["energy_audits"]["value"].value) * 100)
    if ("DOIT", "trainees_at_least_courses") in rules:
        put(rows["training_courses"]["value"], float(rows["trainees"]["value"].value) + 1)
    if ("DARD", "forest_cover_is_a_share") in rules:
        put(rows["forest_cover_pct"]["value"], 412.0)
    if ("DONRE", "status_backwards") in rules:
        earlier = queries.submissions.current_submission(con, IMPLAUSIBLE_PLAN, dept, period - 1)
        acts = queries.submission_rows(con, earlier)["activities"]
        # The furthest activity of last year that this year's report does not call complete (so
        # the leaders' completed counts stay as they were), put 50 points back.
        cells = {}
        for row in wb[L.SHEET_ACTIVITIES].iter_rows(min_row=2):
            cell = L.cells(row, L.ACTIVITY_COLUMNS)
            if cell["activity_no"].value is not None:
                cells[int(cell["activity_no"].value)] = cell
        done = status_word("completed")
        for r in acts.sort_values("percent_complete", ascending=False, kind="stable").itertuples():
            cell = cells.get(int(r.activity_no))
            if cell is not None and cell["status"].value != done:
                put(cell["status"], status_word("in_progress"))
                put(cell["percent_complete"], max(5.0, float(r.percent_complete) - 50))
                break
    if ("DOT", "completed_after_report") in rules:
        reported_on = L.info_cells(wb[L.SHEET_INFO])["reported_on"].value
        reported_on = reported_on.date() if isinstance(reported_on, datetime) else reported_on
        for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
            cell = L.cells(row, L.TASK_COLUMNS)
            if cell["task_id"].value:
                put(cell["status"], status_word("completed"))
                put(cell["completed_on"], reported_on + timedelta(days=3))
                break
        uploaded = datetime.combine(reported_on + timedelta(days=5), time(9, 30))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), uploaded


def load_all_catalogs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Load every plan folder under data/plan/ into the store."""
    plan_ids = catalog_mod.available_plans()
    for plan_id in plan_ids:
        store.load_catalog(con, catalog_mod.load_catalog(plan_id))
    service.refresh_quality(con)  # rules or indicators may have moved with the catalog
    return plan_ids


def _progress(rng: random.Random, activity_no: int, year: int, start: int) -> tuple[str, float]:
    """A plausible trajectory per activity: progress grows year on year, some stall."""
    local = random.Random(f"{SEED}-{activity_no}")
    speed = local.uniform(15, 45)
    stalls = local.random() < 0.15
    pct = min(100.0, round(speed * (year - start + 1) + rng.uniform(-5, 5)))
    if stalls:
        return ("delayed" if year > start else "not_started", min(pct, 20.0) if year > start else 0)
    if pct >= 100:
        return "completed", 100.0
    if pct <= 0:
        return "not_started", 0.0
    if local.random() < 0.05:
        return "on_hold", max(pct, 5.0)
    return "in_progress", max(pct, 5.0)


def fill_workbook(
    template: bytes,
    period: int,
    plan_start: int,
    rng: random.Random,
    reported_on: date,
    by_district: frozenset[str] = frozenset(),
) -> bytes:
    """Fill a template as a department would (values only; the layout stays the template's)."""
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    put(info["reported_on"], reported_on)
    put(info["prepared_by"], "Cán bộ minh họa")
    acts = wb[L.SHEET_ACTIVITIES]
    spend_cols = range(len(L.ACTIVITY_COLUMNS) + 1, acts.max_column + 1)
    for row in acts.iter_rows(min_row=2):
        cell = L.cells(row, L.ACTIVITY_COLUMNS)
        no = cell["activity_no"].value
        if no is None:
            continue
        status, pct = _progress(rng, int(no), period, plan_start)
        put(cell["status"], status_word(status))
        put(cell["percent_complete"], pct)
        put(cell["done_text"], f"Kết quả minh họa năm {period} cho hoạt động {no}.")
        if status == "delayed":
            put(cell["difficulties"], "Khó khăn minh họa: chưa bố trí được kinh phí.")
        for col in spend_cols:
            if rng.random() < 0.35:
                put(
                    acts.cell(row=cell["activity_no"].row, column=col),
                    round(rng.uniform(50, 2500), 1),
                )
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        cell = L.cells(row, L.TASK_COLUMNS)
        task_id = cell["task_id"].value
        if task_id is None:
            continue
        local = random.Random(f"{SEED}-{task_id}")
        done_year = plan_start + local.choice([0, 0, 0, 1, 1, 2, 3])
        if period >= done_year and done_year <= plan_start + 2:
            put(cell["status"], status_word("completed"))
            latest = min(date(done_year, 12, 28), reported_on - timedelta(days=7))
            put(
                cell["completed_on"],
                date(done_year, 3, 1)
                + timedelta(days=local.randint(0, max(0, (latest - date(done_year, 3, 1)).days))),
            )
        else:
            put(cell["status"], status_word("delayed" if period > plan_start else "in_progress"))
        if cell["target_value"].value:  # a task with a quantitative target
            put(cell["achieved_value"], local.choice([0, 1, 2]) if period >= done_year else 0)
    inds = wb[L.SHEET_INDICATORS]
    columns = L.INDICATOR_COLUMNS
    prefilled = [L.cells(r, columns) for r in inds.iter_rows(min_row=2) if r[0].value]
    next_row = inds.max_row + 1

    def add_row(code: str, place: str, year: int, value: float) -> None:
        nonlocal next_row
        written = {"indicator_code": code, "district_code": place, "year": year, "value": value}
        for name, value in written.items():
            put(inds.cell(row=next_row, column=L.position(columns, name)), value)
        next_row += 1

    for cell in prefilled:
        code, unit = str(cell["indicator_code"].value), str(cell["unit_vi"].value or "")
        base = _indicator_base(code, unit)
        put(cell["value"], _indicator_value(base, period - plan_start, code, unit))
        for year in range(plan_start, period):  # earlier years too, so each indicator has a series
            add_row(
                code, L.WHOLE_PROVINCE, year, _indicator_value(base, year - plan_start, code, unit)
            )
        if code in by_district:  # this year's figure split over the districts
            places = [c.value for c in wb[L.SHEET_LISTS]["B"][1:] if c.value]
            total = _indicator_value(base, period - plan_start, code, unit)
            for place in places:
                local = random.Random(f"{SEED}-{code}-{period}-{place}")
                share = total * local.uniform(0.05, 0.2)
                value = round(share, 2) if unit.strip() in {"%", "m²/người"} else round(share)
                if unit.strip() == "m²/người":
                    value = round(total * local.uniform(0.6, 1.4), 2)
                add_row(code, place, period, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _indicator_base(code: str, unit: str) -> float:
    local = random.Random(f"{SEED}-{code}")
    if unit.strip() == "%":
        return round(local.uniform(1.5, 4.0), 2)
    if "tco2" in code or "ghg" in code:
        return round(local.uniform(8e6, 12e6), -3)
    return float(local.randint(3, 40))


def _indicator_value(base: float, step: int, code: str, unit: str) -> float:
    growth = 0.97 if ("ghg" in code) else 1.25
    value = base * growth**step
    # Counts (courses, audits, buoys, schemes...) are whole numbers; areas and shares are not.
    measured = unit.strip() in {"%", "ha", "m²/người"} or "co2" in unit.lower()
    if not measured or value >= 100:
        return float(round(value))
    return round(value, 2)


def _report_date(rng: random.Random, period: int) -> date:
    """Most reports arrive in September or early October; about one in five is late."""
    if rng.random() < 0.2:
        return date(period, 10, 15) + timedelta(days=rng.randint(0, 50))
    return date(period, 9, 1) + timedelta(days=rng.randint(0, 43))


def filled_reports(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    rng: random.Random,
    missing=MISSING,
    periods: list[int] | None = None,
) -> Iterator[tuple[str, int, str, bytes, datetime]]:
    """Each reporting department's illustrative report of a loaded plan, period by period (the
    (department, period) pairs in `missing` never arrive): (department, period, file name, the
    filled template, when it is uploaded). Drawn from `rng` in that order, so one seed gives the
    same reports; build_demo and bench/generate.py store them."""
    plan = queries.plan(con, plan_id)
    start, end = int(plan["period_start"]), int(plan["period_end"])
    departments = queries.reporting_departments(con, plan_id)["department_code"]
    indicators = queries.run(con, "plan_indicators", plan=plan_id)
    by_district = frozenset(indicators.loc[indicators["by_district"], "indicator_code"])
    for period in periods or range(start, end + 1):
        for dept in departments:
            if (dept, period) in missing:
                continue
            reported_on = _report_date(rng, period)
            template = build_template(con, plan_id, dept, period, illustrative=True)
            data = fill_workbook(template, period, start, rng, reported_on, by_district)
            name = f"minh-hoa_{plan_id}_{dept}_{period}.xlsx"
            yield dept, period, name, data, datetime.combine(reported_on, time(9, 30))


def build_demo(
    path: Path | None = None, workbook_dir: Path | None = None, periods: list[int] | None = None
) -> dict[str, int]:
    """Create (or refill) the demo database; returns counts of what was stored."""
    path = Path(path or store.db_path())
    rng = random.Random(SEED)
    stored = rejected = 0
    with store.connect(path) as con:
        plan_ids = load_all_catalogs(con)
        for plan_id in plan_ids:
            for dept, period, name, data, uploaded in filled_reports(
                con, plan_id, rng, periods=periods
            ):
                if workbook_dir is not None:
                    workbook_dir.mkdir(parents=True, exist_ok=True)
                    (workbook_dir / name).write_bytes(data)
                if plan_id == IMPLAUSIBLE_PLAN:  # issue 14: a few labelled implausible values
                    data, uploaded = implausible_values(con, data, dept, period, uploaded)
                result = _store(con, data, name, uploaded, dept, period)
                if result.outcome == "accepted":
                    stored += 1
                else:
                    rejected += 1
                    raise RuntimeError(f"demo workbook {name} rejected: {result.problems[:3]}")
            plan = queries.plan(con, plan_id)
            _demo_decisions(con, plan_id, int(plan["period_start"]), int(plan["period_end"]))
    return {"plans": len(plan_ids), "submissions": stored, "rejected": rejected}


def _demo_decisions(con: duckdb.DuckDBPyConnection, plan_id: str, start: int, end: int) -> None:
    """DPI's illustrative decisions, made through the service like a reviewer's clicks."""
    for period in (start, end):
        reports = queries.cycle.period_reports(con, plan_id, period)
        for r in reports[reports["state"] == "submitted"].itertuples():
            at = r.uploaded_at.to_pydatetime() + timedelta(days=6, hours=5)  # after it arrived
            if (r.department_code, period) in DEMO_RETURNED:
                service.return_report(
                    con, DEMO_REVIEWER, int(r.submission_id), DEMO_RETURN_COMMENT, now=at
                )
            elif period == start or r.department_code in DEMO_APPROVED_LAST_YEAR:
                service.approve(con, DEMO_REVIEWER, int(r.submission_id), now=at)

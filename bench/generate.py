"""Generate illustrative databases at three scales for the benchmarks (never real figures).

    .venv/bin/python bench/generate.py --scale province|national|stress [-o DB]

* province: this plan (data/plan/binh-duong-2018-2020), its 3 years and 11 reporting departments,
  every report a real template filled in and stored by `loaders.ingest.ingest_bytes` (the demo path).
* national: 63 plans made from this plan's catalog (plan folders written beside the database, never
  into data/plan), each with its own province code and plan id, 10 yearly periods (2016-2025) and 15
  reporting departments (four illustrative units added as leads). The real ingest path costs ~0.3 s
  per workbook (template + openpyxl fill + validate), about an hour for 11,000 reports on two cores,
  so reports are written through the same store functions the ingest path uses
  (store.insert_submission, record_event, append_rows), one transaction per plan. About 5% of reports
  never arrive, 15% are sent again later, 1% of those are withdrawn. The first plan (the one the
  pages open with) is the exception: its 150 reports go through the real path, so its workbooks are
  stored for issue 11's naive baseline (bench_pages.py: pandas reading them on every run); it has
  every report, none sent twice or withdrawn, all awaiting review (the review page's longest queue).
* stress: one plan (2011-2030, 100 districts, 500 indicators by district) with 1,000,000 indicator
  values by district and year (plus the province-wide series), through the same store functions.

Plan folders for national and stress go to <DB folder>/plans/; originals (province, national's first
plan) to <DB folder>/files.
Default DB: $TMPDIR/gg-bench/<scale>/gg.duckdb. Prints what it stored and how long it took.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time as _time
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from greengrowth import catalog as catalog_mod  # noqa: E402
from greengrowth import queries, store  # noqa: E402

BASE_PLAN = "binh-duong-2018-2020"
SEED = 20181015
USER = "bench (dữ liệu minh họa)"
NATIONAL_PLANS = 63
NATIONAL_START, NATIONAL_END = 2016, 2025
STRESS_START, STRESS_END = 2011, 2030
STRESS_DISTRICTS, STRESS_INDICATORS = 100, 500
EXTRA_DEPARTMENTS = 4  # 11 reporting departments in the plan + 4 illustrative = 15


def run_named(con, name: str, **params) -> pd.DataFrame:
    """A named query from greengrowth.queries with keyword parameters, whichever style its SQL uses
    ($name, or ? in the order given): the bench runs on either side of the move to $name."""
    sql = queries.SQL[name]
    return con.execute(sql, list(params.values()) if "?" in sql else params).df()


def default_db(scale: str) -> Path:
    return Path(tempfile.gettempdir()) / "gg-bench" / scale / "gg.duckdb"


# ---- plan folders -----------------------------------------------------------------------------


def _shift_year(value, years: int):
    """'2018-06-30' -> '2034-06-30' (dates in the copied catalog follow the new period)."""
    if not isinstance(value, str) or len(value) < 4 or not value[:4].isdigit():
        return value
    return f"{int(value[:4]) + years}{value[4:]}"


def write_plan_folder(
    root: Path,
    plan_id: str,
    province: str,
    start: int,
    end: int,
    *,
    extra_departments: int = 0,
    districts: int | None = None,
    indicators: int | None = None,
) -> Path:
    """A copy of this plan's folder under another id and period; optional extra units, districts and
    indicators. Rows are cloned from the base files, so columns added to the catalog later carry over."""
    src = catalog_mod.PLAN_ROOT / BASE_PLAN
    dst = root / plan_id
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    shift = start - 2018
    meta = yaml.safe_load((src / "plan.yaml").read_text(encoding="utf-8"))
    meta.update(
        plan_id=plan_id,
        province_vi=f"{province} (minh họa)",
        province_en=f"{province} (illustrative)",
        title_vi=f"Kế hoạch hành động về tăng trưởng xanh {province} giai đoạn {start} - {end}"
        " (dữ liệu minh họa)",
        title_en=f"Green Growth Action Plan, {province}, {start} - {end} (illustrative)",
        issued_on=date(start, 5, 4),
        period_start=start,
        period_end=end,
    )
    for rule in meta.get("reporting_rules") or []:
        if rule.get("due_date"):
            rule["due_date"] = date.fromisoformat(_shift_year(str(rule["due_date"]), shift))
        if rule.get("year_from"):
            rule["year_from"], rule["year_to"] = start, end
    (dst / "plan.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(dst / name, dtype=str, keep_default_na=False, encoding="utf-8")

    def write(frame: pd.DataFrame, name: str) -> None:
        frame.to_csv(dst / name, index=False, encoding="utf-8")

    leads = read("activity_leads.csv")
    leads["due_date"] = [_shift_year(v, shift) for v in leads["due_date"]]
    tasks = read("priority_tasks.csv")
    tasks["deadline"] = [_shift_year(v, shift) for v in tasks["deadline"]]
    if extra_departments:
        depts = read("departments.csv")
        template = depts[depts["kind"] == "department"].iloc[0]
        rows = []
        for i in range(1, extra_departments + 1):
            row = template.copy()
            row["department_code"] = row["acronym"] = f"DX{i}"
            row["name_vi"], row["name_en"] = f"Đơn vị minh họa {i}", f"Illustrative unit {i}"
            rows.append(row)
        write(pd.concat([depts, pd.DataFrame(rows)], ignore_index=True), "departments.csv")
        acts = read("activities.csv")
        adopted = [int(a) for a in acts.loc[acts["adopted"].str.lower() == "true", "activity_no"]]
        unled = sorted(set(adopted) - {int(a) for a in leads["activity_no"]})
        lead_template = leads.iloc[0]
        new = []
        for i, activity_no in enumerate(unled + adopted[::7]):  # the unled ones, then co-leads
            row = lead_template.copy()
            row["activity_no"] = str(activity_no)
            row["department_code"] = f"DX{i % extra_departments + 1}"
            new.append(row)
        leads = pd.concat([leads, pd.DataFrame(new)], ignore_index=True)
        leads = leads.drop_duplicates(["activity_no", "department_code"])
    write(leads, "activity_leads.csv")
    write(tasks, "priority_tasks.csv")
    if districts:
        base = read("districts.csv").iloc[0]
        rows = []
        for i in range(1, districts + 1):
            row = base.copy()
            row["district_code"] = f"X{i:03d}"
            row["name_vi"], row["name_en"] = f"Xã minh họa {i:03d}", f"Commune {i:03d}"
            rows.append(row)
        write(pd.DataFrame(rows), "districts.csv")
    if indicators:
        inds = read("indicators.csv")
        led = leads.drop_duplicates("department_code")
        rows = []
        for i in range(indicators):
            row = inds.iloc[i % len(inds)].copy()
            owner = led.iloc[i % len(led)]
            row["indicator_code"] = f"{row['indicator_code']}_{i:03d}"
            row["name_vi"] = f"{row['name_vi']} ({i:03d})"
            row["name_en"] = f"{row['name_en']} ({i:03d})"
            row["department_code"], row["activity_no"] = (
                owner["department_code"],
                owner["activity_no"],
            )
            row["by_district"] = "true"
            rows.append(row)
        write(pd.DataFrame(rows), "indicators.csv")
    return dst


# ---- reports through the real ingest path (province) ------------------------------------------


def _ingest_plan(con, plan_id: str, rng: random.Random, missing=frozenset()) -> int:
    """Every department's report for each period of a loaded plan, filled as the demo fills them
    and stored by ingest_bytes (the real path), so the workbooks are stored; returns how many."""
    from loaders.demo import filled_reports
    from loaders.ingest import ingest_bytes

    stored = 0
    for _dept, _period, name, data, uploaded in filled_reports(con, plan_id, rng, missing):
        result = ingest_bytes(con, data, name, USER, now=uploaded)
        if result.outcome != "accepted":
            raise RuntimeError(f"{name} rejected: {result.problems[:3]}")
        stored += 1
    return stored


def generate_province(path: Path) -> dict:
    """This plan's 3 years, every department's report through template -> fill -> ingest_bytes."""
    from loaders.demo import MISSING

    with store.connect(path) as con:
        store.load_catalog(con, catalog_mod.load_catalog(BASE_PLAN))
        stored = _ingest_plan(con, BASE_PLAN, random.Random(SEED), MISSING)
    return {"plans": 1, "submissions": stored}


# ---- reports through the store functions in bulk (national, stress) ---------------------------

STATUS_CHOICES = ["completed", "in_progress", "not_started", "delayed", "on_hold"]


def _activity_rows(rng: random.Random, activities, year_index: int) -> list[dict]:
    rows = []
    for no in activities:
        local = random.Random(f"{SEED}-{no}")
        pct = min(100.0, round(local.uniform(15, 45) * (year_index + 1) + rng.uniform(-5, 5)))
        if local.random() < 0.15:
            status, pct = ("delayed", min(pct, 20.0)) if year_index else ("not_started", 0.0)
        elif pct >= 100:
            status, pct = "completed", 100.0
        elif pct <= 0:
            status, pct = "not_started", 0.0
        else:
            status, pct = "in_progress", max(pct, 5.0)
        rows.append(
            {
                "activity_no": int(no),
                "status": status,
                "percent_complete": pct,
                "done_text": f"Kết quả minh họa cho hoạt động {no}.",
                "difficulties": "Khó khăn minh họa." if status == "delayed" else None,
            }
        )
    return rows


def _task_rows(rng: random.Random, tasks: pd.DataFrame, period: int, start: int) -> list[dict]:
    rows = []
    for r in tasks.itertuples():
        local = random.Random(f"{SEED}-{r.task_id}")
        done_year = start + local.choice([0, 0, 0, 1, 1, 2, 3])
        done = period >= done_year
        rows.append(
            {
                "task_id": r.task_id,
                "status": "completed" if done else ("delayed" if period > start else "in_progress"),
                "achieved_value": float(local.choice([0, 1, 2])) if done else None,
                "completed_on": date(done_year, 6, 1) + timedelta(days=local.randint(0, 150))
                if done
                else None,
                "note": None,
            }
        )
    return rows


def _indicator_rows(
    rng: random.Random, indicators: pd.DataFrame, districts: list[str], period: int, start: int
) -> list[dict]:
    rows = []
    for r in indicators.itertuples():
        base = random.Random(f"{SEED}-{r.indicator_code}").uniform(5, 50)
        for year in range(start, period + 1):
            value = round(base * 1.1 ** (year - start), 2)
            rows.append({"indicator_code": r.indicator_code, "district_code": None, "year": year,
                         "value": value, "note": None})  # fmt: skip
        if r.by_district:
            for d in districts:
                rows.append({"indicator_code": r.indicator_code, "district_code": d,
                             "year": period, "value": round(base * rng.uniform(0.05, 0.2), 2),
                             "note": None})  # fmt: skip
    return rows


try:  # typed rows, inserted by name (after the analyst-service merge)
    from greengrowth import rows as _row_types
except ImportError:  # before it: dicts and a table name
    _row_types = None
_ROW_TYPE = {"activity_report": "ActivityStatus", "activity_spending": "ActivitySpending",
             "priority_task_report": "TaskStatus", "indicator_value": "IndicatorValue"}  # fmt: skip


def _append(con, table: str, submission_id: int, records: list[dict]) -> None:
    if _row_types is None:
        store.append_rows(con, table, submission_id, records)
    elif records:
        row_type = getattr(_row_types, _ROW_TYPE[table])
        store.append_rows(con, submission_id, [row_type(**r) for r in records])


def _store_report(con, plan_id, dept, period, rows: dict, reported_on: date, n: int) -> int:
    """One submission through the store's own write functions (what ingest_bytes calls)."""
    uploaded = datetime.combine(reported_on, time(9, 30)) + timedelta(minutes=n)
    submission_id = store.insert_submission(con, {
        "plan_id": plan_id, "department_code": dept, "period": period,
        "file_name": f"minh-hoa_{plan_id}_{dept}_{period}_{n}.xlsx",
        "sha256": f"bench-{plan_id}-{dept}-{period}-{n}", "size_bytes": 40_000,
        "uploaded_at": uploaded, "uploaded_by": USER, "reported_on": reported_on,
        "prepared_by": "Cán bộ minh họa", "derived_from": None, "illustrative": True,
        "n_activity_rows": len(rows["activity_report"]),
        "n_task_rows": len(rows["priority_task_report"]),
        "n_indicator_rows": len(rows["indicator_value"]),
    })  # fmt: skip
    store.record_event(con, submission_id, "accepted", uploaded, USER, None)
    for table, records in rows.items():
        _append(con, table, submission_id, records)
    return submission_id


def _scopes(con, plan_id: str) -> dict[str, dict]:
    depts = queries.reporting_departments(con, plan_id)["department_code"]
    return {d: queries.department_scope(con, plan_id, d) for d in depts}


def _fill_plan(con, plan_id: str, start: int, end: int, rng: random.Random, scopes, districts):
    counts = {"submissions": 0, "indicator_values": 0, "withdrawn": 0}
    with store.transaction(con):
        for period in range(start, end + 1):
            for dept, scope in scopes.items():
                if rng.random() < 0.05:
                    continue  # never arrived
                sends = 2 if rng.random() < 0.15 else 1
                for n in range(sends):
                    rows = {
                        "activity_report": _activity_rows(
                            rng, scope["activities"]["activity_no"], period - start
                        ),
                        "activity_spending": [],
                        "priority_task_report": _task_rows(rng, scope["tasks"], period, start),
                        "indicator_value": _indicator_rows(
                            rng, scope["indicators"], districts, period, start
                        ),
                    }
                    reported = date(period, 9, 1) + timedelta(days=rng.randint(0, 70) + 20 * n)
                    sid = _store_report(con, plan_id, dept, period, rows, reported, n)
                    counts["submissions"] += 1
                    counts["indicator_values"] += len(rows["indicator_value"])
                    if n == 1 and rng.random() < 0.01:
                        at = datetime.combine(reported, time(15, 0))
                        store.record_event(con, sid, "withdrawn", at, USER, "minh họa / sample")
                        counts["withdrawn"] += 1
    return counts


def generate_national(path: Path, plans: int = NATIONAL_PLANS) -> dict:
    root = path.parent / "plans"
    rng = random.Random(SEED)
    totals = {"plans": 0, "submissions": 0, "indicator_values": 0, "withdrawn": 0}
    with store.connect(path) as con:
        scopes = districts = None
        for i in range(1, plans + 1):
            plan_id = f"tinh-{i:02d}-{NATIONAL_START}-{NATIONAL_END}"
            write_plan_folder(
                root,
                plan_id,
                f"Tỉnh {i:02d}",
                NATIONAL_START,
                NATIONAL_END,
                extra_departments=EXTRA_DEPARTMENTS,
            )
            store.load_catalog(con, catalog_mod.load_catalog(plan_id, root))
            if scopes is None:  # every plan is a copy of the same catalog: same scopes
                scopes = _scopes(con, plan_id)
                districts = list(run_named(con, "districts", plan=plan_id)["district_code"])
            if i == 1:  # the plan pages open with: its workbooks stored, for the naive baseline
                counts = {"submissions": _ingest_plan(con, plan_id, rng)}
            else:
                counts = _fill_plan(
                    con, plan_id, NATIONAL_START, NATIONAL_END, rng, scopes, districts
                )
            totals["plans"] += 1
            for k, v in counts.items():
                totals[k] += v
    totals["departments_per_plan"] = len(scopes or {})
    return totals


def generate_stress(path: Path) -> dict:
    root = path.parent / "plans"
    plan_id = f"stress-{STRESS_START}-{STRESS_END}"
    write_plan_folder(
        root,
        plan_id,
        "Tỉnh thử tải",
        STRESS_START,
        STRESS_END,
        districts=STRESS_DISTRICTS,
        indicators=STRESS_INDICATORS,
    )
    rng = random.Random(SEED)
    with store.connect(path) as con:
        store.load_catalog(con, catalog_mod.load_catalog(plan_id, root))
        scopes = _scopes(con, plan_id)
        districts = list(run_named(con, "districts", plan=plan_id)["district_code"])
        counts = {"submissions": 0, "indicator_values": 0}
        for period in range(STRESS_START, STRESS_END + 1):
            with store.transaction(con):
                for dept, scope in scopes.items():
                    inds = scope["indicators"]
                    rows = {
                        "activity_report": _activity_rows(
                            rng, scope["activities"]["activity_no"], period - STRESS_START
                        ),
                        "activity_spending": [],
                        "priority_task_report": _task_rows(
                            rng, scope["tasks"], period, STRESS_START
                        ),
                        # this year's value for the province and every district
                        "indicator_value": _indicator_rows(rng, inds, districts, period, period),
                    }
                    reported = date(period, 9, 1) + timedelta(days=rng.randint(0, 60))
                    _store_report(con, plan_id, dept, period, rows, reported, 0)
                    counts["submissions"] += 1
                    counts["indicator_values"] += len(rows["indicator_value"])
        by_district = con.execute(
            "SELECT count(*) FROM indicator_value WHERE district_code IS NOT NULL"
        ).fetchone()[0]
    return {"plans": 1, **counts, "indicator_values_by_district": int(by_district)}


GENERATORS = {
    "province": generate_province,
    "national": generate_national,
    "stress": generate_stress,
}


def generate(scale: str, path: Path | None = None) -> dict:
    """Build a fresh database at `scale` (an existing file there is replaced)."""
    path = Path(path or default_db(scale))
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in (path, path.with_suffix(path.suffix + ".wal")):
        old.unlink(missing_ok=True)
    shutil.rmtree(path.parent / "files", ignore_errors=True)
    os.environ["GG_FILES"] = str(path.parent / "files")
    started = _time.perf_counter()
    counts = GENERATORS[scale](path)
    counts["seconds"] = round(_time.perf_counter() - started, 1)
    counts["db"] = str(path)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=list(GENERATORS), required=True)
    parser.add_argument("-o", "--output", type=Path, help="database file to (re)create")
    args = parser.parse_args()
    counts = generate(args.scale, args.output)
    print(f"{args.scale}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

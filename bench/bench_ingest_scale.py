"""Ingest at scale: one department's workbook in process, and a 10,000-row indicator workbook in rows
per second against what an analyst's own script does (pandas read_excel with openpyxl, then one
insert of the DataFrame) and against only reading the file with python-calamine (the floor).

Usage: .venv/bin/python bench/bench_ingest_scale.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from bench.common import Row, emit, median_ms, ms, scale_db  # noqa: E402
from bench.generate import (  # noqa: E402
    BASE_PLAN,
    STRESS_END,
    STRESS_START,
    run_named,
    write_plan_folder,
)  # noqa: E402
from greengrowth import catalog as catalog_mod  # noqa: E402
from greengrowth import store  # noqa: E402
from loaders import layout as L  # noqa: E402
from loaders import quality_check  # noqa: E402
from loaders.demo import fill_workbook  # noqa: E402
from loaders.ingest import ingest_bytes  # noqa: E402
from loaders.template import build_template  # noqa: E402

NOW = datetime(2031, 1, 15, 9, 0)


def _prepared_by(data: bytes, who: str) -> bytes:
    """The same workbook with another 'prepared by' (a new file, so never a duplicate)."""
    wb = load_workbook(io.BytesIO(data))
    for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
        if row[0].value == "prepared_by":
            row[2].value = who
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def department_workbook(tmp: Path, runs: int) -> list[Row]:
    path = tmp / "dept.duckdb"
    with store.connect(path) as con:
        store.load_catalog(con, catalog_mod.load_catalog(BASE_PLAN))
        template = build_template(con, BASE_PLAN, "DOIT", 2019, illustrative=True)
        data = fill_workbook(template, 2019, 2018, random.Random(1), date(2019, 10, 1))
        files = [_prepared_by(data, f"Cán bộ {i}") for i in range(runs)]
        it = iter(files)
        took = median_ms(lambda: ingest_bytes(con, next(it), "d.xlsx", "bench", now=NOW), runs)
    floor = median_ms(lambda: _calamine_all(files[0]), runs)
    size = f"{len(files[0]) / 1024:.0f} kB"
    return [Row(f"ingest one department workbook ({size}), validate + store", took, floor, "ms",
                "province", "read only, python-calamine")]  # fmt: skip


def province_refresh(tmp: Path) -> list[Row]:
    """The refresh after each of the province's current reports (a copy of the generated province
    store: 11 departments, 2018-2020), one write's scope against the whole plan."""
    path = tmp / "province.duckdb"
    shutil.copy(scale_db("province"), path)
    with store.connect(path) as con:
        reports = run_named(con, "quality_current_reports", plan=BASE_PLAN)
        scoped, whole = [], []
        for department, period in reports.itertuples(index=False):
            row = _refresh_rows(con, BASE_PLAN, department, int(period), 3, "province")[0]
            scoped.append(row.figure)
            whole.append(row.baseline)
    return [Row(f"data-quality warnings refreshed after one department's write (median of the "
                f"{len(reports)} current reports)", statistics.median(scoped),
                statistics.median(whole), "ms", "province", "whole plan recomputed")]  # fmt: skip


def _refresh_rows(con, plan_id: str, department: str, period: int, runs: int,
                  scale: str) -> list[Row]:  # fmt: skip
    """The stored warnings brought up to date after one department's write (what every upload does
    inside its transaction: quality_check.refresh_after) against recomputing the whole plan."""

    def whole() -> None:
        with store.transaction(con):
            quality_check.refresh(con, plan_id)

    def scoped() -> None:
        with store.transaction(con):
            quality_check.refresh_after(con, plan_id, department, period)

    full = median_ms(whole, runs)  # also settles the plan, so refresh_after takes its scoped path
    return [Row(f"data-quality warnings refreshed after one write ({department} {period})",
                median_ms(scoped, runs), full, "ms", scale, "whole plan recomputed")]  # fmt: skip


def _calamine_all(data: bytes) -> int:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)


def big_indicator_workbook(con, plan_id: str, rows: int) -> tuple[bytes, str]:
    """A department's template with `rows` indicator values (districts x years) filled in."""
    depts = run_named(con, "plan_indicators", plan=plan_id)["department_code"].value_counts()
    dept = depts.index[0]
    inds = list(
        run_named(con, "department_indicators", plan=plan_id, department=dept)["indicator_code"]
    )
    districts = list(run_named(con, "districts", plan=plan_id)["name_vi"])
    template = build_template(con, plan_id, dept, STRESS_END, illustrative=True)
    wb = load_workbook(io.BytesIO(template))
    for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
        if row[0].value == "reported_on":
            row[2].value = date(STRESS_END, 10, 1)
    for row in wb[L.SHEET_ACTIVITIES].iter_rows(min_row=2):
        if row[0].value is not None:
            row[2].value, row[3].value = "Đang thực hiện", 50
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        if row[0].value is not None:
            row[4].value = "Đang thực hiện"
    ws = wb[L.SHEET_INDICATORS]
    ws.delete_rows(2, ws.max_row)
    n = 0
    for year in range(STRESS_END, STRESS_START - 1, -1):
        for code in inds:
            for place in districts:
                if n == rows:
                    break
                ws.append([code, None, None, place, year, round(10 + n % 97 * 1.5, 2)])
                n += 1
    if n < rows:
        raise RuntimeError(f"only {n} distinct indicator rows for {dept}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), dept


def _every_tenth_changed(data: bytes) -> tuple[bytes, int]:
    """The same report sent again with one indicator value in ten changed (and a new 'prepared by',
    so it is a new file): the preview then compares it with the stored report."""
    wb = load_workbook(io.BytesIO(data))
    for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
        if row[0].value == "prepared_by":
            row[2].value = "Cán bộ sửa số liệu"
    changed = 0
    for i, row in enumerate(wb[L.SHEET_INDICATORS].iter_rows(min_row=2)):
        if i % 10 == 0 and row[5].value is not None:
            row[5].value = row[5].value + 1
            changed += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), changed


def indicator_workbook(tmp: Path, rows: int, runs: int) -> list[Row]:
    root = tmp / "plans"
    plan_id = f"stress-{STRESS_START}-{STRESS_END}"
    write_plan_folder(root, plan_id, "Tỉnh thử tải", STRESS_START, STRESS_END, districts=100,
                      indicators=500)  # fmt: skip
    master = tmp / "stress-catalog.duckdb"
    with store.connect(master) as con:
        store.load_catalog(con, catalog_mod.load_catalog(plan_id, root))
        data, dept = big_indicator_workbook(con, plan_id, rows)
    again, changed = _every_tenth_changed(data)
    app, resent, pandas_insert = [], [], []
    for i in range(runs):
        path = tmp / f"ingest-{i}.duckdb"
        shutil.copy(master, path)
        with store.connect(path) as con:
            result = None

            def run():
                nonlocal result
                result = ingest_bytes(con, data, "big.xlsx", "bench", now=NOW)

            app.append(ms(run))
            if result.outcome != "accepted":
                raise RuntimeError(f"big workbook rejected: {result.problems[:3]}")
            stored = len(result.parsed.indicators)
            if i == 0:
                refresh = _refresh_rows(con, plan_id, dept, STRESS_END, runs, "stress")

            def run_again():
                nonlocal result
                result = ingest_bytes(con, again, "big-2.xlsx", "bench", now=NOW)

            resent.append(ms(run_again))
            if result.outcome != "accepted" or len(result.changes) != changed:
                raise RuntimeError(f"resent workbook: {result.outcome}, {len(result.changes)} "
                                   f"changes for {changed} changed values")  # fmt: skip

            def analyst_script():
                frame = pd.read_excel(io.BytesIO(data), sheet_name=L.SHEET_INDICATORS,
                                      engine="openpyxl")  # fmt: skip
                con.register("_frame", frame)
                con.execute("CREATE OR REPLACE TABLE analyst_copy AS SELECT * FROM _frame")
                con.unregister("_frame")

            pandas_insert.append(ms(analyst_script))
    floor = median_ms(
        lambda: (
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_name(L.SHEET_INDICATORS)
            .to_python()
        ),
        runs,
    )
    app_rate = stored / (sorted(app)[len(app) // 2] / 1000)
    pandas_rate = stored / (sorted(pandas_insert)[len(pandas_insert) // 2] / 1000)
    floor_rate = stored / (floor / 1000)
    resent_rate = stored / (sorted(resent)[len(resent) // 2] / 1000)
    what = f"ingest {stored:,} indicator rows ({len(data) / 1e6:.1f} MB), validate + store"
    what_again = (f"ingest the {stored:,} rows again, {changed:,} changed (diffed against the "
                  "stored report), validate + store")  # fmt: skip
    return [
        Row(what, app_rate, pandas_rate, "rows/s", "stress", "pandas read_excel(openpyxl) + "
            "one DataFrame insert", higher_is_better=True),
        Row(what, app_rate, floor_rate, "rows/s", "stress", "read only, python-calamine",
            higher_is_better=True),
        Row(what_again, resent_rate, floor_rate, "rows/s", "stress", "read only, python-calamine",
            higher_is_better=True),
        *refresh,
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    # the reader refuses a sheet over 10,000 rows (loaders/workbook.py): header + 9,999 values
    parser.add_argument("--rows", type=int, default=9_999)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        rows = department_workbook(Path(tmp), max(args.runs, 5))
        rows += province_refresh(Path(tmp))
        rows += indicator_workbook(Path(tmp), args.rows, args.runs)
    emit(rows)


if __name__ == "__main__":
    main()

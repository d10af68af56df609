"""How fast do the data-quality rules run over a whole store? check_store against plain pandas.

Builds the demo database, then copies its submissions so that one province has a long history: copy i
shifts every period, year and date by 3*i years (the demo covers 2018-2020), and district rows are
repeated under new district codes to widen each year. On each size it times
greengrowth.quality.check_store (vectorised: DuckDB reads, pandas group-wise arithmetic) and, where it
finishes in reasonable time, a plain pandas implementation of the same rules that walks row by row with
boolean filters, as one would first write it. Both must find the same warnings; the script says so.
The last column is the upload-time check (check_report) of one department's report against it all.

Usage: nice -n 19 .venv/bin/python bench/bench_quality.py [year_copies] [district_copies]
(defaults 10 1: thirty years of one province; the big run adds 100 year copies x 10 district copies).
"""

from __future__ import annotations

import ast
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import queries, store  # noqa: E402
from greengrowth.quality import (  # noqa: E402
    MEAN_AD_CONSTANT,
    MZ_CONSTANT,
    PriorReport,
    check_report,
    check_store,
    load_rules,
)
from loaders.demo import build_demo  # noqa: E402

PLAN = "binh-duong-2018-2020"
SPAN = 3  # the demo's periods: 2018, 2019, 2020

COPY_SQL = [
    """INSERT INTO submission SELECT submission_id + $off, plan_id, department_code,
       period + $shift, file_name, sha256 || '-' || $off, size_bytes,
       uploaded_at + to_years($shift), uploaded_by, reported_on + to_years($shift), prepared_by,
       derived_from, illustrative, n_activity_rows, n_task_rows, n_indicator_rows
       FROM submission WHERE submission_id <= $base""",
    """INSERT INTO submission_event SELECT event_id + $off, submission_id + $off, event,
       event_at + to_years($shift), actor, reason FROM submission_event
       WHERE submission_id <= $base""",
    """INSERT INTO activity_report SELECT submission_id + $off, activity_no, status,
       percent_complete, done_text, difficulties FROM activity_report WHERE submission_id <= $base""",
    """INSERT INTO priority_task_report SELECT submission_id + $off, task_id, status,
       achieved_value, completed_on + to_years($shift), note FROM priority_task_report
       WHERE submission_id <= $base""",
    """INSERT INTO indicator_value SELECT submission_id + $off, indicator_code, district_code,
       year + $shift, value, note FROM indicator_value WHERE submission_id <= $base""",
]
WIDEN_SQL = """INSERT INTO indicator_value SELECT submission_id, indicator_code,
       district_code || '-' || $d, year, value * (1 + 0.01 * $d), note FROM indicator_value
       WHERE district_code IS NOT NULL AND NOT contains(district_code, '-')"""


def scale(path: Path, year_copies: int, district_copies: int) -> dict[str, int]:
    with store.connect(path) as con:
        with store.transaction(con):
            for d in range(1, district_copies):
                con.execute(WIDEN_SQL, {"d": d})
            base = con.execute("SELECT max(submission_id) FROM submission").fetchone()[0]
            events = con.execute("SELECT max(event_id) FROM submission_event").fetchone()[0]
            step = max(base, events) + 1
            for i in range(1, year_copies):
                params = {"off": i * step, "base": base, "shift": SPAN * i}
                for sql in COPY_SQL:
                    con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
        counts = {}
        for view in ("current_submissions", "activity_status_latest", "indicator_values_latest"):
            counts[view] = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]  # noqa: S608
        return counts


# ---- the same rules, written plainly ------------------------------------------------------------


def _mz(values: pd.Series, x: float) -> float:
    median = values.median()
    deviation = (values - median).abs()
    mad = deviation.median()
    if mad > 0:
        return MZ_CONSTANT * (x - median) / mad
    mean_ad = deviation.mean()
    return (x - median) / (MEAN_AD_CONSTANT * mean_ad) if mean_ad > 0 else 0.0


def plain_pandas(con, rules) -> set[tuple]:
    """(rule_id, submission_id, key) of every warning, found row by row."""
    subs = con.execute(
        "SELECT department_code, period, submission_id, reported_on FROM current_submissions "
        "WHERE plan_id = ?",
        [PLAN],
    ).df()
    acts = con.execute(
        "SELECT submission_id, activity_no, status, percent_complete FROM activity_status_latest "
        "WHERE plan_id = ?",
        [PLAN],
    ).df()
    tasks = con.execute(
        "SELECT submission_id, reported_on, task_id, status, completed_on "
        "FROM priority_task_status_latest WHERE plan_id = ?",
        [PLAN],
    ).df()
    values = con.execute(
        "SELECT submission_id, indicator_code, coalesce(district_code, '') AS place, year, value "
        "FROM indicator_values_latest WHERE plan_id = ?",
        [PLAN],
    ).df()
    found: set[tuple] = set()
    back = rules.rule("status_backwards")
    for s in subs.itertuples():
        earlier = subs[(subs.department_code == s.department_code) & (subs.period < s.period)]
        if earlier.empty:
            continue
        prev = earlier.sort_values("period").iloc[-1].submission_id
        for table, key in ((acts, "activity_no"), (tasks, "task_id")):
            theirs = table[table.submission_id == prev]
            for row in table[table.submission_id == s.submission_id].itertuples():
                old = theirs[theirs[key] == getattr(row, key)]
                if old.empty:
                    continue
                old = old.iloc[0]
                fell = False
                if key == "activity_no":
                    fell = old.percent_complete - row.percent_complete > back.param(
                        "max_percent_drop"
                    )
                if (old.status == "completed" and row.status != "completed") or fell:
                    found.add(("status_backwards", s.submission_id, (getattr(row, key),)))
    for row in tasks.itertuples():
        if pd.isna(row.completed_on):
            continue
        if pd.Timestamp(row.completed_on) > pd.Timestamp(row.reported_on):
            found.add(("completed_after_report", row.submission_id, (row.task_id,)))
        if pd.Timestamp(row.completed_on) < pd.Timestamp(rules.plan_start):
            found.add(("completed_before_plan", row.submission_id, (row.task_id,)))
    yoy, outlier = rules.rule("year_on_year"), rules.rule("outlier")
    min_points = outlier.param("min_points")
    for row in values.itertuples():
        code, place = row.indicator_code, row.place
        key = (code, place or None, row.year)
        same_place = values[(values.indicator_code == code) & (values.place == place)]
        before = same_place[same_place.year < row.year]
        low, high = rules.range_of(code)
        if (low is not None and row.value < low) or (high is not None and row.value > high):
            found.add(("physical_range", row.submission_id, key))
        if len(same_place) < min_points and not before.empty:
            prev = before.sort_values("year").iloc[-1].value
            if prev >= 0 and row.value >= 0:
                ratio = row.value / prev if prev > 0 else (float("inf") if row.value > 0 else 1)
                factor = yoy.param("factor", code)
                if (ratio > factor or ratio < 1 / factor) and abs(row.value - prev) >= yoy.param(
                    "min_abs_change", code
                ):
                    found.add(("year_on_year", row.submission_id, key))
        groups = [same_place]
        if place:
            groups.insert(
                0, values[(values.indicator_code == code) & (values.year == row.year)
                          & (values.place != "")]
            )  # fmt: skip
        for group in groups:
            if len(group) < min_points:
                continue
            score = _mz(group.value, row.value)
            if abs(score) > outlier.param("threshold", code) and abs(
                row.value - group.value.median()
            ) >= outlier.param("min_abs_deviation", code):
                found.add(("outlier", row.submission_id, key))
    for (place, year), part in values.groupby(["place", "year"]):
        at = dict(zip(part.indicator_code, part.value, strict=True))
        sources = dict(zip(part.indicator_code, part.submission_id, strict=True))
        for rel in rules.relations:
            if any(c not in at for c in rel.codes):
                continue
            left, right = (
                eval(compile(ast.parse(side, mode="eval"), "<rule>", "eval"), {}, at)  # noqa: S307
                for side in (rel.left, rel.right)
            )
            ops = {">=": left >= right, "<=": left <= right, ">": left > right,
                   "<": left < right, "==": left == right, "!=": left != right}  # fmt: skip
            if not ops[rel.operator]:
                code = rel.codes[0]
                found.add((rel.rule_id, sources[code], (code, place or None, year)))
    return found


def engine_keys(frame: pd.DataFrame) -> set[tuple]:
    keys = set()
    for r in frame.itertuples():
        if r.kind == "activity":
            key: tuple = (int(r.activity_no),)
        elif r.kind == "task":
            key = (r.task_id,)
        else:
            # the whole province is NULL: None or NaN depending on the frame's other rows
            place = None if pd.isna(r.district_code) else r.district_code
            key = (r.indicator_code, place, int(r.year))
        keys.add((r.rule_id, int(r.submission_id), key))
    return keys


def best_of(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def one_upload(con, rules) -> float:
    """Seconds for the upload-time check of DOIT's latest report against everything stored."""
    subs = con.execute(
        "SELECT submission_id, period, reported_on FROM current_submissions "
        "WHERE plan_id = ? AND department_code = 'DOIT' ORDER BY period DESC LIMIT 2",
        [PLAN],
    ).fetchall()
    (new_id, period, reported_on), (old_id, old_period, _) = subs
    new, old = queries.submission_rows(con, new_id), queries.submission_rows(con, old_id)

    def run():
        history = queries.run(con, "quality_indicator_values", plan=PLAN)
        return check_report(
            rules, period=period, reported_on=reported_on, activities=new["activities"],
            tasks=new["tasks"], indicators=new["indicators"], history=history,
            previous=PriorReport(old_period, old["activities"], old["tasks"], old_id),
            same_period=PriorReport(period, new["activities"], new["tasks"], new_id),
        )  # fmt: skip

    return best_of(run, 5)[0]


def measure(path: Path, rules, with_plain: bool) -> dict:
    with store.connect(path, read_only=True) as con:
        check_store(con, rules)  # warm up (imports, DuckDB caches)
        t_engine, frame = best_of(lambda: check_store(con, rules), 5)
        out = {"engine_s": t_engine, "warnings": len(frame), "upload_s": one_upload(con, rules)}
        if with_plain:
            t_plain, plain = best_of(lambda: plain_pandas(con, rules), 1)
            out["plain_s"] = t_plain
            out["same"] = plain == engine_keys(frame)
        return out


def main() -> None:
    year_copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    district_copies = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rules = load_rules(PLAN)
    sizes = [("demo (2018-2020)", 1, 1, True),
             (f"{year_copies} x years, {district_copies} x districts", year_copies,
              district_copies, True),
             ("100 x years, 10 x districts (engine only)", 100, 10, False)]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        demo = Path(tmp) / "demo.duckdb"
        build_demo(demo)
        print(f"{'data':44s} {'submissions':>11s} {'values':>8s} {'warnings':>8s} "
              f"{'engine s':>9s} {'pandas s':>9s} {'ratio':>7s} {'same':>5s} "
              f"{'1 upload s':>10s}")  # fmt: skip
        for label, years, districts, plain in sizes:
            path = Path(tmp) / f"q-{years}-{districts}.duckdb"
            shutil.copy(demo, path)
            counts = scale(path, years, districts)
            m = measure(path, rules, plain)
            pandas_s = f"{m['plain_s']:9.3f}" if plain else f"{'-':>9s}"
            ratio = f"{m['plain_s'] / m['engine_s']:7.1f}" if plain else f"{'-':>7s}"
            same = str(m["same"]) if plain else "-"
            print(f"{label:44s} {counts['current_submissions']:11d} "
                  f"{counts['indicator_values_latest']:8d} {m['warnings']:8d} "
                  f"{m['engine_s']:9.3f} {pandas_s} {ratio} {same:>5s} "
                  f"{m['upload_s']:10.3f}")  # fmt: skip


if __name__ == "__main__":
    main()

"""Do the dashboard queries stay fast as data grows? Demo data (baseline) against 100x the submissions.

Builds the demo database, then a copy where every submission is repeated 100 times (as if each
department had re-uploaded its report 100 times; history is kept, so the views must pick the latest).
Prints milliseconds per query function in greengrowth.queries.dashboard on both, and the ratio.
Usage: .venv/bin/python bench/bench_queries.py [copies]
"""

from __future__ import annotations

import inspect
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import store  # noqa: E402
from greengrowth.queries import dashboard  # noqa: E402
from loaders.demo import build_demo  # noqa: E402

PLAN = "binh-duong-2018-2020"
COPY_SQL = [
    # New ids above the current maximum; uploaded_at later so the copies become current.
    """INSERT INTO submission SELECT submission_id + $off, plan_id, department_code, period,
       file_name, sha256 || '-' || $off, size_bytes, uploaded_at + to_seconds($off), uploaded_by,
       reported_on, prepared_by, derived_from, illustrative, n_activity_rows, n_task_rows,
       n_indicator_rows FROM submission WHERE submission_id <= $base""",
    """INSERT INTO submission_event SELECT event_id + $off, submission_id + $off, event,
       event_at + to_seconds($off), actor, reason FROM submission_event WHERE submission_id <= $base""",
    """INSERT INTO activity_report SELECT submission_id + $off, activity_no, status,
       percent_complete, done_text, difficulties FROM activity_report WHERE submission_id <= $base""",
    """INSERT INTO priority_task_report SELECT submission_id + $off, task_id, status,
       achieved_value, completed_on, note FROM priority_task_report WHERE submission_id <= $base""",
    """INSERT INTO indicator_value SELECT submission_id + $off, indicator_code, district_code,
       year, value, note FROM indicator_value WHERE submission_id <= $base""",
]


def scale(path: Path, copies: int) -> int:
    with store.connect(path) as con:
        base = con.execute("SELECT max(submission_id) FROM submission").fetchone()[0]
        events = con.execute("SELECT max(event_id) FROM submission_event").fetchone()[0]
        step = max(base, events) + 1
        with store.transaction(con):
            for i in range(1, copies):
                for sql in COPY_SQL:
                    con.execute(sql, {"off": i * step, "base": base})
        return con.execute("SELECT count(*) FROM submission").fetchone()[0]


def query_functions():
    for name, fn in inspect.getmembers(dashboard, inspect.isfunction):
        if fn.__module__ != dashboard.__name__ or name.startswith("_") or name == "run":
            continue
        params = list(inspect.signature(fn).parameters)
        if params[1:] == ["plan_id", "period"]:
            yield name, fn, (PLAN, 2019)
        elif params[1:] == ["plan_id"]:
            yield name, fn, (PLAN,)


def timings(path: Path) -> dict[str, float]:
    out = {}
    with store.connect(path) as con:
        for name, fn, args in query_functions():
            fn(con, *args)  # warm up
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                fn(con, *args)
                runs.append(time.perf_counter() - start)
            out[name] = 1000 * statistics.median(runs)
    return out


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        small = Path(tmp) / "demo.duckdb"
        build_demo(small)
        big = Path(tmp) / "big.duckdb"
        shutil.copy(small, big)
        n_big = scale(big, copies)
        with store.connect(small) as con:
            n_small = con.execute("SELECT count(*) FROM submission").fetchone()[0]
        t_small, t_big = timings(small), timings(big)
    print(f"submissions: {n_small} (demo, baseline) vs {n_big} ({copies}x)")
    print(f"{'query':36s} {'demo ms':>9s} {'big ms':>9s} {'ratio':>7s}")
    for name in t_small:
        print(
            f"{name:36s} {t_small[name]:9.1f} {t_big[name]:9.1f} {t_big[name] / t_small[name]:7.2f}"
        )


if __name__ == "__main__":
    main()

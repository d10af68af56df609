"""What the reporting cycle costs a leadership page: each overview aggregate with all current reports
(baseline) against approved reports only (`approved_only=True`, which filters through the
report_status view), and the cycle's own reads (report state, review queue, value history).

Usage: .venv/bin/python bench/bench_cycle.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import store  # noqa: E402
from greengrowth.queries import cycle, dashboard  # noqa: E402
from loaders.demo import build_demo  # noqa: E402

PLAN = "binh-duong-2018-2020"
AGGREGATES = [
    dashboard.overview_headline,
    dashboard.progress_by_theme,
    dashboard.status_counts,
    dashboard.priority_headline,
    dashboard.indicator_values,
]
REPEAT = 15


def _ms(fn) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        build_demo(db)
        with store.connect(db) as con:
            print(f"{'aggregate (2020)':32} {'all ms':>8} {'approved ms':>12} {'ratio':>6}")
            for fn in AGGREGATES:
                base = _ms(lambda fn=fn: fn(con, PLAN, 2020))
                approved = _ms(lambda fn=fn: fn(con, PLAN, 2020, approved_only=True))
                print(f"{fn.__name__:32} {base:8.1f} {approved:12.1f} {approved / base:6.2f}")
            base = _ms(lambda: dashboard.status_counts(con, PLAN, 2020))
            print(f"\n{'cycle read':32} {'ms':>8} {'vs status_counts':>17}")
            for name, call in [
                ("report_state", lambda: cycle.report_state(con, PLAN, "DOIT", 2019)),
                ("review_queue", lambda: cycle.review_queue(con, PLAN)),
                ("period_reports", lambda: cycle.period_reports(con, PLAN, 2020)),
                ("value_history (one activity)", lambda: cycle.value_history(
                    con, PLAN, "activity", "11")),
                ("event_log (300 newest)", lambda: cycle.event_log(con, PLAN, 300)),
            ]:  # fmt: skip
                ms = _ms(call)
                print(f"{name:32} {ms:8.1f} {ms / base:17.2f}")


if __name__ == "__main__":
    main()

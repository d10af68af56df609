"""What a chart's text alternative and page copy (ui.chart_view.show_chart: chart_style.for_page,
chart_text.chart_summary, chart_text.chart_table) cost, against building the same figures
(greengrowth.charts, the baseline), measured in the same run on the demo data (7 leadership charts).

Usage: .venv/bin/python bench/bench_charts.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import chart_style, charts, store  # noqa: E402
from greengrowth.chart_text import chart_summary, chart_table  # noqa: E402
from greengrowth.queries import catalog as cq  # noqa: E402
from greengrowth.queries import dashboard as q  # noqa: E402
from loaders.demo import build_demo  # noqa: E402

PLAN, PERIOD = "binh-duong-2018-2020", 2020
KW = {"source": "S", "data_date": date(2020, 12, 4)}


def _data(con) -> dict:
    return {
        "theme": q.progress_by_theme(con, PLAN, PERIOD),
        "counts": q.status_counts(con, PLAN, PERIOD),
        "over": q.status_by_period(con, PLAN, PERIOD),
        "group": q.progress_by_group(con, PLAN, PERIOD),
        "cov": cq.coverage(con, PLAN),
        "dept": q.department_status_counts(con, PLAN, PERIOD),
        "hist": q.activity_status_history(con, PLAN, PERIOD),
    }


def _build(d: dict, lang: str = "vi") -> list:
    p = {"lang": lang, "period": PERIOD, **KW}
    return [
        charts.progress_by_theme(d["theme"], **p),
        charts.status_breakdown(d["counts"], **p),
        charts.status_over_periods(d["over"], **p),
        charts.progress_by_group(d["group"], **p),
        charts.coverage(d["cov"], lang=lang, source="S"),
        charts.progress_by_department(d["dept"], **p),
        charts.activity_history(d["hist"], lang=lang, **KW),
    ]


def _median_ms(fn, runs: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_DB"] = db = str(Path(tmp) / "demo.duckdb")
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        build_demo(Path(db))
        with store.connect(Path(db)) as con:
            d = _data(con)
    build = _median_ms(lambda: _build(d), runs)
    figs = _build(d)

    def page_extra() -> None:
        for fig in figs:
            chart_style.for_page(fig)
            chart_summary(fig, "vi")
            chart_table(fig, "vi")

    extra = _median_ms(page_extra, runs)
    print(f"build 7 leadership figures (baseline):            {build:.0f} ms")
    print(f"page copy + summary + table for the 7 (show_chart): {extra:.0f} ms")
    print(f"ratio extra / build:                                {extra / build:.2f}")


if __name__ == "__main__":
    main()

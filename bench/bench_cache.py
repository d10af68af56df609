"""What the data-version cache saves on a rerun: each overview query uncached (baseline) vs cached.

A Streamlit rerun calls `ui.data.load(fn, ...)`; the first call runs the query in DuckDB, later calls
return the cached frame until the data version changes. Runs outside a server (bare mode).
Usage: .venv/bin/python bench/bench_cache.py
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.disable(logging.WARNING)  # bare-mode warnings from Streamlit's cache

from greengrowth.queries import dashboard  # noqa: E402
from loaders.demo import build_demo  # noqa: E402

PLAN = "binh-duong-2018-2020"
CALLS = [
    (dashboard.overview_headline, (PLAN, 2020)),
    (dashboard.progress_by_theme, (PLAN, 2020)),
    (dashboard.status_counts, (PLAN, 2020)),
    (dashboard.status_by_period, (PLAN, 2020)),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_DB"] = str(Path(tmp) / "demo.duckdb")
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        build_demo(Path(os.environ["GG_DB"]))
        from ui import data

        def page_rerun() -> float:
            start = time.perf_counter()
            for fn, args in CALLS:
                data.load(fn, *args)
            return 1000 * (time.perf_counter() - start)

        misses_list = []
        for _ in range(5):
            data.forget()  # every cache, the query memo too
            misses_list.append(page_rerun())  # cache miss: every query runs
        misses = statistics.median(misses_list)
        hits = statistics.median(page_rerun() for _ in range(10))
    print(f"overview queries per rerun: {len(CALLS)}")
    print(f"uncached (baseline)   {misses:7.1f} ms")
    print(f"cached                {hits:7.1f} ms   x{misses / hits:.1f} faster")


if __name__ == "__main__":
    main()

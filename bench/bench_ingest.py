"""Ingest cost per workbook, split into its steps, with the dry run as the baseline.

Usage: .venv/bin/python bench/bench_ingest.py   (uses a temporary database)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import store  # noqa: E402
from loaders.demo import load_all_catalogs  # noqa: E402
from loaders.ingest import ingest_bytes  # noqa: E402
from loaders.template import build_template  # noqa: E402
from loaders.workbook import read_workbook  # noqa: E402
from tests.workbooks import fill  # noqa: E402

PLAN = "binh-duong-2018-2020"


def median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        with store.connect(Path(tmp) / "bench.duckdb") as con:
            load_all_catalogs(con)
            template = build_template(con, PLAN, "DOIT", 2019)
            filled = [fill(template, percent=p) for p in range(10, 60, 10)]
            t_template = median_ms(lambda: build_template(con, PLAN, "DOIT", 2019))
            t_read = median_ms(lambda: read_workbook(filled[0]))
            t_dry = median_ms(lambda: ingest_bytes(con, filled[0], "x.xlsx", "b", dry_run=True))
            stored = iter(filled)
            t_store = median_ms(lambda: ingest_bytes(con, next(stored), "x.xlsx", "b"))
    print(f"DOIT workbook: {len(filled[0]) / 1024:.0f} kB")
    print(f"build template         {t_template:7.1f} ms")
    print(f"read (worker: checks + calamine) {t_read:7.1f} ms")
    print(f"dry run (baseline)     {t_dry:7.1f} ms   x1.00")
    print(f"ingest and store       {t_store:7.1f} ms   x{t_store / t_dry:.2f} vs dry run")


if __name__ == "__main__":
    main()

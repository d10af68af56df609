"""Run every benchmark in bench/ and print one table: what, figure, baseline, ratio, scale (make bench).

The generated databases (bench/generate.py: province, national, stress) are built on first use and
reused while the generator, the store and the plan folder are unchanged. Figures depend on the
machine and its load; every baseline is measured in the same run, so the ratios travel better.
Usage: .venv/bin/python bench/run_all.py [--quick]   (--quick: fewer runs, no browser)
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import read_rows, table  # noqa: E402

PRINT_ONLY = ["bench_readers.py", "bench_ingest.py", "bench_correction.py", "bench_queries.py",
              "bench_cache.py", "bench_hostile.py", "bench_export.py", "bench_quality.py",
              "bench_cycle.py"]  # fmt: skip


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "?")  # fmt: skip
    mem = next(
        int(line.split()[1]) // 1024 // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GB, Python {platform.python_version()}, "
            f"load average {load:.1f} at the end")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = "2" if args.quick else "3"
    # Scripts that print their own figures (run when present), then those that feed the table.
    scripts = [[name] for name in PRINT_ONLY if (HERE / name).exists()]
    scripts += [
        ["bench_ingest_scale.py", "--runs", "2" if args.quick else "3"],
        ["bench_pages.py", "--runs", runs],
    ]
    if not args.quick:
        scripts.append(["bench_browser.py", "--runs", "3"])
    with tempfile.TemporaryDirectory() as tmp:
        rows_file = Path(tmp) / "rows.jsonl"
        env = {**os.environ, "GG_BENCH_ROWS": str(rows_file)}
        for script in scripts:
            print(f"\n== {' '.join(script)} ==", flush=True)
            subprocess.run([sys.executable, str(HERE / script[0]), *script[1:]], check=True,
                           env=env)  # fmt: skip
        rows = read_rows(rows_file)
    print("\n== all figures (ratio = baseline / figure; for rows/s figure / baseline) ==")
    print(table(rows))
    print(f"\nmachine: {machine()}")


if __name__ == "__main__":
    main()

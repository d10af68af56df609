"""Run every benchmark in bench/ and print its figures (make bench)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in (
    "bench_readers.py",
    "bench_ingest.py",
    "bench_correction.py",
    "bench_queries.py",
    "bench_cache.py",
    "bench_cycle.py",
):
    print(f"\n== {script} ==", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)

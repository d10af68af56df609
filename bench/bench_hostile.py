"""Hostile workbooks against honest ones: `python -m loaders ingest --dry-run` time and peak memory.

Usage: .venv/bin/python bench/bench_hostile.py [--repeat 3]   (about 2 minutes)   (uses a temporary database)

For each file: the CLI dry run as people run it (wall time, peak resident memory of the CLI and its
reading process, whichever is larger), and the read alone in the worker (wall, CPU, peak resident and
address space of the child, which RLIMIT_AS bounds). The baseline is a plain filled template measured
in the same run; the goal (issue 16) is that the worst hostile file costs at most 4x its time and at
most 300 MB more memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from greengrowth import store  # noqa: E402
from greengrowth.catalog import load_catalog  # noqa: E402
from loaders import worker  # noqa: E402
from tests.hostile import HOSTILE, INDICATOR_PART, far_cell_in_template  # noqa: E402
from tests.test_hostile_workbooks import ten_thousand_rows  # noqa: E402
from tests.workbooks import good_workbook  # noqa: E402

# Runs the CLI as a child and reports the largest resident memory of it and its descendants.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


def dry_run(path: Path, env: dict, repeat: int) -> tuple[float, float, int]:
    """Best wall seconds, its peak MB, exit code of `python -m loaders ingest --dry-run` (the best of
    `repeat`: on a machine shared with other work the minimum is the stable figure)."""
    times, peaks, code = [], [], 0
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE, sys.executable, "-m", "loaders", "ingest",
             "--dry-run", str(path)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds, kb, code = out.stdout.split()
        times.append(float(seconds))
        peaks.append(int(kb) / 1024)
    best = min(range(len(times)), key=times.__getitem__)
    return times[best], peaks[best], int(code)


def libreoffice(data: bytes, tmp: Path) -> bytes | None:
    if not shutil.which("soffice"):
        return None
    src = tmp / "lo-in" / "template.xlsx"
    src.parent.mkdir()
    src.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp / "lo-out"), str(src)],
        capture_output=True, timeout=300,
    )  # fmt: skip
    out = tmp / "lo-out" / "template.xlsx"
    return out.read_bytes() if out.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "GG_DB": str(tmp / "bench.duckdb"), "GG_FILES": str(tmp / "files")}
        os.environ.update(env)
        with store.connect(tmp / "bench.duckdb") as con:
            store.load_catalog(con, load_catalog("binh-duong-2018-2020"))
            plain = good_workbook(con)
        honest = {"plain template": plain, "10,000-row template": ten_thousand_rows(plain)}
        resaved = libreoffice(plain, tmp)
        if resaved:
            honest["template re-saved by LibreOffice"] = resaved
        hostile = {name: build() for name, (build, _code) in HOSTILE.items()}
        hostile["wide grid in a real template (GR10000)"] = far_cell_in_template(plain, "GR10000")
        # Not refused: the costliest shapes the limits let through, wide or tall, on one sheet.
        edge = {
            "widest grid allowed (BL2300, one sheet)": far_cell_in_template(
                plain, "BL2300", only=INDICATOR_PART
            ),
            "tallest grid allowed (G20000, one sheet)": far_cell_in_template(
                plain, "G20000", only=INDICATOR_PART
            ),
        }

        rows = []
        for kind, files in (("honest", honest), ("hostile", hostile), ("edge", edge)):
            for name, data in files.items():
                path = tmp / f"{len(rows)}.xlsx"
                path.write_bytes(data)
                seconds, peak_mb, code = dry_run(path, env, args.repeat)
                read = worker.read(data, name)
                rows.append((kind, name, len(data), seconds, peak_mb, code, read))

        print(f"Dry run (best of {args.repeat}) and the worker's read; limits: "
              f"{worker.MEMORY_LIMIT_BYTES >> 20} MB address space, {worker.CPU_LIMIT_SECONDS} s CPU, "
              f"{worker.WALL_LIMIT_SECONDS:g} s wall")  # fmt: skip
        print(f"{'file':42} {'bytes':>8} {'exit':>4} {'dry run s':>9} {'peak MB':>8} | "
              f"{'read':8} {'wall s':>6} {'cpu s':>6} {'rss MB':>6} {'AS MB':>6}")  # fmt: skip
        for kind, name, size, seconds, peak_mb, code, read in rows:
            rss = (read.peak_rss_bytes or 0) / 2**20
            vm = (read.peak_address_space_bytes or 0) / 2**20
            cpu = read.cpu_seconds or 0.0
            print(f"{kind[0]} {name:40} {size:8,} {code:4} {seconds:9.2f} {peak_mb:8.0f} | "
                  f"{read.how:8} {read.wall_seconds:6.2f} {cpu:6.2f} {rss:6.0f} {vm:6.0f}")  # fmt: skip
        base = rows[0]
        ten_k = rows[1]
        worst = max((r for r in rows if r[0] != "honest"), key=lambda r: r[3])
        print()
        print(f"10,000-row template / plain: time x{ten_k[3] / base[3]:.2f}, "
              f"memory {ten_k[4] - base[4]:+.0f} MB")  # fmt: skip
        print(f"worst hostile ({worst[1]}) / plain: time x{worst[3] / base[3]:.2f} (goal <= 4), "
              f"memory {worst[4] - base[4]:+.0f} MB (goal <= +300)")  # fmt: skip
        refused = all(r[5] == 1 for r in rows if r[0] == "hostile")
        print(f"every hostile file refused with exit 1: {refused}")
        print(
            "(the 10,000-row template exits 1 on validation: its rows repeat indicator, district and"
            " year; reading it is accepted)"
        )


if __name__ == "__main__":
    main()

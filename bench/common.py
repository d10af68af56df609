"""What the benchmark scripts share: timing, the generated databases, and the results table.

Every figure is printed beside a baseline measured in the same run, with the ratio baseline/figure
(above 1 means the app is that many times faster or smaller than the baseline).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    what: str
    figure: float
    baseline: float | None
    unit: str
    scale: str
    baseline_what: str = ""
    higher_is_better: bool = False  # rows/s: the ratio is figure/baseline

    @property
    def ratio(self) -> float | None:
        if not self.baseline or not self.figure:
            return None
        return self.figure / self.baseline if self.higher_is_better else self.baseline / self.figure


def ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - start)


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    return statistics.median(ms(fn) for _ in range(runs))


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def table(rows: list[Row]) -> str:
    """A Markdown table: what, figure, baseline, ratio, scale (the README holds the same)."""
    lines = ["| what | figure | baseline | ratio | scale |", "|---|---:|---|---:|---|"]
    for r in rows:
        base = _fmt(r.baseline, r.unit)
        if r.baseline_what:
            base = f"{base} ({r.baseline_what})"
        ratio = "–" if r.ratio is None else f"{r.ratio:.1f}×"
        lines.append(f"| {r.what} | {_fmt(r.figure, r.unit)} | {base} | {ratio} | {r.scale} |")
    return "\n".join(lines)


def emit(rows: list[Row]) -> None:
    """Print the table; append the rows as JSON lines to $GG_BENCH_ROWS for bench/run_all.py."""
    print(table(rows), flush=True)
    target = os.environ.get("GG_BENCH_ROWS")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")


def read_rows(path: Path) -> list[Row]:
    if not path.exists():
        return []
    return [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def _fingerprint() -> str:
    """Changes when what the stored rows depend on changes (the generator, the plan folder, the
    store's tables and the write functions the generator calls): then data is rebuilt. The views
    are not part of it: every connection that opens the file read-write replaces them, so a view
    rewritten for speed is measured on the same data without regenerating it (4-10 minutes)."""
    import inspect

    from greengrowth import catalog, rows, store

    h = hashlib.sha256()
    files = [ROOT / "bench" / "generate.py", Path(catalog.__file__), Path(rows.__file__)]
    files += sorted((ROOT / "data" / "plan").rglob("*"))
    for f in files:
        if f.is_file():
            h.update(f.read_bytes())
    h.update(store.SCHEMA.encode())
    for fn in (store.load_catalog, store.insert_submission, store.record_event, store.append_rows,
               store.transaction, store.ensure_schema):  # fmt: skip
        h.update(inspect.getsource(fn).encode())
    return h.hexdigest()[:16]


def scale_db(scale: str) -> Path:
    """The generated database for `scale`, built on first use (and when its inputs changed)."""
    from bench.generate import default_db, generate

    path = default_db(scale)
    stamp = path.parent / "fingerprint"
    want = _fingerprint()
    if not (path.exists() and stamp.exists() and stamp.read_text() == want):
        print(f"generating {scale} data …", flush=True)
        counts = generate(scale, path)
        print(f"  {counts}", flush=True)
        stamp.write_text(want)
    return path

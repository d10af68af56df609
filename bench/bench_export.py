"""Chart images: the cold path (a new Chromium per image, as before) against one warm Kaleido per
process (greengrowth.export), measured in the same run; then a whole slide deck on the warm one.

Prints: cold per image (baseline), warm first image (starts Chromium), warm next images, the ratio
cold / warm-next, and the time of a whole deck (5 charts) and a Word report.
Usage: .venv/bin/python bench/bench_export.py [--images N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import export, store  # noqa: E402
from greengrowth.briefing.collect import leadership_charts  # noqa: E402
from greengrowth.briefing.deck import build_deck  # noqa: E402
from greengrowth.briefing.report_docx import build_report  # noqa: E402
from loaders.demo import build_demo  # noqa: E402

PLAN, PERIOD = "binh-duong-2018-2020", 2020


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=3, help="cold images to time (slow)")
    n = parser.parse_args().images
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_DB"] = db = str(Path(tmp) / "demo.duckdb")
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        build_demo(Path(db))
        with store.connect(Path(db)) as con:
            figs = [f for _, f in leadership_charts(con, PLAN, PERIOD, "vi", None)]
            export.stop_renderer()
            cold = [_timed(export.figure_png_cold, figs[i % len(figs)]) for i in range(n)]
            first = _timed(export.figure_png, figs[0])
            warm = [_timed(export.figure_png, figs[i % len(figs)]) for i in range(1, 11)]
            deck = _timed(build_deck, con, PLAN, PERIOD, "vi")
            report = _timed(build_report, con, PLAN, PERIOD, "vi")
        export.stop_renderer()
    cold_mean, warm_median = statistics.mean(cold), statistics.median(warm)
    print(f"cold, new Chromium per image (baseline): {cold_mean:.2f} s per image (n={n})")
    print(f"warm Kaleido, first image (starts it):  {first:.2f} s")
    print(f"warm Kaleido, next images:              {warm_median:.2f} s median (n={len(warm)}, "
          f"max {max(warm):.2f} s)")  # fmt: skip
    print(f"ratio cold / warm next image:           {cold_mean / warm_median:.1f}x faster")
    print(f"whole deck, 5 charts, warm:             {deck:.2f} s "
          f"(cold path would need about {5 * cold_mean:.1f} s for its images alone)")  # fmt: skip
    print(f"Word report, 5 charts, warm:            {report:.2f} s")


if __name__ == "__main__":
    main()

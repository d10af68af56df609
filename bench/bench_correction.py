"""A correction's cost: the service reads and validates the corrected workbook once; the baseline,
measured in the same run, is the former path (a dry run, then a second full ingest, with the source
submission and its rows loaded twice).

Usage: .venv/bin/python bench/bench_correction.py   (uses a temporary database)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greengrowth import queries, store  # noqa: E402
from greengrowth.auth import Account  # noqa: E402
from loaders import corrections, service  # noqa: E402
from loaders.demo import build_demo  # noqa: E402
from loaders.ingest import ingest_bytes  # noqa: E402

PLAN = "binh-duong-2018-2020"
ADMIN = Account("bench", "bench", "admin", ("*",))


def _edited(con, submission_id: int, n: int):
    acts = queries.submission_rows(con, submission_id)["activities"].copy()
    acts.loc[0, "difficulties"] = f"sửa lần {n}"
    return acts


def _former_path(con, submission_id: int, acts) -> None:
    """What submit_correction did before: everything loaded twice, the workbook validated twice."""
    old = queries.submissions.submission(con, submission_id)
    queries.submissions.current_submission(con, PLAN, old["department_code"], int(old["period"]))
    old = queries.submissions.submission(con, submission_id)  # corrected_workbook's own _source
    rows = queries.submission_rows(con, submission_id)
    data = corrections.corrected_workbook(con, old, rows | {"activities": acts})
    name = corrections.correction_file_name(old["file_name"])
    check = ingest_bytes(con, data, name, "bench", dry_run=True, derived_from=submission_id)
    corrections.changed_anything(check, queries.submission_rows(con, submission_id))
    ingest_bytes(con, data, name, "bench", derived_from=submission_id)


def main(repeat: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GG_FILES"] = str(Path(tmp) / "files")
        path = Path(tmp) / "bench.duckdb"
        build_demo(path, periods=[2019])
        with store.connect(path) as con:
            before, after = [], []
            for n in range(repeat):
                current = queries.submissions.current_submission(con, PLAN, "DOIT", 2019)
                acts = _edited(con, current, 2 * n)
                start = time.perf_counter()
                _former_path(con, current, acts)
                before.append(time.perf_counter() - start)
                current = queries.submissions.current_submission(con, PLAN, "DOIT", 2019)
                acts = _edited(con, current, 2 * n + 1)
                start = time.perf_counter()
                result = service.correct(con, ADMIN, current, activities=acts)
                after.append(time.perf_counter() - start)
                assert result.outcome == "accepted", result.problems
    old, new = 1000 * statistics.median(before), 1000 * statistics.median(after)
    print(f"correction, former path (baseline)  {old:7.1f} ms   x1.00")
    print(f"correction, service (validated once) {new:7.1f} ms   x{new / old:.2f}")


if __name__ == "__main__":
    main()

"""Crash safety: an ingest process killed (SIGKILL) anywhere in its commit leaves a usable, whole store.

The ingest CLI runs with GG_TEST_PAUSE_AT=<point> (greengrowth.store.crash_point): it announces the
point on stderr and either waits there to be killed (named points) or goes on at once while the test
kills it a few milliseconds later (timed points, which land inside DuckDB's COMMIT, its write-ahead
log and the checkpoint on close). After every kill the database must open, every documented view must
answer, every submission must be whole, and every submission must have its original file (an original
without a submission is harmless).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from greengrowth import store
from greengrowth.catalog import load_catalog
from tests.test_backup import assert_whole
from tests.workbooks import good_workbook

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "binh-duong-2018-2020"

# (point, seconds to wait after the announcement before SIGKILL; None = it waits there to be killed)
KILLS = [
    ("connect:opening", None),
    ("original:before", None),
    ("original:half-written", None),
    ("original:written", None),
    ("original:renamed", None),
    ("original:synced", None),
    ("tx:begun", None),
    ("tx:event", None),
    ("tx:event", 0.003),
    ("tx:event", 0.015),
    ("tx:rows-written", None),
    ("tx:before-commit", None),
    ("tx:before-commit", 0.0),
    ("tx:before-commit", 0.001),
    ("tx:before-commit", 0.003),
    ("tx:before-commit", 0.006),
    ("tx:before-commit", 0.012),
    ("tx:before-commit", 0.025),
    ("tx:before-commit", 0.05),
    ("tx:committed", None),
    ("tx:committed", 0.002),
    ("tx:committed", 0.01),
    ("tx:committed", 0.04),
]
COMMITTED = {"tx:committed"}  # killed after COMMIT returned: the submission must be there


def check_store(db: Path, files: Path) -> int:
    """Opens, answers every view, every submission whole and with its original; returns the count."""
    with store.connect(db) as con:
        for view in store.DOCUMENTED_VIEWS:
            con.execute(f"SELECT count(*) FROM {view}").fetchall()  # noqa: S608
        shas = store.stored_originals(con)
    n = assert_whole(db)
    for sha in shas:
        original = store.original_path(sha, files)
        assert original.is_file(), f"submission without its original {sha}"
        assert hashlib.sha256(original.read_bytes()).hexdigest() == sha, "original damaged"
    return n


@pytest.mark.timeout(600)
def test_sigkill_at_many_points_of_an_ingest_leaves_a_whole_store(tmp_path):
    db, files = tmp_path / "gg.duckdb", tmp_path / "files"
    env = {**os.environ, "GG_DB": str(db), "GG_FILES": str(files)}
    workbooks = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GG_FILES", str(files))
        with store.connect(db) as con:
            store.load_catalog(con, load_catalog(PLAN_ID))
            for i, _ in enumerate(KILLS):  # each run a new file (same bytes would be skipped)
                path = tmp_path / f"doit-{i}.xlsx"
                path.write_bytes(good_workbook(con, "DOIT", 2019, percent=i + 1))
                workbooks.append(path)
    before = check_store(db, files)
    survived = []
    for (point, delay), path in zip(KILLS, workbooks, strict=True):
        run_env = {**env, "GG_TEST_PAUSE_AT": point}
        if delay is not None:
            run_env["GG_TEST_PAUSE_SECONDS"] = "0"
        proc = subprocess.Popen(
            [sys.executable, "-m", "loaders", "ingest", str(path)],
            cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            line = proc.stderr.readline()
            while line and "GG-PAUSED" not in line:
                line = proc.stderr.readline()
            assert "GG-PAUSED" in line, f"{point}: never reached (exit {proc.wait()})"
            if delay:
                time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
        after = check_store(db, files)
        if point in COMMITTED:
            assert after == before + 1, f"{point}: a committed submission was lost"
        elif delay is None:
            assert after == before, f"{point}: a submission appeared before its commit"
        else:
            assert after in (before, before + 1)
        survived.append(f"{point}+{delay}" if delay is not None else point)
        before = after
    print(f"\nkill points survived: {len(survived)}; submissions stored: {before}")
    assert len(survived) >= 20

"""Several writers at once, with real processes: two CLI ingests and an app worker with two uploads
(four departments) while reader processes load pages. Nothing is lost, nobody sees a lock error or half
a submission; a database held too long ends in a clear message, not a traceback.
"""

from __future__ import annotations

import json
import os
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


def _python(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def make_four_workbooks(db, files: Path, folder: Path) -> dict[str, Path]:
    """Filled templates of four departments, built from the catalog in `db` (which gets it)."""
    books = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GG_FILES", str(files))
        with store.connect(db) as con:
            store.load_catalog(con, load_catalog(PLAN_ID))
            for dept, period in [("DOIT", 2019), ("DOC", 2020), ("DONRE", 2019), ("DARD", 2019)]:
                path = folder / f"{dept.lower()}-{period}.xlsx"
                path.write_bytes(good_workbook(con, dept, period, percent=40))
                books[dept] = path
    return books


@pytest.fixture
def four_workbooks(tmp_path) -> tuple[Path, Path, dict[str, Path]]:
    db, files = tmp_path / "gg.duckdb", tmp_path / "files"
    return db, files, make_four_workbooks(db, files, tmp_path)


def run_writers_and_readers(
    target: str, files: Path, books: dict[str, Path], tmp_path: Path
) -> str:
    """Two CLI ingests and an app worker with two uploads while two reader processes load pages."""
    env = {**os.environ, "GG_DB": str(target), "GG_FILES": str(files), "GG_DB_WAIT": "120"}
    stop = tmp_path / "stop-readers"
    readers = [
        _python("-m", "tests.concurrency_worker", "read", str(stop), env=env) for _ in range(2)
    ]
    time.sleep(0.5)  # readers are already reading when the writers start
    started = time.monotonic()
    writers = [
        _python("-m", "loaders", "ingest", str(books["DOIT"]), env=env),
        _python("-m", "loaders", "ingest", str(books["DOC"]), env=env),
        _python("-m", "tests.concurrency_worker", "web", str(books["DONRE"]), str(books["DARD"]),
                env=env),
    ]  # fmt: skip
    try:
        results = [w.communicate(timeout=300) for w in writers]
        elapsed = time.monotonic() - started
        stop.touch()
        reads = [r.communicate(timeout=120) for r in readers]
    finally:
        for p in [*writers, *readers]:
            if p.poll() is None:
                p.kill()
    for w, (out, err) in zip(writers, results, strict=True):
        assert w.returncode == 0, out + err
        assert "Traceback" not in err and "lock" not in (out + err).lower(), err
    web = json.loads(results[2][0].strip().splitlines()[-1])
    assert not web["errors"], web["errors"]
    assert sorted(o for _, o, _ in web["stored"]) == ["accepted", "accepted"]
    reader_stats = [json.loads(out.strip().splitlines()[-1]) for out, _ in reads] + [web]
    for stats in reader_stats:
        assert not stats["errors"], stats["errors"]
        assert stats["half"] == 0, "a reader saw half a submission"
    assert all(s["reads"] > 0 for s in reader_stats)
    with store.connect(target) as con:
        stored = con.execute(
            "SELECT department_code FROM submissions WHERE status = 'accepted' ORDER BY 1"
        ).fetchall()
    assert [r[0] for r in stored] == sorted(books), "a submission was lost"
    assert assert_whole(target) == 4
    return (
        f"concurrent writers: 2 CLI ingests + 2 web uploads in {elapsed:.1f} s; "
        f"submissions stored {len(stored)}/4, lost {4 - len(stored)}; readers: "
        f"{len(reader_stats)} ({sum(s['reads'] for s in reader_stats)} page loads, "
        f"{sum(s['half'] for s in reader_stats)} half submissions seen, "
        f"{sum(len(s['errors']) for s in reader_stats)} errors)"
    )


@pytest.mark.timeout(600)
def test_two_cli_ingests_and_two_web_uploads_with_readers_lose_nothing(four_workbooks, tmp_path):
    db, files, books = four_workbooks
    print("\nDuckDB file: " + run_writers_and_readers(str(db), files, books, tmp_path))


def test_a_database_held_too_long_gives_a_clear_message(four_workbooks):
    db, files, books = four_workbooks
    env = {**os.environ, "GG_DB": str(db), "GG_FILES": str(files), "GG_DB_WAIT": "1"}
    with store.connect(db):  # this process keeps the file: the CLI must give up, politely
        done = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(books["DOIT"])],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "đang được một tiến trình khác dùng" in done.stderr and "try again" in done.stderr
    with store.connect(db) as con:
        assert store.table_counts(con)["submission"] == 0

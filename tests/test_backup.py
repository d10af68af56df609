"""Backups: backup -> restore gives back every documented view row for row; a damaged backup is refused.

A backup taken while an ingest is committing restores to the whole submission or none of it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from greengrowth import store
from loaders.backup import BackupError, backup, restore
from loaders.ingest import ingest_bytes
from tests.workbooks import good_workbook

ROOT = Path(__file__).resolve().parents[1]


def views(db: Path) -> dict[str, list]:
    with store.connect(db) as con:
        return {
            v: con.execute(f"SELECT * FROM {v} ORDER BY ALL").fetchall()  # noqa: S608
            for v in store.DOCUMENTED_VIEWS
        }


def whole(db: Path) -> list[tuple]:
    """Per submission: rows stored against the counts the submission row promises (must be equal)."""
    with store.connect(db) as con:
        return con.execute(
            """
            SELECT s.submission_id, s.n_activity_rows, s.n_task_rows, s.n_indicator_rows,
                   (SELECT count(*) FROM activity_report r WHERE r.submission_id = s.submission_id),
                   (SELECT count(*) FROM priority_task_report r
                    WHERE r.submission_id = s.submission_id),
                   (SELECT count(*) FROM indicator_value r WHERE r.submission_id = s.submission_id),
                   (SELECT count(*) FROM submission_event e
                    WHERE e.submission_id = s.submission_id AND e.event = 'accepted')
            FROM submission s ORDER BY 1
            """
        ).fetchall()


def assert_whole(db: Path) -> int:
    rows = whole(db)
    for sid, na, nt, ni, ra, rt, ri, ev in rows:
        assert (na, nt, ni, 1) == (ra, rt, ri, ev), f"submission {sid} is not whole"
    return len(rows)


def test_backup_restore_gives_identical_views_and_originals(demo_db, tmp_path):
    out = tmp_path / "backup"
    manifest = backup(out)
    assert manifest["submissions"] > 0 and not manifest["missing_originals"]
    assert (out / "manifest.json").is_file()
    new = tmp_path / "restored" / "gg.duckdb"
    files = tmp_path / "restored" / "files"
    restore(out, new, files)
    assert views(new) == views(demo_db)
    with store.connect(new) as con:
        shas = store.stored_originals(con)
        assert store.table_counts(con) == manifest["tables"]
    for sha in shas:
        assert store.read_original(sha, files_root=files) == store.read_original(sha, demo_db)
    # The restored store goes on: a new upload gets a fresh id after every restored one.
    with store.connect(new) as con:
        result = ingest_bytes(con, good_workbook(con, "DOC", 2020, percent=33), "n.xlsx", "t")
        assert result.outcome == "accepted", result.problems
        assert result.submission_id > max(r[0] for r in views(demo_db)["submissions"])


@pytest.mark.parametrize("damage", ["altered", "missing", "extra", "no_manifest", "bad_manifest"])
def test_a_tampered_backup_is_refused_and_nothing_is_restored(demo_db, tmp_path, damage):
    out = tmp_path / "backup"
    backup(out)
    parquet = next((out / "db").glob("submission.parquet"))
    if damage == "altered":
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 0xFF
        parquet.write_bytes(bytes(data))
    elif damage == "missing":
        next((out / "files").rglob("*.xlsx")).unlink()
    elif damage == "extra":
        (out / "db" / "evil.parquet").write_bytes(parquet.read_bytes())
    elif damage == "no_manifest":
        (out / "manifest.json").unlink()
    else:
        manifest = json.loads((out / "manifest.json").read_text())
        manifest["tables"]["submission"] += 1
        (out / "manifest.json").write_text(json.dumps(manifest)[:-20])
    new = tmp_path / "r.duckdb"
    with pytest.raises(BackupError) as err:
        restore(out, new, tmp_path / "rfiles")
    assert not new.exists()
    text = str(err.value)
    assert any(w in text for w in ("manifest", "altered", "missing", "damaged")), text


def test_cli_backup_and_restore(demo_db, tmp_path):
    env = {**os.environ, "GG_DB": str(demo_db)}  # GG_FILES as the fixture set it

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    done = cli("backup", "-o", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert "MB" in done.stdout
    assert cli("backup", "-o", str(tmp_path / "b")).returncode == 1  # never into a used folder
    env["GG_FILES"] = str(tmp_path / "rfiles")
    done = cli("restore", str(tmp_path / "b"), "--db", str(tmp_path / "r.duckdb"))
    assert done.returncode == 0, done.stderr
    assert views(tmp_path / "r.duckdb") == views(demo_db)
    (tmp_path / "b" / "db" / "submission.parquet").write_text("DROP TABLE submission;")
    done = cli("restore", str(tmp_path / "b"), "--db", str(tmp_path / "r2.duckdb"))
    assert done.returncode == 1 and "submission.parquet" in done.stderr
    assert "Traceback" not in done.stderr


def test_backup_while_an_ingest_commits_in_this_process_has_none_of_it(
    catalog_con, db_env, tmp_path, monkeypatch
):
    """The app's own process: the backup reads a snapshot that an uncommitted ingest is not in."""
    data = good_workbook(catalog_con, "DOIT", 2019)
    paused, go_on = threading.Event(), threading.Event()

    def hook(name: str) -> None:
        if name == "tx:before-commit":
            paused.set()
            go_on.wait(30)

    monkeypatch.setattr(store, "crash_point", hook)
    outcome = {}

    def ingest() -> None:
        with store.connect(db_env) as con:
            outcome["r"] = ingest_bytes(con, data, "doit.xlsx", "t")

    worker = threading.Thread(target=ingest)
    worker.start()
    assert paused.wait(30)
    manifest = backup(tmp_path / "during")  # while the submission's rows are written, uncommitted
    go_on.set()
    worker.join(30)
    assert outcome["r"].outcome == "accepted"
    assert manifest["submissions"] == 0
    restore(tmp_path / "during", tmp_path / "r1.duckdb", tmp_path / "f1")
    assert assert_whole(tmp_path / "r1.duckdb") == 0
    backup(tmp_path / "after")
    restore(tmp_path / "after", tmp_path / "r2.duckdb", tmp_path / "f2")
    assert assert_whole(tmp_path / "r2.duckdb") == 1


def test_backup_while_another_process_commits_has_all_of_it(catalog_con, db_env, tmp_path):
    """Another process (CLI ingest) paused inside its commit: the backup has it whole or not at all."""
    wb = tmp_path / "doit.xlsx"
    wb.write_bytes(good_workbook(catalog_con, "DOIT", 2019))
    catalog_con.close()  # the ingest process needs the file for itself
    env = {**os.environ, "GG_TEST_PAUSE_AT": "tx:before-commit", "GG_TEST_PAUSE_SECONDS": "3"}
    ingest = subprocess.Popen([sys.executable, "-m", "loaders", "ingest", str(wb)], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = ""
        while "GG-PAUSED" not in line:
            line = ingest.stderr.readline()
            assert line or ingest.poll() is None, ingest.stdout.read()
        started = time.monotonic()
        manifest = backup(tmp_path / "during")  # a DuckDB file: waits for it, as the app would
        waited = time.monotonic() - started
        assert ingest.wait(60) == 0
    finally:
        if ingest.poll() is None:
            ingest.kill()
    if store.postgres_url(db_env):  # PostgreSQL: no waiting, the snapshot before the commit
        assert manifest["submissions"] == 0
    else:
        assert waited >= 1 and manifest["submissions"] == 1  # it did wait for the whole commit
    restore(tmp_path / "during", tmp_path / "r.duckdb", tmp_path / "f")
    assert assert_whole(tmp_path / "r.duckdb") == manifest["submissions"]

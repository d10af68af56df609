"""The PostgreSQL store (GG_DB=postgresql://...) against a real PostgreSQL server started for the tests.

The same ingest, withdraw and query path runs on a DuckDB file and on PostgreSQL and must give the same
rows in every documented view; backups move data between the two; several processes writing to one
PostgreSQL lose nothing. The rest of the ingest and query suite runs on PostgreSQL with
GG_TEST_BACKEND=postgres (make test-postgres).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from greengrowth import queries, store
from greengrowth.catalog import load_catalog
from loaders.backup import backup, restore
from loaders.ingest import ingest_bytes, withdraw
from tests.test_backup import assert_whole, views
from tests.test_concurrency import make_four_workbooks, run_writers_and_readers
from tests.workbooks import good_workbook

PLAN_ID = "binh-duong-2018-2020"
NOW = datetime(2020, 3, 1, 9, 0)


@pytest.fixture(params=["duckdb", "postgres"])
def target(request, tmp_path, monkeypatch) -> str:
    """A new empty store on each backend; originals in a folder of its own."""
    monkeypatch.setenv("GG_FILES", str(tmp_path / "files"))
    if request.param == "postgres":
        return request.getfixturevalue("pg_server").new_database()
    return str(tmp_path / "gg.duckdb")


_BOOKS: dict[tuple, bytes] = {}


def _book(con, department: str, period: int, percent: int = 50) -> bytes:
    """The same bytes for both backends (a workbook records the second it was written)."""
    key = (department, period, percent)
    if key not in _BOOKS:
        _BOOKS[key] = good_workbook(con, department, period, percent=percent)
    return _BOOKS[key]


def _story(target: str) -> dict[str, list]:
    """Catalog, two departments, a correction that supersedes, a dry run, a withdrawal, a duplicate."""
    with store.connect(target) as con:
        store.load_catalog(con, load_catalog(PLAN_ID))
        first = ingest_bytes(con, _book(con, "DOIT", 2019, 40), "a.xlsx", "lan", now=NOW)
        second = ingest_bytes(con, _book(con, "DOIT", 2019, 60), "b.xlsx", "lan", now=NOW)
        doc = _book(con, "DOC", 2020, 20)
        other = ingest_bytes(con, doc, "c.xlsx", "an", now=NOW)
        assert [r.outcome for r in (first, second, other)] == ["accepted"] * 3
        assert second.replaces == first.submission_id and len(second.changes) == 12
        dry = ingest_bytes(con, _book(con, "DONRE", 2019), "d.xlsx", "x", dry_run=True)
        assert dry.outcome == "would_accept"
        again = ingest_bytes(con, doc, "c2.xlsx", "an")
        assert again.outcome == "duplicate"
        withdraw(con, second.submission_id, "lan", "sai số liệu", now=NOW)
        with pytest.raises(ValueError):
            withdraw(con, second.submission_id, "lan", "again", now=NOW)
        current = queries.run(
            con, "current_submission", plan=PLAN_ID, department="DOIT", period=2019
        )
        assert int(current["submission_id"].iloc[0]) == first.submission_id
        assert store.data_version(con) > 0
    assert assert_whole(target) == 3
    return views(target)


def test_the_same_story_gives_the_same_views_on_both_backends(target, tmp_path):
    result = _story(target)
    assert all(result[v] for v in ("activity_catalog", "submissions", "activity_status_latest"))
    reference = tmp_path / "reference.duckdb"
    if store.postgres_url(target):  # PostgreSQL must agree with the DuckDB file, row for row
        assert result == _story(str(reference))


def test_a_backup_moves_a_store_between_duckdb_and_postgresql(pg_server, demo_db, tmp_path):
    """DuckDB file -> backup -> PostgreSQL -> backup -> DuckDB file: every view row for row."""
    expected = views(demo_db)
    backup(tmp_path / "from-duckdb")
    url = pg_server.new_database()
    restore(tmp_path / "from-duckdb", url, tmp_path / "pg-files")
    assert views(url) == expected
    backup(tmp_path / "from-pg", db=Path(url), files_root=tmp_path / "pg-files")
    restore(tmp_path / "from-pg", tmp_path / "back.duckdb", tmp_path / "back-files")
    assert views(tmp_path / "back.duckdb") == expected
    with store.connect(url) as con:  # ids go on after the restored ones
        result = ingest_bytes(con, good_workbook(con, "DOC", 2020, percent=33), "n.xlsx", "t")
        assert result.submission_id > max(r[0] for r in expected["submissions"])


@pytest.mark.timeout(600)
def test_processes_writing_to_one_postgresql_lose_nothing(pg_server, tmp_path):
    url = pg_server.new_database()
    books = make_four_workbooks(url, tmp_path / "files", tmp_path)
    store.close_pooled()
    print("\nPostgreSQL: " + run_writers_and_readers(url, tmp_path / "files", books, tmp_path))


def test_postgresql_needs_a_shared_originals_folder(monkeypatch):
    monkeypatch.delenv("GG_FILES", raising=False)
    with pytest.raises(store.StoreError, match="GG_FILES"):
        store.files_dir(Path("postgresql://u@h/db"))
    assert store.postgres_url(Path("postgresql://u@h:5432/db")) == "postgresql://u@h:5432/db"
    assert store.postgres_url(Path("data/gg.duckdb")) is None

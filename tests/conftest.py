"""Shared fixtures: throwaway DuckDB files in tmp_path, the demo database built once per session.

With GG_TEST_BACKEND=postgres the same fixtures give a fresh database on a throwaway PostgreSQL server
instead (tests/pg_server.py), so the ingest and query tests run unchanged against both stores.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from greengrowth import store
from greengrowth.catalog import load_catalog

PLAN_ID = "binh-duong-2018-2020"
BACKEND = os.environ.get("GG_TEST_BACKEND", "duckdb")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (started on first use)."""
    from tests.pg_server import PgServer

    server = PgServer()
    yield server
    server.stop()


# The app keeps its database file open between reads (ui/data.py); tests open the same files
# read-only right after a page run, which DuckDB refuses while a read-write connection is open in
# the process. tests/test_ui_data.py checks the keeping open itself.
os.environ.setdefault("GG_KEEP_OPEN_SECONDS", "0")


@pytest.fixture
def db_env(tmp_path, monkeypatch, request) -> Path:
    """Point GG_DB and GG_FILES at a fresh temporary location; returns the database path."""
    if BACKEND == "postgres":  # a URL; store.connect repairs what Path does to its "//"
        path = Path(request.getfixturevalue("pg_server").new_database())
    else:
        path = tmp_path / "gg.duckdb"
    monkeypatch.setenv("GG_DB", str(path))
    monkeypatch.setenv("GG_FILES", str(tmp_path / "files"))
    return path


@pytest.fixture
def catalog_con(db_env) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a new database holding the plan catalog and no submissions."""
    with store.connect(db_env) as con:
        store.load_catalog(con, load_catalog(PLAN_ID))
        yield con


@pytest.fixture(scope="session")
def demo_db_master(tmp_path_factory, request) -> Path:
    """The demo database, built once through the real template -> fill -> ingest path."""
    from loaders.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-master")
    with pytest.MonkeyPatch.context() as mp:  # originals go beside this database, not elsewhere
        mp.setenv("GG_FILES", str(folder / "files"))
        if BACKEND == "postgres":
            url = request.getfixturevalue("pg_server").new_database()
            build_demo(Path(url))
            store.close_pooled()  # a database with open connections cannot be copied
            (folder / "url").write_text(url)
        else:
            build_demo(folder / "demo.duckdb")
    return folder


@pytest.fixture
def demo_db(demo_db_master, tmp_path, monkeypatch, request) -> Path:
    """A private copy of the demo database (and its original files) that a test may change."""
    shutil.copytree(demo_db_master, tmp_path / "demo")
    path = tmp_path / "demo" / "demo.duckdb"
    if BACKEND == "postgres":
        template = (demo_db_master / "url").read_text().rsplit("/", 1)[1]
        store.close_pooled()  # pooled connections to the master would block copying it
        path = Path(request.getfixturevalue("pg_server").new_database(template=template))
    monkeypatch.setenv("GG_DB", str(path))
    monkeypatch.setenv("GG_FILES", str(tmp_path / "demo" / "files"))
    return path

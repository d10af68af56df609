"""Shared fixtures: throwaway DuckDB files in tmp_path, the demo database built once per session."""

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

# The app keeps its database file open between reads (ui/data.py); tests open the same files
# read-only right after a page run, which DuckDB refuses while a read-write connection is open in
# the process. tests/test_ui_data.py checks the keeping open itself.
os.environ.setdefault("GG_KEEP_OPEN_SECONDS", "0")


@pytest.fixture
def db_env(tmp_path, monkeypatch) -> Path:
    """Point GG_DB and GG_FILES at a fresh temporary location; returns the database path."""
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
def demo_db_master(tmp_path_factory) -> Path:
    """The demo database, built once through the real template -> fill -> ingest path."""
    from loaders.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-master")
    with pytest.MonkeyPatch.context() as mp:  # originals go beside this database, not elsewhere
        mp.setenv("GG_FILES", str(folder / "files"))
        build_demo(folder / "demo.duckdb")
    return folder


@pytest.fixture
def demo_db(demo_db_master, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo database (and its original files) that a test may change."""
    shutil.copytree(demo_db_master, tmp_path / "demo")
    path = tmp_path / "demo" / "demo.duckdb"
    monkeypatch.setenv("GG_DB", str(path))
    monkeypatch.setenv("GG_FILES", str(tmp_path / "demo" / "files"))
    return path

"""Fixtures for the leadership tests: a demo database built once, and a catalog-only one."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from greengrowth import store
from greengrowth.catalog import load_catalog

PLAN_ID = "binh-duong-2018-2020"


def _with_files(folder: Path, build) -> Path:
    old = os.environ.get("GG_FILES")
    os.environ["GG_FILES"] = str(folder / "files")
    try:
        build()
    finally:
        if old is None:
            os.environ.pop("GG_FILES", None)
        else:
            os.environ["GG_FILES"] = old
    return folder


@pytest.fixture(scope="session")
def leadership_demo(tmp_path_factory) -> Path:
    """Path of the demo database (built once per session; tests only read it)."""
    from loaders.demo import build_demo

    folder = tmp_path_factory.mktemp("leadership-demo")
    path = folder / "demo.duckdb"
    _with_files(folder, lambda: build_demo(path))
    return path


@pytest.fixture(scope="session")
def leadership_empty(tmp_path_factory) -> Path:
    """Path of a database holding the plan catalog and no submissions."""
    folder = tmp_path_factory.mktemp("leadership-empty")
    path = folder / "empty.duckdb"
    with store.connect(path) as con:
        store.load_catalog(con, load_catalog(PLAN_ID))
    return path


@pytest.fixture
def demo_con(leadership_demo):
    con = duckdb.connect(str(leadership_demo), read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_con(leadership_empty):
    con = duckdb.connect(str(leadership_empty), read_only=True)
    yield con
    con.close()

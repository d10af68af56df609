"""Fixtures for the leadership tests: a demo database built once, and a catalog-only one."""

from __future__ import annotations

from pathlib import Path

import pytest

from greengrowth import store
from greengrowth.catalog import load_catalog

PLAN_ID = "binh-duong-2018-2020"


@pytest.fixture(scope="session")
def leadership_demo(demo_db_master) -> Path:
    """Path of the session's demo database (tests/conftest.py builds it once; tests only read it)."""
    url = demo_db_master / "url"  # with GG_TEST_BACKEND=postgres the demo lives in PostgreSQL
    return Path(url.read_text()) if url.exists() else demo_db_master / "demo.duckdb"


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
    with store.connect(leadership_demo, read_only=True) as con:
        yield con


@pytest.fixture
def empty_con(leadership_empty):
    with store.connect(leadership_empty, read_only=True) as con:
        yield con


def catalog_counts(con) -> dict:
    """The catalog's own figures, from the catalog queries (never typed in as literals)."""
    from greengrowth.queries import catalog as catalog_queries
    from greengrowth.queries import dashboard as q

    plan = catalog_queries.plan(con, PLAN_ID)
    periods = int(plan["period_end"]) - int(plan["period_start"]) + 1
    reporting = len(catalog_queries.reporting_departments(con, PLAN_ID))
    acts = q.catalog_activities(con, PLAN_ID)
    adopted = acts[acts["adopted"]]
    return {
        "periods": periods,
        "reporting_departments": reporting,
        "expected_reports": reporting * periods,  # 11 departments x 3 years
        "adopted": len(adopted),
        "with_lead": int(adopted["lead"].notna().sum()),
        "tasks": len(q.priority_tasks(con, PLAN_ID, int(plan["period_end"]))),
    }

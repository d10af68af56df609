"""Every SQL query the app runs, by name, with $name parameters (never formatted user input).

One module per subject: catalog (the plan), submissions (uploads and history), dashboard (the
leadership pages' aggregates). `run(con, name, **params)` finds a query by name in any of them. DDL and
the documented views live in greengrowth/store.py.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries import catalog, cycle, dashboard, quality, scale, submissions
from greengrowth.queries.base import run_sql
from greengrowth.queries.catalog import department_scope, plan, reporting_departments
from greengrowth.queries.submissions import submission_rows

_MODULES = (catalog, submissions, dashboard, quality, scale, cycle)
SQL: dict[str, str] = {}
for _module in _MODULES:
    _clash = SQL.keys() & _module.SQL.keys()
    if _clash:  # one name, one query: a silent override would run the wrong SQL
        raise RuntimeError(f"query names defined twice: {sorted(_clash)} ({_module.__name__})")
    SQL.update(_module.SQL)

__all__ = ["SQL", "department_scope", "plan", "reporting_departments", "run", "submission_rows"]


def run(con: duckdb.DuckDBPyConnection, name: str, /, **params: object) -> pd.DataFrame:
    """Run the named query and return a DataFrame: `run(con, "name", plan=..., period=...)` binds
    `$plan`, `$period`. Keywords only, so a parameter can never land in the wrong place."""
    return run_sql(con, SQL[name], params)

"""The one place that executes SQL: parameters are always bound by name, never formatted into the text."""

from __future__ import annotations

import re

import duckdb
import pandas as pd

_PARAM = re.compile(r"\$([a-z_]+)")


def params_of(sql: str) -> set[str]:
    """The $names a query uses."""
    return set(_PARAM.findall(sql))


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """Execute a query with $name parameters and return a DataFrame.

    Only the names the query uses are bound (a caller may pass a page's whole filter set); a name the
    query needs and the caller did not give is an error that names it, not a silent NULL.
    """
    used = params_of(sql)
    missing = used - params.keys()
    if missing:
        raise TypeError(f"query parameters missing: {sorted(missing)}")
    return con.execute(sql, {k: v for k, v in params.items() if k in used}).df()

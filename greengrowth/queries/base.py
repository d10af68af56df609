"""The one place that executes SQL: parameters are always bound, never formatted into the text."""

from __future__ import annotations

import duckdb
import pandas as pd


def run_sql(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | tuple = ()
) -> pd.DataFrame:
    """Execute a query with ? (list) or $name (dict) parameters and return a DataFrame."""
    return con.execute(sql, params if isinstance(params, dict) else list(params)).df()

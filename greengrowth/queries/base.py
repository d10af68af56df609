"""The one place that executes SQL: parameters are always bound by name, never formatted into the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import duckdb
import pandas as pd

_PARAM = re.compile(r"\$([a-z_]+)")

# Results of queries already run against one unchanging state of the store, shared by the functions
# that ask the same question: a page's headline and its written summary both ask for the overview
# headline, the data date is asked three times. Planning a query costs more than running it (10-20 ms
# each, issue 11), so a page's first run after a data change asks each question once. Only a reader
# of one data version opens it (ui.data, around each cached read); never around a write.
_MEMO: ContextVar[dict | None] = ContextVar("query_memo", default=None)


@contextmanager
def memo(results: dict) -> Iterator[None]:
    """Within the block, run_sql answers a query it has already run with the same parameters from
    `results` (a dict the caller keeps per data version)."""
    token = _MEMO.set(results)
    try:
        yield
    finally:
        _MEMO.reset(token)


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
    bound = {k: v for k, v in params.items() if k in used}
    results = _MEMO.get()
    if results is None:
        return con.execute(sql, bound).df()
    key = (sql, tuple(sorted((k, repr(v)) for k, v in bound.items())))
    frame = results.get(key)
    if frame is None:
        frame = results[key] = con.execute(sql, bound).df()
    return frame.copy()  # a caller may change its frame

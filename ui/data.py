"""Cached access to the store, keyed by the data version, so reruns never recompute unchanged results.

Pages call `load(fn, plan_id=..., period=...)` with a function from greengrowth.queries (keywords, so
a parameter never lands in the wrong place); the result is cached per database file, data version and
arguments. Any write (upload, withdrawal, catalog reload) bumps the version.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from greengrowth import store
from greengrowth.catalog import available_plans
from greengrowth.catalog import load_catalog as read_catalog
from greengrowth.queries.base import memo
from ui.state import approved_only


def db_file() -> str:
    return str(store.db_path())


# Opening the DuckDB file costs ~17 ms when no other connection is open, and a page calls `load` many
# times per rerun; so the version is remembered for a second. Writes made by this process (uploads,
# withdrawals) are seen at once through store.local_writes(); other processes' (the CLI) within a second.
VERSION_TTL_SECONDS = 1.0
_version_memo: dict[str, tuple[float, int, int]] = {}


def data_version() -> int:
    db = db_file()
    now, writes = time.monotonic(), store.local_writes()
    memo = _version_memo.get(db)
    if memo and memo[2] == writes and now - memo[0] < VERSION_TTL_SECONDS:
        return memo[1]
    _keep_open(db)
    with store.connect(Path(db)) as con:
        version = store.data_version(con)
    _version_memo[db] = (now, version, writes)
    return version


# Each `store.connect` that finds no other connection to the file starts a new DuckDB instance, whose
# block cache is empty: every cache miss then reads its tables from disk again. At the national scale
# (63 plans, 10,000 submissions) that made a page's first run after a data change 2-5 s instead of
# 0.3 s (bench/bench_pages.py). So one connection is kept open while people use the app and closed
# after KEEP_OPEN_SECONDS without a read, so that another process (the CLI) can open the file in a
# quiet moment. GG_KEEP_OPEN_SECONDS=0 turns this off (every read opens and closes the file).
KEEP_OPEN_SECONDS = float(os.environ.get("GG_KEEP_OPEN_SECONDS", "10"))
_kept: dict[str, list] = {}  # db -> [context manager of the open connection, last use]
_kept_lock = threading.Lock()


def _keep_open(db: str) -> None:
    if KEEP_OPEN_SECONDS <= 0 or store.postgres_url(db):  # PostgreSQL: pooled by store.connect
        return
    with _kept_lock:
        entry = _kept.get(db)
        if entry is not None:
            entry[1] = time.monotonic()
            return
        holder = store.connect(Path(db))
        holder.__enter__()
        _kept[db] = [holder, time.monotonic()]
        if len(_kept) == 1:
            threading.Thread(target=_close_idle, name="gg-keep-open", daemon=True).start()


def keep_open() -> None:
    """Open the store now and keep it open (the server's warm-up, ui/warmup.py)."""
    _keep_open(db_file())


def _close_idle() -> None:
    """Close kept connections unused for KEEP_OPEN_SECONDS; the thread ends when none is left."""
    while True:
        time.sleep(min(1.0, KEEP_OPEN_SECONDS / 2))
        with _kept_lock:
            now = time.monotonic()
            for db, (holder, last) in list(_kept.items()):
                if now - last >= KEEP_OPEN_SECONDS:
                    del _kept[db]
                    holder.__exit__(None, None, None)
            if not _kept:
                return


def release() -> None:
    """Close the kept connections now (tests, or before another process must write the file)."""
    with _kept_lock:
        for holder, _ in _kept.values():
            holder.__exit__(None, None, None)
        _kept.clear()


# Below the per-function cache: the results of single queries for the newest data version of each
# database (greengrowth.queries.base.memo), so that two functions asking the same question (a page's
# headline and its written summary) plan and run that query once. Bounded; older versions dropped.
MEMO_MAX_ENTRIES = 2048
_memos: dict[str, tuple[int, dict]] = {}
_memos_lock = threading.Lock()


def _memo_for(db: str, version: int) -> dict:
    with _memos_lock:
        held = _memos.get(db)
        if held is None or held[0] != version or len(held[1]) > MEMO_MAX_ENTRIES:
            held = _memos[db] = (version, {})
        return held[1]


def forget() -> None:
    """Empty every cache of this module (what a data change does; tests and benchmarks)."""
    _cached.clear()
    _version_memo.clear()
    with _memos_lock:
        _memos.clear()


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(db: str, version: int, func: str, args: tuple, kwargs: tuple = ()):
    module, name = func.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    with store.connect(Path(db)) as con, memo(_memo_for(db, version)):
        return fn(con, *args, **dict(kwargs))


def load(fn: Callable, *args, **kwargs):
    """Result of fn(con, *args, **kwargs), cached until the data changes. Pass parameters as keywords
    (positional: only the name for queries.run); tests/test_docs_and_architecture.py checks it."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    _keep_open(db_file())
    if getattr(fn, "approvable", False) and "approved_only" not in kwargs:
        kwargs["approved_only"] = approved_only()  # the URL switch, for every leadership aggregate
    return _cached(db_file(), data_version(), key, tuple(args), tuple(sorted(kwargs.items())))


@st.cache_resource(show_spinner=False)
def _prepared(db: str) -> bool:
    path = Path(db)
    # Never add demo rows to a store that already exists; a PostgreSQL store is never "new" here
    # (it is shared by servers and set up by an operator: see README "Running for many users").
    is_new = store.postgres_url(db) is None and not path.exists()
    with store.connect(path) as con:
        if not store.plan_ids(con):
            for plan_id in available_plans():
                store.load_catalog(con, read_catalog(plan_id))
    if is_new and os.environ.get("GG_NO_DEMO") != "1":
        from loaders.demo import build_demo  # imported late: only the first start needs it

        build_demo(path)
    return True


def ensure_database() -> None:
    """On first start (no database file yet) load the catalog and build the illustrative demo data.

    GG_NO_DEMO=1 starts with the catalog only (an empty store), as tests and real deployments want.
    """
    _prepared(db_file())

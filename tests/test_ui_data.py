"""ui.data keeps the database open between reads while the app is used, and lets go when idle."""

from __future__ import annotations

import time

import duckdb
import pytest

from greengrowth import store
from greengrowth.queries.base import memo, run_sql
from ui import data


def _read_only_open_works(path) -> bool:
    """A read-only connection is refused while this process holds the file open read-write."""
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.ConnectionException:
        return False
    return True


@pytest.fixture
def closed_db(db_env):
    """A database file with the schema, and no connection left open."""
    with store.connect(db_env):
        pass
    return db_env


@pytest.fixture
def keep_open(monkeypatch, closed_db):
    monkeypatch.setattr(data, "KEEP_OPEN_SECONDS", 0.6)
    yield closed_db
    data.release()


def test_kept_open_between_reads_then_closed_when_idle(keep_open):
    path = keep_open
    data._keep_open(str(path))
    assert str(path) in data._kept
    assert not _read_only_open_works(path)  # the file is held by the kept connection
    with store.connect(path) as con:  # and the app's own connections still open as usual
        assert store.data_version(con) >= 0
    deadline = time.monotonic() + 10
    while str(path) in data._kept and time.monotonic() < deadline:
        time.sleep(0.1)
    assert str(path) not in data._kept
    assert _read_only_open_works(path)


def test_release_closes_at_once(keep_open):
    data._keep_open(str(keep_open))
    data.release()
    assert data._kept == {}
    assert _read_only_open_works(keep_open)


def test_off_when_zero(monkeypatch, closed_db):
    monkeypatch.setattr(data, "KEEP_OPEN_SECONDS", 0)
    data._keep_open(str(closed_db))
    assert data._kept == {}


def test_a_read_only_connection_in_the_app_process_still_reads(keep_open):
    """store.connect(read_only=True) (the history page's service does it) while the file is kept
    open read-write in this process: DuckDB refuses that configuration, the store falls back."""
    data._keep_open(str(keep_open))
    with store.connect(keep_open, read_only=True) as con:
        assert store.data_version(con) >= 0


class _Counting:
    """A connection that counts the queries it runs."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.calls = con, 0

    def execute(self, *args):
        self.calls += 1
        return self.con.execute(*args)


def test_one_question_asked_twice_under_a_memo_is_run_once(catalog_con):
    con = _Counting(catalog_con)
    sql = "SELECT plan_id, period_start FROM plan WHERE plan_id = $plan"
    plan_id = store.plan_ids(catalog_con)[0]
    with memo({}):
        first = run_sql(con, sql, {"plan": plan_id})
        first["plan_id"] = "changed by its caller"
        again = run_sql(con, sql, {"plan": plan_id, "period": 2020})  # period unused: same query
        other = run_sql(con, sql, {"plan": "another plan"})
    assert con.calls == 2
    assert again["plan_id"].tolist() == [plan_id]  # a copy: the first caller's change is not seen
    assert other.empty
    run_sql(con, sql, {"plan": plan_id})  # without a memo every call runs
    assert con.calls == 3


def test_the_memo_holds_one_data_version(closed_db):
    db = str(closed_db)
    old = data._memo_for(db, 1)
    old["q"] = "result"
    assert data._memo_for(db, 1) is old
    new = data._memo_for(db, 2)  # a write bumped the version: nothing from before is reused
    assert new == {} and data._memo_for(db, 2) is new
    data.forget()
    assert data._memos == {}

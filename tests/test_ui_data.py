"""ui.data keeps the database open between reads while the app is used, and lets go when idle."""

from __future__ import annotations

import time

import duckdb
import pytest

from greengrowth import store
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

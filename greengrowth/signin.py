"""Sign-in attempts counted in the store per user name (issue #9), not per browser session: a new tab
or browser must not reset the count. After MAX_FAILURES failures within WINDOW the name waits until
the oldest of them is WINDOW old; every attempt (ok, failed, refused while waiting) is in the event
log (signin_event, append-only)."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from greengrowth import clock, queries, store

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


def _key(username: str) -> str:
    return (username or "").strip().casefold()[:200]


def wait_seconds(con: duckdb.DuckDBPyConnection, username: str, now: datetime | None = None) -> int:
    """Seconds this user name must wait before trying again (0: it may try now).

    Counts failures within the window after the newest successful sign-in."""
    now = now or clock.now()
    events = queries.cycle.signin_events(con, _key(username), now - WINDOW)
    if events.empty:
        return 0
    ok = events.index[events["outcome"] == "ok"]
    if len(ok):
        events = events.loc[ok[-1] + 1 :]
    failures = list(events.loc[events["outcome"] == "failed", "event_at"])
    if len(failures) < MAX_FAILURES:
        return 0
    oldest = failures[-MAX_FAILURES]
    return max(1, int((oldest + WINDOW - now).total_seconds()) + 1)


def record(
    con: duckdb.DuckDBPyConnection, username: str, outcome: str, now: datetime | None = None
) -> None:
    """Append one attempt: ok, failed, or locked (refused while the name waits)."""
    store.record_signin(con, _key(username), outcome, now or clock.now())

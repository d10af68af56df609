"""Sign-in attempts counted in the store per user name (issue #9), not per browser session: a new tab
or browser must not reset the count. After MAX_FAILURES failures within WINDOW the name waits until
the oldest of them is WINDOW old; every attempt (ok, failed, refused while waiting) is in the event
log (signin_event, append-only).

Sign-ins through the province's identity provider (OpenID Connect) and sign-outs are in the same log:
the actor is then the SSO identity (greengrowth.auth.sso_identity), kept exactly as the provider gave
it (a subject is case-sensitive), and they never count as failures."""

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


def record_sso(
    con: duckdb.DuckDBPyConnection, identity: str, outcome: str, now: datetime | None = None
) -> None:
    """Append an identity-provider sign-in (`ok`) or a sign-out (`signout`) of an SSO identity."""
    if outcome not in ("ok", "signout"):
        raise ValueError(f"an SSO sign-in is ok or signout, not {outcome!r}")
    store.record_signin(con, (identity or "").strip()[:200], outcome, now or clock.now())

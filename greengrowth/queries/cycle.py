"""Queries of the reporting cycle (issue #9): a report's state, the review queue, who still owes a
report, the value history, the event log and recent sign-in failures."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

SQL: dict[str, str] = {
    "report_state": """
        SELECT state, submission_id, decided_by, decided_at, comment FROM report_status
        WHERE plan_id = $plan AND department_code = $department AND period = $period""",
    # Every report of a period with its state, department names and current submission.
    "period_reports": """
        SELECT r.department_code, d.acronym, d.name_vi, d.name_en, r.period, r.state,
               r.submission_id, r.decided_by, r.decided_at, r.comment,
               s.uploaded_by, s.uploaded_at, s.file_name, s.reported_on, s.derived_from
        FROM report_status r
        JOIN department d USING (plan_id, department_code)
        LEFT JOIN submissions s USING (submission_id)
        WHERE r.plan_id = $plan AND r.period = $period
        ORDER BY r.department_code""",
    # Submitted reports awaiting review, oldest first, with what to compare them against: the newest
    # approved submission of the same report (before a reopen), else the department's approved
    # report of the latest earlier period.
    "review_queue": """
        SELECT r.plan_id, r.department_code, d.acronym, d.name_vi, d.name_en, r.period,
               r.submission_id, s.uploaded_by, s.uploaded_at, s.file_name, s.derived_from,
               (SELECT max(x.submission_id) FILTER (WHERE x.decision = 'approved')
                FROM report_decision x
                WHERE x.plan_id = r.plan_id AND x.department_code = r.department_code
                  AND x.period = r.period AND x.submission_id <> r.submission_id)
                   AS last_approved,
               (SELECT arg_max(e.submission_id, e.period) FROM report_status e
                WHERE e.plan_id = r.plan_id AND e.department_code = r.department_code
                  AND e.period < r.period AND e.state = 'approved') AS earlier_approved,
               count(*) OVER () AS total
        FROM report_status r
        JOIN department d USING (plan_id, department_code)
        JOIN submissions s USING (submission_id)
        WHERE r.plan_id = $plan AND r.state = 'submitted'
        ORDER BY s.uploaded_at, r.submission_id
        LIMIT $limit OFFSET $offset""",
    "approved_reports": """
        SELECT r.department_code, d.acronym, r.period, r.submission_id, r.decided_by,
               r.decided_at
        FROM report_status r JOIN department d USING (plan_id, department_code)
        WHERE r.plan_id = $plan AND r.state = 'approved'
        ORDER BY r.period DESC, r.department_code""",
    # Not approved, named as each language names departments: the acronym in English, the short
    # Vietnamese name (Sở NN&PTNT) in Vietnamese documents.
    "approval_count": """
        SELECT count(*) FILTER (WHERE r.state = 'approved') AS approved, count(*) AS expected,
               list(r.department_code ORDER BY r.department_code)
                   FILTER (WHERE r.state <> 'approved') AS not_approved,
               list(coalesce(d.short_vi, d.name_vi, r.department_code) ORDER BY r.department_code)
                   FILTER (WHERE r.state <> 'approved') AS not_approved_vi
        FROM report_status r
        LEFT JOIN department d ON d.plan_id = r.plan_id AND d.department_code = r.department_code
        WHERE r.plan_id = $plan AND r.period = $period""",
    "value_history": """
        SELECT * FROM value_history
        WHERE plan_id = $plan AND kind = $kind AND item = $item
        ORDER BY changed_at DESC, submission_id DESC, field""",
    "event_log": """
        SELECT event_at, event, actor, department_code, period, submission_id, detail
        FROM event_log
        WHERE (plan_id = $plan OR plan_id IS NULL)
        ORDER BY event_at DESC LIMIT $limit""",
    # What a rebuild copies besides the submissions, oldest first (loaders/rebuild.py).
    "rebuild_decisions": """
        SELECT plan_id, department_code, period, submission_id, decision, decided_by, decided_at,
               comment
        FROM report_decision ORDER BY decision_id""",
    "rebuild_signins": "SELECT username, outcome, event_at FROM signin_event ORDER BY signin_id",
    "signin_events": """
        SELECT event_at, outcome FROM signin_event
        WHERE username = $username AND event_at >= $since ORDER BY event_at, signin_id""",
}


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    return run_sql(con, SQL[name], params)


def report_state(
    con: duckdb.DuckDBPyConnection, plan_id: str, department: str, period: int
) -> dict | None:
    """One report's row in report_status, or None when the department reports nothing then."""
    frame = _run(con, "report_state", plan=plan_id, department=department, period=period)
    return None if frame.empty else frame.iloc[0].to_dict()


def period_reports(con: duckdb.DuckDBPyConnection, plan_id: str, period: int) -> pd.DataFrame:
    """Every expected or received report of one period with its state."""
    return _run(con, "period_reports", plan=plan_id, period=period)


def review_queue(
    con: duckdb.DuckDBPyConnection, plan_id: str, page: int = 0, page_size: int | None = None
) -> pd.DataFrame:
    """Reports awaiting DPI's review, oldest upload first: all of them, or one page (0-based) of
    `page_size` cut in SQL (a national plan can have a hundred waiting; issue 11). Column `total`:
    how many are waiting in all."""
    offset = page * page_size if page_size else 0
    return _run(con, "review_queue", plan=plan_id, limit=page_size, offset=offset)


def approved_reports(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Approved (locked) reports, newest period first: what an admin may reopen."""
    return _run(con, "approved_reports", plan=plan_id)


def approval_count(con: duckdb.DuckDBPyConnection, plan_id: str, period: int) -> dict:
    """How many of a period's expected reports are approved, and which are not."""
    row = _run(con, "approval_count", plan=plan_id, period=period).iloc[0].to_dict()
    for column in ("not_approved", "not_approved_vi"):
        missing = row[column]
        row[column] = [] if missing is None or not len(missing) else list(missing)
    return row


def value_history(
    con: duckdb.DuckDBPyConnection, plan_id: str, kind: str, item: str
) -> pd.DataFrame:
    """Every change of one activity's, task's or indicator's stored values, newest first."""
    return _run(con, "value_history", plan=plan_id, kind=kind, item=str(item))


def event_log(con: duckdb.DuckDBPyConnection, plan_id: str, limit: int = 200) -> pd.DataFrame:
    """The newest events of the append-only log (uploads, decisions, sign-ins)."""
    return _run(con, "event_log", plan=plan_id, limit=limit)


def signin_events(con: duckdb.DuckDBPyConnection, username: str, since: datetime) -> pd.DataFrame:
    """One user name's sign-in attempts since a moment, oldest first."""
    return _run(con, "signin_events", username=username, since=since)

"""Queries about submissions: history, one submission's rows, the current one per department."""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

SQL: dict[str, str] = {
    # Everything needed to replay a database from its stored originals, oldest first.
    "rebuild_order": """
        SELECT submission_id, file_name, sha256, uploaded_by, uploaded_at, derived_from, status,
               withdrawn_by, withdrawn_at, withdrawn_reason
        FROM submissions ORDER BY submission_id""",
    # ---- submissions ----------------------------------------------------------------------
    # A withdrawn file may come back (it is stored again as a new submission); an accepted one not.
    "submission_by_sha": """
        SELECT submission_id, status FROM submissions WHERE sha256 = $sha AND status = 'accepted'""",
    "current_submission": """
        SELECT submission_id, uploaded_at, reported_on FROM current_submissions
        WHERE plan_id = $plan AND department_code = $department AND period = $period""",
    "submission_activity_rows": """
        SELECT activity_no, status, percent_complete, done_text, difficulties
        FROM activity_report WHERE submission_id = $submission ORDER BY activity_no""",
    "submission_task_rows": """
        SELECT task_id, status, achieved_value, completed_on, note
        FROM priority_task_report WHERE submission_id = $submission ORDER BY task_id""",
    "submission_indicator_rows": """
        SELECT indicator_code, district_code, year, value, note
        FROM indicator_value WHERE submission_id = $submission
        ORDER BY indicator_code, district_code NULLS FIRST, year""",
    "submission_spending_rows": """
        SELECT activity_no, funding_source, amount_million_vnd
        FROM activity_spending WHERE submission_id = $submission ORDER BY activity_no, funding_source""",
    "submission": "SELECT * FROM submissions WHERE submission_id = $submission",
    "submission_history": """
        SELECT s.submission_id, s.uploaded_at, s.uploaded_by, s.file_name, s.department_code,
               s.period, s.reported_on, s.n_activity_rows, s.n_task_rows, s.n_indicator_rows,
               s.status, s.derived_from, s.illustrative, s.withdrawn_reason,
               (c.submission_id IS NOT NULL) AS is_current,
               coalesce(s.n_activity_rows, 0) + coalesce(s.n_task_rows, 0)
                   + coalesce(s.n_indicator_rows, 0) AS n_rows,
               CASE WHEN s.status = 'withdrawn' THEN 'withdrawn'
                    WHEN c.submission_id IS NOT NULL THEN 'current'
                    ELSE 'superseded' END AS state,
               s.withdrawn_at, s.withdrawn_by
        FROM submissions s LEFT JOIN current_submissions c USING (submission_id)
        WHERE s.plan_id = $plan ORDER BY s.uploaded_at DESC, s.submission_id DESC""",
    # Everything recorded about one submission: accepted, then possibly withdrawn (never deleted).
    "submission_events": """
        SELECT event, event_at, actor, reason FROM submission_event
        WHERE submission_id = $submission ORDER BY event_at, event_id""",
}


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """One of this module's named queries (callers outside use greengrowth.queries.run)."""
    return run_sql(con, SQL[name], params)


def submission_rows(con: duckdb.DuckDBPyConnection, submission: int) -> dict[str, pd.DataFrame]:
    """Everything one submission reported, table by table."""
    return {
        "activities": _run(con, "submission_activity_rows", submission=submission),
        "spending": _run(con, "submission_spending_rows", submission=submission),
        "tasks": _run(con, "submission_task_rows", submission=submission),
        "indicators": _run(con, "submission_indicator_rows", submission=submission),
    }


def submission_history(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Every submission of a plan, newest first, with its state (current, superseded, withdrawn)."""
    return _run(con, "submission_history", plan=plan_id)


def submission(con: duckdb.DuckDBPyConnection, submission: int) -> dict | None:
    """One submission (from the submissions view), or None."""
    frame = _run(con, "submission", submission=submission)
    return None if frame.empty else frame.iloc[0].to_dict()


def submission_events(con: duckdb.DuckDBPyConnection, submission: int) -> pd.DataFrame:
    """What happened to one submission, oldest first."""
    return _run(con, "submission_events", submission=submission)


def current_submission(
    con: duckdb.DuckDBPyConnection, plan_id: str, department: str, period: int
) -> int | None:
    """The id of the current submission for a department and period, or None."""
    frame = _run(con, "current_submission", plan=plan_id, department=department, period=period)
    return None if frame.empty else int(frame["submission_id"].iloc[0])

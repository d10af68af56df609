"""Reads for the data-quality rules (greengrowth/quality.py): the current data of one plan, whole.

The rules compare values with each other (year on year, across districts, between indicators) and
with the department's previous accepted report, so they read a plan's current data at once and work
on it in pandas; these queries only select, with $name parameters.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

# Each current submission of a plan (cur) and the same department's previous accepted report
# (prev): what the "going backwards" rules compare, for activities and tasks alike.
_CURRENT_AND_PREVIOUS = """WITH cur AS (
            SELECT department_code, period, submission_id FROM current_submissions
            WHERE plan_id = $plan),
        prev AS (
            SELECT c.submission_id, p.period AS prev_period, p.submission_id AS prev_submission_id
            FROM cur c JOIN cur p ON p.department_code = c.department_code AND p.period < c.period
            QUALIFY row_number() OVER (PARTITION BY c.submission_id ORDER BY p.period DESC) = 1)"""

# Current activity (task) rows beside the same activity (task) in the department's previous
# accepted report; they read cur and prev above.
_ACTIVITY_PAIRS = """
        SELECT c.department_code, c.period, c.submission_id, a.activity_no AS key,
               a.status, a.percent_complete, x.prev_period,
               b.status AS prev_status, b.percent_complete AS prev_percent
        FROM cur c
        JOIN activity_report a USING (submission_id)
        JOIN prev x USING (submission_id)
        JOIN activity_report b
            ON b.submission_id = x.prev_submission_id AND b.activity_no = a.activity_no"""
_TASK_PAIRS = """
        SELECT c.department_code, c.period, c.submission_id, a.task_id AS key,
               a.status, NULL::DOUBLE AS percent_complete, x.prev_period,
               b.status AS prev_status, NULL::DOUBLE AS prev_percent
        FROM cur c
        JOIN priority_task_report a USING (submission_id)
        JOIN prev x USING (submission_id)
        JOIN priority_task_report b
            ON b.submission_id = x.prev_submission_id AND b.task_id = a.task_id"""

SQL: dict[str, str] = {
    # The department's accepted report for the latest period before $period (what an upload's
    # statuses are compared with; its rows come from submission_rows).
    "quality_previous_submission": """
        SELECT submission_id, period FROM current_submissions
        WHERE plan_id = $plan AND department_code = $department AND period < $period
        ORDER BY period DESC LIMIT 1""",
    # Every current indicator value, with the submission that supplied it.
    "quality_indicator_values": """
        SELECT department_code, period, submission_id, indicator_code, district_code, year, value
        FROM indicator_values_latest WHERE plan_id = $plan""",
    "quality_activity_pairs": f"{_CURRENT_AND_PREVIOUS} {_ACTIVITY_PAIRS}",
    "quality_task_pairs": f"{_CURRENT_AND_PREVIOUS} {_TASK_PAIRS}",
    # Current task rows that carry a completion date, with the report's own date.
    "quality_task_dates": """
        SELECT department_code, period, submission_id, reported_on, task_id, completed_on
        FROM priority_task_status_latest
        WHERE plan_id = $plan AND completed_on IS NOT NULL""",
}

# The same reads scoped to what one write can change (loaders.quality_check.refresh_after): one
# department's submissions (its statuses are compared only with its own earlier reports) and the
# indicator codes a write touched, closed under the relations (greengrowth.quality.related_codes).
_ONE_DEPARTMENT = "WHERE plan_id = $plan AND department_code = $department"
SQL |= {
    # quality_activity_pairs and quality_task_pairs of one department in one query (each query that
    # reads current_submissions costs ~5 ms), told apart by `kind`; the key as text.
    "quality_pairs_department": _CURRENT_AND_PREVIOUS.replace(
        "WHERE plan_id = $plan", _ONE_DEPARTMENT, 1
    )
    + f"""
        SELECT 'activity' AS kind, * REPLACE (CAST(key AS VARCHAR) AS key) FROM ({_ACTIVITY_PAIRS})
        UNION ALL
        SELECT 'task' AS kind, * FROM ({_TASK_PAIRS})""",
    "quality_task_dates_department": SQL["quality_task_dates"].replace(
        "WHERE plan_id = $plan", _ONE_DEPARTMENT, 1
    ),
    "quality_indicator_values_codes": SQL["quality_indicator_values"]
    + " AND list_contains($codes::VARCHAR[], indicator_code)",
    # Each department and period with a current report (bench/bench_ingest_scale.py).
    "quality_current_reports": """
        SELECT department_code, period FROM current_submissions WHERE plan_id = $plan
        ORDER BY department_code, period""",
    # Every indicator code any submission of one department and period holds: the values of
    # indicator_values_latest that storing or withdrawing one of them can change.
    "quality_codes_of_report": """
        SELECT DISTINCT v.indicator_code
        FROM submission s JOIN indicator_value v USING (submission_id)
        WHERE s.plan_id = $plan AND s.department_code = $department AND s.period = $period
        ORDER BY 1""",
}

# ---- the stored warnings (data_quality_warnings) and the data-quality page -----------------------
SQL |= {
    # The explanation each submission was stored with (a warnings_accepted event), latest first.
    "quality_explanations": """
        SELECT e.submission_id, e.reason AS explanation
        FROM submission_event e JOIN submission s USING (submission_id)
        WHERE s.plan_id = $plan AND e.event = 'warnings_accepted'
        QUALIFY row_number() OVER (PARTITION BY e.submission_id ORDER BY e.event_id DESC) = 1""",
    # Every current warning of a plan, as the documented view has it.
    "quality_stored_warnings": """
        SELECT * FROM data_quality_warnings WHERE plan_id = $plan
        ORDER BY period, department_code, importance, rule, sheet, "row" NULLS LAST""",
    # One submission's current warnings (history page facts).
    "quality_submission_warnings": """
        SELECT * FROM data_quality_warnings WHERE submission_id = $submission
        ORDER BY sheet, "row" NULLS LAST, rule""",
    # Indicator values the leaders' pages show that carry an unexplained high-importance warning.
    "quality_flagged_values": """
        SELECT DISTINCT indicator_code, district_code, year, department_code, period, submission_id
        FROM data_quality_warnings
        WHERE plan_id = $plan AND kind = 'indicator' AND importance = 'high'
          AND explanation IS NULL
        ORDER BY indicator_code, year""",
    # Completeness of content: activities a department leads, and how many its current report
    # for each period gives a status (WHO DQR: completeness of indicator data).
    "quality_activity_completeness": """
        WITH leads AS (
            SELECT DISTINCT department_code, activity_no FROM activity_lead WHERE plan_id = $plan),
        cur AS (
            SELECT department_code, period, submission_id FROM current_submissions
            WHERE plan_id = $plan)
        SELECT c.department_code, c.period, c.submission_id,
               count(l.activity_no) AS activities_led, count(r.activity_no) AS with_status
        FROM cur c
        JOIN leads l USING (department_code)
        LEFT JOIN activity_report r
            ON r.submission_id = c.submission_id AND r.activity_no = l.activity_no
        GROUP BY ALL ORDER BY c.period, c.department_code""",
}
# Every explanation in the store, for the rebuild (replayed with its submission).
SQL["quality_all_explanations"] = """
    SELECT submission_id, reason AS explanation FROM submission_event
    WHERE event = 'warnings_accepted'
    QUALIFY row_number() OVER (PARTITION BY submission_id ORDER BY event_id DESC) = 1"""
SQL["quality_submission_explanation"] = """
    SELECT reason AS explanation FROM submission_event
    WHERE submission_id = $submission AND event = 'warnings_accepted'
    ORDER BY event_id DESC LIMIT 1"""


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    return run_sql(con, SQL[name], params)


def stored_warnings(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Every current warning of a plan (the data_quality_warnings view)."""
    return _run(con, "quality_stored_warnings", plan=plan_id)


def submission_warnings(con: duckdb.DuckDBPyConnection, submission: int) -> pd.DataFrame:
    """One submission's current warnings."""
    return _run(con, "quality_submission_warnings", submission=submission)


def submission_explanation(con: duckdb.DuckDBPyConnection, submission: int) -> str | None:
    """The explanation the submission was stored with, if it had warnings."""
    frame = _run(con, "quality_submission_explanation", submission=submission)
    return None if frame.empty else str(frame["explanation"].iloc[0])


def flagged_values(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Indicator values with an unexplained high-importance warning (leaders' pages mark them)."""
    return _run(con, "quality_flagged_values", plan=plan_id)


def activity_completeness(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Per department and period: activities led and how many the current report gives a status."""
    return _run(con, "quality_activity_completeness", plan=plan_id)

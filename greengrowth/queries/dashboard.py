"""Aggregates for the leadership pages. All aggregation happens here, in DuckDB.

The building block is `activity_period_status`: every adopted activity with the status its lead
department reported for one period, or 'not_reported' when no current submission covers it (a missing
report is shown as such, never guessed).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

# One row per adopted activity for (plan_id, period): status reported by its lead, or not_reported.
_ACTIVITY_PERIOD_STATUS = """
    WITH leads AS (
        SELECT plan_id, activity_no, min(department_code) AS department_code
        FROM activity_lead WHERE plan_id = $plan GROUP BY ALL
    ), reported AS (
        SELECT s.activity_no, s.status, s.percent_complete, s.department_code, s.reported_on
        FROM activity_status_latest s
        JOIN activity_lead l USING (plan_id, activity_no, department_code)
        WHERE s.plan_id = $plan AND s.period = $period
        QUALIFY row_number() OVER (PARTITION BY s.activity_no ORDER BY s.percent_complete) = 1
    )
    SELECT a.activity_no, a.theme_no, a.group_code, a.title_vi, a.title_en,
           l.department_code,
           coalesce(r.status, 'not_reported') AS status,
           r.percent_complete, r.reported_on
    FROM activity a
    LEFT JOIN leads l USING (plan_id, activity_no)
    LEFT JOIN reported r USING (activity_no)
    WHERE a.plan_id = $plan AND a.adopted
"""

SQL: dict[str, str] = {
    "activity_period_status": _ACTIVITY_PERIOD_STATUS + " ORDER BY a.activity_no",
    "periods_with_data": """
        SELECT DISTINCT period FROM current_submissions WHERE plan_id = $plan ORDER BY period""",
    "overview_headline": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT
            (SELECT count(*) FROM activity WHERE plan_id = $plan AND adopted) AS adopted,
            (SELECT count(*) FROM activity WHERE plan_id = $plan) AS national,
            count(*) FILTER (WHERE status = 'completed') AS completed,
            count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
            count(*) FILTER (WHERE status = 'not_started') AS not_started,
            count(*) FILTER (WHERE status = 'delayed') AS delayed,
            count(*) FILTER (WHERE status = 'on_hold') AS on_hold,
            count(*) FILTER (WHERE status = 'not_reported') AS not_reported,
            avg(percent_complete) AS mean_percent_reported,
            max(reported_on) AS data_date
        FROM s""",
    "status_counts": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT status, count(*) AS activities FROM s GROUP BY status""",
    "progress_by_theme": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT t.theme_no, t.title_vi, t.title_en, s.status, count(*) AS activities,
               avg(s.percent_complete) AS mean_percent
        FROM s JOIN theme t ON t.plan_id = $plan AND t.theme_no = s.theme_no
        GROUP BY ALL ORDER BY t.theme_no, s.status""",
    "data_date": """
        SELECT max(reported_on) AS data_date, bool_or(illustrative) AS illustrative
        FROM current_submissions WHERE plan_id = $plan""",
}


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict | list | tuple = ()
) -> pd.DataFrame:
    """Run one of this module's named queries (named $parameters)."""
    return run_sql(con, SQL[name], params)


def latest_period(con: duckdb.DuckDBPyConnection, plan_id: str) -> int | None:
    """The latest period that has any current submission: the default view follows the data."""
    periods = run(con, "periods_with_data", {"plan": plan_id})["period"]
    return None if periods.empty else int(periods.max())


def activity_period_status(con, plan_id: str, period: int) -> pd.DataFrame:
    return run(con, "activity_period_status", {"plan": plan_id, "period": period})


def overview_headline(con, plan_id: str, period: int) -> dict:
    """Adopted x/66 and the count of adopted activities in each status for one period."""
    return run(con, "overview_headline", {"plan": plan_id, "period": period}).iloc[0].to_dict()


def status_counts(con, plan_id: str, period: int) -> pd.DataFrame:
    return run(con, "status_counts", {"plan": plan_id, "period": period})


def progress_by_theme(con, plan_id: str, period: int) -> pd.DataFrame:
    """Per theme and status: number of adopted activities and their mean percent complete."""
    return run(con, "progress_by_theme", {"plan": plan_id, "period": period})


def data_date(con, plan_id: str) -> dict:
    """Date of the newest report in the current data, and whether any of it is illustrative."""
    return run(con, "data_date", {"plan": plan_id}).iloc[0].to_dict()

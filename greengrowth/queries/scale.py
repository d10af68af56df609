"""Queries whose cost must not grow with the number of plans or submissions (issue 11).

* `latest_periods`: every plan's latest period with data in ONE query. The plan picker asked
  `dashboard.latest_period` once per plan: 63 queries (0.65 s) on every page's first run at the
  national scale (bench/bench_pages.py).
* `submission_history_page`: the history list filtered by plan, department and period and cut to one
  page in SQL, with the total; `submission_history_filters` gives the filter choices. The page used
  to load every submission of a plan and filter in pandas (5.4 s per run with 10,000 resubmissions).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

# A period has data when it has an accepted submission (current_submissions holds the latest
# accepted one per department and period, so the two give the same periods, without the window).
SQL: dict[str, str] = {
    "latest_periods": """
        SELECT p.plan_id, max(s.period) AS latest_period
        FROM plan p
        LEFT JOIN submission s ON s.plan_id = p.plan_id AND s.submission_id NOT IN (
            SELECT submission_id FROM submission_event WHERE event = 'withdrawn')
        GROUP BY p.plan_id ORDER BY p.plan_id""",
    "submission_history_page": """
        WITH shown AS (
            SELECT s.submission_id, s.uploaded_at, s.uploaded_by, s.file_name,
                   s.department_code, s.period, s.reported_on, s.n_activity_rows, s.n_task_rows,
                   s.n_indicator_rows, s.status, s.derived_from, s.illustrative,
                   s.withdrawn_reason, s.withdrawn_at, s.withdrawn_by
            FROM submissions s
            WHERE s.plan_id = $plan
              AND ($department IS NULL OR s.department_code = $department)
              AND ($period IS NULL OR s.period = $period)
        ), page AS (
            SELECT *, count(*) OVER () AS total FROM shown
            ORDER BY uploaded_at DESC, submission_id DESC LIMIT $limit OFFSET $offset
        )
        SELECT p.* EXCLUDE (total), (c.submission_id IS NOT NULL) AS is_current,
               coalesce(p.n_activity_rows, 0) + coalesce(p.n_task_rows, 0)
                   + coalesce(p.n_indicator_rows, 0) AS n_rows,
               CASE WHEN p.status = 'withdrawn' THEN 'withdrawn'
                    WHEN c.submission_id IS NOT NULL THEN 'current'
                    ELSE 'superseded' END AS state,
               p.total
        FROM page p
        LEFT JOIN (SELECT submission_id FROM current_submissions WHERE plan_id = $plan) c
            USING (submission_id)
        ORDER BY p.uploaded_at DESC, p.submission_id DESC""",
    "submission_history_filters": """
        SELECT list(DISTINCT department_code ORDER BY department_code) AS departments,
               list(DISTINCT period ORDER BY period DESC) AS periods, count(*) AS total
        FROM submission WHERE plan_id = $plan""",
}


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """One of this module's named queries (callers outside use greengrowth.queries.run)."""
    return run_sql(con, SQL[name], params)


def latest_periods(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """plan_id -> its latest period with an accepted submission (None: no data yet)."""
    frame = _run(con, "latest_periods")
    return {
        pid: None if pd.isna(p) else int(p)
        for pid, p in zip(frame["plan_id"], frame["latest_period"], strict=True)
    }


def submission_history_page(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    department: str | None = None,
    period: int | None = None,
    page: int = 0,
    page_size: int = 50,
) -> tuple[pd.DataFrame, int]:
    """One page (0-based) of a plan's submissions, newest first, and how many match the filters.

    Columns as the `submission_history` query (state: current, superseded or withdrawn)."""
    params = {
        "plan": plan_id,
        "department": department,
        "period": period,
        "limit": page_size,
        "offset": page * page_size,
    }
    frame = _run(con, "submission_history_page", **params)
    if frame.empty:  # past the last page: the total still counts every match
        total = _run(con, "submission_history_page", **(params | {"offset": 0, "limit": 1}))
        return frame.drop(columns="total"), 0 if total.empty else int(total["total"].iloc[0])
    return frame.drop(columns="total"), int(frame["total"].iloc[0])


def submission_history_filters(con: duckdb.DuckDBPyConnection, plan_id: str) -> dict:
    """The departments and periods a plan's submissions have (for the filters), and their count."""
    row = _run(con, "submission_history_filters", plan=plan_id).iloc[0]
    return {
        "departments": list(row["departments"] if row["total"] else []),
        "periods": [int(p) for p in (row["periods"] if row["total"] else [])],
        "total": int(row["total"]),
    }

"""Aggregates for the leadership pages. All aggregation happens here, in DuckDB.

The building block is `_ACTIVITY_STATUS`: every adopted activity, for every year of the plan, with
the status its lead department reported in that year's current submission; 'not_reported' when no
current submission covers it (a missing report is shown as such, never guessed) and 'no_lead' when
the plan gives the activity no lead department (activities 51-53, finding F01), so that a gap in
the plan is never counted as a department's failure.

Rules that the pages show and the tests check:

* Activities: status, percent and department come from one lead department's own report. An
  activity with two leads shows the less advanced status of the leads that reported (then the lower
  percent); department filters and counts use every lead (`lead_codes`).
* Reporting: a department is expected to report every year of the plan if it has something to
  report (an activity, a priority task or an indicator: queries.catalog.REPORTING_DEPARTMENTS).
  Timeliness is judged on its EARLIEST accepted submission for (department, period), so a later
  re-upload or correction never makes an on-time report late; it is on time when dated before the
  plan's annual deadline (reporting_rule 'annual_report': before 15 October of the same year, so
  14/10 is on time and 15/10 late). A submission without a report date counts from the day it was
  uploaded. Lateness is judged against each report's own deadline; today's date is used only to
  call a year with no report whose deadline has not come yet 'not_due' rather than 'missing'.
  Without an annual_report rule there is no deadline: a report is 'received', none is 'missing'
  (or 'not_due' for a year not yet over), and the page says the plan sets no deadline.
* Priority tasks: a task led by several departments (3.7: DOH with DCST) takes the least advanced
  status among the departments that reported on it. "Done by the deadline" means reported completed
  with a completion date on or before the deadline, or with no date in a report for the deadline's
  year (or earlier). Otherwise a completed task was "closed later", in the year of its completion
  date, or without a date in the year of the first report that says completed; a task never
  reported completed is still open (or not reported at all).
* Indicators: each period shows the values known up to that period (the newest report up to it
  wins for an indicator, district and year).
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from datetime import date

import duckdb
import pandas as pd

from greengrowth.indicator_progress import indicator_table
from greengrowth.queries.base import run_sql
from greengrowth.queries.catalog import (  # noqa: F401 (catalog queries, re-exported for callers)
    REPORTING_DEPARTMENTS,
    annual_rule,
    catalog_activities,
    coverage,
    findings,
    groups,
    indicators,
    themes,
)
from greengrowth.status import status_count_sql, status_rank_sql

_PERIODS = """
    SELECT unnest(range(p.period_start, p.period_end + 1)) AS period
    FROM plan p WHERE p.plan_id = $plan
"""

# The reporting cycle's switch (issue #9): with $approved_only, only reports DPI approved count; the
# filter sits where each aggregate reads the current submissions (alias s, or c for indicators). For
# a current submission, report_status's 'approved' means: the newest decision on its (plan,
# department, period) approves this very submission; so the test reads report_decision for one plan.
# A subquery over report_status was planned and run for every plan's reports even with
# $approved_only false (two thirds of a cold overview at the national scale); `$approved_only AND`
# inside makes it empty then (tests/test_queries_scale.py checks both against report_status).
_APPROVED = """(NOT $approved_only OR s.submission_id IN (
    SELECT submission_id FROM report_decision WHERE $approved_only AND plan_id = $plan
    QUALIFY row_number() OVER (
        PARTITION BY department_code, period ORDER BY decision_id DESC) = 1
        AND decision = 'approved'))"""
_STATUS_RANK = status_rank_sql("status")  # generated from greengrowth.status.STATUS_RANK

# One row per adopted activity and plan year: the lead's reported status, not_reported or no_lead.
# Status, percent and department_code always come from one and the same lead report; with two
# leads, the less advanced status of the leads that reported (then the lower percent, NULLs last).
_ACTIVITY_STATUS = f"""
    WITH periods AS ({_PERIODS}),
    leads AS (
        SELECT activity_no, min(department_code) AS first_lead,
               list(department_code ORDER BY department_code) AS lead_codes
        FROM activity_lead WHERE plan_id = $plan GROUP BY ALL
    ), reported AS (
        SELECT s.period, s.activity_no, s.department_code, s.status, s.percent_complete,
               s.reported_on
        FROM activity_status_latest s
        JOIN activity_lead l USING (plan_id, activity_no, department_code)
        WHERE s.plan_id = $plan AND {_APPROVED}
        QUALIFY row_number() OVER (
            PARTITION BY s.period, s.activity_no
            ORDER BY {_STATUS_RANK}, s.percent_complete NULLS LAST,
                     s.department_code) = 1
    )
    SELECT p.period, a.activity_no, a.theme_no, a.group_code, a.title_vi, a.title_en,
           coalesce(r.department_code, l.first_lead) AS department_code, l.lead_codes,
           CASE WHEN l.first_lead IS NULL THEN 'no_lead'
                ELSE coalesce(r.status, 'not_reported') END AS status,
           r.percent_complete, r.reported_on
    FROM activity a
    CROSS JOIN periods p
    LEFT JOIN leads l USING (activity_no)
    LEFT JOIN reported r ON r.activity_no = a.activity_no AND r.period = p.period
    WHERE a.plan_id = $plan AND a.adopted
"""
_ACTIVITY_FILTER = """($theme IS NULL OR theme_no = $theme)
          AND ($group IS NULL OR group_code = $group)
          AND ($department IS NULL OR list_contains(lead_codes, $department))"""
_ACTIVITY_PERIOD_STATUS = f"SELECT * FROM ({_ACTIVITY_STATUS}) WHERE period = $period"

# Every (year, expected department): when its first accepted report arrived, and whether that was on
# time. A later re-upload or correction never turns an on-time report late. Without an annual_report
# rule there is no deadline: a report is 'received' (the page says why). A year with no report whose
# deadline is after $today is 'not_due'; $today is used for nothing else.
_REPORTING = f"""
    WITH periods AS ({_PERIODS}),
    rule AS (
        SELECT due_before_month AS m, due_before_day AS d FROM reporting_rule
        WHERE plan_id = $plan AND kind = 'annual_report' ORDER BY rule_id LIMIT 1
    ), depts AS ({REPORTING_DEPARTMENTS}),
    subs AS (
        SELECT department_code, period, submission_id, reported_on IS NULL AS dated_by_upload,
               coalesce(reported_on, CAST(uploaded_at AS DATE)) AS received_on
        FROM submissions WHERE plan_id = $plan AND status = 'accepted'
        QUALIFY row_number() OVER (
            PARTITION BY department_code, period ORDER BY uploaded_at, submission_id) = 1
    ), expected AS (
        SELECT p.period, d.department_code, d.acronym, d.name_vi, d.name_en, d.short_vi,
               make_date(CAST(p.period AS INTEGER), rule.m, rule.d) AS due_before
        FROM periods p CROSS JOIN depts d LEFT JOIN rule ON true
    )
    SELECT e.*, s.submission_id, s.received_on,
           coalesce(s.dated_by_upload, false) AS dated_by_upload,
           CASE WHEN s.received_on IS NOT NULL AND e.due_before IS NULL THEN 'received'
                WHEN s.received_on IS NOT NULL AND s.received_on < e.due_before THEN 'on_time'
                WHEN s.received_on IS NOT NULL THEN 'late'
                WHEN e.due_before > CAST($today AS DATE) THEN 'not_due'
                WHEN e.due_before IS NULL AND e.period > year(CAST($today AS DATE)) THEN 'not_due'
                ELSE 'missing' END AS outcome
    FROM expected e
    LEFT JOIN subs s ON s.department_code = e.department_code AND s.period = e.period
"""

# One row per priority task: status now ($period) and at its deadline, and its outcome.
_PRIORITY = f"""
    WITH reports AS (
        SELECT task_id, department_code, period, status, achieved_value, completed_on,
               {_STATUS_RANK} AS rnk
        FROM priority_task_status_latest s WHERE plan_id = $plan AND period <= $period AND {_APPROVED}
    ), per_year AS (  -- the task's status in each year's reports: least advanced department
        SELECT task_id, period, arg_min(status, rnk) AS status,
               max(completed_on) AS completed_on, max(achieved_value) AS achieved_value
        FROM reports GROUP BY ALL
    ), latest_by_dept AS (
        SELECT * FROM reports
        QUALIFY row_number() OVER (PARTITION BY task_id, department_code ORDER BY period DESC) = 1
    ), now AS (
        SELECT task_id, arg_min(status, rnk) AS status, max(achieved_value) AS achieved_value,
               max(completed_on) FILTER (WHERE status = 'completed') AS completed_on,
               max(period) AS last_period
        FROM latest_by_dept GROUP BY ALL
    ), depts AS (
        SELECT d.task_id, string_agg(dep.acronym, ', ' ORDER BY dep.acronym) AS departments,
               string_agg(coalesce(dep.short_vi, dep.name_vi), ', ' ORDER BY dep.acronym)
                   AS departments_vi,
               list(d.department_code ORDER BY d.department_code) AS department_codes
        FROM priority_task_department d
        JOIN department dep ON dep.plan_id = d.plan_id AND dep.department_code = d.department_code
        WHERE d.plan_id = $plan GROUP BY ALL
    ), closed AS (  -- from the years whose reports say completed
        SELECT y.task_id,
               bool_or(y.completed_on <= t.deadline
                       OR (y.completed_on IS NULL AND y.period <= year(t.deadline)))
                   AS done_by_deadline,
               coalesce(year(min(y.completed_on)),
                        min(y.period) FILTER (WHERE y.period >= year(t.deadline))) AS closed_in
        FROM per_year y JOIN priority_task t ON t.plan_id = $plan AND t.task_id = y.task_id
        WHERE y.status = 'completed' GROUP BY ALL
    ), acts AS (
        SELECT task_id, string_agg(CAST(activity_no AS VARCHAR), ', ' ORDER BY activity_no)
                   AS activities
        FROM priority_task_activity WHERE plan_id = $plan GROUP BY ALL
    )
    SELECT t.task_id, t.section, t.text_vi, t.summary_en, dp.departments, dp.departments_vi,
           dp.department_codes,
           ac.activities, t.deadline, t.deadline_text_vi, t.target_value, t.target_unit_vi,
           t.target_unit_en, t.conditional,
           n.achieved_value, coalesce(n.status, 'not_reported') AS status, n.completed_on,
           n.last_period,
           dl.status AS status_at_deadline,
           coalesce(c.done_by_deadline, false) AS done_by_deadline, c.closed_in
    FROM priority_task t
    LEFT JOIN depts dp USING (task_id)
    LEFT JOIN acts ac USING (task_id)
    LEFT JOIN now n USING (task_id)
    LEFT JOIN per_year dl ON dl.task_id = t.task_id AND dl.period = year(t.deadline)
    LEFT JOIN closed c USING (task_id)
    WHERE t.plan_id = $plan
"""
_PRIORITY_OUTCOME = f"""
    SELECT * REPLACE (
               CASE WHEN coalesce(done_by_deadline, false) THEN NULL ELSE closed_in END
                   AS closed_in),
           CASE WHEN coalesce(done_by_deadline, false) THEN 'done_on_time'
                   WHEN closed_in IS NOT NULL THEN 'closed_later'
                   WHEN last_period IS NULL THEN 'not_reported'
                   ELSE 'open' END AS outcome
    FROM ({_PRIORITY})
"""

# Every indicator value as it was known in $period: the newest report up to that period wins for
# each indicator, district and year (a later report may restate an earlier year's figure).
_INDICATOR_KNOWN = f"""
    SELECT v.indicator_code, v.district_code, v.year, v.value, c.illustrative
    FROM current_submissions c JOIN indicator_value v USING (submission_id)
    WHERE c.plan_id = $plan AND c.period <= $period AND {_APPROVED.replace("s.", "c.")}
    QUALIFY row_number() OVER (
        PARTITION BY v.indicator_code, v.district_code, v.year
        ORDER BY c.period DESC, c.uploaded_at DESC, c.submission_id DESC) = 1
"""

SQL: dict[str, str] = {
    "activity_period_status": _ACTIVITY_PERIOD_STATUS + " ORDER BY activity_no",
    "activity_status_history": f"""
        SELECT * FROM ({_ACTIVITY_STATUS}) WHERE {_ACTIVITY_FILTER}
          AND ($period IS NULL OR period <= $period)
        ORDER BY activity_no, period""",
    "activity_statuses": f"""
        SELECT * FROM ({_ACTIVITY_STATUS}) WHERE {_ACTIVITY_FILTER} AND period = $period
        ORDER BY activity_no""",
    "periods_with_data": """
        SELECT DISTINCT period FROM current_submissions WHERE plan_id = $plan ORDER BY period""",
    "overview_headline": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT
            (SELECT count(*) FROM activity WHERE plan_id = $plan AND adopted) AS adopted,
            (SELECT count(*) FROM activity WHERE plan_id = $plan) AS national,
            {status_count_sql("status")},
            avg(percent_complete) AS mean_percent_reported,
            max(reported_on) AS data_date
        FROM s""",
    "status_counts": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT status, count(*) AS activities FROM s GROUP BY status""",
    "status_by_period": f"""
        WITH s AS ({_ACTIVITY_STATUS})
        SELECT period, status, count(*) AS activities FROM s
        WHERE period <= $period GROUP BY ALL ORDER BY period, status""",
    "progress_by_theme": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT t.theme_no, t.title_vi, t.title_en, s.status, count(*) AS activities,
               avg(s.percent_complete) AS mean_percent
        FROM s JOIN theme t ON t.plan_id = $plan AND t.theme_no = s.theme_no
        GROUP BY ALL ORDER BY t.theme_no, s.status""",
    "progress_by_group": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT s.theme_no, coalesce(s.group_code, CAST(s.theme_no AS VARCHAR)) AS group_code,
               g.title_vi, g.title_en, s.status, count(*) AS activities
        FROM s LEFT JOIN activity_group g ON g.plan_id = $plan AND g.group_code = s.group_code
        WHERE ($theme IS NULL OR s.theme_no = $theme)
        GROUP BY ALL ORDER BY group_code, s.status""",
    # The plan's own "a/b" figures beside what the catalog lists (they may disagree: findings).
    "reporting_status": f"""
        SELECT * FROM ({_REPORTING})
        WHERE period <= $period AND ($department IS NULL OR department_code = $department)
        ORDER BY period, department_code""",
    "reporting_summary": f"""
        SELECT period, count(*) AS expected, count(received_on) AS received,
               count(*) FILTER (WHERE outcome = 'on_time') AS on_time,
               count(*) FILTER (WHERE outcome = 'late') AS late,
               count(*) FILTER (WHERE outcome = 'missing') AS missing,
               count(*) FILTER (WHERE outcome = 'not_due') AS not_due,
               count(*) FILTER (WHERE outcome = 'received') AS received_undated
        FROM ({_REPORTING})
        WHERE period <= $period AND ($department IS NULL OR department_code = $department)
        GROUP BY period ORDER BY period""",
    "department_summary": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS}),
        depts AS ({REPORTING_DEPARTMENTS}),
        acts AS (  -- an activity with two leads counts for each of them
            SELECT u.department_code, count(*) AS activities_led,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'delayed') AS delayed_activities,
                   count(*) FILTER (WHERE status = 'not_reported') AS not_reported
            FROM s, unnest(s.lead_codes) AS u(department_code) GROUP BY ALL
        ), tasks AS (
            SELECT u.department_code,
                   count(*) FILTER (WHERE p.outcome IN ('open', 'not_reported')) AS open_tasks
            FROM ({_PRIORITY_OUTCOME}) p, unnest(p.department_codes) AS u(department_code)
            GROUP BY ALL
        ), rep AS (
            SELECT * FROM ({_REPORTING}) WHERE period <= $period AND received_on IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY department_code ORDER BY period DESC) = 1
        ), this_year AS (
            SELECT department_code, outcome FROM ({_REPORTING}) WHERE period = $period
        )
        SELECT d.department_code, d.acronym, d.name_vi, d.name_en, d.short_vi,
               coalesce(a.activities_led, 0) AS activities_led, coalesce(a.completed, 0) AS completed,
               CASE WHEN a.activities_led > 0 THEN 100.0 * a.completed / a.activities_led END
                   AS share_complete,
               coalesce(a.delayed_activities, 0) AS delayed_activities,
               coalesce(t.open_tasks, 0) AS open_tasks,
               r.period AS last_report_period, r.received_on AS last_report_on,
               r.outcome AS last_report_outcome, y.outcome AS this_year_outcome
        FROM depts d
        LEFT JOIN acts a USING (department_code)
        LEFT JOIN tasks t USING (department_code)
        LEFT JOIN rep r USING (department_code)
        LEFT JOIN this_year y USING (department_code)
        UNION ALL  -- activities the plan gives no lead department (F01): a plan gap, one row
        SELECT NULL, NULL, NULL, NULL, NULL, count(*), 0, NULL, 0, 0, NULL, NULL, NULL, NULL
        FROM s WHERE status = 'no_lead' HAVING count(*) > 0
        ORDER BY department_code NULLS LAST""",
    "department_status_counts": f"""
        WITH s AS ({_ACTIVITY_PERIOD_STATUS})
        SELECT s.department_code, d.acronym, coalesce(d.short_vi, d.name_vi) AS short_vi, s.status,
               count(*) AS activities
        FROM s LEFT JOIN department d
            ON d.plan_id = $plan AND d.department_code = s.department_code
        GROUP BY ALL ORDER BY s.department_code NULLS LAST, s.status""",
    "priority_tasks": f"""
        SELECT * FROM ({_PRIORITY_OUTCOME})
        WHERE ($department IS NULL OR list_contains(department_codes, $department))
        ORDER BY string_split(task_id, '.')[1]::INT, string_split(task_id, '.')[2]::INT,
                 coalesce(string_split(task_id, '.')[3], '0')::INT""",
    "priority_headline": f"""
        SELECT count(*) AS tasks,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE outcome IN ('done_on_time', 'closed_later')) AS done,
               count(*) FILTER (WHERE outcome = 'done_on_time') AS done_on_time,
               count(*) FILTER (WHERE outcome = 'closed_later') AS closed_later,
               count(*) FILTER (WHERE outcome = 'open') AS open,
               count(*) FILTER (WHERE outcome = 'not_reported') AS not_reported,
               count(*) FILTER (WHERE outcome IN ('open', 'not_reported')) AS still_open,
               min(deadline) AS deadline
        FROM ({_PRIORITY_OUTCOME})""",
    # A task led by two departments (3.7) is a bar segment for each of them, but counts once in
    # `outcome_tasks` (tasks with this outcome, the same figures as priority_headline): the
    # chart's title states those, so the page says one number per fact.
    "priority_outcomes_by_department": f"""
        WITH p AS ({_PRIORITY_OUTCOME}),
        per_outcome AS (SELECT outcome, count(*) AS outcome_tasks FROM p GROUP BY ALL)
        SELECT dep.department_code, dep.acronym, coalesce(dep.short_vi, dep.name_vi) AS short_vi,
               p.outcome, count(*) AS tasks, any_value(o.outcome_tasks) AS outcome_tasks
        FROM p, unnest(p.department_codes) AS u(department_code)
        JOIN department dep ON dep.plan_id = $plan AND dep.department_code = u.department_code
        JOIN per_outcome o ON o.outcome = p.outcome
        GROUP BY dep.department_code, dep.acronym, dep.short_vi, dep.name_vi, p.outcome
        ORDER BY dep.department_code, p.outcome""",
    "indicator_values": f"""
        SELECT indicator_code, year, value, illustrative FROM ({_INDICATOR_KNOWN})
        WHERE district_code IS NULL AND ($indicator IS NULL OR indicator_code = $indicator)
        ORDER BY indicator_code, year""",
    "indicator_district_values": f"""
        SELECT d.district_code, d.name_vi, d.name_en, v.year, v.value
        FROM ({_INDICATOR_KNOWN}) v
        JOIN district d ON d.plan_id = $plan AND d.district_code = v.district_code
        WHERE v.indicator_code = $indicator
        ORDER BY v.year, d.district_code""",
    # ---- briefing outputs (greengrowth/briefing): what each department reported, verbatim ------
    "activity_reports": """
        SELECT s.department_code, d.acronym, coalesce(d.short_vi, d.name_vi) AS short_vi,
               d.name_vi, d.name_en, s.activity_no, a.title_vi, a.title_en, s.status,
               s.percent_complete, s.done_text, s.difficulties, s.reported_on
        FROM activity_status_latest s
        JOIN department d ON d.plan_id = s.plan_id AND d.department_code = s.department_code
        JOIN activity a ON a.plan_id = s.plan_id AND a.activity_no = s.activity_no
        WHERE s.plan_id = $plan AND s.period = $period
        ORDER BY s.department_code, s.activity_no""",
    "activity_spending_by_source": """
        SELECT c.department_code, sp.activity_no, sp.funding_source,
               coalesce(f.name_vi, sp.funding_source) AS source_vi,
               coalesce(f.name_en, sp.funding_source) AS source_en, sp.amount_million_vnd
        FROM current_submissions c JOIN activity_spending sp USING (submission_id)
        LEFT JOIN funding_source f ON f.plan_id = c.plan_id AND f.code = sp.funding_source
        WHERE c.plan_id = $plan AND c.period = $period
        ORDER BY c.department_code, sp.activity_no, sp.funding_source""",
    "data_date": """
        SELECT max(coalesce(reported_on, CAST(uploaded_at AS DATE))) AS data_date,
               bool_or(illustrative) AS illustrative
        FROM current_submissions WHERE plan_id = $plan""",
}


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """One of this module's named queries (callers outside use greengrowth.queries.run)."""
    return run_sql(con, SQL[name], {"approved_only": _APPROVED_ONLY.get()} | params)


def _day(today: date | None) -> date:
    """The date that decides 'not yet due' (and nothing else): today unless a test says otherwise."""
    return today or date.today()


def latest_period(con: duckdb.DuckDBPyConnection, plan_id: str) -> int | None:
    """The latest period that has any current submission: the default view follows the data."""
    periods = _run(con, "periods_with_data", plan=plan_id)["period"]
    return None if periods.empty else int(periods.max())


def activity_period_status(con, plan_id: str, period: int) -> pd.DataFrame:
    return _run(con, "activity_period_status", plan=plan_id, period=period)


def activity_status_history(
    con,
    plan_id: str,
    period: int | None = None,
    theme: int | None = None,
    group: str | None = None,
    department: str | None = None,
) -> pd.DataFrame:
    """Each adopted activity's status in every year of the plan up to `period` (None: all years),
    optionally for one theme, group or lead department."""
    params = {
        "plan": plan_id,
        "theme": theme,
        "group": group,
        "department": department,
        "period": period,
    }
    return _run(con, "activity_status_history", **params)


def activity_statuses(
    con,
    plan_id: str,
    period: int,
    theme: int | None = None,
    group: str | None = None,
    department: str | None = None,
) -> pd.DataFrame:
    """Each adopted activity's status in one period, optionally for one theme, group or lead."""
    params = {
        "plan": plan_id,
        "period": period,
        "theme": theme,
        "group": group,
        "department": department,
    }
    return _run(con, "activity_statuses", **params)


def overview_headline(con, plan_id: str, period: int) -> dict:
    """Adopted x/66 and the count of adopted activities in each status for one period."""
    return _run(con, "overview_headline", plan=plan_id, period=period).iloc[0].to_dict()


def status_counts(con, plan_id: str, period: int) -> pd.DataFrame:
    return _run(con, "status_counts", plan=plan_id, period=period)


def status_by_period(con, plan_id: str, period: int) -> pd.DataFrame:
    """Per plan year up to `period` and status: number of adopted activities."""
    return _run(con, "status_by_period", plan=plan_id, period=period)


def progress_by_theme(con, plan_id: str, period: int) -> pd.DataFrame:
    """Per theme and status: number of adopted activities and their mean percent complete."""
    return _run(con, "progress_by_theme", plan=plan_id, period=period)


def progress_by_group(con, plan_id: str, period: int, theme: int | None = None) -> pd.DataFrame:
    """Per activity group and status (theme 1 has no groups: its code is the theme number)."""
    return _run(con, "progress_by_group", plan=plan_id, period=period, theme=theme)


def reporting_status(
    con,
    plan_id: str,
    period: int,
    department: str | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Every (year <= period, expected department): received date and on_time / late / missing /
    not_due (no report, deadline after `today`) / received (the plan sets no deadline)."""
    params = {"plan": plan_id, "period": period, "department": department, "today": _day(today)}
    return _run(con, "reporting_status", **params)


def reporting_summary(
    con,
    plan_id: str,
    period: int,
    department: str | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Per year: expected, received, on time, late, missing, not due (DHIS2's reporting-rate view)."""
    params = {"plan": plan_id, "period": period, "department": department, "today": _day(today)}
    return _run(con, "reporting_summary", **params)


def department_summary(con, plan_id: str, period: int, today: date | None = None) -> pd.DataFrame:
    """One row per department, plus one row (code NULL) for the activities with no lead."""
    return _run(con, "department_summary", plan=plan_id, period=period, today=_day(today))


def department_status_counts(con, plan_id: str, period: int) -> pd.DataFrame:
    return _run(con, "department_status_counts", plan=plan_id, period=period)


def priority_tasks(con, plan_id: str, period: int, department: str | None = None) -> pd.DataFrame:
    """Every 2018 priority task with its status now, at its deadline, and its outcome."""
    params = {"plan": plan_id, "period": period, "department": department}
    return _run(con, "priority_tasks", **params)


def priority_headline(con, plan_id: str, period: int) -> dict:
    """Counts of 2018 priority tasks: completed as of `period`, by outcome, and the deadline."""
    return _run(con, "priority_headline", plan=plan_id, period=period).iloc[0].to_dict()


def reporting_year(con, plan_id: str, period: int, today: date | None = None) -> dict:
    """One year's reporting figures (expected, received, on time, late, missing, not due)."""
    frame = reporting_summary(con, plan_id, period, today=today)
    frame = frame[frame["period"] == period]
    if frame.empty:
        keys = ("expected", "received", "on_time", "late", "missing", "not_due", "received_undated")
        return dict.fromkeys(keys, 0)
    return frame.iloc[0].to_dict()


def priority_outcomes_by_department(con, plan_id: str, period: int) -> pd.DataFrame:
    return _run(con, "priority_outcomes_by_department", plan=plan_id, period=period)


def indicator_values(con, plan_id: str, period: int, indicator: str | None = None) -> pd.DataFrame:
    """Province-wide values of every indicator (or one), as known up to `period`."""
    return _run(con, "indicator_values", plan=plan_id, period=period, indicator=indicator)


def indicator_progress(con, plan_id: str, period: int, department: str | None = None):
    """One row per indicator (optionally one department's): catalog, latest value and judgement
    (greengrowth.indicator_progress), from the values known up to `period`."""
    return indicator_table(
        indicators(con, plan_id, department), indicator_values(con, plan_id, period)
    )


def indicator_district_values(con, plan_id: str, period: int, indicator: str) -> pd.DataFrame:
    params = {"plan": plan_id, "indicator": indicator, "period": period}
    return _run(con, "indicator_district_values", **params)


def activity_reports(con, plan_id: str, period: int) -> pd.DataFrame:
    """Every activity row of the period's current submissions, as the departments wrote it."""
    return _run(con, "activity_reports", plan=plan_id, period=period)


def activity_spending(con, plan_id: str, period: int) -> pd.DataFrame:
    """Spending per department, activity and funding source in the period's current submissions."""
    return _run(con, "activity_spending_by_source", plan=plan_id, period=period)


def data_date(con, plan_id: str) -> dict:
    """Date of the newest report in the current data, and whether any of it is illustrative."""
    return _run(con, "data_date", plan=plan_id).iloc[0].to_dict()


# ---- approved figures only (issue #9) ---------------------------------------------------------------
# Every aggregate over reported figures takes `approved_only=True` to count only reports DPI approved.
# Added here in one block (not in each signature): the keyword sets a context variable that `_run`
# binds as $approved_only. ui.data.load passes the URL switch to every function marked `approvable`.
_APPROVED_ONLY: ContextVar[bool] = ContextVar("approved_only", default=False)
APPROVABLE = (
    "activity_period_status", "activity_status_history", "activity_statuses",
    "overview_headline", "status_counts", "status_by_period", "progress_by_theme",
    "progress_by_group", "department_summary", "department_status_counts", "priority_tasks",
    "priority_headline", "priority_outcomes_by_department", "indicator_values",
    "indicator_progress", "indicator_district_values",
)  # fmt: skip


def _approvable(fn):
    @functools.wraps(fn)
    def wrapper(*args, approved_only: bool = False, **kwargs):
        token = _APPROVED_ONLY.set(bool(approved_only))
        try:
            return fn(*args, **kwargs)
        finally:
            _APPROVED_ONLY.reset(token)

    wrapper.approvable = True
    return wrapper


for _name in APPROVABLE:
    globals()[_name] = _approvable(globals()[_name])

"""Queries about the plan itself: departments, districts, what each department reports on."""

from __future__ import annotations

import duckdb
import pandas as pd

from greengrowth.queries.base import run_sql

# Who must report: a department with an activity, a priority task or an indicator. The one
# definition, used here and by the leadership queries (queries.dashboard); parameter $plan.
REPORTING_DEPARTMENTS = """
    SELECT d.department_code, d.acronym, d.name_vi, d.name_en,
           coalesce(d.short_vi, d.name_vi) AS short_vi
    FROM department d
    WHERE d.plan_id = $plan AND (
        d.department_code IN (SELECT department_code FROM activity_lead WHERE plan_id = $plan)
        OR d.department_code IN (
            SELECT department_code FROM priority_task_department WHERE plan_id = $plan)
        OR d.department_code IN (SELECT department_code FROM indicator WHERE plan_id = $plan))
"""

SQL: dict[str, str] = {
    # ---- catalog -------------------------------------------------------------------------
    "plans": """
        SELECT plan_id, title_vi, title_en, period_start, period_end, issued_on, document_no
        FROM plan ORDER BY period_start DESC, plan_id""",
    "plan": "SELECT * FROM plan WHERE plan_id = $plan",
    "departments": """
        SELECT department_code, acronym, name_vi, name_en, kind FROM department
        WHERE plan_id = $plan ORDER BY kind, department_code""",
    "districts": """
        SELECT district_code, name_vi, name_en, kind FROM district WHERE plan_id = $plan
        ORDER BY district_code""",
    "funding_sources": """
        SELECT code, name_vi, name_en FROM funding_source WHERE plan_id = $plan ORDER BY rowid""",
    "reporting_rules": "SELECT * FROM reporting_rule WHERE plan_id = $plan ORDER BY rule_id",
    "department_activities": """
        SELECT a.activity_no, a.title_vi, a.title_en, l.due_date
        FROM activity_lead l JOIN activity a USING (plan_id, activity_no)
        WHERE l.plan_id = $plan AND l.department_code = $department ORDER BY a.activity_no""",
    "department_tasks": """
        SELECT t.task_id, t.text_vi, t.summary_en, t.deadline, t.target_value, t.target_unit_vi,
               t.target_unit_en
        FROM priority_task_department d JOIN priority_task t USING (plan_id, task_id)
        WHERE d.plan_id = $plan AND d.department_code = $department ORDER BY t.task_id""",
    "plan_indicators": """
        SELECT indicator_code, name_vi, name_en, unit_vi, unit_en, department_code, by_district
        FROM indicator WHERE plan_id = $plan ORDER BY indicator_code""",
    "department_indicators": """
        SELECT indicator_code, name_vi, name_en, unit_vi, unit_en, by_district
        FROM indicator WHERE plan_id = $plan AND department_code = $department ORDER BY indicator_code""",
    # ---- the plan as the leadership pages show it --------------------------------------------
    "coverage": """
        WITH counted AS (
            SELECT theme_no, group_code, grouping(group_code) = 1 AS whole_theme,
                   count(*) FILTER (WHERE adopted) AS counted_adopted,
                   count(*) AS counted_national
            FROM activity WHERE plan_id = $plan
            GROUP BY GROUPING SETS ((theme_no), (theme_no, group_code))
        )
        SELECT 'theme' AS level, t.theme_no, CAST(t.theme_no AS VARCHAR) AS code, t.title_vi,
               t.title_en, t.stated_adopted, t.stated_national, c.counted_adopted,
               c.counted_national
        FROM theme t JOIN counted c ON c.theme_no = t.theme_no AND c.whole_theme
        WHERE t.plan_id = $plan AND ($theme IS NULL OR t.theme_no = $theme)
        UNION ALL
        SELECT 'group', g.theme_no, g.group_code, g.title_vi, g.title_en, g.stated_adopted,
               g.stated_national, c.counted_adopted, c.counted_national
        FROM activity_group g JOIN counted c ON c.group_code = g.group_code AND NOT c.whole_theme
        WHERE g.plan_id = $plan AND ($theme IS NULL OR g.theme_no = $theme)
        ORDER BY theme_no, level DESC, code""",
    "themes": """
        SELECT theme_no, title_vi, title_en FROM theme WHERE plan_id = $plan ORDER BY theme_no""",
    "groups": """
        SELECT group_code, theme_no, title_vi, title_en FROM activity_group
        WHERE plan_id = $plan ORDER BY group_code""",
    "annual_rule": """
        SELECT * FROM reporting_rule WHERE plan_id = $plan AND kind = 'annual_report'
        ORDER BY rule_id LIMIT 1""",
    "indicators": """
        SELECT i.*, d.acronym AS department_acronym,
               coalesce(d.short_vi, d.name_vi) AS department_short_vi
        FROM indicator i LEFT JOIN department d
            ON d.plan_id = i.plan_id AND d.department_code = i.department_code
        WHERE i.plan_id = $plan AND ($department IS NULL OR i.department_code = $department)
        ORDER BY i.indicator_code""",
    "catalog_activities": """
        WITH leads AS (
            SELECT l.activity_no, string_agg(d.acronym, ', ') AS lead, min(l.due_text_vi) AS due
            FROM activity_lead l JOIN department d USING (plan_id, department_code)
            WHERE l.plan_id = $plan GROUP BY ALL
        ), tasks AS (
            SELECT activity_no, string_agg(task_id, ', ' ORDER BY task_id) AS tasks
            FROM priority_task_activity WHERE plan_id = $plan GROUP BY ALL
        )
        SELECT a.activity_no, a.theme_no, a.group_code, a.adopted, a.title_vi, a.title_en,
               a.placement, l.lead, l.due, t.tasks
        FROM activity a LEFT JOIN leads l USING (activity_no) LEFT JOIN tasks t USING (activity_no)
        WHERE a.plan_id = $plan AND ($theme IS NULL OR a.theme_no = $theme)
          AND ($search = '' OR strip_accents(lower(concat_ws(' ', a.activity_no, a.title_vi,
                a.title_en, l.lead, a.group_code))) LIKE '%' || strip_accents(lower($search)) || '%')
        ORDER BY a.activity_no""",
    "findings": """
        SELECT finding_id, kind, section, subject, text_vi, text_en FROM finding
        WHERE plan_id = $plan
          AND ($search = '' OR strip_accents(lower(concat_ws(' ', finding_id, subject, text_vi,
                text_en))) LIKE '%' || strip_accents(lower($search)) || '%')
        ORDER BY finding_id""",
    "reporting_departments": f"""
        SELECT * FROM ({REPORTING_DEPARTMENTS}) ORDER BY department_code""",
    # ---- where each indicator comes from (catalog.INDICATOR_BASES), parameter $plan ----------
    "indicator_basis": """
        SELECT i.indicator_code, i.name_vi, i.name_en, i.activity_no, i.department_code,
               d.acronym AS department_acronym, d.name_vi AS department_name_vi,
               d.name_en AS department_name_en, i.basis, i.basis_section, i.basis_quote_vi,
               i.chosen_for, i.steward, s.name_vi AS steward_name_vi, s.name_en AS steward_name_en,
               i.retired_from, i.basis_note_vi, i.basis_note_en, i.target_value, i.target_year
        FROM indicator i
        LEFT JOIN department d ON d.plan_id = i.plan_id AND d.department_code = i.department_code
        LEFT JOIN department s ON s.plan_id = i.plan_id AND s.department_code = i.steward
        WHERE i.plan_id = $plan
        ORDER BY i.basis = 'chosen', i.retired_from IS NOT NULL, i.indicator_code""",
    # A department's indicators a template for $period asks for: retired ones stop being asked
    # from their retired_from year (their stored values stay).
    "template_indicators": """
        SELECT indicator_code, name_vi, name_en, unit_vi, unit_en, by_district
        FROM indicator
        WHERE plan_id = $plan AND department_code = $department
          AND (retired_from IS NULL OR retired_from > $period)
        ORDER BY indicator_code""",
}


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """One of this module's named queries (callers outside use greengrowth.queries.run)."""
    return run_sql(con, SQL[name], params)


def plan(con: duckdb.DuckDBPyConnection, plan_id: str) -> dict | None:
    frame = _run(con, "plan", plan=plan_id)
    return None if frame.empty else frame.iloc[0].to_dict()


def department_scope(con: duckdb.DuckDBPyConnection, plan_id: str, department_code: str) -> dict:
    """What one department reports on: its activities, priority tasks and indicators."""
    return {
        "activities": _run(con, "department_activities", plan=plan_id, department=department_code),
        "tasks": _run(con, "department_tasks", plan=plan_id, department=department_code),
        "indicators": _run(con, "department_indicators", plan=plan_id, department=department_code),
    }


def reporting_departments(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Departments that have something to report: an activity, a priority task or an indicator."""
    return _run(con, "reporting_departments", plan=plan_id)


def coverage(con, plan_id: str, theme: int | None = None) -> pd.DataFrame:
    """Per theme and group: the plan's stated a/b beside the counts in the catalog."""
    return _run(con, "coverage", plan=plan_id, theme=theme)


def themes(con, plan_id: str) -> pd.DataFrame:
    return _run(con, "themes", plan=plan_id)


def groups(con, plan_id: str) -> pd.DataFrame:
    return _run(con, "groups", plan=plan_id)


def annual_rule(con, plan_id: str) -> dict | None:
    """The plan's annual reporting deadline rule, or None when the plan sets none."""
    frame = _run(con, "annual_rule", plan=plan_id)
    return None if frame.empty else frame.iloc[0].to_dict()


def indicators(con, plan_id: str, department: str | None = None) -> pd.DataFrame:
    return _run(con, "indicators", plan=plan_id, department=department)


def catalog_activities(
    con, plan_id: str, theme: int | None = None, search: str = ""
) -> pd.DataFrame:
    """All 66 national activities with adoption, lead and priority tasks; accent-blind search."""
    params = {"plan": plan_id, "theme": theme, "search": search.strip()}
    return _run(con, "catalog_activities", **params)


def findings(con, plan_id: str, search: str = "") -> pd.DataFrame:
    return _run(con, "findings", plan=plan_id, search=search.strip())

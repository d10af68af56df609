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
    "plan": "SELECT * FROM plan WHERE plan_id = ?",
    "departments": """
        SELECT department_code, acronym, name_vi, name_en, kind FROM department
        WHERE plan_id = ? ORDER BY kind, department_code""",
    "districts": """
        SELECT district_code, name_vi, name_en, kind FROM district WHERE plan_id = ?
        ORDER BY district_code""",
    "funding_sources": "SELECT code, name_vi, name_en FROM funding_source WHERE plan_id = ?",
    "reporting_rules": "SELECT * FROM reporting_rule WHERE plan_id = ? ORDER BY rule_id",
    "department_activities": """
        SELECT a.activity_no, a.title_vi, a.title_en, l.due_date
        FROM activity_lead l JOIN activity a USING (plan_id, activity_no)
        WHERE l.plan_id = ? AND l.department_code = ? ORDER BY a.activity_no""",
    "department_tasks": """
        SELECT t.task_id, t.text_vi, t.summary_en, t.deadline, t.target_value, t.target_unit_vi,
               t.target_unit_en
        FROM priority_task_department d JOIN priority_task t USING (plan_id, task_id)
        WHERE d.plan_id = ? AND d.department_code = ? ORDER BY t.task_id""",
    "plan_indicators": """
        SELECT indicator_code, name_vi, name_en, unit_vi, unit_en, department_code, by_district
        FROM indicator WHERE plan_id = ? ORDER BY indicator_code""",
    "department_indicators": """
        SELECT indicator_code, name_vi, name_en, unit_vi, unit_en, by_district
        FROM indicator WHERE plan_id = ? AND department_code = ? ORDER BY indicator_code""",
    "reporting_departments": f"""
        SELECT * FROM ({REPORTING_DEPARTMENTS}) ORDER BY department_code""",
}


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict | list | tuple = ()
) -> pd.DataFrame:
    """Run one of this module's named queries."""
    return run_sql(con, SQL[name], params)


def plan(con: duckdb.DuckDBPyConnection, plan_id: str) -> dict | None:
    frame = run(con, "plan", [plan_id])
    return None if frame.empty else frame.iloc[0].to_dict()


def department_scope(con: duckdb.DuckDBPyConnection, plan_id: str, department_code: str) -> dict:
    """What one department reports on: its activities, priority tasks and indicators."""
    return {
        "activities": run(con, "department_activities", [plan_id, department_code]),
        "tasks": run(con, "department_tasks", [plan_id, department_code]),
        "indicators": run(con, "department_indicators", [plan_id, department_code]),
    }


def reporting_departments(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Departments that have something to report: an activity, a priority task or an indicator."""
    return run(con, "reporting_departments", {"plan": plan_id})

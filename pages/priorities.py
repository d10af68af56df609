"""Ưu tiên 2018 / 2018 priorities: every priority task, what was overdue and what closed later."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import dashboard as q
from ui.chrome import (
    department_filter,
    leadership_page,
    show_chart,
    show_table,
)
from ui.data import load

ctx = leadership_page("priorities.heading")
L = ctx.lang
dept = department_filter(ctx)

head = load(q.priority_headline, plan_id=ctx.plan_id, period=ctx.period)
deadline = fmt_date(head["deadline"], L)
cols = st.columns(4)
cols[0].metric(t("priorities.total", L), head["tasks"], border=True)
cols[1].metric(t("priority.done_on_time", L), head["done_on_time"], border=True)
cols[2].metric(t("priority.closed_later", L), head["closed_later"], border=True)
cols[3].metric(
    t("priorities.still_open", L, period=ctx.period),
    head["still_open"],
    border=True,
)
st.caption(t("priorities.rule", L, deadline=deadline))

fig = charts.priority_outcomes(
    load(q.priority_outcomes_by_department, plan_id=ctx.plan_id, period=ctx.period),
    lang=L,
    period=ctx.period,
    source=ctx.source,
    data_date=ctx.data_date,
)
show_chart(fig, "priority-outcomes", ctx)

tasks = load(q.priority_tasks, plan_id=ctx.plan_id, period=ctx.period, department=dept)
unit = "target_unit_en" if L == "en" else "target_unit_vi"
# What a leader looks for first (who, status, outcome) on the left; the long task text last.
columns = {
    "task_id": ("column.task", "text"),
    "departments" if L == "en" else "departments_vi": ("column.departments", "text"),
    "status_at_deadline": ("column.status_at_deadline", "status"),
    "status": ("column.status_now", "status"),
    "outcome": ("column.outcome", "priority"),
    "closed_in": ("column.closed_in", "year"),
    "target_value": ("column.target", "number"),
    unit: ("column.unit", "text"),
    "achieved_value": ("column.achieved", "number"),
    "activities": ("column.activities", "text"),
    "summary_en" if L == "en" else "text_vi": ("column.task_text", "text"),
}
st.subheader(t("priorities.overdue", L, deadline=deadline))
show_table(tasks[tasks["outcome"] != "done_on_time"], columns, L, key="outcome")
st.subheader(t("priorities.all", L))
show_table(tasks, columns, L, key="outcome")

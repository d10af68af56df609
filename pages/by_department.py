"""Theo sở ngành / By department: one row per department, and one department's own detail."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import t
from greengrowth.queries import dashboard as q
from ui.chrome import (
    department_filter,
    finding_link,
    leadership_page,
    show_chart,
    show_table,
)
from ui.data import load

ctx = leadership_page("by_department.heading")
L = ctx.lang
dept = department_filter(ctx)
name_col = "name_en" if L == "en" else "name_vi"
title_col = "title_en" if L == "en" else "title_vi"

if dept is None:
    summary = load(q.department_summary, plan_id=ctx.plan_id, period=ctx.period, today=ctx.today)
    summary = summary.assign(
        department=[
            getattr(r, name_col) if isinstance(r.department_code, str) else t("common.no_lead", L)
            for r in summary.itertuples()
        ]
    )
    show_table(
        summary,
        {
            "department": ("column.department", "text"),
            "activities_led": ("column.activities_led", "int"),
            "share_complete": ("column.share_complete", "percent"),
            "delayed_activities": ("column.delayed_activities", "int"),
            "open_tasks": ("column.open_tasks", "int"),
            "last_report_on": ("column.last_report_on", "date"),
            "last_report_outcome": ("column.last_report_outcome", "reporting"),
            "this_year_outcome": ("column.this_year_outcome", "reporting"),
        },
        L,
        key="share_complete",
    )
    st.caption(t("by_department.rules", L))
    finding_link(ctx, "F01")
    fig = charts.progress_by_department(
        load(q.department_status_counts, plan_id=ctx.plan_id, period=ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "progress-by-department", ctx)
else:
    current = load(q.activity_statuses, plan_id=ctx.plan_id, period=ctx.period, department=dept)
    st.subheader(t("by_department.activities", L, period=ctx.period))
    if current.empty:
        st.info(t("by_department.no_activities", L))
    else:
        show_table(
            current,
            {
                "activity_no": ("column.activity_no", "int"),
                title_col: ("column.activity", "text"),
                "status": ("column.status", "status"),
                "percent_complete": ("column.percent", "percent"),
            },
            L,
            key="status",
        )
        fig = charts.activity_history(
            load(
                q.activity_status_history, plan_id=ctx.plan_id, period=ctx.period, department=dept
            ),
            lang=L,
            source=ctx.source,
            data_date=ctx.data_date,
        )
        show_chart(fig, f"activity-history-{dept}", ctx)
    st.subheader(t("by_department.tasks", L))
    show_table(
        load(q.priority_tasks, plan_id=ctx.plan_id, period=ctx.period, department=dept),
        {
            "task_id": ("column.task", "text"),
            "summary_en" if L == "en" else "text_vi": ("column.task_text", "text"),
            "deadline": ("column.deadline", "date"),
            "status": ("column.status", "status"),
            "outcome": ("column.outcome", "priority"),
        },
        L,
        key="status",
    )
    st.subheader(t("by_department.reports", L))
    show_table(
        load(
            q.reporting_status,
            plan_id=ctx.plan_id,
            period=ctx.period,
            department=dept,
            today=ctx.today,
        ),
        {
            "period": ("column.period", "year"),
            "due_before": ("column.due_before", "date"),
            "received_on": ("column.received_on", "date"),
            "outcome": ("column.outcome", "reporting"),
        },
        L,
        key="outcome",
    )

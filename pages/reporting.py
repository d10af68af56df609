"""Báo cáo / Reporting: per year and department, expected, received, on time, late, missing."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as q
from ui import briefing
from ui.chrome import (
    department_filter,
    leadership_page,
    show_chart,
    show_table,
)
from ui.data import load

ctx = leadership_page("reporting.heading")
L = ctx.lang
dept = department_filter(ctx)
if load(catalog_queries.annual_rule, plan_id=ctx.plan_id) is None:
    st.info(t("reporting.no_rule", L))
else:
    st.caption(t("reporting.rule", L))

summary = load(
    q.reporting_summary, plan_id=ctx.plan_id, period=ctx.period, department=dept, today=ctx.today
)
if summary["not_due"].any():
    st.caption(t("reporting.not_due_note", L))
show_table(
    summary,
    {
        "period": ("column.period", "year"),
        "expected": ("reporting.expected", "int"),
        "received": ("reporting.received", "int"),
        "on_time": ("reporting.on_time", "int"),
        "late": ("reporting.late", "int"),
        "missing": ("reporting.missing", "int"),
        "not_due": ("reporting.not_due", "int"),
    },
    L,
)
status = load(
    q.reporting_status, plan_id=ctx.plan_id, period=ctx.period, department=dept, today=ctx.today
)
fig = charts.reporting_by_year(summary, lang=L, source=ctx.source, data_date=ctx.data_date)
show_chart(fig, "reporting-by-year", ctx)
fig = charts.reporting_grid(status, lang=L, source=ctx.source, data_date=ctx.data_date)
show_chart(fig, "reporting-grid", ctx)
st.subheader(t("reporting.detail", L))
show_table(
    status,
    {
        "period": ("column.period", "year"),
        # Vietnamese documents name a department by its Vietnamese short form, never DOIT/DARD.
        **(
            {"acronym": ("column.acronym", "text"), "name_en": ("column.department", "text")}
            if L == "en"
            else {"short_vi": ("column.department", "text")}
        ),
        "due_before": ("column.due_before", "date"),
        "received_on": ("column.received_on", "date"),
        "dated_by_upload": ("column.dated_by_upload", "bool"),
        "outcome": ("column.outcome", "reporting"),
    },
    L,
)
briefing.download_buttons(ctx, ("docx", "xlsx"))

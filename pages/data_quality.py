"""Chất lượng dữ liệu / Data quality: for DPI, by department and year, the WHO Data Quality Review
dimensions the plan's data supports: completeness, timeliness and consistency (the data-quality
rules' warnings, explained or not), with links to each submission in the history page."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts, charts_quality, quality_summary
from greengrowth.i18n import fmt_number, t
from greengrowth.queries import dashboard as q
from greengrowth.queries import quality as qq
from loaders import quality_check, tables
from ui.chrome import department_filter, leadership_page, show_chart, show_table
from ui.data import load
from ui.quality import history_url

ctx = leadership_page("quality.page.heading")
L = ctx.lang
dept = department_filter(ctx)
st.caption(t("quality.page.intro", L))

status = load(
    q.reporting_status, plan_id=ctx.plan_id, period=ctx.period, department=dept, today=ctx.today
)
activities = load(qq.activity_completeness, plan_id=ctx.plan_id)
complete = quality_summary.completeness(status, activities, ctx.period, dept)
warnings = quality_summary.warnings_in_scope(
    load(qq.stored_warnings, plan_id=ctx.plan_id), ctx.period, dept
)
head = quality_summary.headline(complete, warnings)
tiles = st.columns(4)
tiles[0].metric(
    t("quality.page.tile.received", L, period=ctx.period),
    f"{fmt_number(head['received'], L)}/{fmt_number(head['expected'], L)}",
)
tiles[1].metric(
    t("quality.page.tile.on_time", L, period=ctx.period),
    f"{fmt_number(head['on_time'], L)}/{fmt_number(head['expected'], L)}",
)
tiles[2].metric(
    t("quality.page.tile.with_status", L),
    f"{fmt_number(head['with_status'], L)}/{fmt_number(head['activities_led'], L)}",
)
tiles[3].metric(
    t("quality.page.tile.unexplained_high", L),
    fmt_number(head["unexplained_high"], L),
    help=t("quality.page.tile.unexplained_high_help", L, n=head["warnings"]),
)

# ---- completeness ----------------------------------------------------------------------------------
st.subheader(t("quality.page.completeness", L))
st.caption(t("quality.page.completeness_note", L))
fig = charts_quality.completeness_by_department(
    complete, lang=L, period=ctx.period, source=ctx.source, data_date=ctx.data_date
)
show_chart(fig, "quality-completeness", ctx)
show_table(
    complete,
    {
        "acronym": ("column.acronym", "text"),
        "name_en" if L == "en" else "name_vi": ("column.department", "text"),
        "received": ("quality.page.col.received", "bool"),
        "activities_led": ("quality.page.col.activities_led", "int"),
        "with_status": ("quality.page.col.with_status", "int"),
        "share_with_status": ("quality.page.col.share", "percent"),
    },
    L,
    key="share_with_status",
)

# ---- timeliness ------------------------------------------------------------------------------------
st.subheader(t("quality.page.timeliness", L))
st.caption(t("quality.page.timeliness_note", L))
fig = charts.reporting_grid(status, lang=L, source=ctx.source, data_date=ctx.data_date)
show_chart(fig, "quality-timeliness", ctx)

# ---- consistency -----------------------------------------------------------------------------------
st.subheader(t("quality.page.consistency", L))
st.caption(t("quality.page.consistency_note", L))
rules = quality_check.rules_for(ctx.plan_id)
titles = rules.titles() if rules is not None else quality_summary.NO_RULES
counted = quality_summary.by_rule(warnings, titles, L)
fig = charts_quality.warnings_by_rule(
    counted, lang=L, period=ctx.period, source=ctx.source, data_date=ctx.data_date
)
show_chart(fig, "quality-consistency", ctx)
if warnings.empty:
    st.info(t("quality.page.no_warnings", L))
    st.stop()
names = dict(zip(titles["rule_id"], titles["title_en" if L == "en" else "title_vi"], strict=True))
shown = tables.stored_warnings_table(warnings, L, names)
link = t("quality.page.col.open", L)
shown.insert(0, link, [history_url(s, L) for s in warnings["submission_id"]])
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        link: st.column_config.LinkColumn(link, display_text=r"submission=(\d+)"),
        t("quality.col.message", L): st.column_config.TextColumn(width="large"),
    },
)

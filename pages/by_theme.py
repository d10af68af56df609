"""Theo chủ đề / By theme: theme, then group, then activity, and each activity's history."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as q
from ui.chrome import (
    ALL,
    finding_link,
    leadership_page,
    show_chart,
    show_table,
    theme_filter,
)
from ui.cycle import value_history_link
from ui.data import load
from ui.state import url_select

ctx = leadership_page("by_theme.heading")
L = ctx.lang

theme = theme_filter(ctx)
groups = load(catalog_queries.groups, plan_id=ctx.plan_id)
if theme is not None:
    groups = groups[groups["theme_no"] == theme]
col = "title_en" if L == "en" else "title_vi"
group_names = {ALL: t("common.all_groups", L)} | {
    r.group_code: f"{r.group_code}. {getattr(r, col)}" for r in groups.itertuples()
}
group = url_select(
    "group",
    t("common.group", L),
    list(group_names),
    ALL,
    format_func=group_names.get,
    container=ctx.pickers,
)
group = None if group == ALL else group

fig = charts.progress_by_group(
    load(q.progress_by_group, plan_id=ctx.plan_id, period=ctx.period, theme=theme),
    lang=L,
    period=ctx.period,
    source=ctx.source,
    data_date=ctx.data_date,
)
show_chart(fig, "progress-by-group", ctx)
fig = charts.coverage(
    load(catalog_queries.coverage, plan_id=ctx.plan_id, theme=theme), lang=L, source=ctx.plan_source
)
show_chart(fig, "coverage", ctx)

st.subheader(t("by_theme.activities", L, period=ctx.period))
current = load(
    q.activity_statuses, plan_id=ctx.plan_id, period=ctx.period, theme=theme, group=group
)
show_table(
    current,
    {
        "activity_no": ("column.activity_no", "int"),
        col: ("column.activity", "text"),
        "group_code": ("column.group", "text"),
        "department_code": ("column.lead", "text"),
        "status": ("column.status", "status"),
        "percent_complete": ("column.percent", "percent"),
        "reported_on": ("column.reported_on", "date"),
    },
    L,
    key="status",
)
if (current["status"] == "no_lead").any():
    finding_link(ctx, "F01")
with st.expander(t("values.activity_expander", L), icon=":material/manage_history:"):
    # the history of any one activity's reported values (issue #9), a click away
    for no in current["activity_no"]:
        value_history_link(L, "activity", str(int(no)), "values.link_activity")
fig = charts.activity_history(
    load(
        q.activity_status_history,
        plan_id=ctx.plan_id,
        period=ctx.period,
        theme=theme,
        group=group,
    ),
    lang=L,
    source=ctx.source,
    data_date=ctx.data_date,
)
show_chart(fig, "activity-history", ctx)

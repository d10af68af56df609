"""Tổng quan / Overview: how far the plan has got, at a glance."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import fmt_number, t
from greengrowth.queries import dashboard as q
from ui.chrome import illustrative_banner, plan_and_period, show_chart
from ui.data import load
from ui.state import lang

L = lang()
ctx = plan_and_period(L)
if ctx is None:
    st.stop()
st.title(t("overview.heading", L, period=ctx.period))
illustrative_banner(ctx)

head = load(q.overview_headline, ctx.plan_id, ctx.period)
cols = st.columns(6)
cols[0].metric(
    t("overview.adopted", L),
    t("overview.adopted_value", L, adopted=head["adopted"], national=head["national"]),
)
for col, key in zip(
    cols[1:], ["completed", "in_progress", "not_started", "delayed", "not_reported"], strict=True
):
    col.metric(t(f"overview.{key}", L), fmt_number(head[key], L))
st.caption(f"{t('overview.mean_percent', L)}: {fmt_number(head['mean_percent_reported'], L, 1)}%")

left, right = st.columns(2)
with left:
    fig = charts.progress_by_theme(
        load(q.progress_by_theme, ctx.plan_id, ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "progress-by-theme", ctx)
with right:
    fig = charts.status_breakdown(
        load(q.status_counts, ctx.plan_id, ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "status-breakdown", ctx)

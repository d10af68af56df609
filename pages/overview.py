"""Tổng quan / Overview: how far the plan has got, at a glance."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts
from greengrowth.i18n import fmt_number, fmt_percent, t
from greengrowth.queries import dashboard as q
from greengrowth.status import STATUS_ORDER
from greengrowth.summary import summary_text
from ui import briefing
from ui.chrome import finding_link, leadership_page, show_chart
from ui.data import load
from ui.quality import flag_values

ctx = leadership_page("overview.heading")
L = ctx.lang
if ctx.data_date is None:
    st.info(t("common.no_data", L))

head = load(q.overview_headline, plan_id=ctx.plan_id, period=ctx.period)
tasks = load(q.priority_headline, plan_id=ctx.plan_id, period=ctx.period)
this_year = load(q.reporting_year, plan_id=ctx.plan_id, period=ctx.period, today=ctx.today)

# Keyed blocks: on a phone the style sheet (ui/layout.PHONE_ORDER) shows the first chart right
# after the heading, then these numbers, the summary and the other charts. The blocks are placed
# first and filled in order of cost: the written summary (the most queries) after the first chart,
# so the first chart is drawn before the summary is written.
headline_box, summary_box = st.container(key="ov_headline"), st.container(key="ov_summary")
first_chart_box, rest_box = st.container(key="ov_first_chart"), st.container(key="ov_rest")
with headline_box:
    cols = st.columns(4)
    cols[0].metric(
        t("overview.adopted", L),
        t("overview.adopted_value", L, adopted=head["adopted"], national=head["national"]),
        border=True,
    )
    cols[1].metric(
        t("overview.priority_done", L),
        t(
            "overview.priority_done_value",
            L,
            done=tasks["done"],  # done by the deadline or later: the priorities page's figures
            total=tasks["tasks"],
        ),
        help=t("overview.priority_done_help", L, on_time=tasks["done_on_time"]),
        border=True,
    )
    cols[2].metric(
        t("overview.on_time", L, period=ctx.period),
        t(
            "overview.on_time_value",
            L,
            on_time=this_year["on_time"],
            expected=this_year["expected"],
        ),
        border=True,
    )
    cols[3].metric(
        t("overview.mean_percent", L),
        fmt_percent(head["mean_percent_reported"], L, 1),
        border=True,
    )
    with st.container(key="ov_status"):  # every status: the tiles add up to the adopted ones
        cols = st.columns(len(STATUS_ORDER))
    for col, key in zip(cols, STATUS_ORDER, strict=True):
        col.metric(t(f"status.{key}", L), fmt_number(head[key], L))
    if head["no_lead"]:
        finding_link(ctx, "F01")

with first_chart_box:
    fig = charts.progress_by_theme(
        load(q.progress_by_theme, plan_id=ctx.plan_id, period=ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "progress-by-theme", ctx)
with summary_box:
    briefing.summary_box(
        ctx,
        load(summary_text, plan_id=ctx.plan_id, period=ctx.period, lang=L, today=ctx.today),
    )
    briefing.download_buttons(ctx)
with rest_box:
    fig = charts.status_breakdown(
        load(q.status_counts, plan_id=ctx.plan_id, period=ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "status-breakdown", ctx)
    fig = charts.status_over_periods(
        load(q.status_by_period, plan_id=ctx.plan_id, period=ctx.period),
        lang=L,
        period=ctx.period,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, "status-over-periods", ctx)
    flag_values(ctx)  # indicator values with an unexplained high-importance data-quality warning

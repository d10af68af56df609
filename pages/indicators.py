"""Chỉ tiêu / Indicators: values over time, the target if any, and on track or not (documented)."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts, provenance, queries
from greengrowth.i18n import t
from greengrowth.queries import dashboard as q
from ui.chrome import (
    department_filter,
    leadership_page,
    show_chart,
    show_table,
)
from ui.cycle import value_history_link
from ui.data import load
from ui.quality import flag_values
from ui.state import url_select

ctx = leadership_page("indicators.heading")
L = ctx.lang
dept = department_filter(ctx)

judged = load(q.indicator_progress, plan_id=ctx.plan_id, period=ctx.period, department=dept)
if judged.empty:
    st.info(t("indicators.none", L))
    st.stop()
name_col, unit_col = ("name_en", "unit_en") if L == "en" else ("name_vi", "unit_vi")
# Which indicators the plan sets and which the province chose (catalog `basis`), said on the page.
basis = load(queries.run, "indicator_basis", plan=ctx.plan_id)
judged = provenance.with_basis(judged, basis, L)
st.caption(t("provenance.indicators_intro", L))
show_table(
    judged,
    {
        name_col: ("column.indicator", "text"),
        unit_col: ("column.unit", "text"),
        "basis_short": ("provenance.column.basis", "text"),
        "department_acronym" if L == "en" else "department_short_vi": ("column.lead", "text"),
        "current_year": ("column.year", "year"),
        "current_value": ("column.latest_value", "number"),
        "target_value": ("column.target", "number"),
        "target_year": ("column.target_year", "year"),
        "status": ("column.progress", "progress"),
        "trend": ("column.trend", "trend"),
    },
    L,
    key="status",
)
with st.expander(t("indicators.rule_title", L)):
    st.markdown(t("indicators.rule", L))

names = dict(zip(judged["indicator_code"], judged[name_col], strict=True))
code = url_select(
    "indicator",
    t("column.indicator", L),
    list(names),
    next(iter(names)),
    format_func=names.get,
    container=st,
)
row = judged.set_index("indicator_code", drop=False).loc[code].to_dict()
st.info(f"**{t('provenance.basis_title', L)}.** {row['basis_text']}")
fig = charts.indicator_series(
    load(q.indicator_values, plan_id=ctx.plan_id, period=ctx.period, indicator=code),
    row,
    row["status"],
    lang=L,
    source=ctx.source,
    data_date=ctx.data_date,
)
show_chart(fig, f"indicator-{code}", ctx)
value_history_link(L, "indicator", code)  # who changed these figures, when (issue #9)
flag_values(ctx, code)  # values with an unexplained high-importance data-quality warning
if row["by_district"]:
    fig = charts.indicator_by_district(
        load(q.indicator_district_values, plan_id=ctx.plan_id, period=ctx.period, indicator=code),
        row,
        lang=L,
        source=ctx.source,
        data_date=ctx.data_date,
    )
    show_chart(fig, f"indicator-{code}-districts", ctx)
else:
    st.info(t("indicators.not_by_district", L))

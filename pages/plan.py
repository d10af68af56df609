"""Kế hoạch / The plan: browse and search the catalog, with the gaps and contradictions it records."""

from __future__ import annotations

import streamlit as st

from greengrowth import charts, provenance, queries
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import catalog as catalog_queries
from ui.chrome import plan_and_period, show_chart, show_table, theme_filter
from ui.data import load
from ui.state import lang

L = lang()
ctx = plan_and_period(L)
if ctx is None:
    st.stop()
title_col = "title_en" if L == "en" else "title_vi"
st.title(ctx.plan[title_col])
st.caption(
    t(
        "plan.meta",
        L,
        issued=fmt_date(ctx.plan["issued_on"], L),
        signed=ctx.plan["signed_by"] or "–",
        national=ctx.plan["national_plan_ref"] or "–",
    )
)

search = st.text_input(t("plan.search", L), value=st.query_params.get("q", ""), key="plan_q")
if search != st.query_params.get("q", ""):
    st.query_params["q"] = search
theme = theme_filter(ctx)

tab_acts, tab_findings, tab_indicators, tab_cov, tab_rules = st.tabs(
    [
        t("plan.tab.activities", L),
        t("plan.tab.findings", L),
        t("provenance.tab.indicators", L),
        t("plan.tab.coverage", L),
        t("plan.tab.rules", L),
    ]
)
with tab_acts:
    acts = load(catalog_queries.catalog_activities, plan_id=ctx.plan_id, theme=theme, search=search)
    # The plan names the national activities it leaves out but never gives their text (F09).
    acts = acts.assign(**{title_col: acts[title_col].fillna(t("plan.not_described", L))})
    st.caption(t("plan.activities_count", L, count=len(acts)))
    show_table(
        acts,
        {
            "activity_no": ("column.activity_no", "int"),
            "theme_no": ("column.theme", "int"),
            "group_code": ("column.group", "text"),
            "adopted": ("column.adopted", "bool"),
            title_col: ("column.activity", "text"),
            "lead": ("column.lead", "text"),
            "due": ("column.due", "text"),
            "tasks": ("column.tasks", "text"),
        },
        L,
    )
with tab_findings:
    found = load(catalog_queries.findings, plan_id=ctx.plan_id, search=search)
    st.caption(t("plan.findings_intro", L, count=len(found)))
    show_table(
        found,
        {
            "finding_id": ("column.finding", "text"),
            "kind": ("column.kind", "finding_kind"),
            "section": ("column.section", "text"),
            "text_en" if L == "en" else "text_vi": ("column.finding_text", "text"),
        },
        L,
    )
with tab_indicators:
    # The plan names no indicators (F17): say for each which the plan sets and which the province
    # chose, with the plan's words and section, or what it monitors and who may change it.
    st.caption(t("provenance.indicators_intro", L))
    basis = provenance.indicator_basis_table(
        load(queries.run, "indicator_basis", plan=ctx.plan_id), L
    )
    for ind in basis.to_dict("records"):
        lead = ind[f"department_name_{L}"]
        lead = f" ({lead})" if isinstance(lead, str) else ""
        st.markdown(
            f"- **{ind[f'name_{L}']}**{lead}: *{ind['basis_label']}*.  \n  {ind['basis_text']}"
        )
with tab_cov:
    cov = load(catalog_queries.coverage, plan_id=ctx.plan_id, theme=theme)
    show_chart(charts.coverage(cov, lang=L, source=ctx.plan_source), "plan-coverage", ctx)
with tab_rules:
    rules = load(queries.run, "reporting_rules", plan=ctx.plan_id)
    rules = provenance.rule_basis_table(rules, L)
    st.caption(t("provenance.rules_intro", L))
    show_table(
        rules,
        {
            "description_en" if L == "en" else "description_vi": ("column.rule", "text"),
            "text_basis_label": ("provenance.column.text_basis", "text"),
            "due_date": ("column.deadline", "date"),
            "source_section": ("column.section", "text"),
        },
        L,
    )
    for rule in rules.to_dict("records"):
        description = rule["description_en" if L == "en" else "description_vi"]
        st.markdown(
            f"- **{description}** ({t('column.section', L)} {rule['source_section']})  \n"
            f"  {rule['basis_text']}"
        )

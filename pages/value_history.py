"""Lịch sử số liệu / Value history: every change of one activity's, task's or indicator's stored
values (issue #9): which submission brought it, who uploaded or corrected it, when, before and after.
Opened from the pages that show the value (?kind=activity&item=12, ?kind=indicator&item=CODE)."""

from __future__ import annotations

import streamlit as st

from greengrowth.i18n import t
from greengrowth.queries import cycle as q
from ui.chrome import analyst_page, plan_picker
from ui.cycle import value_history_table
from ui.data import load

KINDS = ("activity", "indicator", "task")

ctx = analyst_page("values.heading", "values.intro")
L = ctx.lang
picked = plan_picker(L)
if picked is None:
    st.stop()
plan_id = picked[0]
kind_param = st.query_params.get("kind")
left, right = st.columns([1, 2])
kind = left.selectbox(
    t("values.kind", L),
    KINDS,
    index=KINDS.index(kind_param) if kind_param in KINDS else 0,
    format_func=lambda k: t(f"values.kind.{k}", L),
    key="values_kind",
)
item = right.text_input(
    t("values.item", L), value=st.query_params.get("item", ""), key=f"values_item_{kind}"
).strip()
if kind != kind_param or item != st.query_params.get("item", ""):
    st.query_params["kind"] = kind
    st.query_params["item"] = item
if not item:
    st.info(t("values.pick", L))
    st.stop()

history = load(q.value_history, plan_id=plan_id, kind=kind, item=item)
if history.empty:
    st.info(t("values.empty", L, item=item))
    st.stop()
st.caption(t("values.count", L, n=len(history)))

value_history_table(history, L)

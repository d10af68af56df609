"""Duyệt báo cáo / Review: DPI's queue of submitted reports with what changed against the previous
approved version, approve or return in one place; who still owes a report this period, with a
reminder letter; the admin's reopen; the event log. Every decision is the analyst service's."""

from __future__ import annotations

import streamlit as st

from greengrowth import clock
from greengrowth.i18n import t
from ui.chrome import analyst_page, plan_picker
from ui.cycle import event_log, owes_section, queue_item, queue_page, reopen_box
from ui.state import url_select

FLASH_KEY = "review_flash"

ctx = analyst_page("review.heading", "review.intro", sign_in_required=True)
L, user = ctx.lang, ctx.user
picked = plan_picker(L)
if picked is None:
    st.stop()
plan_id, plan, latest_period = picked
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

queue = queue_page(plan_id, L)  # one page, cut in SQL; an item is read only when opened
for row in queue.itertuples():
    queue_item(row, user, L, FLASH_KEY)

st.subheader(t("owes.heading", L))
periods = list(range(int(plan["period_start"]), int(plan["period_end"]) + 1))
period = url_select(
    "period", t("common.period", L), periods, latest_period or periods[-1], cast=int
)
owes_section(plan, plan_id, int(period), clock.now().date(), L)

reopen_box(user, plan_id, L, FLASH_KEY)
event_log(plan_id, L)

"""Duyệt báo cáo / Review: DPI's queue of submitted reports with what changed against the previous
approved version, approve or return in one place; who still owes a report this period, with a
reminder letter; the admin's reopen; the event log. Every decision is the analyst service's."""

from __future__ import annotations

import streamlit as st

from greengrowth import clock
from greengrowth.i18n import t
from greengrowth.queries import cycle as q
from ui import cycle
from ui.chrome import analyst_page, plan_picker
from ui.cycle import event_log, owes_section, queue_item, reopen_box
from ui.data import load
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

# One page of the queue, cut in SQL; each report's changes are read only when it is opened.
queue = load(q.review_queue, plan_id=plan_id, page=0, page_size=cycle.QUEUE_PAGE_SIZE)
waiting = int(queue["total"].iloc[0]) if not queue.empty else 0
st.subheader(t("review.queue_heading", L, n=waiting))
if queue.empty:
    st.info(t("review.queue_empty", L))
pages = max(1, -(-waiting // cycle.QUEUE_PAGE_SIZE))
if pages > 1:
    if st.session_state.get("review_page", 1) > pages:  # the queue shrank under the reader
        st.session_state["review_page"] = pages
    page = int(st.number_input(t("review.page", L), 1, pages, step=1, key="review_page"))
    st.caption(t("review.page_of", L, page=page, pages=pages, size=cycle.QUEUE_PAGE_SIZE))
    if page > 1:
        queue = load(
            q.review_queue, plan_id=plan_id, page=page - 1, page_size=cycle.QUEUE_PAGE_SIZE
        )
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

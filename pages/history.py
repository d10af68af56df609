"""Lịch sử nộp / History: every submission, newest first; its rows, its original file, and for analysts
withdrawal (with a reason) and small corrections (a new submission derived from the old one).

Nothing is ever deleted or edited: a withdrawal is an event, a correction is a new submission. What
the signed-in account may do is the analyst service's answer (loaders.service).
"""

from __future__ import annotations

import streamlit as st

from greengrowth.i18n import t
from greengrowth.queries import quality as qq
from greengrowth.queries import scale
from greengrowth.queries import submissions as q
from loaders import service, tables
from ui.analyst import correction_box, original_download, withdraw_box
from ui.chrome import analyst_page, plan_picker
from ui.cycle import report_state_note
from ui.data import load

FLASH_KEY = "history_flash"
PICK_NEXT_KEY = "history_pick_next"  # select this submission on the next run (after a correction)
PAGE_SIZE = 50

ctx = analyst_page("history.heading", "history.intro")
L, user = ctx.lang, ctx.user
picked = plan_picker(L)
if picked is None:
    st.stop()
plan_id = picked[0]
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
# The list is filtered and cut to one page in SQL: never every submission of a plan (issue 11).
choices = load(scale.submission_history_filters, plan_id=plan_id)
if choices["total"] == 0:
    st.info(t("history.empty", L))
    st.stop()
wanted = st.query_params.pop("submission", None)  # a link from the data-quality or review page
target = load(q.submission, submission=int(wanted)) if wanted and wanted.isdigit() else None
if target is not None and target["plan_id"] == plan_id:  # show it: filter to its report
    st.session_state["history_department"] = target["department_code"]
    st.session_state["history_period"] = int(target["period"])
    st.session_state["history_page"] = 1
    st.session_state[PICK_NEXT_KEY] = int(wanted)

departments = [tables.ALL, *choices["departments"]]
periods = [tables.ALL, *choices["periods"]]
all_label = t("history.all", L)
left, middle, right = st.columns([2, 2, 1])
department = left.selectbox(
    t("history.filter_department", L),
    departments,
    format_func=lambda d: all_label if d == tables.ALL else d,
    key="history_department",
)
period = middle.selectbox(
    t("history.filter_period", L),
    periods,
    format_func=lambda p: all_label if p == tables.ALL else str(p),
    key="history_period",
)
filters = {
    "plan_id": plan_id,
    "department": None if department == tables.ALL else department,
    "period": None if period == tables.ALL else int(period),
    "page_size": PAGE_SIZE,
}
shown, matching = load(scale.submission_history_page, page=0, **filters)
pages = max(1, -(-matching // PAGE_SIZE))
# The filters changed and the page asked for no longer exists: go to the last one that does.
if st.session_state.get("history_page", 1) > pages:
    st.session_state["history_page"] = pages
page = int(right.number_input(t("history.page", L), 1, pages, step=1, key="history_page"))
if page > 1:
    shown, matching = load(scale.submission_history_page, page=page - 1, **filters)
table = tables.history_table(shown, L)
st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 420))
st.caption(
    t("history.count", L, n=matching, total=choices["total"])
    + " "
    + t("history.page_of", L, page=page, pages=pages, size=PAGE_SIZE)
)
if shown.empty:
    st.stop()

labels = tables.pick_labels(shown, L)
if st.session_state.get(PICK_NEXT_KEY) in labels:
    st.session_state["history_pick"] = st.session_state.pop(PICK_NEXT_KEY)
picked = st.selectbox(
    t("history.pick", L), list(labels), format_func=labels.get, key="history_pick"
)
row = tables.submission_row(shown, picked)

# ---- one submission ---------------------------------------------------------------------------------
st.subheader(t("history.detail_heading", L, id=picked))
warnings = load(qq.submission_warnings, submission=picked)
facts = tables.submission_facts(row, L)
facts += tables.warning_facts(warnings, load(qq.submission_explanation, submission=picked), L)
st.markdown("\n".join(f"- {fact}" for fact in facts))
report_state_note(plan_id, row["department_code"], row["period"], L)  # the reporting cycle
if not warnings.empty:
    with st.expander(t("quality.history.warnings_heading", L, n=len(warnings))):
        st.dataframe(tables.stored_warnings_table(warnings, L, {}), hide_index=True)
original_download(load(q.submission, submission=picked), user)

rows = load(q.submission_rows, submission=picked)
tabs = st.tabs([t(f"history.tab.{kind}", L, n=len(rows[kind])) for kind in tables.ROW_KINDS])
for tab, kind in zip(tabs, tables.ROW_KINDS, strict=True):
    with tab:
        if rows[kind].empty:
            st.caption(t("history.no_rows", L))
        else:
            st.dataframe(tables.readable_rows(rows[kind], L), hide_index=True, width="stretch")
events = tables.event_lines(load(q.submission_events, submission=picked), L)
with st.expander(t("history.events", L, n=len(events))):
    st.markdown("\n".join(f"- {line}" for line in events))

# ---- analyst actions: offered as the service allows them ----------------------------------------------
with service.connection(read_only=True) as con:
    actions = service.submission_actions(con, user, picked)
if actions.withdraw is not None and actions.withdraw.code in {"not_signed_in", "not_permitted"}:
    st.info(actions.withdraw.message(L), icon=":material/lock:")
    st.stop()
if actions.withdraw is None:
    withdraw_box(user, picked, L, FLASH_KEY)
else:  # e.g. withdrawn meanwhile in another tab: say so rather than hide it
    st.caption(actions.withdraw.message(L))
if actions.correct is not None:
    if actions.correct.code == "not_current":
        st.caption(actions.correct.message(L))
    st.stop()
correction_box(user, picked, rows, L, FLASH_KEY, PICK_NEXT_KEY)

"""Lịch sử nộp / History: every submission, newest first; its rows, its original file, and for analysts
withdrawal (with a reason) and small corrections (a new submission derived from the old one).

Nothing is ever deleted or edited: a withdrawal is an event, a correction is a new submission.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from greengrowth import store
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import submissions as q
from greengrowth.status import STATUS_CODES
from loaders.corrections import EDITABLE, CorrectionError, submit_correction
from loaders.ingest import withdraw
from ui.auth import current_user
from ui.chrome import plan_picker
from ui.data import load
from ui.problems import show_problems
from ui.state import lang

log = logging.getLogger(__name__)
FLASH_KEY = "history_flash"
PICK_NEXT_KEY = "history_pick_next"  # select this submission on the next run (after a correction)
ALL = "*"

L = lang()
st.title(t("history.heading", L))
st.markdown(t("history.intro", L))

picked = plan_picker(L)
if picked is None:
    st.stop()
plan_id, _, _ = picked

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

history = load(q.run, "submission_history", [plan_id])
if history.empty:
    st.info(t("history.empty", L))
    st.stop()

left, right = st.columns(2)
departments = [ALL, *sorted(history["department_code"].unique())]
department = left.selectbox(
    t("history.filter_department", L),
    departments,
    format_func=lambda d: t("history.all", L) if d == ALL else d,
    key="history_department",
)
periods = [ALL, *sorted(history["period"].unique(), reverse=True)]
period = right.selectbox(
    t("history.filter_period", L),
    periods,
    format_func=lambda p: t("history.all", L) if p == ALL else str(p),
    key="history_period",
)
shown = history
if department != ALL:
    shown = shown[shown["department_code"] == department]
if period != ALL:
    shown = shown[shown["period"] == period]


def when(ts) -> str:
    return "" if pd.isna(ts) else f"{fmt_date(ts, L)} {ts:%H:%M}"


def state_label(state: str) -> str:
    return t(f"history.state.{state}", L)


table = pd.DataFrame(
    {
        t("history.col.id", L): shown["submission_id"],
        t("history.col.when", L): [when(ts) for ts in shown["uploaded_at"]],
        t("history.col.who", L): shown["uploaded_by"],
        t("history.col.file", L): shown["file_name"],
        t("history.col.department", L): shown["department_code"],
        t("history.col.period", L): shown["period"],
        t("history.col.rows", L): shown["n_rows"],
        t("history.col.state", L): [state_label(s) for s in shown["state"]],
        t("history.col.derived_from", L): [
            "" if pd.isna(d) else str(int(d)) for d in shown["derived_from"]
        ],
    }
)
st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 420))
st.caption(t("history.count", L, n=len(shown), total=len(history)))
if shown.empty:
    st.stop()

ids = [int(i) for i in shown["submission_id"]]
if st.session_state.get(PICK_NEXT_KEY) in ids:
    st.session_state["history_pick"] = st.session_state.pop(PICK_NEXT_KEY)
labels = {
    int(r.submission_id): t(
        "history.pick_label",
        L,
        id=int(r.submission_id),
        department=r.department_code,
        period=int(r.period),
        file=r.file_name,
    )
    for r in shown.itertuples()
}
picked = st.selectbox(t("history.pick", L), ids, format_func=labels.get, key="history_pick")
row = shown[shown["submission_id"] == picked].iloc[0]

# ---- one submission ---------------------------------------------------------------------------------
st.subheader(t("history.detail_heading", L, id=picked))
facts = [
    t("history.fact.state", L, state=state_label(row["state"])),
    t("history.fact.uploaded", L, who=row["uploaded_by"], when=when(row["uploaded_at"])),
    t("history.fact.report", L, department=row["department_code"], period=int(row["period"])),
    t("history.fact.reported_on", L, date=fmt_date(row["reported_on"], L)),
    t(
        "history.fact.rows",
        L,
        activities=int(row["n_activity_rows"]),
        tasks=int(row["n_task_rows"]),
        indicators=int(row["n_indicator_rows"]),
    ),
]
if not pd.isna(row["derived_from"]):
    facts.append(t("history.fact.derived_from", L, id=int(row["derived_from"])))
if row["state"] == "withdrawn":
    facts.append(
        t(
            "history.fact.withdrawn",
            L,
            who=row["withdrawn_by"],
            when=when(row["withdrawn_at"]),
            reason=row["withdrawn_reason"],
        )
    )
if row["illustrative"]:
    facts.append(t("history.fact.illustrative", L))
st.markdown("\n".join(f"- {f}" for f in facts))

detail = load(q.run, "submission", [picked]).iloc[0]
try:
    original = store.read_original(detail["sha256"], store.db_path())
except OSError:
    original = None
if original is None:
    st.caption(t("history.original_missing", L))
else:
    st.download_button(
        t("history.download", L, file=row["file_name"]),
        data=original,
        file_name=row["file_name"],
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="history_download",
        icon=":material/download:",
        on_click="ignore",
    )

rows = load(q.submission_rows, picked)


def status_text(code) -> str:
    return "" if pd.isna(code) else t(f"status.{code}", L)


def localise(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names and statuses in the reader's language; an empty cell shows empty, not "None"."""
    frame = frame.copy()
    if "status" in frame:
        frame["status"] = [status_text(s) for s in frame["status"]]
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = [fmt_date(v, L) for v in frame[column]]
        elif frame[column].dtype == object:
            frame[column] = frame[column].fillna("")
    return frame.rename(columns=lambda c: t(f"history.field.{c}", L))


tabs = st.tabs(
    [
        t("history.tab.activities", L, n=len(rows["activities"])),
        t("history.tab.tasks", L, n=len(rows["tasks"])),
        t("history.tab.indicators", L, n=len(rows["indicators"])),
        t("history.tab.spending", L, n=len(rows["spending"])),
    ]
)
for tab, kind in zip(tabs, ["activities", "tasks", "indicators", "spending"], strict=True):
    with tab:
        if rows[kind].empty:
            st.caption(t("history.no_rows", L))
        else:
            st.dataframe(localise(rows[kind]), hide_index=True, width="stretch")

events = load(q.run, "submission_events", [picked])
with st.expander(t("history.events", L, n=len(events))):
    for e in events.itertuples():
        reason = "" if e.reason is None or pd.isna(e.reason) else f": {e.reason}"
        st.markdown(
            f"- {when(e.event_at)} — {t(f'history.event.{e.event}', L)} — {e.actor}{reason}"
        )

# ---- analyst actions ----------------------------------------------------------------------------------
user = current_user()
if user is None:
    st.info(t("history.sign_in_for_actions", L), icon=":material/lock:")
    st.stop()
if not user.may_report_for(row["department_code"]):
    st.info(t("history.not_your_department", L, department=row["department_code"]))
    st.stop()
if row["state"] == "withdrawn":
    st.stop()

with st.expander(t("history.withdraw_heading", L), icon=":material/undo:"):
    st.markdown(t("history.withdraw_explain", L, id=picked))
    reason = st.text_area(t("history.withdraw_reason", L), key="withdraw_reason", max_chars=500)
    if st.button(t("history.withdraw_submit", L), key="withdraw_submit", type="primary"):
        if not reason.strip():
            st.error(t("history.withdraw_reason_required", L))
        else:
            try:
                with store.connect() as con:
                    withdraw(con, picked, user.username, reason)
                    now_current = q.run(
                        con,
                        "current_submission",
                        [plan_id, row["department_code"], int(row["period"])],
                    )
            except Exception:
                log.exception("withdrawal of %s failed", picked)
                st.error(t("history.withdraw_failed", L))
            else:
                follow = (
                    t("history.now_current", L, id=int(now_current["submission_id"].iloc[0]))
                    if not now_current.empty
                    else t("history.none_current", L)
                )
                st.session_state[FLASH_KEY] = t("history.withdrawn_ok", L, id=picked) + " " + follow
                st.rerun()

if row["state"] != "current":
    st.caption(t("history.correct_only_current", L))
    st.stop()

with st.expander(t("history.correct_heading", L), icon=":material/edit:"):
    st.markdown(t("history.correct_explain", L, id=picked))
    labels_by_code = {code: t(f"status.{code}", L) for code in STATUS_CODES}
    edited = {}
    for kind in ["activities", "tasks", "indicators"]:
        frame = rows[kind]
        if frame.empty:
            continue
        st.markdown(f"**{t(f'history.tab.{kind}', L, n=len(frame))}**")
        config = {c: st.column_config.Column(t(f"history.field.{c}", L)) for c in frame.columns}
        if "status" in frame:
            config["status"] = st.column_config.SelectboxColumn(
                t("history.field.status", L),
                options=list(STATUS_CODES),
                format_func=labels_by_code.get,
                required=True,
            )
        if "percent_complete" in frame:
            config["percent_complete"] = st.column_config.NumberColumn(
                t("history.field.percent_complete", L), min_value=0, max_value=100
            )
        if "completed_on" in frame:
            frame = frame.assign(completed_on=pd.to_datetime(frame["completed_on"]).dt.date)
            config["completed_on"] = st.column_config.DateColumn(
                t("history.field.completed_on", L), format="DD/MM/YYYY"
            )
        edited[kind] = st.data_editor(
            frame,
            key=f"correct_{kind}_{picked}",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=[c for c in frame.columns if c not in EDITABLE[kind]],
            column_config=config,
        )
    if st.button(t("history.correct_submit", L), key="correct_submit", type="primary"):
        try:
            with store.connect() as con:
                result = submit_correction(con, picked, user.username, **edited)
        except CorrectionError as exc:
            st.warning(t(f"history.correct_error.{exc.code}", L))
        except Exception:
            log.exception("correction of %s failed", picked)
            st.error(t("history.correct_failed", L))
        else:
            if result.outcome == "accepted":
                st.session_state[FLASH_KEY] = t(
                    "history.correct_ok", L, id=result.submission_id, old=picked
                )
                st.session_state[PICK_NEXT_KEY] = result.submission_id
                for kind in edited:
                    st.session_state.pop(f"correct_{kind}_{picked}", None)
                st.rerun()
            st.error(t("history.correct_rejected", L, n=len(result.problems)))
            show_problems(result.problems, L)

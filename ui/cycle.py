"""Streamlit glue for the reporting cycle (issue #9): the review queue with approve and return, the
admin's reopen, who still owes a report with a reminder letter, the event log, the approval note on
leadership pages and the link to a value's history. Every decision is the service's.

loaders.service (the whole ingest path, openpyxl included) is imported where a decision is made or
reviewed, not at module level: every leadership page imports this module for its approval note."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import streamlit as st

from greengrowth.auth import Account
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import cycle as q
from greengrowth.queries import quality as quality_queries
from greengrowth.text import literal
from loaders import tables
from ui.data import load
from ui.state import APPROVED_PARAM, approved_only

QUEUE_PAGE_SIZE = 20  # queued reports on one page of the review page


def _decide(action, user: Account | None, submission_id: int, text: str, L: str, flash_key: str):
    """Run one decision through the service; its refusal is shown, success flashes after a rerun."""
    from loaders import service

    try:
        with service.connection() as con:
            action(con, user, submission_id, text)
    except service.ServiceError as exc:
        st.error(exc.message(L), icon=":material/block:")
        return
    st.session_state[flash_key] = t(f"review.done.{action.__name__}", L, id=submission_id)
    st.rerun()


def _keep_draft(sid: int) -> None:
    st.session_state[f"review_draft_{sid}"] = st.session_state[f"review_comment_{sid}"]


def queue_page(plan_id: str, L: str) -> pd.DataFrame:
    """The queue's heading (how many reports wait), a page picker when they fill more than one
    page, and the chosen page's reports, cut in SQL (a national plan can have a hundred waiting)."""
    queue = load(q.review_queue, plan_id=plan_id, page=0, page_size=QUEUE_PAGE_SIZE)
    waiting = int(queue["total"].iloc[0]) if not queue.empty else 0
    st.subheader(t("review.queue_heading", L, n=waiting))
    if queue.empty:
        st.info(t("review.queue_empty", L))
    pages = max(1, math.ceil(waiting / QUEUE_PAGE_SIZE))
    if pages == 1:
        return queue
    if st.session_state.get("review_page", 1) > pages:  # decisions emptied the last page
        st.session_state["review_page"] = pages
    page = int(st.number_input(t("review.page", L), 1, pages, step=1, key="review_page"))
    st.caption(t("review.page_of", L, page=page, pages=pages, size=QUEUE_PAGE_SIZE))
    if page == 1:
        return queue
    return load(q.review_queue, plan_id=plan_id, page=page - 1, page_size=QUEUE_PAGE_SIZE)


def queue_item(row, user: Account | None, L: str, flash_key: str) -> None:
    """One submitted report: who sent what, the changes against the previous approved version,
    and approve or return (with a comment) in one place."""
    from loaders import service

    sid = int(row.submission_id)
    name = row.name_en if L == "en" else row.name_vi
    head = t("review.item", L, acronym=row.acronym, name=name, period=int(row.period), id=sid)
    # Opening an item reruns the page, and only an open item reads its changes, warnings and
    # rights: a closed expander's content would otherwise be computed for every queued report.
    item = st.expander(
        head, key=f"review_open_{sid}", on_change="rerun", icon=":material/pending_actions:"
    )
    with item:
        st.markdown(
            t(
                "review.item_facts",
                L,
                who=literal(row.uploaded_by),
                when=tables.when(row.uploaded_at, L),
                file=literal(row.file_name),
            )
        )
        if not item.open:
            return
        against, against_key = row.last_approved, "review.against_approved"
        if pd.isna(against):
            against, against_key = row.earlier_approved, "review.against_earlier"
        against = None if pd.isna(against) else int(against)
        if against is None:
            st.caption(t("review.against_none", L))
        else:
            st.caption(t(against_key, L, id=against))
        with service.connection(read_only=True) as con:
            changes = service.review_changes(con, sid, against)
            allowed = service.review_actions(
                con, user, row.plan_id, row.department_code, row.period
            )
            warnings = quality_queries.submission_warnings(con, submission=sid)
            explanation = quality_queries.submission_explanation(con, submission=sid)
        if changes:
            st.dataframe(
                tables.changes_table(_Changes(changes), L), hide_index=True, width="stretch"
            )
        else:
            st.info(t("review.no_changes", L))
        # Data-quality warnings and the analyst's explanation, before DPI approves (issue 14).
        if not warnings.empty:
            st.warning(
                "  \n".join(tables.warning_facts(warnings, explanation, L)),
                icon=":material/rule:",
            )
            st.dataframe(
                tables.stored_warnings_table(warnings, L, {}), hide_index=True, width="stretch"
            )
        st.page_link(
            "pages/history.py",
            label=t("review.open_history", L),
            icon=":material/history:",
            query_params={"submission": str(sid)} | ({"lang": L} if L == "en" else {}),
        )
        if allowed.approve is not None:
            st.caption(allowed.approve.message(L))
            return
        # A closed item draws no text area and Streamlit forgets a widget it did not draw: the
        # comment being written is kept under a key of its own until the item is opened again.
        draft = f"review_draft_{sid}"
        comment = st.text_area(
            t("review.comment", L),
            value=st.session_state.get(draft, ""),
            key=f"review_comment_{sid}",
            max_chars=1000,
            on_change=_keep_draft,
            args=(sid,),
        )
        left, right = st.columns(2)
        if left.button(
            t("review.approve", L), key=f"approve_{sid}", type="primary", icon=":material/verified:"
        ):
            _decide(service.approve, user, sid, comment, L, flash_key)
        if right.button(t("review.return", L), key=f"return_{sid}", icon=":material/reply:"):
            _decide(service.return_report, user, sid, comment, L, flash_key)


class _Changes:
    """tables.changes_table reads `.changes`."""

    def __init__(self, changes):
        self.changes = changes


def reopen_box(user: Account | None, plan_id: str, L: str, flash_key: str) -> None:
    """An admin reopens an approved report with a reason; shown only to the roles the service lets
    reopen (the service still decides on the click)."""
    from loaders import service

    if user is None or user.role not in service.REOPEN_ROLES:
        return
    approved = load(q.approved_reports, plan_id=plan_id)
    st.subheader(t("review.reopen_heading", L))
    if approved.empty:
        st.caption(t("review.none_approved", L))
        return
    labels = {
        int(r.submission_id): t(
            "review.approved_label",
            L,
            acronym=r.acronym,
            period=int(r.period),
            id=int(r.submission_id),
            who=r.decided_by,
            when=tables.when(r.decided_at, L),
        )
        for r in approved.itertuples()
    }
    picked = st.selectbox(
        t("review.reopen_pick", L), list(labels), format_func=labels.get, key="reopen_pick"
    )
    reason = st.text_area(t("review.reopen_reason", L), key="reopen_reason", max_chars=1000)
    if st.button(t("review.reopen", L), key="reopen_submit", icon=":material/lock_open:"):
        _decide(service.reopen, user, picked, reason, L, flash_key)


def days_to_deadline(plan_id: str, period: int, today: date) -> tuple[date | None, int | None]:
    """The period's annual deadline ('before 15 October') and the days from today to it (negative:
    days late); (None, None) when the plan sets no deadline."""
    rule = load(catalog_queries.annual_rule, plan_id=plan_id)
    if rule is None:
        return None, None
    due = date(period, int(rule["due_before_month"]), int(rule["due_before_day"]))
    return due, (due - today).days


def owed(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports still outstanding: not submitted, awaiting review or returned."""
    return reports[reports["state"].isin(["not_submitted", "submitted", "returned"])]


def reminder_letter(
    plan: dict, period: int, due: date | None, today: date, reports: pd.DataFrame
) -> str:
    """A ready Vietnamese text DPI can paste into a reminder e-mail or official letter: the
    departments that have not submitted or whose report was returned (awaiting review is DPI's)."""
    late = reports[reports["state"].isin(["not_submitted", "returned"])]
    if late.empty:
        return ""
    lines = [f"Kính gửi: {', '.join(late['name_vi'])}.", ""]
    title = plan.get("title_vi") or ""
    doc = plan.get("document_no")
    basis = f"{title} ({doc})" if doc else title
    due_text = f"trước ngày {fmt_date(due, 'vi')}" if due else "theo quy định"
    lines.append(
        f"Thực hiện {basis}, Sở Kế hoạch và Đầu tư tổng hợp báo cáo kết quả thực hiện năm {period} "
        f"của các sở, ngành; các đơn vị gửi báo cáo {due_text}. "
        f"Đến ngày {fmt_date(today, 'vi')}, Sở Kế hoạch và Đầu tư ghi nhận:"
    )
    for r in late.itertuples():
        if r.state == "not_submitted":
            lines.append(f"- {r.name_vi}: chưa gửi báo cáo năm {period}.")
        else:
            comment = " ".join(str(r.comment or "").split())
            lines.append(
                f"- {r.name_vi}: báo cáo đã được trả lại ngày {fmt_date(r.decided_at, 'vi')} "
                f"để chỉnh sửa, bổ sung theo nhận xét: “{comment}”."
            )
    if due is not None and today < due:
        ask = f"hoàn thành và gửi báo cáo trước ngày {fmt_date(due, 'vi')}"
    else:
        ask = "khẩn trương hoàn thành và gửi báo cáo (đã quá hạn)"
    lines += [
        "",
        f"Sở Kế hoạch và Đầu tư đề nghị các đơn vị {ask}, bằng cách tải tệp báo cáo theo mẫu lên "
        "hệ thống theo dõi tăng trưởng xanh của tỉnh.",
        "",
        "Trân trọng./.",
    ]
    return "\n".join(lines)


def owes_section(plan: dict, plan_id: str, period: int, today: date, L: str) -> None:
    """Who still owes a report for one period: state, days left or late, and the reminder text."""
    reports = load(q.period_reports, plan_id=plan_id, period=period)
    due, days = days_to_deadline(plan_id, period, today)
    if due is None:
        st.caption(t("owes.no_deadline", L))
    elif days >= 0:
        st.markdown(
            t("owes.days_left", L, days=days, due=fmt_date(due, L), today=fmt_date(today, L))
        )
    else:
        st.markdown(
            t("owes.days_late", L, days=-days, due=fmt_date(due, L), today=fmt_date(today, L))
        )
    outstanding = owed(reports)
    if outstanding.empty:
        st.success(t("owes.none", L, period=period))
        return
    name = "name_en" if L == "en" else "name_vi"
    st.dataframe(
        pd.DataFrame(
            {
                t("owes.col.department", L): outstanding["acronym"] + " – " + outstanding[name],
                t("owes.col.state", L): [t(f"cycle.state.{s}", L) for s in outstanding["state"]],
                t("owes.col.since", L): [
                    tables.when(d if s == "returned" else u, L)
                    for s, d, u in zip(
                        outstanding["state"],
                        outstanding["decided_at"],
                        outstanding["uploaded_at"],
                        strict=True,
                    )
                ],
                t("owes.col.comment", L): outstanding["comment"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    letter = reminder_letter(plan, period, due, today, outstanding)
    if letter:
        st.markdown(t("owes.letter_heading", L))
        st.code(letter, language=None, wrap_lines=True)


def event_log(plan_id: str, L: str) -> None:
    """The newest events of the append-only log, as a table (typed text stays text)."""
    events = load(q.event_log, plan_id=plan_id, limit=300)
    with st.expander(t("events.heading", L, n=len(events)), icon=":material/receipt_long:"):
        st.dataframe(
            pd.DataFrame(
                {
                    t("events.col.when", L): [tables.when(w, L) for w in events["event_at"]],
                    t("events.col.event", L): [t(f"events.kind.{e}", L) for e in events["event"]],
                    t("events.col.who", L): events["actor"],
                    t("events.col.report", L): [
                        "" if pd.isna(d) else f"{d} {int(p)}"
                        for d, p in zip(events["department_code"], events["period"], strict=True)
                    ],
                    t("events.col.submission", L): [
                        "" if pd.isna(s) else str(int(s)) for s in events["submission_id"]
                    ],
                    t("events.col.detail", L): events["detail"].fillna(""),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def approval_note(plan_id: str, period: int, L: str) -> bool:
    """How many departments' figures for the period are approved, the rest marked, and the switch
    to approved figures only (in the URL). Returns the switch's value."""
    counts = load(q.approval_count, plan_id=plan_id, period=period)
    on = st.sidebar.toggle(
        t("cycle.approved_only", L),
        value=approved_only(),
        key="approved_only_switch",
        help=t("cycle.approved_only_help", L),
    )
    if on != approved_only():
        if on:
            st.query_params[APPROVED_PARAM] = "1"
        else:
            del st.query_params[APPROVED_PARAM]
        st.rerun()
    missing = ", ".join(counts["not_approved" if L == "en" else "not_approved_vi"]) or "–"
    key = "cycle.note_approved_only" if on else "cycle.note"
    st.caption(
        t(key, L, approved=int(counts["approved"]), expected=int(counts["expected"]),
          period=period, missing=missing),
        help=t("cycle.note_help", L),
    )  # fmt: skip
    return on


def value_history_link(L: str, kind: str, item: str, label_key: str = "values.link") -> None:
    """A link to the history of one activity's or indicator's stored values."""
    st.page_link(
        "pages/value_history.py",
        label=t(label_key, L, item=item),
        icon=":material/manage_history:",
        query_params={"kind": kind, "item": str(item)} | ({"lang": L} if L == "en" else {}),
    )


def value_history_table(history: pd.DataFrame, L: str) -> None:
    """The value_history rows of one item, newest first, in the reader's language."""

    def value(field: str, v) -> str:
        if v is None or pd.isna(v):
            return "–"
        return t(f"status.{v}", L) if field == "status" else str(v)

    fields = list(history["field"])
    st.dataframe(
        pd.DataFrame(
            {
                t("values.col.when", L): [tables.when(w, L) for w in history["changed_at"]],
                t("values.col.report", L): [
                    f"{d} {int(p)}"
                    for d, p in zip(history["department_code"], history["period"], strict=True)
                ],
                t("values.col.where", L): [
                    " ".join(str(x) for x in (d, y) if x is not None and not pd.isna(x))
                    for d, y in zip(history["district_code"], history["year"], strict=True)
                ],
                t("values.col.field", L): [t(f"history.field.{f}", L) for f in fields],
                t("values.col.before", L): [
                    value(f, v) for f, v in zip(fields, history["value_before"], strict=True)
                ],
                t("values.col.after", L): [
                    value(f, v) for f, v in zip(fields, history["value_after"], strict=True)
                ],
                t("values.col.who", L): history["changed_by"],
                t("values.col.via", L): [t(f"values.via.{v}", L) for v in history["via"]],
                t("values.col.submission", L): history["submission_id"],
                t("values.col.status", L): [
                    t(f"values.status.{s}", L) for s in history["submission_status"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def report_state_note(plan_id: str, department: str, period: int, L: str) -> None:
    """Where a report stands in the cycle (on the history page): awaiting review, approved by whom
    and when, or returned with the reviewer's comment, shown as typed."""
    row = load(q.report_state, plan_id=plan_id, department=department, period=int(period))
    if row is None:
        return
    state = row["state"]
    text = t(
        f"cycle.state_note.{state}",
        L,
        department=department,
        period=int(period),
        who=literal(row["decided_by"]),
        when=tables.when(row["decided_at"], L),
        comment=literal(row["comment"]),
    )
    {"approved": st.success, "returned": st.warning}.get(state, st.info)(
        text, icon=":material/fact_check:"
    )

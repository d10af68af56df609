"""Streamlit glue for the analyst pages: the per-session dry-run cache, a file's verdict, the commit
summary and the correction editor. Every decision is the service's (loaders.service); every table
comes from loaders.tables.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from greengrowth import store
from greengrowth.auth import Account
from greengrowth.i18n import t
from greengrowth.status import STATUS_CODES
from greengrowth.text import literal
from loaders import quality_check, service, tables
from loaders.service import CheckResult, ServiceError
from loaders.uploaded_files import display_name, may_download_originals
from ui.data import data_version
from ui.problems import show_problems
from ui.state import lang

CHECKS_KEY = "upload_dry_runs"


@dataclass
class Checked:
    """One uploaded file after its dry run: a result, or the service's reason for refusing it."""

    name: str
    data: bytes
    result: CheckResult | None = None
    error: ServiceError | None = None
    explanation: str = ""  # the analyst's reason for storing a report with warnings

    @property
    def valid(self) -> bool:
        return (
            self.error is None and self.result is not None and self.result.outcome == "would_accept"
        )

    @property
    def waiting(self) -> bool:
        """Valid, with data-quality warnings, and no explanation yet: not to be stored."""
        return (
            self.valid
            and bool(self.result.warnings)
            and not quality_check.clean_explanation(self.explanation)
        )

    @property
    def ready(self) -> bool:
        return self.valid and not self.waiting


def dry_run(name: str, data: bytes, user: Account) -> Checked:
    """service.check, kept per file content, user and data version: a rerun (any click) must not
    validate every file again; a change of the file or of the stored data redoes it."""
    cache = st.session_state.setdefault(CHECKS_KEY, {})
    key = (hashlib.sha256(data).hexdigest(), name, user.username, data_version())
    if key not in cache:
        if len(cache) > 50:  # a long session: forget old rounds
            cache.clear()
        item = Checked(name, data)
        try:
            with service.connection() as con:
                item.result = service.check(con, user, data, name)
        except ServiceError as exc:
            item.error = exc
        cache[key] = item
    return cache[key]


def show_verdict(item: Checked, committed: dict[str, int], L: str) -> None:
    """One file's verdict: a refusal, the problems table, the duplicate note or the preview."""
    result = item.result
    with st.container(border=True):
        st.markdown(f"**{literal(display_name(item.name))}**")
        if item.error is not None:
            st.error(item.error.message(L), icon=":material/block:")
            return
        if result.outcome == "duplicate":
            if result.sha256 in committed:
                st.success(t("upload.stored_now", L, id=result.submission_id))
            else:
                st.info(t("upload.duplicate", L, id=result.submission_id), icon=":material/info:")
            return
        if result.outcome == "rejected":
            st.error(t("upload.rejected", L, n=len(result.problems)), icon=":material/error:")
            show_problems(result.problems, L)
            return
        p, counts = result.parsed, result.counts()
        st.success(t("upload.would_accept", L, department=p.department_code, period=p.period))
        st.markdown(t("upload.counts", L, **counts))
        if result.replaces is not None:
            st.markdown(t("upload.replaces", L, id=result.replaces))
        else:
            st.markdown(t("upload.first_for_period", L))
        if p.illustrative:
            st.warning(t("upload.illustrative", L))
        if result.warnings:
            show_warnings(item, L)
        if result.changes:
            st.markdown(t("upload.changes", L, n=len(result.changes)))
            st.dataframe(tables.changes_table(result, L), hide_index=True, width="stretch")
        else:
            st.info(t("upload.no_changes", L))


def show_warnings(item: Checked, L: str) -> None:
    """The report's data-quality warnings beside its verdict, and the explanation field that
    storing it needs (the value is kept on the item, so the commit button knows)."""
    warnings = item.result.warnings
    st.warning(t("quality.upload.warnings", L, n=len(warnings)), icon=":material/warning:")
    st.dataframe(
        tables.warnings_table(warnings, L),
        hide_index=True,
        width="stretch",
        column_config={
            t("quality.col.message", L): st.column_config.TextColumn(width="large"),
            t("quality.col.compared_with", L): st.column_config.TextColumn(width="medium"),
        },
    )
    item.explanation = st.text_area(
        t("quality.upload.explanation", L, file=display_name(item.name)),
        key=f"explain_{item.result.sha256}",
        max_chars=quality_check.MAX_EXPLANATION,
        help=t("quality.upload.explanation_help", L),
    )


def commit_all(items: list[Checked], user: Account, L: str) -> list[dict]:
    """Store every file that passed its dry run through the service; each in its own transaction."""
    stored = []
    for item in items:
        try:
            with service.connection() as con:
                result = service.commit(
                    con, user, item.data, item.name, explanation=item.explanation or None
                )
        except ServiceError as exc:
            stored.append({"name": item.name, "error": exc.message(L)})
            continue
        entry = {"name": item.name, "sha256": result.sha256, "outcome": result.outcome}
        if result.outcome == "accepted":
            entry |= {
                "id": result.submission_id,
                "department": result.parsed.department_code,
                "period": result.parsed.period,
                "replaces": result.replaces,
                "changes": len(result.changes),
            }
        elif result.outcome == "rejected":  # the data changed between preview and commit
            entry["error"] = t("upload.rejected", L, n=len(result.problems))
        elif result.outcome == "needs_explanation":  # new warnings since the preview
            entry["error"] = t("quality.upload.summary_needs_explanation", L)
        stored.append(entry)
    return stored


def show_summary(summary: list[dict], L: str) -> None:
    """What the last commit stored, with links onwards."""
    accepted = [s for s in summary if s.get("outcome") == "accepted"]
    with st.container(border=True):
        st.subheader(t("upload.summary_heading", L))
        if accepted:
            st.success(t("upload.summary_stored", L, n=len(accepted)))
        for s in summary:
            if s.get("outcome") == "accepted":
                key = "upload.summary_line_replaces" if s["replaces"] else "upload.summary_line"
                shown = {k: s[k] for k in s if k not in {"outcome", "sha256"}}
                st.markdown(t(key, L, **shown | {"name": literal(s["name"])}))
            elif s.get("outcome") == "duplicate":
                st.info(f"{literal(s['name'])}: {t('upload.summary_duplicate', L)}")
            else:
                st.error(f"{literal(s['name'])}: {s.get('error', '')}")
        periods = sorted({s["period"] for s in accepted})
        params = {"period": str(periods[-1])} if periods else {}
        lang_param = {"lang": "en"} if L == "en" else {}
        links = st.columns(3)
        for col, page, key, icon, query in [
            (links[0], "pages/overview.py", "upload.link_overview", "dashboard", params | lang_param),
            (links[1], "pages/by_department.py", "upload.link_department", "apartment",
             params | lang_param),
            (links[2], "pages/history.py", "upload.link_history", "history", lang_param),
        ]:  # fmt: skip
            col.page_link(page, label=t(key, L), icon=f":material/{icon}:", query_params=query)


def correction_editor(rows: dict[str, pd.DataFrame], submission_id: int, L: str) -> dict:
    """One data editor per table (keys fixed, statuses from the vocabulary); the edited frames."""
    labels = {code: t(f"status.{code}", L) for code in STATUS_CODES}
    edited = {}
    for kind, editable in service.EDITABLE.items():
        frame = tables.editable_rows(rows[kind])
        if frame.empty:
            continue
        st.markdown(f"**{t(f'history.tab.{kind}', L, n=len(frame))}**")
        config = {c: st.column_config.Column(t(f"history.field.{c}", L)) for c in frame.columns}
        if "status" in frame:
            config["status"] = st.column_config.SelectboxColumn(
                t("history.field.status", L),
                options=list(STATUS_CODES),
                format_func=labels.get,
                required=True,
            )
        if "percent_complete" in frame:
            config["percent_complete"] = st.column_config.NumberColumn(
                t("history.field.percent_complete", L), min_value=0, max_value=100
            )
        if "completed_on" in frame:
            config["completed_on"] = st.column_config.DateColumn(
                t("history.field.completed_on", L), format="DD/MM/YYYY"
            )
        edited[kind] = st.data_editor(
            frame,
            key=f"correct_{kind}_{submission_id}",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=[c for c in frame.columns if c not in editable],
            column_config=config,
        )
    return edited


def original_download(submission: dict, user: Account | None) -> None:
    """The stored original workbook of a submission, or a note that the file is missing. Originals
    carry officers' names and whatever the file holds: signed-in accounts only."""
    L = lang()
    if not may_download_originals(user):
        st.caption(t("history.original_sign_in", L))
        return
    try:
        original = store.read_original(submission["sha256"], store.db_path())
    except OSError:
        st.caption(t("history.original_missing", L))
        return
    st.download_button(
        t("history.download", L, file=display_name(submission["file_name"])),
        data=original,
        file_name=display_name(submission["file_name"]),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="history_download",
        icon=":material/download:",
        on_click="ignore",
    )


def withdraw_box(user: Account | None, submission_id: int, L: str, flash_key: str) -> None:
    """Withdraw with a reason; the service's refusal (no reason, already withdrawn) is shown as is."""
    with st.expander(t("history.withdraw_heading", L), icon=":material/undo:"):
        st.markdown(t("history.withdraw_explain", L, id=submission_id))
        reason = st.text_area(t("history.withdraw_reason", L), key="withdraw_reason", max_chars=500)
        if not st.button(t("history.withdraw_submit", L), key="withdraw_submit", type="primary"):
            return
        try:
            with service.connection() as con:
                now_current = service.withdraw(con, user, submission_id, reason)
        except ServiceError as exc:
            st.error(exc.message(L))
            return
        follow = (
            t("history.now_current", L, id=now_current)
            if now_current is not None
            else t("history.none_current", L)
        )
        st.session_state[flash_key] = t("history.withdrawn_ok", L, id=submission_id) + " " + follow
        st.rerun()


def correction_box(
    user: Account | None,
    submission_id: int,
    rows: dict[str, pd.DataFrame],
    L: str,
    flash_key: str,
    pick_next_key: str,
) -> None:
    """Edit rows and store them as a new submission derived from this one (service.correct)."""
    with st.expander(t("history.correct_heading", L), icon=":material/edit:"):
        st.markdown(t("history.correct_explain", L, id=submission_id))
        edited = correction_editor(rows, submission_id, L)
        explanation = st.text_area(
            t("quality.history.correct_explanation", L),
            key=f"correct_explanation_{submission_id}",
            max_chars=quality_check.MAX_EXPLANATION,
        )
        if not st.button(t("history.correct_submit", L), key="correct_submit", type="primary"):
            return
        try:
            with service.connection() as con:
                result = service.correct(
                    con, user, submission_id, **edited, explanation=explanation or None
                )
        except ServiceError as exc:
            st.warning(exc.message(L))
            return
        if result.outcome == "needs_explanation":
            st.warning(t("quality.needs_explanation", L, n=len(result.warnings)))
            st.dataframe(tables.warnings_table(result.warnings, L), hide_index=True)
            return
        if result.outcome == "accepted":
            st.session_state[flash_key] = t(
                "history.correct_ok", L, id=result.submission_id, old=submission_id
            )
            st.session_state[pick_next_key] = result.submission_id
            for kind in edited:
                st.session_state.pop(f"correct_{kind}_{submission_id}", None)
            st.rerun()
        st.error(t("history.correct_rejected", L, n=len(result.problems)))
        show_problems(result.problems, L)

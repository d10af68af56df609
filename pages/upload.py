"""Tải lên / Upload: drop workbooks, see every problem or a preview of the changes, then commit.

Plan, department and period come from the workbook itself. Nothing is stored until the analyst presses
the commit button; every file goes through loaders.ingest.ingest_bytes, first as a dry run. Any failure
becomes a message in the reader's language, never a traceback.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd
import streamlit as st

from greengrowth import store
from greengrowth.auth import Account
from greengrowth.i18n import t
from loaders.ingest import IngestResult, ingest_bytes
from ui.auth import require_analyst
from ui.data import data_version
from ui.problems import show_problems
from ui.state import lang

log = logging.getLogger(__name__)
SUMMARY_KEY = "upload_summary"
CHECKS_KEY = "upload_dry_runs"


@dataclass
class Checked:
    """One uploaded file after its dry run."""

    name: str
    data: bytes
    result: IngestResult | None = None
    error: str | None = None  # a message for what stopped the check itself

    @property
    def ready(self) -> bool:
        return (
            self.error is None and self.result is not None and self.result.outcome == "would_accept"
        )


def check(name: str, data: bytes, user: Account, L: str) -> Checked:
    """Dry-run one file as `user`; wrong type, refusal and crashes become a message."""
    item = Checked(name, data)
    suffix = PurePath(name).suffix.lower()
    if suffix != ".xlsx":
        item.error = t("upload.wrong_type", L, name=name, suffix=suffix or "?")
        return item
    # A rerun (any click) must not validate every file again: dry runs are kept per file content
    # and data version, so they are redone only when the file or the stored data changed.
    cache = st.session_state.setdefault(CHECKS_KEY, {})
    key = (hashlib.sha256(data).hexdigest(), name, user.username, data_version())
    try:
        if key not in cache:
            if len(cache) > 50:  # a long session: forget old rounds
                cache.clear()
            with store.connect() as con:
                cache[key] = ingest_bytes(con, data, name, user.username, dry_run=True)
        item.result = cache[key]
    except store.StoreError:
        log.exception("store unavailable while checking %s", name)
        item.error = t("upload.store_busy", L)
        return item
    except Exception:
        log.exception("unexpected failure while checking %s", name)
        item.error = t("upload.unexpected", L, name=name)
        return item
    parsed = item.result.parsed
    if item.result.outcome == "would_accept" and not user.may_report_for(parsed.department_code):
        item.error = t("upload.not_permitted", L, department=parsed.department_code)
    return item


def changes_table(result: IngestResult, L: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("upload.col.kind", L): [t(f"upload.kind.{c.kind}", L) for c in result.changes],
            t("upload.col.change", L): [c.text(L) for c in result.changes],
        }
    )


def show(item: Checked, committed: dict[str, int], L: str) -> None:
    """One file's verdict: an error, the problems table, the duplicate note or the preview."""
    result = item.result
    with st.container(border=True):
        st.markdown(f"**{item.name}**")
        if item.error:
            st.error(item.error, icon=":material/block:")
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
        if result.changes:
            st.markdown(t("upload.changes", L, n=len(result.changes)))
            st.dataframe(changes_table(result, L), hide_index=True, width="stretch")
        else:
            st.info(t("upload.no_changes", L))


def commit(items: list[Checked], user: Account, L: str) -> list[dict]:
    """Store every file that passed its dry run; each in its own transaction."""
    stored = []
    for item in items:
        try:
            with store.connect() as con:
                result = ingest_bytes(con, item.data, item.name, user.username)
        except Exception:
            log.exception("unexpected failure while storing %s", item.name)
            stored.append({"name": item.name, "error": t("upload.unexpected", L, name=item.name)})
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
        stored.append(entry)
    return stored


def show_summary(summary: list[dict], L: str) -> None:
    accepted = [s for s in summary if s.get("outcome") == "accepted"]
    with st.container(border=True):
        st.subheader(t("upload.summary_heading", L))
        if accepted:
            st.success(t("upload.summary_stored", L, n=len(accepted)))
        for s in summary:
            if s.get("outcome") == "accepted":
                key = "upload.summary_line_replaces" if s["replaces"] else "upload.summary_line"
                st.markdown(t(key, L, **{k: s[k] for k in s if k not in {"outcome", "sha256"}}))
            elif s.get("outcome") == "duplicate":
                st.info(f"{s['name']}: {t('upload.summary_duplicate', L)}")
            else:
                st.error(f"{s['name']}: {s.get('error', '')}")
        periods = sorted({s["period"] for s in accepted})
        params = {"period": str(periods[-1])} if periods else {}
        if L == "en":
            params["lang"] = "en"
        links = st.columns(3)
        links[0].page_link(
            "pages/overview.py",
            label=t("upload.link_overview", L),
            icon=":material/dashboard:",
            query_params=params,
        )
        links[1].page_link(
            "pages/by_department.py",
            label=t("upload.link_department", L),
            icon=":material/apartment:",
            query_params=params,
        )
        links[2].page_link(
            "pages/history.py",
            label=t("upload.link_history", L),
            icon=":material/history:",
            query_params={"lang": "en"} if L == "en" else {},
        )


L = lang()
st.title(t("upload.heading", L))
user = require_analyst(L)
st.markdown(t("upload.intro", L))
files = st.file_uploader(
    t("upload.files", L),
    type=["xlsx"],
    accept_multiple_files=True,
    key="upload_files",
    help=t("upload.files_help", L),
)
if not files:
    st.session_state.pop(SUMMARY_KEY, None)
    st.stop()

try:
    items = [check(f.name, f.getvalue(), user, L) for f in files]
except Exception:  # reading the upload itself failed
    log.exception("could not read the uploaded files")
    st.error(t("upload.unexpected", L, name=""))
    st.stop()

summary = st.session_state.get(SUMMARY_KEY) or []
committed = {s["sha256"]: s["id"] for s in summary if s.get("outcome") == "accepted"}
if committed and any(i.result and i.result.sha256 in committed for i in items):
    show_summary(summary, L)

for item in items:
    show(item, committed, L)

ready = [i for i in items if i.ready]
slots = [(i.result.parsed.department_code, i.result.parsed.period) for i in ready]
for department, period in sorted({s for s in slots if slots.count(s) > 1}):
    st.warning(t("upload.same_period_twice", L, department=department, period=period))
if ready:
    st.markdown(t("upload.commit_explain", L, n=len(ready)))
pressed = st.button(
    t("upload.commit", L, n=len(ready)) if ready else t("upload.commit_none", L),
    key="upload_commit",
    type="primary",
    disabled=not ready,
    icon=":material/save:",
)
if pressed and ready:
    with st.spinner(t("upload.committing", L)):
        st.session_state[SUMMARY_KEY] = commit(ready, user, L)
    st.rerun()

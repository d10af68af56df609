"""Tải lên / Upload: drop workbooks, see every problem or a preview of the changes, then commit.

Plan, department and period come from the workbook itself. Nothing is stored until the analyst presses
the commit button; every file goes through the analyst service (loaders.service), first as a dry run,
and anything it refuses is shown with its reason in the reader's language.
"""

from __future__ import annotations

import streamlit as st

from greengrowth.i18n import t
from loaders.tables import repeated_reports
from ui.analyst import commit_all, dry_run, show_summary, show_verdict
from ui.chrome import analyst_page

SUMMARY_KEY = "upload_summary"

ctx = analyst_page("upload.heading", "upload.intro", sign_in_required=True)
L = ctx.lang
files = st.file_uploader(
    t("upload.files", L),
    # No type= filter: with one, Streamlit raises on a NUL in a file name before this page runs.
    # The service refuses anything that is not an .xlsx workbook, naming the file.
    accept_multiple_files=True,
    key="upload_files",
    help=t("upload.files_help", L),
)
if not files:
    st.session_state.pop(SUMMARY_KEY, None)
    st.stop()

items = [dry_run(f.name, f.getvalue(), ctx.user) for f in files]
summary = st.session_state.get(SUMMARY_KEY) or []
committed = {s["sha256"]: s["id"] for s in summary if s.get("outcome") == "accepted"}
if committed and any(i.result and i.result.sha256 in committed for i in items):
    show_summary(summary, L)
for item in items:
    show_verdict(item, committed, L)

ready = [i for i in items if i.ready]
waiting = [i for i in items if i.waiting]
if waiting:
    st.warning(t("quality.upload.waiting", L, n=len(waiting)), icon=":material/edit_note:")
for department, period in repeated_reports([i.result for i in ready]):
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
        st.session_state[SUMMARY_KEY] = commit_all(ready, ctx.user, L)
    st.rerun()

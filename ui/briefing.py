"""Briefing mode (`?briefing=1`) and the briefing downloads (deck, Word draft, Excel workbook).

Briefing mode is for screenshots pasted into slides: no sidebar, no buttons or pickers, larger
text, charts sized for a 16:9 picture; the illustrative-data banner stays. The mode lives in the
URL with the other filters, so a copied link opens the same screen.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from greengrowth import store
from greengrowth.chart_style import for_screen
from greengrowth.i18n import t

PARAM = "briefing"

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDownloadButton"], [data-testid="stPageLink"], .st-key-gg_pickers {
  display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.6rem; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMarkdownContainer"] { font-size: 1.25rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
</style>
"""

# The builders are named, not imported: python-pptx, python-docx and openpyxl are imported when a
# button is clicked, not on every leadership page's first run (issue 11: cold start).
_KINDS: dict[str, tuple[str, str, str, str]] = {
    # kind: (builder "module:function", strings key of the button, file extension, MIME type)
    "deck": (
        "greengrowth.briefing.deck:build_deck",
        "briefing.download_deck",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "docx": (
        "greengrowth.briefing.report_docx:build_report",
        "briefing.download_docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "greengrowth.briefing.report_xlsx:build_workbook",
        "briefing.download_xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
_FILE_STEM = {"deck": "bo-slide", "docx": "bao-cao", "xlsx": "tong-hop"}


def active() -> bool:
    """Is the page in briefing mode (?briefing=1)?"""
    return st.query_params.get(PARAM) == "1"


def apply() -> None:
    """In briefing mode: hide the sidebar, the toolbar and every button; larger text."""
    if active():
        st.markdown(_CSS, unsafe_allow_html=True)


def mode_link(lang: str) -> None:
    """A sidebar link to the same page and filters in briefing mode."""
    if active():
        return
    params = {k: v for k, v in st.query_params.to_dict().items() if k != PARAM}
    query = "&".join(f"{k}={v}" for k, v in {**params, PARAM: "1"}.items())
    st.sidebar.markdown(f"[{t('briefing.mode_link', lang)}](?{query})")


def screen_figure(fig: go.Figure) -> go.Figure:
    """The chart as briefing mode shows it (larger text, 16:9-friendly height), else unchanged."""
    return for_screen(fig) if active() else fig


def _build(kind: str, plan_id: str, period: int, lang: str, today) -> bytes:
    module, name = _KINDS[kind][0].split(":")
    builder = getattr(importlib.import_module(module), name)
    with store.connect(Path(store.db_path())) as con:
        return builder(con, plan_id, period, lang, today)


def download_buttons(ctx, kinds: tuple[str, ...] = ("deck", "docx", "xlsx")) -> None:
    """One button per file; each file is built only when its button is clicked."""
    if active():
        return
    st.subheader(t("briefing.downloads_heading", ctx.lang, period=ctx.period))
    st.caption(t("briefing.downloads_help", ctx.lang))
    cols = st.columns(len(kinds))
    for col, kind in zip(cols, kinds, strict=True):
        _, label, ext, mime = _KINDS[kind]
        col.download_button(
            t(label, ctx.lang),
            data=functools.partial(_build, kind, ctx.plan_id, ctx.period, ctx.lang, ctx.today),
            file_name=f"{_FILE_STEM[kind]}-{ctx.plan_id}-{ctx.period}-{ctx.lang}.{ext}",
            mime=mime,
            key=f"briefing_{kind}",
            on_click="ignore",
            icon=":material/download:",
        )


def summary_box(ctx, text: str) -> None:
    """The written summary; outside briefing mode in a box with a copy icon."""
    st.subheader(t("summary.heading", ctx.lang))
    if active():
        st.markdown(text)
        return
    # st.code gives the copy icon; the text keeps the page's own font, as it will in a report.
    st.markdown(
        # not `inherit`: the parent <pre> is monospace; this is the font of the page's own text
        "<style>.st-key-summary_box pre, .st-key-summary_box code, .st-key-summary_box code * "
        '{ font-family: "Source Sans", "Source Sans Pro", sans-serif !important; '
        "font-size: 1rem !important; line-height: 1.6; }</style>",
        unsafe_allow_html=True,
    )
    with st.container(key="summary_box"):
        st.code(text, language=None, wrap_lines=True)
    st.caption(t("summary.copy_help", ctx.lang))

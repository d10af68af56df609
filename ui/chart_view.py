"""How a page shows a chart: its finding as a heading, the figure, its source as a caption, and a
text alternative (a summary sentence and the numbers as a table), then the PNG button.

Title and footnote are page text so that a screen reader reads them and a phone wraps them; the
figure object keeps them, so the PNG download and the slides still carry them in the picture.
"""

from __future__ import annotations

import functools
import re

import plotly.graph_objects as go
import streamlit as st

from greengrowth.chart_style import for_export, for_page, page_text, use_house_template
from greengrowth.chart_text import chart_summary, chart_table, formatted_table
from greengrowth.export import EXPORT_WIDTH, figure_png
from greengrowth.i18n import t
from ui import briefing

# Importing Streamlit made its own template Plotly's default; the pages' figures use the house one.
use_house_template()

PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def _escape(text: str) -> str:
    """Text shown as markdown, literally (a title never turns into a link or emphasis)."""
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~$-])", r"\\\1", text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def _png(fig: go.Figure) -> bytes:
    """The PNG the button serves (built only when clicked): title and footnote drawn in."""
    return figure_png(for_export(fig, EXPORT_WIDTH), width=EXPORT_WIDTH)


def show_chart(fig: go.Figure, key: str, ctx) -> None:
    """The chart with its heading, source caption and text alternative, plus a PNG download for
    slides (rendered only when clicked); in briefing mode the chart alone, title drawn in it, sized
    for a 16:9 screenshot."""
    if briefing.active():
        st.plotly_chart(
            briefing.screen_figure(fig), key=f"chart_{key}", theme=None, config=PLOTLY_CONFIG
        )
        return
    text = page_text(fig)
    # A level-3 heading written in markdown, so the page's own st.subheader sections keep their
    # order and a screen reader can jump from chart to chart by heading.
    st.markdown(f"### {_escape(text['title'])}")
    if text["subtitle"]:
        st.caption(text["subtitle"])
    st.plotly_chart(
        for_page(fig),
        key=f"chart_{key}",
        theme=None,  # the house style (chart_style) already decides every colour and font
        config=PLOTLY_CONFIG,
    )
    if text["footnote"]:
        st.caption(text["footnote"])
    summary = chart_summary(fig, ctx.lang)
    table = chart_table(fig, ctx.lang)
    if summary:
        st.markdown(f"**{t('chart_text.summary_prefix', ctx.lang)}:** {_escape(summary)}")
    if not table.empty:
        with st.expander(t("chart_text.data_expander", ctx.lang), icon=":material/table:"):
            # a static table (not st.dataframe's canvas): a screen reader reads it cell by cell
            st.table(formatted_table(table, ctx.lang).set_index(table.columns[0]))
    st.download_button(
        t("common.download_png", ctx.lang),
        data=functools.partial(_png, fig),
        file_name=f"{_slug(key)}-{ctx.period}-{ctx.lang}.png",
        mime="image/png",
        key=f"png_{key}",
        on_click="ignore",
        icon=":material/download:",
    )

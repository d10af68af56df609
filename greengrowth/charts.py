"""Plotly figure builders. Each takes query results and returns a styled go.Figure (no Streamlit).

Every builder states its finding in the title, uses the status colours of chart_style, wraps long
Vietnamese names instead of cutting them, and returns an explanatory empty figure when there is
nothing to draw.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from greengrowth.chart_style import (
    STATUS_COLORS,
    STATUS_ORDER,
    apply_style,
    empty_figure,
    status_label,
    wrap_label,
)
from greengrowth.i18n import fmt_number, t


def progress_by_theme(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Stacked horizontal bars: adopted activities per theme, coloured by reported status."""
    title_default = t("chart.progress_by_theme.title", lang, period=period)
    if frame.empty:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    title_col = "title_en" if lang == "en" else "title_vi"
    themes = frame.drop_duplicates("theme_no").sort_values("theme_no", ascending=False)
    labels = {
        row.theme_no: wrap_label(
            f"{t('common.theme', lang)} {row.theme_no}: {getattr(row, title_col)}", 34
        )
        for row in themes.itertuples()
    }
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = frame[frame["status"] == status].set_index("theme_no")
        counts = [int(part["activities"].get(no, 0)) for no in themes["theme_no"]]
        if not any(counts):
            continue
        name = status_label(status, lang)
        fig.add_bar(
            y=[labels[no] for no in themes["theme_no"]],
            x=counts,
            name=name,
            orientation="h",
            marker_color=STATUS_COLORS[status],
            text=[c if c else "" for c in counts],
            textposition="inside",
            hovertemplate=f"%{{y}}<br>{name}: %{{x}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", height=160 + 90 * len(themes))
    fig.update_xaxes(title_text=t("chart.axis.activities", lang))
    totals = frame.groupby("theme_no")["activities"].sum()
    done = frame[frame["status"] == "completed"].groupby("theme_no")["activities"].sum()
    share = (done.reindex(totals.index, fill_value=0) / totals).fillna(0)
    best = int(share.idxmax())
    title = t(
        "chart.progress_by_theme.finding",
        lang,
        theme=best,
        share=fmt_number(100 * share.max(), lang),
        period=period,
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def status_breakdown(
    counts: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """One bar per status: how many adopted activities are in it."""
    title_default = t("chart.status_breakdown.title", lang, period=period)
    if counts.empty or counts["activities"].sum() == 0:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    by_status = counts.set_index("status")["activities"]
    order = [s for s in STATUS_ORDER if s in by_status.index]
    values = [int(by_status[s]) for s in order]
    fig = go.Figure(
        go.Bar(
            x=[status_label(s, lang) for s in order],
            y=values,
            marker_color=[STATUS_COLORS[s] for s in order],
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.update_yaxes(title_text=t("chart.axis.activities", lang), rangemode="tozero")
    fig.update_layout(showlegend=False, height=420)
    total = sum(values)
    completed = int(by_status.get("completed", 0))
    title = t(
        "chart.status_breakdown.finding", lang, completed=completed, total=total, period=period
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)

"""Figures for the data-quality page, in the house style (greengrowth.chart_style)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from greengrowth.chart_style import (
    MUTED_COLOR,
    REPORTING_COLORS,
    STATUS_COLORS,
    apply_style,
    empty_figure,
    wrap_label,
)
from greengrowth.charts import LABEL_WIDTH, _stacked
from greengrowth.i18n import fmt_number, t

UNEXPLAINED_COLOR = REPORTING_COLORS["missing"]  # vermillion: what DPI has to ask about
EXPLAINED_COLOR = STATUS_COLORS["not_started"]  # grey: looked at, reason on file


def completeness_by_department(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Per department: activities with a status and without one in its report for `period`;
    departments whose report did not arrive are named in the title, not drawn as zero."""
    title_default = t("quality.chart.completeness.title", lang, period=period)
    got = frame[frame["received"] & (frame["activities_led"].fillna(0) > 0)]
    if got.empty:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    got = got.sort_values("share_with_status", ascending=False, kind="stable")
    keys = [str(a or c) for a, c in zip(got["acronym"], got["department_code"], strict=True)]
    with_status = [int(v) for v in got["with_status"]]
    without = [int(led - w) for led, w in zip(got["activities_led"], with_status, strict=True)]
    fig = _stacked(
        keys,
        [
            (t("quality.chart.completeness.with_status", lang), STATUS_COLORS["completed"],
             with_status),
            (t("quality.chart.completeness.without", lang), UNEXPLAINED_COLOR, without, "x"),
        ],
    )  # fmt: skip
    fig.update_layout(height=220 + 34 * len(keys))
    fig.update_xaxes(title_text=t("chart.axis.activities", lang))
    full = int((got["with_status"] == got["activities_led"]).sum())
    missing = int((~frame["received"]).sum())
    title = t(
        "quality.chart.completeness.finding",
        lang,
        full=full,
        total=len(got),
        period=period,
        missing=missing,
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def warnings_by_rule(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Per rule: warnings without an explanation and with one (stacked), most unexplained first."""
    title_default = t("quality.chart.by_rule.title", lang)
    if frame.empty:
        return empty_figure(t("quality.chart.by_rule.none", lang, period=period), lang,
                            title_default)  # fmt: skip
    keys = [
        wrap_label(f"{title} ({t(f'quality.importance.{imp}', lang).lower()})", LABEL_WIDTH)
        for title, imp in zip(frame["title"], frame["importance"], strict=True)
    ]
    fig = _stacked(
        keys,
        [
            (t("quality.chart.by_rule.unexplained", lang), UNEXPLAINED_COLOR,
             [int(v) for v in frame["unexplained"]], "x"),
            (t("quality.chart.by_rule.explained", lang), EXPLAINED_COLOR,
             [int(v) for v in frame["explained"]]),
        ],
    )  # fmt: skip
    fig.update_layout(height=240 + 44 * len(keys))
    fig.update_xaxes(title_text=t("quality.chart.axis.warnings", lang), dtick=1)
    total = int(frame["explained"].sum() + frame["unexplained"].sum())
    title = t(
        "quality.chart.by_rule.finding",
        lang,
        total=fmt_number(total, lang),
        unexplained=fmt_number(int(frame["unexplained"].sum()), lang),
        period=period,
    )
    fig.update_layout(legend_font_color=MUTED_COLOR)
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)

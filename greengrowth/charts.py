"""Plotly figure builders. Each takes query results and returns a styled go.Figure (no Streamlit).

Every builder states its finding in the title, uses the colours of chart_style, wraps long
Vietnamese names instead of cutting them, and returns an explanatory empty figure when there is
nothing to draw.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from greengrowth.chart_style import (
    PRIORITY_COLORS,
    PRIORITY_ORDER,
    PRIORITY_PATTERNS,
    PROGRESS_COLORS,
    PROGRESS_PATTERNS,
    REPORTING_COLORS,
    REPORTING_ORDER,
    REPORTING_PATTERNS,
    REPORTING_SYMBOLS,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_PATTERNS,
    STATUS_SYMBOLS,
    apply_style,
    empty_figure,
    pattern,
    pattern_color,
    reporting_label,
    status_label,
    text_color,
    wrap_label,
)
from greengrowth.i18n import fmt_number, t

LABEL_WIDTH = 34  # characters per line of a category label

# Reporting outcomes beyond chart_style's three: a report when the plan sets no deadline (blue, as
# "in progress": arrived, not judged) and a year whose deadline has not come yet (grey, as "not
# started": nothing is owed yet).
REPORTING_SERIES = [*REPORTING_ORDER, "received", "not_due"]
REPORTING_SERIES_COLORS = REPORTING_COLORS | {
    "received": STATUS_COLORS["in_progress"],
    "not_due": STATUS_COLORS["not_started"],
}
_SUMMARY_COLUMN = {"received": "received_undated"}  # reporting_summary's column per outcome


def _fmt_value(v: float, lang: str) -> str:
    """Whole numbers without decimals (14, not 14,00); others with two."""
    return fmt_number(v, lang, 0 if float(v).is_integer() or abs(v) >= 100 else 2)


def _name(row: object, lang: str, prefix: str = "title") -> str:
    value = getattr(row, f"{prefix}_en" if lang == "en" else f"{prefix}_vi")
    return value if isinstance(value, str) else ""  # a missing title arrives as None or NaN


Series = tuple[str, str, list[int]] | tuple[str, str, list[int], str]
OUTSIDE_TEXT_ROOM = 1.18  # value axis headroom for labels drawn past the end of the longest bar


def _stacked(
    categories: list[str],
    series: list[Series],
    *,
    horizontal: bool = True,
) -> go.Figure:
    """Stacked bars: one trace per (name, colour, counts[, pattern shape]), empty series left out
    of the legend. The count is written in each segment, black or white as its colour needs, and a
    pattern marks the statuses that must not rest on colour alone (the legend shows it too)."""
    fig = go.Figure()
    for name, color, counts, *shape in series:
        if not any(counts):
            continue
        text = [c if c else "" for c in counts]
        axis = "%{y}" if horizontal else "%{x}"
        value = "%{x}" if horizontal else "%{y}"
        fig.add_bar(
            **({"y": categories, "x": counts} if horizontal else {"x": categories, "y": counts}),
            name=name,
            orientation="h" if horizontal else "v",
            marker={"color": color, "pattern": pattern(shape[0] if shape else "", color)},
            textfont={"color": text_color(color)},
            text=text,
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"{axis}<br>{name}: {value}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    if horizontal:
        fig.update_yaxes(autorange="reversed")  # first category on top, as it is read
    return fig


def _status_series(
    frame: pd.DataFrame, key: str, keys: list, lang: str, value: str = "activities"
) -> list[Series]:
    series = []
    for status in STATUS_ORDER:
        part = frame[frame["status"] == status].groupby(key)[value].sum()
        series.append(
            (
                status_label(status, lang),
                STATUS_COLORS[status],
                [int(part.get(k, 0)) for k in keys],
                STATUS_PATTERNS[status],
            )
        )
    return series


def progress_by_theme(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Stacked horizontal bars: adopted activities per theme, coloured by reported status."""
    title_default = t("chart.progress_by_theme.title", lang, period=period)
    if frame.empty:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    themes = frame.drop_duplicates("theme_no").sort_values("theme_no")
    keys = list(themes["theme_no"])
    labels = [
        wrap_label(f"{t('common.theme', lang)} {row.theme_no}: {_name(row, lang)}", LABEL_WIDTH)
        for row in themes.itertuples()
    ]
    fig = _stacked(labels, _status_series(frame, "theme_no", keys, lang))
    fig.update_layout(height=200 + 95 * len(keys))
    fig.update_xaxes(title_text=t("chart.axis.activities", lang))
    totals = frame.groupby("theme_no")["activities"].sum()
    done = frame[frame["status"] == "completed"].groupby("theme_no")["activities"].sum()
    share = (done.reindex(totals.index, fill_value=0) / totals).fillna(0)
    if share.max() == 0:
        title = t("chart.progress_by_theme.none_done", lang, period=period)
    else:
        title = t(
            "chart.progress_by_theme.finding",
            lang,
            theme=int(share.idxmax()),
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
    # Horizontal: status names stay readable in a narrow column instead of being rotated.
    fig = go.Figure(
        go.Bar(
            y=[status_label(s, lang) for s in order],
            x=values,
            orientation="h",
            marker={
                "color": [STATUS_COLORS[s] for s in order],
                "pattern": {
                    "shape": [STATUS_PATTERNS[s] for s in order],
                    "fgcolor": [pattern_color(STATUS_COLORS[s]) for s in order],
                    "fgopacity": 0.6,
                    "size": 9,
                    "solidity": 0.25,
                },
            },
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title_text=t("chart.axis.activities", lang), range=[0, max(values) * OUTSIDE_TEXT_ROOM]
    )
    fig.update_layout(showlegend=False, height=200 + 42 * len(order))
    total = sum(values)
    completed = int(by_status.get("completed", 0))
    title = t(
        "chart.status_breakdown.finding", lang, completed=completed, total=total, period=period
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def status_over_periods(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Stacked columns, one per plan year: how the status of the adopted activities moved."""
    title_default = t("chart.status_over_periods.title", lang)
    reported = (
        frame[~frame["status"].isin(["not_reported", "no_lead"])] if not frame.empty else frame
    )
    if reported.empty:
        return empty_figure(t("chart.reason.no_reports_any", lang), lang, title_default)
    years = sorted(int(y) for y in frame["period"].unique())
    fig = _stacked(
        [str(y) for y in years], _status_series(frame, "period", years, lang), horizontal=False
    )
    fig.update_xaxes(title_text=t("chart.axis.period", lang), type="category")
    fig.update_yaxes(title_text=t("chart.axis.activities", lang))
    fig.update_layout(height=440)
    done = frame[frame["status"] == "completed"].groupby("period")["activities"].sum()
    first, last = years[0], years[-1]
    title = t(
        "chart.status_over_periods.finding",
        lang,
        first=first,
        last=last,
        done_first=int(done.get(first, 0)),
        done_last=int(done.get(last, 0)),
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def progress_by_group(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Stacked horizontal bars per activity group (theme 1 has none: it shows as the theme)."""
    title_default = t("chart.progress_by_group.title", lang, period=period)
    if frame.empty:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    groups = frame.drop_duplicates("group_code").sort_values("group_code")
    keys = list(groups["group_code"])
    labels = []
    for row in groups.itertuples():
        name = _name(row, lang) or t("chart.group.whole_theme", lang)
        labels.append(wrap_label(f"{row.group_code}: {name}", 44))
    fig = _stacked(labels, _status_series(frame, "group_code", keys, lang))
    fig.update_layout(height=200 + 110 * len(keys))
    fig.update_xaxes(title_text=t("chart.axis.activities", lang))
    behind = frame[frame["status"].isin(["delayed", "not_started"])]["activities"].sum()
    total = frame["activities"].sum()
    title = t("chart.progress_by_group.finding", lang, behind=int(behind), total=int(total))
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def coverage(frame: pd.DataFrame, *, lang: str, source: str) -> go.Figure:
    """Adopted against national activities per theme and group, labelled with the plan's a/b."""
    title_default = t("chart.coverage.title", lang)
    if frame.empty:
        return empty_figure(t("chart.reason.no_catalog", lang), lang, title_default)
    labels = []
    for row in frame.itertuples():
        prefix = f"{t('common.theme', lang)} {row.code}" if row.level == "theme" else row.code
        labels.append(wrap_label(f"{prefix}: {_name(row, lang)}", 44))
    adopted = [int(v) for v in frame["counted_adopted"]]
    rest = [int(n - a) for n, a in zip(frame["counted_national"], adopted, strict=True)]
    fig = _stacked(
        labels,
        [
            (t("chart.coverage.adopted", lang), STATUS_COLORS["in_progress"], adopted),
            (t("chart.coverage.not_adopted", lang), STATUS_COLORS["not_reported"], rest),
        ],
    )
    stated = [
        f"{row.stated_adopted}/{row.stated_national}"
        + (
            ""
            if (row.stated_adopted, row.stated_national)
            == (row.counted_adopted, row.counted_national)
            else " ≠"
        )
        for row in frame.itertuples()
    ]
    fig.add_scatter(
        y=labels,
        x=[int(n) for n in frame["counted_national"]],
        mode="text",
        text=stated,
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )
    fig.update_layout(height=200 + 80 * len(labels))
    # room for the plan's "a/b" written after the longest bar
    widest = max(int(n) for n in frame["counted_national"])
    fig.update_xaxes(title_text=t("chart.axis.activities", lang), range=[0, widest * 1.3])
    total_a = int(frame.loc[frame["level"] == "theme", "counted_adopted"].sum())
    total_n = int(frame.loc[frame["level"] == "theme", "counted_national"].sum())
    title = t("chart.coverage.finding", lang, adopted=total_a, national=total_n)
    subtitle = t("chart.coverage.subtitle", lang)
    return apply_style(
        fig, title=title, lang=lang, source=source, data_date=None, subtitle=subtitle
    )


def _add_symbol_cells(
    fig: go.Figure,
    periods: pd.Series,
    rows: list[str],
    *,
    symbol: str,
    name: str,
    color: str,
    size: int,
    **hover: object,
) -> None:
    """One status's cells of a grid (activity history, reporting): squares in the status colour with
    its symbol inside, so the status is never told by colour alone; the legend shows the symbol
    beside the word."""
    fig.add_scatter(
        x=[str(p) for p in periods],
        y=rows,
        mode="markers+text",
        name=f"{symbol} {name}",
        marker={"symbol": "square", "size": size, "color": color},
        text=[symbol] * len(rows),
        textposition="middle center",
        textfont={"color": text_color(color), "size": 13},
        **hover,
    )


def activity_history(
    frame: pd.DataFrame, *, lang: str, source: str, data_date: date | None
) -> go.Figure:
    """A grid: one row per activity, one column per year, a square coloured by reported status."""
    title_default = t("chart.activity_history.title", lang)
    if frame.empty:
        return empty_figure(t("chart.reason.no_activities", lang), lang, title_default)
    frame = frame.sort_values(["activity_no", "period"])
    activities = frame.drop_duplicates("activity_no")
    # Short row labels ("Hoạt động 12"): a phone keeps room for the squares. The full name is
    # each point's hovertext, which the hover and the chart's text alternative (chart_text) show.
    label = {
        row.activity_no: f"{t('common.activity', lang)} {row.activity_no}"
        for row in activities.itertuples()
    }
    full = {
        row.activity_no: f"{t('common.activity', lang)} {row.activity_no}: {_name(row, lang)}"
        for row in activities.itertuples()
    }
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = frame[frame["status"] == status]
        if part.empty:
            continue
        name = status_label(status, lang)
        pct = ["" if pd.isna(p) else f" ({fmt_number(p, lang)}%)" for p in part["percent_complete"]]
        _add_symbol_cells(
            fig,
            part["period"],
            [label[a] for a in part["activity_no"]],
            symbol=STATUS_SYMBOLS[status],
            name=name,
            color=STATUS_COLORS[status],
            size=22,
            customdata=pct,
            hovertext=[wrap_label(full[a], 48) for a in part["activity_no"]],
            hovertemplate=f"%{{hovertext}}<br>%{{x}}: {name}%{{customdata}}<extra></extra>",
        )
    years = sorted({str(p) for p in frame["period"]})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, side="top")
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[label[a] for a in activities["activity_no"]],
        autorange="reversed",
        showgrid=False,
    )
    rows = sum(label[a].count("<br>") + 1 for a in activities["activity_no"])
    fig.update_layout(height=220 + 19 * rows + 12 * len(activities))
    last = frame["period"].max()
    latest = frame[frame["period"] == last]
    done = int((latest["status"] == "completed").sum())
    title = t(
        "chart.activity_history.finding", lang, done=done, total=len(latest), period=int(last)
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def department_label(code: object, acronym: object, short_vi: object, lang: str) -> str:
    """How a document in `lang` names a department: Vietnamese texts use the Vietnamese short form
    from the catalog (Sở NN&PTNT), never the English acronym (DARD); English keeps the acronym."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return t("common.no_lead", lang)
    if lang == "vi" and isinstance(short_vi, str) and short_vi:
        return short_vi
    return str(acronym if isinstance(acronym, str) and acronym else code)


def _department_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    short = frame["short_vi"] if "short_vi" in frame else [None] * len(frame)
    return [
        department_label(c, a, s, lang)
        for c, a, s in zip(frame["department_code"], frame["acronym"], short, strict=True)
    ]


def progress_by_department(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Stacked horizontal bars: each department's activities by status; no-lead activities apart."""
    title_default = t("chart.progress_by_department.title", lang, period=period)
    if frame.empty:
        return empty_figure(t("chart.reason.no_reports", lang, period=period), lang, title_default)
    frame = frame.assign(key=_department_labels(frame, lang))
    totals = frame.groupby("key", sort=False)["activities"].sum()
    done = frame[frame["status"] == "completed"].groupby("key")["activities"].sum()
    share = (done.reindex(totals.index, fill_value=0) / totals).fillna(0)
    no_lead = t("common.no_lead", lang)
    keys = [k for k in share.sort_values(ascending=False, kind="stable").index if k != no_lead]
    keys += [no_lead] if no_lead in totals.index else []
    fig = _stacked(keys, _status_series(frame, "key", keys, lang))
    fig.update_layout(height=220 + 34 * len(keys))
    fig.update_xaxes(title_text=t("chart.axis.activities", lang))
    ranked = share.drop(no_lead, errors="ignore")
    if ranked.empty or ranked.max() == 0:
        title = t("chart.progress_by_department.none_done", lang, period=period)
    else:
        title = t(
            "chart.progress_by_department.finding",
            lang,
            department=ranked.idxmax(),
            share=fmt_number(100 * ranked.max(), lang),
            period=period,
        )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def priority_outcomes(
    frame: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """Per department: priority tasks done by the deadline, closed later, still open."""
    title_default = t("chart.priority_outcomes.title", lang)
    if frame.empty or frame["tasks"].sum() == 0:
        return empty_figure(t("chart.reason.no_catalog", lang), lang, title_default)
    frame = frame.assign(key=_department_labels(frame, lang))
    keys = list(dict.fromkeys(frame["key"]))
    series = []
    for outcome in PRIORITY_ORDER:
        part = frame[frame["outcome"] == outcome].groupby("key")["tasks"].sum()
        series.append(
            (
                t(f"priority.{outcome}", lang),
                PRIORITY_COLORS[outcome],
                [int(part.get(k, 0)) for k in keys],
                PRIORITY_PATTERNS[outcome],
            )
        )
    fig = _stacked(keys, series)
    fig.update_layout(height=220 + 34 * len(keys))
    fig.update_xaxes(title_text=t("chart.axis.tasks", lang))
    # Tasks, not department bars: a task led by two departments counts once (query's outcome_tasks).
    if "outcome_tasks" in frame:
        by = frame.groupby("outcome")["outcome_tasks"].first()
    else:
        by = frame.groupby("outcome")["tasks"].sum()
    title = t(
        "chart.priority_outcomes.finding",
        lang,
        on_time=int(by.get("done_on_time", 0)),
        later=int(by.get("closed_later", 0)),
        open=int(by.get("open", 0) + by.get("not_reported", 0)),
        period=period,
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def reporting_by_year(
    summary: pd.DataFrame, *, lang: str, source: str, data_date: date | None
) -> go.Figure:
    """Stacked columns per year: reports on time, late, missing, against the number expected."""
    title_default = t("chart.reporting_by_year.title", lang)
    if summary.empty or summary["expected"].sum() == 0:
        return empty_figure(t("chart.reason.no_expected", lang), lang, title_default)
    years = [str(int(y)) for y in summary["period"]]
    series = []
    for code in REPORTING_SERIES:
        column = _SUMMARY_COLUMN.get(code, code)
        if column not in summary or (code not in REPORTING_ORDER and not summary[column].any()):
            continue  # the extra outcomes only when they occur
        values = [int(v) for v in summary[column]]
        series.append(
            (
                reporting_label(code, lang),
                REPORTING_SERIES_COLORS[code],
                values,
                REPORTING_PATTERNS[code],
            )
        )
    fig = _stacked(years, series, horizontal=False)
    fig.update_xaxes(title_text=t("chart.axis.period", lang), type="category")
    fig.update_yaxes(title_text=t("chart.axis.departments", lang))
    fig.update_layout(height=440)
    last = summary.iloc[-1]
    title = t(
        "chart.reporting_by_year.finding",
        lang,
        period=int(last["period"]),
        on_time=int(last["on_time"]),
        expected=int(last["expected"]),
        missing=int(last["missing"]),
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def reporting_grid(
    frame: pd.DataFrame, *, lang: str, source: str, data_date: date | None
) -> go.Figure:
    """Department x year: a square per expected report, coloured on time / late / missing."""
    title_default = t("chart.reporting_grid.title", lang)
    if frame.empty:
        return empty_figure(t("chart.reason.no_expected", lang), lang, title_default)
    frame = frame.assign(key=_department_labels(frame, lang))
    departments = list(dict.fromkeys(frame.sort_values("department_code")["key"]))
    fig = go.Figure()
    for code in REPORTING_SERIES:
        part = frame[frame["outcome"] == code]
        if part.empty:
            continue
        name = reporting_label(code, lang)
        _add_symbol_cells(
            fig,
            part["period"],
            list(part["key"]),
            symbol=REPORTING_SYMBOLS[code],
            name=name,
            color=REPORTING_SERIES_COLORS[code],
            size=24,
            hovertemplate=f"%{{y}}, %{{x}}: {name}<extra></extra>",
        )
    years = sorted({str(p) for p in frame["period"]})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, side="top")
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=departments, autorange="reversed"
    )
    fig.update_layout(height=230 + 32 * len(departments))
    never_late = frame.groupby("key")["outcome"].apply(lambda s: (s == "on_time").all()).sum()
    title = t("chart.reporting_grid.finding", lang, count=int(never_late), total=len(departments))
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def indicator_series(
    values: pd.DataFrame,
    indicator: dict,
    status: str,
    *,
    lang: str,
    source: str,
    data_date: date | None,
) -> go.Figure:
    """An indicator's values by year, with its target (if the plan sets one) as a marked point."""
    name = indicator["name_en" if lang == "en" else "name_vi"]
    unit = indicator["unit_en" if lang == "en" else "unit_vi"] or ""
    title_default = t("chart.indicator.title", lang, name=name)
    if values.empty:
        return empty_figure(t("chart.reason.no_values", lang), lang, title_default)
    fig = go.Figure()
    fig.add_scatter(
        x=[int(y) for y in values["year"]],
        y=list(values["value"]),
        mode="lines+markers+text",
        name=t("chart.indicator.reported", lang),
        line={"color": "#0072B2", "width": 3},
        marker={"size": 9},
        text=[_fmt_value(v, lang) for v in values["value"]],
        textposition="top center",
        cliponaxis=False,
        hovertemplate=f"%{{x}}: %{{y:,.2f}} {unit}<extra></extra>",
    )
    target = indicator.get("target_value")
    if target is not None and not pd.isna(target):
        fig.add_scatter(
            x=[int(indicator["target_year"])],
            y=[float(target)],
            mode="markers+text",
            name=t("chart.indicator.target", lang),
            marker={"symbol": "star", "size": 16, "color": "#000000"},
            text=[t("chart.indicator.target_label", lang, value=fmt_number(target, lang, 2))],
            textposition="bottom center",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{y:,.2f}} {unit}<extra></extra>",
        )
    fig.update_xaxes(title_text=t("chart.axis.year", lang), dtick=1, tickformat="d")
    fig.update_yaxes(title_text=unit, rangemode="tozero")
    fig.update_layout(height=440)
    title = t(f"chart.indicator.finding.{status}", lang, name=name)
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


def indicator_by_district(
    frame: pd.DataFrame, indicator: dict, *, lang: str, source: str, data_date: date | None
) -> go.Figure:
    """The latest year's value per district, largest first."""
    name = indicator["name_en" if lang == "en" else "name_vi"]
    unit = indicator["unit_en" if lang == "en" else "unit_vi"] or ""
    title_default = t("chart.district.title", lang, name=name)
    if frame.empty:
        return empty_figure(t("chart.reason.no_district_values", lang), lang, title_default)
    year = int(frame["year"].max())
    latest = frame[frame["year"] == year].sort_values("value", ascending=False)
    names = list(latest["name_en" if lang == "en" else "name_vi"])
    fig = go.Figure(
        go.Bar(
            y=names,
            x=list(latest["value"]),
            orientation="h",
            marker_color="#0072B2",
            text=[_fmt_value(v, lang) for v in latest["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{x:,.2f}} {unit}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=unit, range=[0, max(0, *latest["value"]) * OUTSIDE_TEXT_ROOM])
    fig.update_layout(height=220 + 34 * len(names), showlegend=False)
    title = t("chart.district.finding", lang, district=names[0], year=year, name=name)
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)


INDICATOR_ORDER = [
    "off_track",
    "needs_attention",
    "no_target",
    "insufficient_data",
    "no_data",
    "on_track",
    "achieved",
]


def indicator_overview(
    table: pd.DataFrame, *, lang: str, period: int, source: str, data_date: date | None
) -> go.Figure:
    """How many indicators are in each judgement (queries.dashboard.indicator_progress): the ones
    off track or without a target in the plan first, as a leader asks about them first."""
    title_default = t("chart.indicator_overview.title", lang, period=period)
    if table.empty:
        return empty_figure(t("chart.reason.no_catalog", lang), lang, title_default)
    counts = table["status"].fillna("no_data").value_counts()
    order = [s for s in INDICATOR_ORDER if counts.get(s, 0)]
    values = [int(counts[s]) for s in order]
    fig = go.Figure(
        go.Bar(
            y=[t(f"progress.{s}", lang) for s in order],
            x=values,
            orientation="h",
            marker={
                "color": [PROGRESS_COLORS[s] for s in order],
                "line": {"color": "#999999", "width": 1},
                "pattern": {
                    "shape": [PROGRESS_PATTERNS.get(s, "") for s in order],
                    "fgcolor": [pattern_color(PROGRESS_COLORS[s]) for s in order],
                    "fgopacity": 0.6,
                    "size": 9,
                    "solidity": 0.25,
                },
            },
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title_text=t("chart.axis.indicators", lang),
        range=[0, max(values) * OUTSIDE_TEXT_ROOM],
        dtick=1,
    )
    fig.update_layout(showlegend=False, height=200 + 42 * len(order))
    title = t(
        "chart.indicator_overview.finding",
        lang,
        period=period,
        off=int(counts.get("off_track", 0)),
        no_target=int(counts.get("no_target", 0)),
        total=int(counts.sum()),
    )
    return apply_style(fig, title=title, lang=lang, source=source, data_date=data_date)

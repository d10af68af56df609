"""Every chart's text alternative, derived from the figure's own traces: one summary sentence with
the numbers in it and the numbers as a table. A screen reader gets these instead of a list of bar
labels, and a phone reader gets the full names that the bars only abbreviate or wrap.

One generic reading of the figure serves every chart (stacked or single bars, status grids, lines),
so a new chart gets its text alternative without code of its own.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from greengrowth.i18n import fmt_number, t

MAX_LISTED = 6  # categories named in a summary sentence before "and n more"
MAX_BROKEN_DOWN = 4  # categories (years) broken down by series in the sentence
SHORT_CATEGORY = 20  # characters: longer category names are left to the table


def _plain(text: object) -> str:
    return " ".join(str(text).replace("<br>", " ").split())


def _num(value: object, lang: str) -> str:
    v = float(value)  # type: ignore[arg-type]
    return fmt_number(v, lang, 0 if v.is_integer() or abs(v) >= 100 else 2)


def _lower(name: str) -> str:
    """ "Hoàn thành" -> "hoàn thành" inside a sentence; acronyms (DPI, "Sở NN&PTNT") unchanged."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _series_name(trace: object) -> str:
    """A trace's legend name without the grid symbol in front of it ("✓ Hoàn thành")."""
    name = _plain(getattr(trace, "name", None) or "")
    if len(name) > 2 and not name[0].isalnum() and name[1] == " ":
        return name[2:]
    return name


def _kind(fig: go.Figure) -> str:
    traces = [tr for tr in fig.data if tr.type in ("bar", "scatter")]
    if not traces:
        return "empty"
    if any(tr.type == "bar" for tr in traces):
        return "bars"
    drawn = [tr for tr in traces if tr.mode != "text"]
    if drawn and all(tr.y is not None and any(isinstance(v, str) for v in tr.y) for tr in drawn):
        return "grid"
    return "lines"


def _bars(fig: go.Figure) -> tuple[list[str], dict[str, list[float]]]:
    """Categories in drawing order and, per series, its value for each category."""
    cats: dict[str, None] = {}
    values: dict[str, dict[str, float]] = {}
    for tr in fig.data:
        if tr.type != "bar":
            continue
        horizontal = tr.orientation == "h"
        keys, nums = (tr.y, tr.x) if horizontal else (tr.x, tr.y)
        name = _series_name(tr)
        for k, v in zip(keys, nums, strict=True):
            cat = _plain(k)
            cats.setdefault(cat)
            values.setdefault(name, {})[cat] = v
    order = list(cats)
    return order, {n: [vals.get(c, 0) for c in order] for n, vals in values.items()}


def _grid(fig: go.Figure) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    rows: dict[str, None] = {}
    cols: set[str] = set()
    cells: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    if fig.layout.yaxis.categoryarray:
        rows = dict.fromkeys(_plain(c) for c in fig.layout.yaxis.categoryarray)
    for tr in fig.data:
        if tr.mode == "text":
            continue
        name = _series_name(tr)
        full = tr.hovertext if isinstance(tr.hovertext, tuple | list) else [None] * len(tr.x)
        for x, y, long in zip(tr.x, tr.y, full, strict=True):
            row, col = _plain(y), _plain(x)
            rows.setdefault(row)
            if long:  # the point's full name, where the row label is a short code
                names[row] = _plain(long)
            cols.add(col)
            cells[(row, col)] = name
    return (
        [names.get(r, r) for r in rows],
        sorted(cols),
        {(names.get(r, r), c): v for (r, c), v in cells.items()},
    )


def chart_table(fig: go.Figure, lang: str) -> pd.DataFrame:
    """The chart's numbers as a table a reader can open: a row per category (bar, grid row or
    year), a column per series (plus the total of stacked bars). Empty for a chart with no data."""
    kind = _kind(fig)
    item = t("chart_text.category", lang)
    if kind == "bars":
        cats, series = _bars(fig)
        if len(series) == 1 and not next(iter(series)):
            axis = fig.layout.xaxis if fig.data[0].orientation == "h" else fig.layout.yaxis
            series = {(axis.title.text or t("chart_text.value", lang)): series[""]}
        table = pd.DataFrame({item: cats, **series})
        if len(series) > 1:
            table[t("chart_text.total", lang)] = table[list(series)].sum(axis=1)
        return table
    if kind == "grid":
        rows, cols, cells = _grid(fig)
        return pd.DataFrame(
            {item: rows, **{c: [cells.get((r, c), "") for r in rows] for c in cols}}
        )
    if kind == "lines":
        drawn = [tr for tr in fig.data if tr.type == "scatter" and tr.mode != "text"]
        xs = sorted({x for tr in drawn for x in tr.x}, key=lambda v: (str(type(v)), v))
        header = fig.layout.xaxis.title.text or item
        table = pd.DataFrame({header: [_plain(x) for x in xs]})
        for tr in drawn:
            by_x = dict(zip(tr.x, tr.y, strict=True))
            table[_series_name(tr) or t("chart_text.value", lang)] = [by_x.get(x) for x in xs]
        return table
    return pd.DataFrame()


def formatted_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """chart_table with its numbers written in the reader's language (vi 12,5; en 12.5), as text,
    for a static table a screen reader reads cell by cell; missing values as "–"."""
    shown = table.copy()
    for col in shown.columns:
        if pd.api.types.is_numeric_dtype(shown[col]) or shown[col].map(_is_number).all():
            shown[col] = [_num(v, lang) if _is_number(v) else "–" for v in shown[col]]
    return shown


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v == v  # NaN is not


def _listing(pairs: list[tuple[str, str]], lang: str, sep: str = "; ") -> str:
    shown = [f"{k}: {v}" for k, v in pairs[:MAX_LISTED]]
    if len(pairs) > MAX_LISTED:
        shown.append(t("chart_text.more", lang, n=len(pairs) - MAX_LISTED))
    return sep.join(shown)


def chart_summary(fig: go.Figure, lang: str) -> str:
    """One sentence with the chart's numbers, e.g. "2020: 18 hoàn thành, 20 đang thực hiện, …"."""
    kind = _kind(fig)
    if kind == "empty":
        texts = [_plain(a.text) for a in fig.layout.annotations if a.name == "empty_message"]
        return texts[0] if texts else ""
    if kind == "bars":
        cats, series = _bars(fig)
        if len(series) == 1 and not next(iter(series)):  # one unnamed series: list it
            (values,) = series.values()
            return (
                _listing([(c, _num(v, lang)) for c, v in zip(cats, values, strict=True)], lang)
                + "."
            )
        parts = []
        if len(cats) <= MAX_BROKEN_DOWN and all(len(c) <= SHORT_CATEGORY for c in cats):
            for i, cat in enumerate(cats):
                counts = [f"{_num(v[i], lang)} {_lower(n)}" for n, v in series.items() if v[i]]
                parts.append((cat, ", ".join(counts) or "0"))
            return _listing(parts, lang) + "."
        totals = [f"{_num(sum(v), lang)} {_lower(n)}" for n, v in series.items() if sum(v)]
        return t("chart_text.totals", lang, n=len(cats), parts=", ".join(totals))
    if kind == "grid":
        rows, cols, cells = _grid(fig)
        parts = []
        for col in cols[-MAX_BROKEN_DOWN:]:
            counts: dict[str, int] = {}
            for row in rows:
                if (row, col) in cells:
                    counts[cells[(row, col)]] = counts.get(cells[(row, col)], 0) + 1
            parts.append(
                (col, ", ".join(f"{_num(n, lang)} {_lower(s)}" for s, n in counts.items()))
            )
        return _listing(parts, lang) + "."
    parts = []
    for tr in fig.data:
        if tr.type != "scatter" or tr.mode == "text":
            continue
        values = ", ".join(
            f"{_plain(x)}: {_num(y, lang)}"
            for x, y in zip(tr.x, tr.y, strict=True)
            if y is not None
        )
        parts.append((_series_name(tr) or t("chart_text.value", lang), values))
    return _listing(parts, lang) + "."

"""One look for every chart, so that a colour or a layout means the same thing on every page.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness; the font has every Vietnamese diacritic; each chart carries a title that states
the finding and a footnote that says where the numbers come from and how recent they are.
"""

from __future__ import annotations

import textwrap
import unicodedata
from datetime import date

import plotly.graph_objects as go
import plotly.io as pio

from greengrowth.i18n import fmt_date, plotly_separators, t
from greengrowth.status import (  # noqa: F401 (re-exported)
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_PATTERNS,
    STATUS_SYMBOLS,
    status_label,
)

FONT_FAMILY = "Noto Sans, Arial, sans-serif"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"

# The status vocabulary (order, colours, words) lives in greengrowth.status.
# 2018 priority tasks: done by the deadline, closed in a later year, still open, never reported.
PRIORITY_ORDER = ["done_on_time", "closed_later", "open", "not_reported"]
# The other outcome palettes reuse the status colours, so that green means done on every chart.
PRIORITY_COLORS: dict[str, str] = {
    "done_on_time": STATUS_COLORS["completed"],
    "closed_later": "#56B4E9",  # sky blue: done, but after the deadline
    "open": STATUS_COLORS["delayed"],
    "not_reported": STATUS_COLORS["not_reported"],
}
PRIORITY_PATTERNS = {"done_on_time": "", "closed_later": "", "open": "x", "not_reported": ""}
# Indicator progress (greengrowth.indicator_progress): green good, amber warn, vermillion bad.
PROGRESS_COLORS: dict[str, str] = {
    "achieved": STATUS_COLORS["completed"],
    "on_track": STATUS_COLORS["in_progress"],
    "needs_attention": STATUS_COLORS["on_hold"],
    "off_track": STATUS_COLORS["delayed"],
    "insufficient_data": STATUS_COLORS["not_started"],
    "no_target": STATUS_COLORS["not_reported"],
    "no_data": STATUS_COLORS["not_reported"],
}
PROGRESS_PATTERNS = {"needs_attention": "-", "off_track": "x", "no_target": "/"}
REPORTING_ORDER = ["on_time", "late", "missing"]
REPORTING_COLORS: dict[str, str] = {
    "on_time": STATUS_COLORS["completed"],  # as "completed"
    "late": STATUS_COLORS["on_hold"],  # amber
    "missing": STATUS_COLORS["delayed"],  # vermillion: the gap the province has to chase
}
REPORTING_PATTERNS = {"on_time": "", "late": "-", "missing": "x", "received": "", "not_due": "."}
REPORTING_SYMBOLS = {"on_time": "✓", "late": "!", "missing": "✗", "received": "►", "not_due": "○"}
# Okabe–Ito order for series without a meaning of their own (used as the figure's colorway).
SERIES_COLORS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]

TITLE_WIDTH = 55  # characters per title line; Plotly never wraps text by itself
EMPTY_WIDTH = 70
FOOTNOTE_WIDTH = 80  # characters per footnote line; it starts at the figure's left edge
_Y_LABEL_PX_PER_CHAR = 6.5  # a little under the font's average, so the shift never overshoots
DEFAULT_HEIGHT = 450
_TITLE_SIZE, _SUBTITLE_SIZE, _BASE_SIZE, _FOOTNOTE_SIZE = 17, 13, 13, 11
_LINE_SPACING = 1.3  # Plotly's line height, in font sizes
_TITLE_PAD_TOP, _SUBTITLE_GAP, _TITLE_PAD_BOTTOM = 14, 14, 12
_FOOTNOTE_NAME = "source_footnote"
_EMPTY_NAME = "empty_message"
_LABEL_NAME = "category_label"
# Category names go ABOVE their bar (or grid row), not beside it: on a 390 px phone a label column
# left 18% of the width for the bars. A line of ABOVE_WIDTH characters fits a phone's chart.
ABOVE_WIDTH = 40
SHORT_LABEL = 16  # characters: shorter category names stay beside their bars
_ABOVE_LINE_PX, _BAR_PX, _ROW_GAP_PX = 17, 24, 16
PHONE_CHART_WIDTH = 320  # a 390 px phone's chart minus the figure's margins: legend rows are packed
_LEGEND_ROW_PX, _LEGEND_CHAR_PX, _LEGEND_ITEM_PX = 22, 7.6, 48
_TOP_AXIS_PX = 26  # year labels of a grid drawn above the plot


# Every figure starts from Plotly's white template. Set as Plotly's default, it is given to each new
# figure without being validated again; naming it in each figure's layout cost ~9 ms a figure (a
# deep copy of the whole template), a quarter of a warm page's run (issue 11).
TEMPLATE = "plotly_white"


def use_house_template() -> None:
    """Make the house template Plotly's default. Importing Streamlit sets its own default, so the
    UI calls this again after importing Streamlit (ui/chart_view.py); a figure made under another
    default still gets the house template from apply_style, the slow way."""
    pio.templates.default = TEMPLATE


def _is_house_template(template: object) -> bool:
    return template == pio.templates[TEMPLATE].to_plotly_json()


use_house_template()


def _channel(v: int) -> float:
    c = v / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of "#RRGGBB"."""
    h = hex_color.lstrip("#")
    r, g, b = (_channel(int(h[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two "#RRGGBB" colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (one of them always reaches 4.5:1)."""
    return (
        "#000000"
        if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF")
        else "#FFFFFF"
    )


def pattern_color(fill: str) -> str:
    """The colour of a pattern's lines on `fill`: the opposite of the text colour, so the lines
    only push the bar further from its label's colour (a label never loses contrast to them)."""
    return "#FFFFFF" if text_color(fill) == "#000000" else "#000000"


def pattern(shape: str, fill: str) -> dict:
    """A Plotly marker.pattern of sparse lines in pattern_color; the legend swatch shows the same
    pattern. Empty shape: plain fill."""
    if not shape:
        return {"shape": ""}
    return {
        "shape": shape,
        "fgcolor": pattern_color(fill),
        "fgopacity": 0.6,
        "size": 9,
        "solidity": 0.25,
        "fillmode": "overlay",
    }


def wrap_label(text: str, width: int = 28) -> str:
    """Break a long name at spaces into lines of at most `width` characters joined by Plotly's <br>.

    Activity and department names run to 150 characters. Truncating them would make two
    activities look alike, so every word is kept; only a single word longer than `width` may exceed
    it. NFC first: text typed on a Mac arrives decomposed, and its accents would count as letters.
    """
    lines = textwrap.wrap(
        unicodedata.normalize("NFC", text),
        width=width,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "<br>".join(lines)


def reporting_label(code: str, lang: str) -> str:
    """The reader's word for a reporting outcome (on_time -> "Đúng hạn")."""
    return t(f"reporting.{code}", lang)


def _lines(text: str) -> int:
    return text.count("<br>") + 1


def _x_axis_depth(fig: go.Figure) -> int:
    """Pixels under the plot area taken by x tick labels and x title, so the footnote clears them.

    Plotly annotations cannot push margins, so this is an estimate: wrapped category labels count
    by their lines; labels Plotly rotates by itself are not measured (use horizontal bars).
    """
    if fig.layout.xaxis.visible is False:
        return 0
    tick_lines = 1
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if getattr(trace, "orientation", None) != "h" and x is not None:
            tick_lines = max([tick_lines, *(_lines(v) for v in x if isinstance(v, str))])
    depth = 8 + 18 * tick_lines
    title = fig.layout.xaxis.title.text
    if title:
        depth += 8 + 18 * _lines(title)
    return depth


def _y_axis_width(fig: go.Figure) -> int:
    """Pixels left of the plot area taken by category labels of horizontal bars (an estimate).

    The footnote is anchored to the plot area (annotations cannot use the container), so it is
    shifted left by this much to start at the figure's edge, under the labels, and is never cut at
    the right by a wide label column.
    """
    if fig.layout.yaxis.showticklabels is False:
        return 0
    longest = 0
    for trace in fig.data:
        y = getattr(trace, "y", None)
        if y is None:
            continue
        for v in y:
            if isinstance(v, str):
                longest = max(longest, *(len(part) for part in v.split("<br>")))
    return round(longest * _Y_LABEL_PX_PER_CHAR)


def _wants_labels_above(fig: go.Figure) -> bool:
    """Horizontal bars or marker grids whose categories on the y axis are names longer than a
    short code (a phone would give them a third of its width)."""
    longest = max((len(c.replace("<br>", " ")) for c in _y_categories(fig)), default=0)
    if longest <= SHORT_LABEL:
        return False
    for trace in fig.data:
        if trace.type == "bar" and trace.orientation == "h":
            return True
        markers = trace.type == "scatter" and "markers" in (trace.mode or "")
        if markers and trace.y and any(isinstance(v, str) for v in trace.y):
            return True
    return False


def _y_categories(fig: go.Figure) -> list[str]:
    if fig.layout.yaxis.categoryarray:
        return list(fig.layout.yaxis.categoryarray)
    seen: dict[str, None] = {}
    for trace in fig.data:
        for v in trace.y if trace.y is not None else ():
            if isinstance(v, str):
                seen.setdefault(v)
    return list(seen)


def _labels_above(fig: go.Figure) -> int:
    """Put each category's name above its bar (or grid row), full width; returns the plot height
    in pixels it needs. The first category stays on top. The tick labels are hidden; the hover
    keeps the name. Rows get a fixed pixel height, so a taller plot only adds room, never overlap."""
    cats = _y_categories(fig)
    labels = [wrap_label(c.replace("<br>", " "), ABOVE_WIDTH) for c in cats]
    lines = max(_lines(label) for label in labels)
    slot = _ABOVE_LINE_PX * lines + _BAR_PX + _ROW_GAP_PX
    above = _BAR_PX / 2 + 2  # the label's baseline: just over the bar's top edge
    top = -(above + _ABOVE_LINE_PX * lines + 4) / slot
    bottom = len(cats) - 1 + (_BAR_PX / 2 + 6) / slot
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=cats,
        showticklabels=False,
        autorange=False,
        range=[bottom, top],
        showgrid=False,
    )
    fig.update_layout(bargap=1 - _BAR_PX / slot)
    kept = [a for a in fig.layout.annotations if a.name != _LABEL_NAME]
    new = [  # plain dicts: validated once, on assignment
        {
            "name": _LABEL_NAME,
            "text": label,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "y",
            "y": i,
            "yanchor": "bottom",
            "yshift": above,
            "align": "left",
            "showarrow": False,
        }
        for i, label in enumerate(labels)
    ]
    fig.layout.annotations = [*kept, *new]
    return round((bottom - top) * slot)


def _legend_px(fig: go.Figure, width: int = PHONE_CHART_WIDTH) -> int:
    """The legend's height when its items wrap into rows `width` pixels wide (an estimate on the
    safe side); 0 when Plotly shows no legend."""
    if fig.layout.showlegend is False:
        return 0
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if not names or (len(fig.data) == 1 and fig.layout.showlegend is None):
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = _LEGEND_ITEM_PX + _LEGEND_CHAR_PX * len(name)
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows * _LEGEND_ROW_PX + 8


def _title_block(title: str, subtitle: str | None) -> tuple[str, str | None, int, int]:
    """Wrapped title and subtitle, the title's top padding, and the pixels the block takes.

    Plotly's title automargin measures a wrapped title as one line and lets it run off the top, so
    the space is computed here from the number of lines. Plotly also lifts a title of two or more
    lines by about 0.7 em; the extra padding puts it back.
    """
    title = wrap_label(title, TITLE_WIDTH)
    title_lines = _lines(title)
    pad_top = _TITLE_PAD_TOP + (round(0.7 * _TITLE_SIZE) if title_lines > 1 else 0)
    height = _TITLE_PAD_TOP + round(_LINE_SPACING * _TITLE_SIZE * title_lines)
    if subtitle:
        subtitle = wrap_label(subtitle, TITLE_WIDTH)
        height += _SUBTITLE_GAP + round(_LINE_SPACING * _SUBTITLE_SIZE * _lines(subtitle))
    return title, subtitle, pad_top, height + _TITLE_PAD_BOTTOM


def _base_layout(fig: go.Figure, title: str, lang: str, subtitle: str | None) -> None:
    title, subtitle, pad_top, title_height = _title_block(title, subtitle)
    # The legend is placed in pixels under the title, which needs a known height; 450 is Plotly's.
    height = fig.layout.height or DEFAULT_HEIGHT
    if not _is_house_template(fig.layout.template.to_plotly_json()):  # made under another default
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(
        height=height,
        font={"family": FONT_FAMILY, "size": _BASE_SIZE, "color": TEXT_COLOR},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=plotly_separators(lang),
        colorway=SERIES_COLORS,
        # A bar label that does not fit its segment is hidden (the hover still has it) instead of
        # being shrunk or turned sideways over its neighbours.
        uniformtext={"minsize": 10, "mode": "hide"},
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": _SUBTITLE_SIZE, "color": MUTED_COLOR}},
            "font": {"size": _TITLE_SIZE},
            # Top left of the whole figure, where readers start.
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": 16, "t": pad_top},
            "automargin": False,
        },
        # Horizontal, right under the title: read before the bars, never over tick labels. With a
        # container y, Plotly reserves the legend's real height, however many rows it wraps to.
        legend={
            "orientation": "h",
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": max(0.0, 1 - title_height / height),
            "yref": "container",
            "yanchor": "top",
            "traceorder": "normal",
        },
        margin={"l": 16, "r": 24, "t": title_height, "pad": 4},
    )
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        axis.automargin = True
        # Defaults a chart may override: whole numbers with thousands separators, not "20k".
        if axis.exponentformat is None:
            axis.exponentformat = "none"
        if axis.separatethousands is None:
            axis.separatethousands = True


def apply_style(
    fig: go.Figure,
    *,
    title: str,
    lang: str,
    source: str,
    data_date: date | None,
    subtitle: str | None = None,
) -> go.Figure:
    """Give `fig` the house style and the source footnote; call it last. Returns the same figure.

    `title` should state the finding ("3 of 5 themes are behind"), not the variable.
    """
    base_height = fig.layout.height or DEFAULT_HEIGHT
    _base_layout(fig, title, lang, subtitle)
    for trace in fig.select_traces(selector={"type": "bar"}):
        if trace.textangle is None:  # Plotly would turn a label sideways to make it bigger
            trace.textangle = 0
    # Before the footnote: with the names above the bars there is no label column to shift it by.
    plot_px = _labels_above(fig) if _wants_labels_above(fig) else 0
    footnote = wrap_label(
        t("chart.source_footnote", lang, source=source, date=fmt_date(data_date, lang)),
        FOOTNOTE_WIDTH,
    )
    depth = _x_axis_depth(fig)
    # Styling twice must not stack two footnotes.
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != _FOOTNOTE_NAME]
    fig.add_annotation(
        name=_FOOTNOTE_NAME,
        text=footnote,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-depth,
        xshift=-_y_axis_width(fig),
        align="left",
        showarrow=False,
        font={"size": _FOOTNOTE_SIZE, "color": MUTED_COLOR},
    )
    footnote_px = 16 * _lines(footnote) + 16
    fig.update_layout(margin={"b": depth + footnote_px})
    title_px = fig.layout.margin.t
    legend_px, top_px = _legend_px(fig), 0
    if plot_px:
        top_px = _TOP_AXIS_PX if fig.layout.xaxis.side == "top" else 0
        height = title_px + legend_px + top_px + plot_px + depth + footnote_px
        fig.update_layout(
            height=height,
            margin={"t": title_px + legend_px + top_px},
            legend={"y": max(0.0, 1 - title_px / height)},
        )
    # What for_page needs to redraw the chart without its title and footnote.
    fig.layout.meta = {
        "title_px": title_px,
        "legend_px": legend_px,
        "top_px": top_px,
        "plot_px": plot_px,
        "axis_px": depth,
        "footnote_px": footnote_px,
        "base_height": base_height,
    }
    return fig


def empty_figure(reason: str, lang: str, title: str) -> go.Figure:
    """A figure that says why it has nothing to show, so no chart is ever silently blank."""
    fig = go.Figure()
    _base_layout(fig, title, lang, None)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        name=_EMPTY_NAME,
        text=wrap_label(t("chart.empty", lang, reason=reason), EMPTY_WIDTH),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 15, "color": MUTED_COLOR},
    )
    fig.update_layout(margin={"b": 24})
    return fig


def _labels_beside(fig: go.Figure) -> None:
    """Back to category names left of the bars, for a wide picture of fixed height (a slide, a
    briefing screenshot): rows then shrink to fit instead of needing room for a label line."""
    if not any(a.name == _LABEL_NAME for a in fig.layout.annotations):
        return
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != _LABEL_NAME]
    fig.layout.yaxis.range = None
    fig.update_yaxes(showticklabels=True, autorange="reversed")
    fig.layout.bargap = None
    for ann in fig.layout.annotations:
        if ann.name == _FOOTNOTE_NAME:
            ann.xshift = -_y_axis_width(fig)
    meta = fig.layout.meta or {}
    if meta.get("plot_px"):  # the builder's own height, the legend placed by Plotly again
        height = meta["base_height"]
        fig.layout.meta = {**meta, "plot_px": 0}
        fig.update_layout(
            height=height,
            margin={"t": meta["title_px"] + meta["top_px"]},
            legend={"y": max(0.0, 1 - meta["title_px"] / height)},
        )


def for_export(fig: go.Figure, width: int) -> go.Figure:
    """A copy for a picture `width` pixels wide (the PNG button): the room kept for a legend
    wrapping on a phone shrinks to the rows it takes at that width. Title and footnote stay."""
    meta = fig.layout.meta or {}
    if not meta.get("plot_px"):
        return fig
    out = go.Figure(fig)
    extra = meta["legend_px"] - _legend_px(out, width - 40)
    out.update_layout(
        height=out.layout.height - extra,
        margin={"t": out.layout.margin.t - extra},
        legend={"y": max(0.0, 1 - meta["title_px"] / (out.layout.height - extra))},
    )
    return out


SLIDE_BASE_SIZE = 18  # a projected slide is read from the back of a meeting room


def for_slide(fig: go.Figure, base_size: int = SLIDE_BASE_SIZE) -> go.Figure:
    """A copy of a styled chart for a slide or a report page, where the slide title states the
    finding and the slide footer gives source and date: no title or footnote in the picture,
    larger text, the legend on top. The page's figure is left as it is."""
    out = go.Figure(fig)
    _labels_beside(out)
    out.layout.annotations = [a for a in out.layout.annotations if a.name != _FOOTNOTE_NAME]
    out.update_layout(
        title={"text": "", "subtitle": {"text": ""}},
        font={"size": base_size},
        legend={"y": 1, "yref": "container", "yanchor": "top", "font": {"size": base_size - 2}},
        margin={"t": 30 + 2 * base_size if out.layout.showlegend is not False else 24, "b": 24},
    )
    for trace in out.select_traces(selector={"type": "bar"}):
        if trace.textfont is not None:
            trace.textfont.size = base_size - 2
    for ann in out.layout.annotations:  # an empty chart's message stays readable
        if ann.name == _EMPTY_NAME:
            ann.font.size = base_size + 2
    return out


def plain_title(fig: go.Figure) -> str:
    """The chart's finding as one line of text (Plotly's <br> wraps removed)."""
    text = fig.layout.title.text or ""
    return " ".join(text.replace("<br>", " ").split())


def _plain(text: str | None) -> str:
    return " ".join((text or "").replace("<br>", " ").split())


def page_text(fig: go.Figure) -> dict[str, str]:
    """The chart's title (its finding), subtitle and source footnote as plain text, for the page
    to show as a heading and captions (a screen reader reads them; they wrap on a phone)."""
    footnote = next((a.text for a in fig.layout.annotations if a.name == _FOOTNOTE_NAME), "")
    return {
        "title": plain_title(fig),
        "subtitle": _plain(fig.layout.title.subtitle.text),
        "footnote": _plain(footnote),
    }


PAGE_TOP_PX = 10


def for_page(fig: go.Figure) -> dict | go.Figure:
    """The figure as the page draws it under its heading: no title, subtitle or footnote (the page
    shows them as text), the legend at the top, room for the legend as it wraps on a phone. A
    plain dict (no second validation of the figure); the figure itself is left as it is, so the
    PNG export and the slides still carry title and footnote."""
    spec = fig.to_dict()
    layout = spec["layout"]
    # Streamlit makes a Figure of the dict: without a template it takes Plotly's default
    # unvalidated; with one it would validate and deep-copy the whole template again. Left out only
    # when the default is the house template, so the drawn figure is the same.
    if pio.templates.default == TEMPLATE and _is_house_template(layout.get("template")):
        del layout["template"]
    meta = layout.pop("meta", None) or {}
    layout["annotations"] = [
        a for a in layout.get("annotations", []) if a.get("name") != _FOOTNOTE_NAME
    ]
    layout["title"] = {"text": ""}
    height = layout.get("height") or DEFAULT_HEIGHT
    margin = dict(layout.get("margin", {}))
    if not meta:  # an empty figure: only its message
        layout["height"] = height - margin.get("t", 0) + 2 * PAGE_TOP_PX
        margin["t"] = 2 * PAGE_TOP_PX
    else:
        top = meta["legend_px"] + meta["top_px"] + PAGE_TOP_PX
        bottom = meta["axis_px"] + 12
        if meta["plot_px"]:
            layout["height"] = top + meta["plot_px"] + bottom
        else:
            layout["height"] = height - margin.get("t", 0) - margin.get("b", 0) + top + bottom
        margin.update(t=top, b=bottom)
        layout["legend"] = {**layout.get("legend", {}), "y": 1, "yref": "container"}
    layout["margin"] = margin
    if not spec.get("data"):  # Streamlit refuses a dict without traces; a Figure it draws
        return go.Figure(spec)
    return spec


SCREEN_BASE_SIZE = 17
SCREEN_HEIGHT = 560  # with the page heading, a 1440 x 810 screenshot (16:9) holds one chart


def for_screen(fig: go.Figure, base_size: int = SCREEN_BASE_SIZE) -> go.Figure:
    """A copy of a styled chart for briefing mode (a screenshot pasted into a slide): title and
    footnote kept, larger text, a fixed 16:9-friendly height. The page's figure is unchanged."""
    out = go.Figure(fig)
    _labels_beside(out)
    scale = base_size / _BASE_SIZE
    out.update_layout(
        font={"size": base_size},
        title={"font": {"size": round(_TITLE_SIZE * scale)}},
        height=max(SCREEN_HEIGHT, int((out.layout.height or DEFAULT_HEIGHT) * 1.0)),
        legend={"font": {"size": base_size - 1}},
    )
    top = out.layout.margin.t or 0
    out.update_layout(margin={"t": round(top * scale)})
    for trace in out.select_traces(selector={"type": "bar"}):
        trace.textfont.size = base_size - 2
    for ann in out.layout.annotations:
        if ann.name == _FOOTNOTE_NAME:
            ann.font.size = round(_FOOTNOTE_SIZE * scale)
    return out

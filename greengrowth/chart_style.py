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

from greengrowth.i18n import fmt_date, plotly_separators, t
from greengrowth.status import STATUS_COLORS, STATUS_ORDER, status_label  # noqa: F401 (re-exported)

FONT_FAMILY = "Noto Sans, Arial, sans-serif"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"

# The status vocabulary (order, colours, words) lives in greengrowth.status.
# 2018 priority tasks: done by the deadline, closed in a later year, still open, never reported.
PRIORITY_ORDER = ["done_on_time", "closed_later", "open", "not_reported"]
PRIORITY_COLORS: dict[str, str] = {
    "done_on_time": "#009E73",
    "closed_later": "#56B4E9",  # sky blue: done, but after the deadline
    "open": "#D55E00",
    "not_reported": "#DDDDDD",
}
# Indicator progress (greengrowth.indicator_progress): green good, orange warn, vermillion bad.
PROGRESS_COLORS: dict[str, str] = {
    "achieved": "#009E73",
    "on_track": "#0072B2",
    "needs_attention": "#E69F00",
    "off_track": "#D55E00",
    "insufficient_data": "#999999",
    "no_target": "#DDDDDD",
    "no_data": "#DDDDDD",
}
REPORTING_ORDER = ["on_time", "late", "missing"]
REPORTING_COLORS: dict[str, str] = {
    "on_time": "#009E73",  # bluish green, as "completed"
    "late": "#E69F00",  # orange
    "missing": "#D55E00",  # vermillion: the gap the province has to chase
}
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
    longest = 0
    for trace in fig.data:
        y = getattr(trace, "y", None)
        if y is None:
            continue
        for v in y:
            if isinstance(v, str):
                longest = max(longest, *(len(part) for part in v.split("<br>")))
    return round(longest * _Y_LABEL_PX_PER_CHAR)


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
    fig.update_layout(
        height=height,
        template="plotly_white",
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
    _base_layout(fig, title, lang, subtitle)
    for trace in fig.select_traces(selector={"type": "bar"}):
        if trace.textangle is None:  # Plotly would turn a label sideways to make it bigger
            trace.textangle = 0
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
    fig.update_layout(margin={"b": depth + 16 * _lines(footnote) + 16})
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


SLIDE_BASE_SIZE = 18  # a projected slide is read from the back of a meeting room


def for_slide(fig: go.Figure, base_size: int = SLIDE_BASE_SIZE) -> go.Figure:
    """A copy of a styled chart for a slide or a report page, where the slide title states the
    finding and the slide footer gives source and date: no title or footnote in the picture,
    larger text, the legend on top. The page's figure is left as it is."""
    out = go.Figure(fig)
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


SCREEN_BASE_SIZE = 17
SCREEN_HEIGHT = 560  # with the page heading, a 1440 x 810 screenshot (16:9) holds one chart


def for_screen(fig: go.Figure, base_size: int = SCREEN_BASE_SIZE) -> go.Figure:
    """A copy of a styled chart for briefing mode (a screenshot pasted into a slide): title and
    footnote kept, larger text, a fixed 16:9-friendly height. The page's figure is unchanged."""
    out = go.Figure(fig)
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

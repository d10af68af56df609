"""The house chart style: status colours, label wrapping, the footnote and the empty chart."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from greengrowth.chart_style import (
    FONT_FAMILY,
    REPORTING_COLORS,
    REPORTING_ORDER,
    STATUS_COLORS,
    STATUS_ORDER,
    apply_style,
    empty_figure,
    for_page,
    reporting_label,
    status_label,
    use_house_template,
    wrap_label,
)
from greengrowth.i18n import LANGS

ROOT = Path(__file__).resolve().parent.parent
HEX = re.compile(r"^#[0-9A-F]{6}$")
LONG_NAME = (
    "Tăng cường năng lực quản lý nhà nước về tăng trưởng xanh cho cán bộ các sở, ngành, "
    "UBND các huyện, thị xã, thành phố trên địa bàn tỉnh Bình Dương"
)


def _annotation_texts(fig: go.Figure) -> list[str]:
    """Every annotation but the category names drawn above the bars (a phone layout)."""
    return [a.text for a in fig.layout.annotations if a.name != "category_label"]


def _footnote(fig: go.Figure):
    (note,) = [a for a in fig.layout.annotations if a.name == "source_footnote"]
    return note


def _styled_bar(**kwargs: object) -> go.Figure:
    fig = go.Figure(go.Bar(x=[3, 1], y=[wrap_label(LONG_NAME), "Trồng rừng"], orientation="h"))
    defaults: dict[str, object] = {
        "title": "Một nửa số hoạt động đã hoàn thành",
        "lang": "vi",
        "source": "Báo cáo của các sở, ngành",
        "data_date": date(2019, 10, 15),
    }
    return apply_style(fig, **{**defaults, **kwargs})  # type: ignore[arg-type]


# --- colours and labels ---------------------------------------------------------------------------


def test_status_colors_cover_status_order_exactly() -> None:
    assert len(STATUS_ORDER) == len(set(STATUS_ORDER))
    assert set(STATUS_COLORS) == set(STATUS_ORDER)


def test_reporting_colors_cover_reporting_order_exactly() -> None:
    assert set(REPORTING_COLORS) == set(REPORTING_ORDER)


@pytest.mark.parametrize("colors", [STATUS_COLORS, REPORTING_COLORS])
def test_colors_are_hex_and_distinct(colors: dict[str, str]) -> None:
    assert all(HEX.match(c) for c in colors.values()), colors
    assert len(set(colors.values())) == len(colors)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_status_colors_keep_their_meaning() -> None:
    """The palette moved from plain Okabe–Ito to one tested under colour-vision deficiency
    (tests/test_palette.py) but keeps what a colour means: green done, blue under way,
    vermillion delayed, amber on hold, greys for no work / no news."""
    r, g, b = _rgb(STATUS_COLORS["completed"])
    assert g > r and g > b
    r, g, b = _rgb(STATUS_COLORS["in_progress"])
    assert b > r and b > g
    r, g, b = _rgb(STATUS_COLORS["delayed"])
    assert r > g > b
    r, g, b = _rgb(STATUS_COLORS["on_hold"])
    assert r > b and g > b and g > _rgb(STATUS_COLORS["delayed"])[1]
    for grey in ("not_started", "not_reported"):
        r, g, b = _rgb(STATUS_COLORS[grey])
        assert r == g == b


def test_every_status_the_loaders_accept_has_a_colour() -> None:
    status = pytest.importorskip("greengrowth.status")
    assert set(status.STATUS_CODES) <= set(STATUS_ORDER)


@pytest.mark.parametrize("lang", LANGS)
def test_every_status_and_reporting_code_has_a_label(lang: str) -> None:
    assert all(status_label(code, lang) for code in STATUS_ORDER)
    assert all(reporting_label(code, lang) for code in REPORTING_ORDER)
    assert status_label("delayed", "vi") == "Chậm tiến độ"


def test_unknown_status_code_raises() -> None:
    with pytest.raises(KeyError):
        status_label("finished", "vi")


# --- wrap_label -----------------------------------------------------------------------------------


def _random_names(n: int) -> list[str]:
    words = LONG_NAME.split() + [
        "Khu công nghiệp",
        "VSIP",
        "Bàu Bàng",
        "x" * 35,
        "năng-lượng-tái-tạo",
    ]
    rng = random.Random(2018)
    return [" ".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(n)]


@pytest.mark.parametrize("width", [10, 20, 28, 40])
def test_wrap_label_keeps_every_word_and_respects_width(width: int) -> None:
    for text in [LONG_NAME, *_random_names(200)]:
        wrapped = wrap_label(text, width)
        lines = wrapped.split("<br>")
        assert " ".join(lines).split() == text.split(), text
        for line in lines:
            assert line == line.strip() and line
            assert len(line) <= width or " " not in line, (line, width)


def test_wrap_label_short_text_is_unchanged() -> None:
    assert wrap_label("Trồng rừng") == "Trồng rừng"
    assert wrap_label("") == ""


def test_wrap_label_never_cuts_a_long_word() -> None:
    assert wrap_label("a " + "b" * 40 + " c", 10) == "a<br>" + "b" * 40 + "<br>c"


def test_wrap_label_does_not_split_on_hyphens() -> None:
    assert "năng-lượng-tái-tạo" in wrap_label("Phát triển năng-lượng-tái-tạo", 12).split("<br>")


def test_wrap_label_counts_decomposed_vietnamese_as_letters() -> None:
    """Text typed on a Mac is NFD; its combining accents must not shorten the lines."""
    nfc = "Chậm tiến độ Chậm tiến độ"
    nfd = unicodedata.normalize("NFD", nfc)
    assert wrap_label(nfd, 25) == nfc


# --- apply_style ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "footnote"),
    [
        ("vi", "Nguồn: Báo cáo của các sở, ngành. Dữ liệu đến 15/10/2019."),
        ("en", "Source: Báo cáo của các sở, ngành. Data as of 15 Oct 2019."),
    ],
)
def test_apply_style_adds_the_source_footnote(lang: str, footnote: str) -> None:
    fig = _styled_bar(lang=lang)
    assert [text.replace("<br>", " ") for text in _annotation_texts(fig)] == [footnote]
    (note,) = [a for a in fig.layout.annotations if a.name != "category_label"]
    assert (note.xref, note.yref, note.x, note.xanchor, note.yanchor) == (
        "paper",
        "paper",
        0,
        "left",
        "top",
    )
    assert note.yshift < 0  # below the plot and its tick labels


def test_long_footnote_is_wrapped_without_losing_words() -> None:
    fig = _styled_bar(lang="vi", source=LONG_NAME)
    text = _annotation_texts(fig)[0]
    assert "<br>" in text
    assert text.replace("<br>", " ") == f"Nguồn: {LONG_NAME}. Dữ liệu đến 15/10/2019."
    assert fig.layout.margin.b > _styled_bar(lang="vi").layout.margin.b


def test_apply_style_returns_the_same_figure_with_the_house_style() -> None:
    fig = go.Figure(go.Bar(x=[1], y=["a"]))
    styled = apply_style(
        fig, title="Tiêu đề", lang="en", source="Demo", data_date=date(2019, 10, 15)
    )
    assert styled is fig
    assert fig.layout.title.text == "Tiêu đề"
    assert fig.layout.font.family == FONT_FAMILY
    assert fig.layout.separators == ".,"
    assert fig.layout.template.layout.plot_bgcolor == "white"
    assert fig.layout.legend.orientation == "h"
    assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin


def test_page_copy_is_drawn_with_the_house_template_without_carrying_it() -> None:
    # Streamlit validates the page's dict into a Figure: a template in it is deep-copied again
    # (~9 ms a chart); without one the figure gets the default, which the UI makes the house one.
    use_house_template()
    page = for_page(_styled_bar(lang="vi"))
    assert "template" not in page["layout"]
    assert go.Figure(page).layout.template.layout.plot_bgcolor == "white"


@pytest.mark.parametrize("other", ["streamlit", "plotly"])
def test_a_figure_made_under_another_default_template_still_gets_the_house_one(
    monkeypatch, other: str
) -> None:
    import streamlit  # noqa: F401 (registers its "streamlit" template and makes it the default)

    monkeypatch.setattr(pio.templates, "default", other)
    fig = _styled_bar(lang="vi")
    assert fig.layout.template.layout.plot_bgcolor == "white"
    page = for_page(fig)
    assert "template" in page["layout"]  # kept: the default would draw another template
    assert go.Figure(page).layout.template.layout.plot_bgcolor == "white"


def test_the_house_template_wins_whatever_the_import_order() -> None:
    # Importing Streamlit sets Plotly's default template; the UI sets the house one back.
    code = (
        "import greengrowth.chart_style as cs, streamlit, plotly.io as pio\n"
        "assert pio.templates.default == 'streamlit'\n"
        "import plotly.graph_objects as go\n"
        "from datetime import date\n"
        "fig = cs.apply_style(go.Figure(go.Bar(x=[1], y=['a'])), title='t', lang='vi', "
        "source='s', data_date=date(2020, 1, 1))\n"
        "assert fig.layout.template.layout.plot_bgcolor == 'white'\n"
        "import ui.chart_view\n"
        "assert pio.templates.default == cs.TEMPLATE\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_apply_style_uses_vietnamese_separators() -> None:
    assert _styled_bar(lang="vi").layout.separators == ",."


def test_apply_style_twice_keeps_one_footnote_and_other_annotations() -> None:
    fig = go.Figure(go.Bar(x=[1], y=["a"]))
    fig.add_annotation(text="Mục tiêu 2020", x=1, y="a", showarrow=True)
    for lang in ("vi", "en"):
        apply_style(fig, title="T", lang=lang, source="Demo", data_date=date(2019, 10, 15))
    texts = _annotation_texts(fig)
    assert texts[0] == "Mục tiêu 2020"
    assert texts[1:] == ["Source: Demo. Data as of 15 Oct 2019."]


def test_apply_style_without_data_date_says_so_with_a_dash() -> None:
    fig = _styled_bar(lang="vi", data_date=None)
    assert "Dữ liệu đến –." in _annotation_texts(fig)[0]


def test_long_title_is_wrapped_and_pushes_legend_and_plot_down() -> None:
    short = _styled_bar(title="Ngắn")
    long = _styled_bar(title=LONG_NAME, subtitle="Số hoạt động theo trạng thái, 2018–2020")
    assert "<br>" in long.layout.title.text
    assert long.layout.title.text.replace("<br>", " ") == LONG_NAME
    assert long.layout.title.subtitle.text == "Số hoạt động theo trạng thái, 2018–2020"
    assert long.layout.margin.t > short.layout.margin.t
    assert long.layout.legend.y < short.layout.legend.y
    assert 0 <= long.layout.legend.y < 1


def test_x_axis_title_and_wrapped_categories_move_the_footnote_down() -> None:
    plain = _styled_bar()
    titled = go.Figure(go.Bar(x=[3, 1], y=["a", "b"], orientation="h"))
    titled.update_xaxes(title_text="Số hoạt động")
    apply_style(titled, title="T", lang="vi", source="S", data_date=date(2019, 10, 15))
    vertical = go.Figure(go.Bar(x=[wrap_label(LONG_NAME, 16), "b"], y=[3, 1]))
    apply_style(vertical, title="T", lang="vi", source="S", data_date=date(2019, 10, 15))
    shift = [_footnote(f).yshift for f in (plain, titled, vertical)]
    assert shift[0] > shift[1] and shift[0] > shift[2]
    assert plain.layout.margin.b < titled.layout.margin.b


def test_apply_style_keeps_chart_specific_axis_formats() -> None:
    fig = go.Figure(go.Bar(x=[1], y=["a"]))
    fig.update_xaxes(exponentformat="SI")
    apply_style(fig, title="T", lang="vi", source="S", data_date=None)
    assert fig.layout.xaxis.exponentformat == "SI"
    assert fig.layout.yaxis.exponentformat == "none"


def test_styled_figure_serialises() -> None:
    assert '"source_footnote"' in _styled_bar().to_json()


# --- empty_figure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("vi", "Chưa có dữ liệu để vẽ biểu đồ: chưa có báo cáo cho kỳ này"),
        ("en", "No data to chart: chưa có báo cáo cho kỳ này"),
    ],
)
def test_empty_figure_says_why(lang: str, message: str) -> None:
    fig = empty_figure("chưa có báo cáo cho kỳ này", lang, "Tiến độ theo sở")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert [text.replace("<br>", " ") for text in _annotation_texts(fig)] == [message]
    assert fig.layout.title.text == "Tiến độ theo sở"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    (note,) = [a for a in fig.layout.annotations if a.name != "category_label"]
    assert (note.x, note.y, note.showarrow) == (0.5, 0.5, False)


# --- architecture ---------------------------------------------------------------------------------


def test_core_modules_do_not_import_streamlit() -> None:
    code = (
        "import sys, greengrowth.i18n, greengrowth.chart_style; "
        "sys.exit('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

"""The charts' text alternative: a summary sentence and a table, derived from the figure's traces."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from greengrowth import charts
from greengrowth.chart_style import for_page, page_text, plain_title
from greengrowth.chart_text import MAX_LISTED, chart_summary, chart_table
from greengrowth.i18n import t
from greengrowth.status import status_label

KW = {"source": "Sở KH&ĐT", "data_date": date(2020, 12, 4)}
PERIODS = pd.DataFrame(
    {
        "period": [2019, 2019, 2020, 2020, 2020],
        "status": ["in_progress", "delayed", "completed", "in_progress", "delayed"],
        "activities": [3, 1, 2, 1, 1],
    }
)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_stacked_bars_give_a_sentence_with_every_count(lang):
    fig = charts.status_over_periods(PERIODS, lang=lang, period=2020, **KW)
    summary = chart_summary(fig, lang)
    for year, part in PERIODS.groupby("period"):
        counts = ", ".join(
            f"{n} {status_label(s, lang).lower()}"
            for s, n in zip(part["status"], part["activities"], strict=True)
        )
        assert f"{year}: {counts}" in summary
    if lang == "vi":
        assert (
            summary
            == "2019: 3 đang thực hiện, 1 chậm tiến độ; 2020: 2 hoàn thành, 1 đang thực hiện, 1 chậm tiến độ."
        )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_stacked_bars_give_a_table_with_totals(lang):
    fig = charts.status_over_periods(PERIODS, lang=lang, period=2020, **KW)
    table = chart_table(fig, lang)
    item, total = t("chart_text.category", lang), t("chart_text.total", lang)
    assert list(table[item]) == ["2019", "2020"]
    assert list(table[total]) == list(PERIODS.groupby("period")["activities"].sum())
    completed = table.set_index(item)[status_label("completed", lang)]
    assert completed.to_dict() == {"2019": 0, "2020": 2}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_single_series_is_listed_by_category(lang):
    counts = pd.DataFrame({"status": ["completed", "in_progress"], "activities": [18, 23]})
    fig = charts.status_breakdown(counts, lang=lang, period=2020, **KW)
    summary = chart_summary(fig, lang)
    assert (
        summary
        == f"{status_label('completed', lang)}: 18; {status_label('in_progress', lang)}: 23."
    )
    table = chart_table(fig, lang)
    assert list(table.columns) == [t("chart_text.category", lang), t("chart.axis.activities", lang)]
    assert list(table.iloc[:, 1]) == [18, 23]


def test_many_categories_are_summed_and_the_rest_left_to_the_table():
    frame = pd.DataFrame(
        {
            "theme_no": list(range(1, 9)),
            "title_vi": [f"Chủ đề có tên dài số {i}" for i in range(1, 9)],
            "title_en": [f"A theme with a long name {i}" for i in range(1, 9)],
            "status": ["completed"] * 8,
            "activities": [1] * 8,
        }
    )
    fig = charts.progress_by_theme(frame, lang="vi", period=2020, **KW)
    assert chart_summary(fig, "vi") == "8 mục, tổng cộng: 8 hoàn thành."
    assert len(chart_table(fig, "vi")) == 8
    single = charts.indicator_by_district(
        pd.DataFrame(
            {"year": [2020] * 9, "value": range(9, 0, -1), "name_vi": list("ABCDEFGHI"),
             "name_en": list("ABCDEFGHI")}
        ),
        {"name_vi": "Chỉ tiêu", "name_en": "Indicator", "unit_vi": "%", "unit_en": "%"},
        lang="en",
        **KW,
    )  # fmt: skip
    summary = chart_summary(single, "en")
    assert summary.startswith("A: 9; B: 8;") and f"and {9 - MAX_LISTED} more" in summary


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_status_grid_gives_full_names_and_status_words(lang):
    frame = pd.DataFrame(
        {
            "activity_no": [4, 4, 5, 5],
            "title_vi": ["Nâng cao nhận thức", "Nâng cao nhận thức", "Hợp tác quốc tế", "Hợp tác quốc tế"],
            "title_en": ["Raise awareness", "Raise awareness", "International work", "International work"],
            "period": [2019, 2020, 2019, 2020],
            "status": ["not_started", "completed", "in_progress", "completed"],
            "percent_complete": [None, 100, 40, 100],
        }
    )  # fmt: skip
    fig = charts.activity_history(frame, lang=lang, **KW)
    table = chart_table(fig, lang).set_index(t("chart_text.category", lang))
    name4 = f"{t('common.activity', lang)} 4: {frame['title_' + lang][0]}"
    assert table.loc[name4, "2019"] == status_label("not_started", lang)
    assert table.loc[name4, "2020"] == status_label("completed", lang)
    summary = chart_summary(fig, lang)
    done = status_label("completed", lang).lower()
    assert f"2020: 2 {done}" in summary


def test_lines_list_each_series_values():
    values = pd.DataFrame({"year": [2018, 2019], "value": [10.0, 12.5]})
    indicator = {"name_vi": "Tỷ lệ", "name_en": "Share", "unit_vi": "%", "unit_en": "%",
                 "target_value": 15.0, "target_year": 2020}  # fmt: skip
    fig = charts.indicator_series(values, indicator, "on_track", lang="vi", **KW)
    summary = chart_summary(fig, "vi")
    assert "2018: 10" in summary and "2019: 12,50" in summary and "2020: 15" in summary
    table = chart_table(fig, "vi")
    assert list(table[t("chart.axis.year", "vi")]) == ["2018", "2019", "2020"]


def test_empty_chart_says_why_in_text():
    fig = charts.status_over_periods(PERIODS.iloc[0:0], lang="vi", period=2020, **KW)
    assert chart_table(fig, "vi").empty
    assert "Chưa có dữ liệu" in chart_summary(fig, "vi")


def test_page_figure_drops_title_and_footnote_and_keeps_them_on_the_figure():
    fig = charts.status_over_periods(PERIODS, lang="vi", period=2020, **KW)
    text = page_text(fig)
    assert text["title"] == plain_title(fig) and "Sở KH&ĐT" in text["footnote"]
    page = for_page(fig)
    assert not page["layout"]["title"]["text"]
    assert not any(a.get("name") == "source_footnote" for a in page["layout"]["annotations"])
    assert page["layout"]["height"] < fig.layout.height
    # the figure itself (PNG export, slides) still carries both
    assert fig.layout.title.text and any(
        a.name == "source_footnote" for a in fig.layout.annotations
    )

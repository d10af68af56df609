"""Chart builders: numbers from the store, a message instead of an empty chart, both languages."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from greengrowth import charts
from greengrowth.chart_style import STATUS_COLORS, for_screen
from greengrowth.indicator_progress import judge_indicators
from greengrowth.queries import dashboard as q
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    catalog_counts,
    demo_con,
    leadership_demo,
)

KW = {"source": "S", "data_date": date(2020, 12, 4)}


def _is_empty_message(fig) -> bool:
    return not fig.data and any(a.name == "empty_message" for a in fig.layout.annotations)


def _bar_total(fig) -> int:
    return sum(sum(v for v in (tr.x if tr.orientation == "h" else tr.y)) for tr in fig.data)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_status_charts_count_every_adopted_activity(demo_con, lang):  # noqa: F811
    theme = charts.progress_by_theme(
        q.progress_by_theme(demo_con, PLAN_ID, 2020), lang=lang, period=2020, **KW
    )
    breakdown = charts.status_breakdown(
        q.status_counts(demo_con, PLAN_ID, 2020), lang=lang, period=2020, **KW
    )
    assert _bar_total(theme) == _bar_total(breakdown) == 55
    colours = {tr.name: tr.marker.color for tr in theme.data}
    assert colours[("Hoàn thành" if lang == "vi" else "Completed")] == STATUS_COLORS["completed"]
    over = charts.status_over_periods(
        q.status_by_period(demo_con, PLAN_ID, 2020), lang=lang, period=2020, **KW
    )
    assert _bar_total(over) == 3 * 55
    assert "18" in over.layout.title.text


def test_titles_state_the_finding_in_each_language(demo_con):  # noqa: F811
    counts = q.status_counts(demo_con, PLAN_ID, 2020)
    vi = charts.status_breakdown(counts, lang="vi", period=2020, **KW).layout.title.text
    en = charts.status_breakdown(counts, lang="en", period=2020, **KW).layout.title.text
    assert vi.replace("<br>", " ") == "Năm 2020: 18/55 hoạt động đã hoàn thành"
    assert en.replace("<br>", " ") == "2020: 18 of 55 activities completed"


def test_long_names_are_wrapped_never_cut(demo_con):  # noqa: F811
    fig = charts.progress_by_group(
        q.progress_by_group(demo_con, PLAN_ID, 2020), lang="vi", period=2020, **KW
    )
    labels = fig.data[0].y
    groups = q.groups(demo_con, PLAN_ID).set_index("group_code")["title_vi"]
    for label in labels:
        code, _, name = label.replace("<br>", " ").partition(": ")
        if code in groups.index:
            assert name == groups[code]
    assert all(len(line) <= 44 for label in labels for line in label.split("<br>"))
    assert not any("nan" in label for label in labels)


def test_department_chart_keeps_no_lead_apart(demo_con):  # noqa: F811
    fig = charts.progress_by_department(
        q.department_status_counts(demo_con, PLAN_ID, 2020), lang="en", period=2020, **KW
    )
    assert list(fig.data[0].y)[-1] == "No lead department"
    assert _bar_total(fig) == 55


def test_priority_and_reporting_charts(demo_con):  # noqa: F811
    fig = charts.priority_outcomes(
        q.priority_outcomes_by_department(demo_con, PLAN_ID, 2020), lang="vi", period=2020, **KW
    )
    assert _bar_total(fig) == 31  # 30 tasks, task 3.7 counted for DOH and DCST
    summary = q.reporting_summary(demo_con, PLAN_ID, 2020)
    fig = charts.reporting_by_year(summary, lang="vi", **KW)
    expected = catalog_counts(demo_con)["expected_reports"]
    assert _bar_total(fig) == expected
    grid = charts.reporting_grid(q.reporting_status(demo_con, PLAN_ID, 2020), lang="en", **KW)
    assert sum(len(tr.x) for tr in grid.data) == expected


def test_indicator_series_shows_the_target(demo_con):  # noqa: F811
    catalog = q.indicators(demo_con, PLAN_ID)
    values = q.indicator_values(demo_con, PLAN_ID, 2020)
    judged = catalog.merge(judge_indicators(catalog, values), on="indicator_code")
    row = judged[judged["indicator_code"] == "training_courses"].iloc[0].to_dict()
    fig = charts.indicator_series(
        values[values["indicator_code"] == "training_courses"], row, row["status"], lang="vi", **KW
    )
    assert [tr.name for tr in fig.data] == ["Số liệu báo cáo", "Mục tiêu"]
    assert fig.data[1].y == (1.0,)
    assert "đã đạt mục tiêu" in fig.layout.title.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_inputs_give_a_message(lang):
    empty = pd.DataFrame(columns=["theme_no", "status", "activities", "period", "group_code"])
    assert _is_empty_message(charts.progress_by_theme(empty, lang=lang, period=2020, **KW))
    assert _is_empty_message(charts.status_over_periods(empty, lang=lang, period=2020, **KW))
    assert _is_empty_message(charts.progress_by_group(empty, lang=lang, period=2020, **KW))
    assert _is_empty_message(
        charts.reporting_by_year(pd.DataFrame(columns=["expected"]), lang=lang, **KW)
    )
    assert _is_empty_message(
        charts.indicator_series(
            pd.DataFrame(columns=["year", "value"]),
            {"name_vi": "A", "name_en": "A", "unit_vi": "", "unit_en": ""},
            "no_data",
            lang=lang,
            **KW,
        )
    )


def test_footnote_starts_left_of_long_y_labels(demo_con):  # noqa: F811
    fig = charts.progress_by_group(
        q.progress_by_group(demo_con, PLAN_ID, 2020), lang="vi", period=2020, **KW
    )
    (note,) = [a for a in fig.layout.annotations if a.name == "source_footnote"]
    # the names stand above the bars, so the plot and the footnote start at the figure's edge
    assert fig.layout.yaxis.showticklabels is False and not note.xshift
    # where the names go back beside the bars (briefing screenshots), the footnote moves under them
    (note,) = [a for a in for_screen(fig).layout.annotations if a.name == "source_footnote"]
    assert note.xshift < -200  # under the wrapped labels, not from the plot area onwards


def test_reporting_charts_show_years_not_yet_due(catalog_con):
    today = date(2019, 6, 1)  # 2019 and 2020 not due yet, 2018 missing
    summary = q.reporting_summary(catalog_con, PLAN_ID, 2020, today=today)
    fig = charts.reporting_by_year(summary, lang="en", **KW)
    names = [tr.name for tr in fig.data]
    assert "Not yet due" in names
    assert _bar_total(fig) == int(summary["expected"].sum())
    status = q.reporting_status(catalog_con, PLAN_ID, 2020, today=today)
    grid = charts.reporting_grid(status, lang="vi", **KW)
    # the legend names each cell's symbol before the word: "✗ Chưa gửi"
    assert {tr.name.split(" ", 1)[1] for tr in grid.data} == {"Chưa gửi", "Chưa đến hạn"}
    assert all(set(tr.text) == {tr.name.split(" ", 1)[0]} for tr in grid.data)
    assert sum(len(tr.x) for tr in grid.data) == len(status)

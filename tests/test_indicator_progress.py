"""The on-track rule (Open SDG style): every branch, both directions."""

from __future__ import annotations

import pandas as pd
import pytest

from greengrowth.indicator_progress import annual_rate, judge_indicators, progress_status, trend


def test_no_target_says_so_and_keeps_the_latest_value():
    p = progress_status([(2018, 3.0), (2020, 5.0)])
    assert (p.status, p.current_year, p.current_value) == ("no_target", 2020, 5.0)


def test_no_data_with_a_target():
    assert progress_status([], target_value=10, target_year=2020).status == "no_data"


@pytest.mark.parametrize(
    ("series", "status"),
    [
        ([(2018, 10), (2019, 15)], "on_track"),  # needs ~ +26%/yr (CAGR to 20 by 2021), has +50%
        ([(2018, 10), (2019, 12)], "needs_attention"),  # +20% of the needed 25.99%: ratio 0.77
        ([(2018, 10), (2019, 10.5)], "off_track"),  # ratio 0.19
        ([(2018, 10), (2019, 9)], "off_track"),  # the wrong way
        ([(2018, 10)], "insufficient_data"),
        ([(2018, 10), (2019, 25)], "achieved"),
    ],
)
def test_higher_is_better(series, status):
    assert progress_status(series, target_value=20, target_year=2021).status == status


def test_lower_is_better_uses_the_direction():
    fast = progress_status(
        [(2018, 100), (2019, 80)], direction="lower", target_value=50, target_year=2021
    )
    wrong = progress_status(
        [(2018, 100), (2019, 110)], direction="lower", target_value=50, target_year=2021
    )
    assert fast.status == "on_track" and fast.ratio > 0.95
    assert wrong.status == "off_track" and wrong.ratio < 0


def test_target_year_passed_without_target_is_off_track():
    assert progress_status([(2018, 1), (2021, 2)], target_value=5, target_year=2020).status == (
        "off_track"
    )


def test_baseline_from_the_catalog_wins_over_first_value():
    p = progress_status(
        [(2019, 15)], target_value=20, target_year=2021, baseline_value=10, baseline_year=2018
    )
    assert (p.base_year, p.base_value, p.status) == (2018, 10.0, "on_track")


def test_linear_rate_when_a_value_is_zero():
    assert annual_rate(0, 4, 2, compound=False) == 2
    p = progress_status([(2018, 0), (2019, 2)], target_value=4, target_year=2020)
    assert p.status == "on_track" and p.ratio == pytest.approx(1.0)


def test_judge_indicators_one_row_each():
    catalog = pd.DataFrame(
        {
            "indicator_code": ["a", "b"],
            "direction": ["higher", "higher"],
            "target_value": [1.0, None],
            "target_year": [2018, None],
            "baseline_value": [None, None],
            "baseline_year": [None, None],
        }
    )
    values = pd.DataFrame({"indicator_code": ["a", "b"], "year": [2018, 2018], "value": [2, 3]})
    judged = judge_indicators(catalog, values)
    assert list(judged["status"]) == ["achieved", "no_target"]


def test_indicator_table_keeps_the_catalog_and_adds_the_judgement():
    from greengrowth.indicator_progress import indicator_table

    catalog = pd.DataFrame(
        {
            "indicator_code": ["a", "b", "c"],
            "name_vi": ["A", "B", "C"],
            "direction": ["higher", "lower", "higher"],
            "target_value": [1.0, 5.0, None],
            "target_year": [2018, 2020, None],
            "baseline_value": [None, None, None],
            "baseline_year": [None, None, None],
        }
    )
    values = pd.DataFrame(
        {"indicator_code": ["a", "b", "b"], "year": [2018, 2018, 2019], "value": [2, 9, 8]}
    )
    table = indicator_table(catalog, values)
    assert list(table["indicator_code"]) == ["a", "b", "c"]
    assert list(table["name_vi"]) == ["A", "B", "C"]
    assert list(table["status"]) == ["achieved", "off_track", "no_target"]
    assert list(table["current_value"].fillna(-1)) == [2, 8, -1]


@pytest.mark.parametrize(
    ("series", "direction", "expected"),
    [
        ([(2018, 10), (2019, 12)], "higher", "improving"),
        ([(2018, 10), (2019, 12)], "lower", "worsening"),
        ([(2019, 12), (2018, 10), (2020, 11)], "higher", "worsening"),  # order of input ignored
        ([(2018, 10), (2019, 10)], "higher", "unchanged"),
        ([(2018, 10)], "higher", "insufficient_data"),
        ([(2018, 10), (2019, float("nan"))], "higher", "insufficient_data"),
    ],
)
def test_trend_follows_the_direction(series, direction, expected):
    assert trend(series, direction) == expected

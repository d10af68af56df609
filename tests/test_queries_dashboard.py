"""Leadership queries checked against the store itself (demo data) and an empty store."""

from __future__ import annotations

import pytest

from greengrowth.queries import dashboard as q
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    demo_con,
    empty_con,
    leadership_demo,
    leadership_empty,
)


def _scalar(con, sql, params=()):
    return con.execute(sql, list(params)).fetchone()[0]


@pytest.mark.parametrize("period", [2018, 2019, 2020])
def test_headline_matches_the_lead_reports(demo_con, period):  # noqa: F811
    head = q.overview_headline(demo_con, PLAN_ID, period)
    assert (head["adopted"], head["national"], head["no_lead"]) == (55, 66, 3)
    completed = _scalar(
        demo_con,
        """SELECT count(*) FROM activity_status_latest s JOIN activity_lead l
           USING (plan_id, activity_no, department_code)
           WHERE s.period = ? AND s.status = 'completed'""",
        [period],
    )
    assert head["completed"] == completed
    statuses = ["completed", "in_progress", "not_started", "delayed", "on_hold", "not_reported"]
    assert sum(head[k] for k in statuses) + head["no_lead"] == 55


def test_status_by_period_sums_to_adopted_each_year(demo_con):  # noqa: F811
    frame = q.status_by_period(demo_con, PLAN_ID, 2020)
    assert frame.groupby("period")["activities"].sum().to_dict() == {2018: 55, 2019: 55, 2020: 55}


def test_coverage_has_the_plans_own_figures(demo_con):  # noqa: F811
    cov = q.coverage(demo_con, PLAN_ID)
    themes = cov[cov["level"] == "theme"].set_index("theme_no")
    assert themes["stated_adopted"].to_dict() == {1: 4, 2: 18, 3: 22, 4: 11}
    assert themes["counted_national"].sum() == 66
    assert len(cov[cov["level"] == "group"]) == 10


def test_group_filter_and_history(demo_con):  # noqa: F811
    hist = q.activity_status_history(demo_con, PLAN_ID, 3, "3.4")
    assert sorted(hist["activity_no"].unique()) == [51, 52, 53]
    assert set(hist["status"]) == {"no_lead"}


def test_reporting_rule_and_counts(demo_con):  # noqa: F811
    status = q.reporting_status(demo_con, PLAN_ID, 2020)
    summary = q.reporting_summary(demo_con, PLAN_ID, 2020).set_index("period")
    assert (summary["expected"] == 11).all()
    assert (summary["on_time"] + summary["late"] + summary["missing"] == 11).all()
    received = status.dropna(subset=["received_on"])
    on_time = received["received_on"].dt.date < received["due_before"].dt.date
    assert ((received["outcome"] == "on_time") == on_time).all()
    missing = set(
        map(tuple, status[status["outcome"] == "missing"][["department_code", "period"]].values)
    )
    assert ("DOH", 2018) in missing and ("DIC", 2019) in missing
    assert q.reporting_year(demo_con, PLAN_ID, 2018)["expected"] == 11


def test_priority_outcomes(demo_con):  # noqa: F811
    tasks = q.priority_tasks(demo_con, PLAN_ID, 2020)
    assert len(tasks) == 30
    assert list(tasks[tasks["task_id"] == "3.7"]["departments"]) == ["DCST, DOH"]
    done = tasks[tasks["outcome"] == "done_on_time"]
    assert (done["status_at_deadline"] == "completed").all()
    later = tasks[tasks["outcome"] == "closed_later"]
    assert (later["closed_in"] > 2018).all()
    head = q.priority_headline(demo_con, PLAN_ID, 2020)
    assert head["tasks"] == 30
    assert head["done_on_time"] + head["closed_later"] + head["still_open"] == 30
    assert list(q.priority_tasks(demo_con, PLAN_ID, 2020, "DOH")["task_id"]) == ["3.7"]


def test_department_summary(demo_con):  # noqa: F811
    summary = q.department_summary(demo_con, PLAN_ID, 2020)
    assert summary["department_code"].isna().sum() == 1  # the no-lead row
    assert summary["activities_led"].sum() == 55
    doit = summary[summary["department_code"] == "DOIT"].iloc[0]
    assert doit["activities_led"] == 12


def test_indicators_and_search(demo_con):  # noqa: F811
    assert len(q.indicators(demo_con, PLAN_ID)) == 11
    assert not q.indicator_values(demo_con, PLAN_ID, 2020).empty
    found = q.catalog_activities(demo_con, PLAN_ID, None, "rung")  # accent-blind: "rừng"
    assert 23 in set(found["activity_no"])
    assert len(q.catalog_activities(demo_con, PLAN_ID)) == 66
    assert list(q.findings(demo_con, PLAN_ID, "F01")["finding_id"]) == ["F01"]


def test_empty_store_gives_empty_results_not_errors(empty_con):  # noqa: F811
    assert q.latest_period(empty_con, PLAN_ID) is None
    head = q.overview_headline(empty_con, PLAN_ID, 2020)
    assert head["not_reported"] == 52 and head["completed"] == 0
    summary = q.reporting_summary(empty_con, PLAN_ID, 2020)
    assert (summary["missing"] == summary["expected"]).all()
    assert set(q.priority_tasks(empty_con, PLAN_ID, 2020)["outcome"]) == {"not_reported"}

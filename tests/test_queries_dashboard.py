"""Leadership queries checked against the store itself (demo data) and an empty store."""

from __future__ import annotations

import pytest

from greengrowth.queries import dashboard as q
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    catalog_counts,
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
    hist = q.activity_status_history(demo_con, PLAN_ID, theme=3, group="3.4")
    assert sorted(hist["activity_no"].unique()) == [51, 52, 53]
    assert set(hist["status"]) == {"no_lead"}


def test_reporting_rule_and_counts(demo_con):  # noqa: F811
    status = q.reporting_status(demo_con, PLAN_ID, 2020)
    summary = q.reporting_summary(demo_con, PLAN_ID, 2020).set_index("period")
    n = catalog_counts(demo_con)["reporting_departments"]
    assert len(summary) == catalog_counts(demo_con)["periods"]
    assert (summary["expected"] == n).all()
    assert (summary["on_time"] + summary["late"] + summary["missing"] == n).all()
    received = status.dropna(subset=["received_on"])
    assert not received.empty
    on_time = received["received_on"].dt.date < received["due_before"].dt.date
    assert ((received["outcome"] == "on_time") == on_time).all()
    missing = set(
        map(tuple, status[status["outcome"] == "missing"][["department_code", "period"]].values)
    )
    assert ("DOH", 2018) in missing and ("DIC", 2019) in missing
    assert q.reporting_year(demo_con, PLAN_ID, 2018)["expected"] == n


def test_priority_outcomes(demo_con):  # noqa: F811
    tasks = q.priority_tasks(demo_con, PLAN_ID, 2020)
    assert len(tasks) == 30
    assert list(tasks[tasks["task_id"] == "3.7"]["departments"]) == ["DCST, DOH"]
    done = tasks[tasks["outcome"] == "done_on_time"]
    later = tasks[tasks["outcome"] == "closed_later"]
    assert not done.empty and not later.empty
    assert (done["status_at_deadline"] == "completed").all()
    assert (later["closed_in"] >= later["deadline"].dt.year).all()
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
    assert head["not_reported"] == catalog_counts(empty_con)["with_lead"]
    assert head["completed"] == 0
    summary = q.reporting_summary(empty_con, PLAN_ID, 2020)
    assert not summary.empty
    assert (summary["missing"] == summary["expected"]).all()
    assert set(q.priority_tasks(empty_con, PLAN_ID, 2020)["outcome"]) == {"not_reported"}


# ---- small known databases (tmp_path) for the cases the demo data cannot show -------------------

from datetime import date, datetime  # noqa: E402

from loaders import layout as L  # noqa: E402
from loaders.ingest import ingest_bytes  # noqa: E402
from tests.workbooks import good_workbook  # noqa: E402


def _submit(
    con,
    department,
    period,
    *,
    reported_on,
    uploaded=None,
    tasks=None,
    indicators=None,
    restated=(),
    status="Đang thực hiện",
    percent=50,
):
    """Store one report: reported_on on 'Thông tin', tasks {id: (status, completed_on)},
    indicators {code: value} (province-wide, for the report's own year), restated
    [(code, year, value)] for earlier years."""

    def edit(wb):
        L.info_cells(wb[L.SHEET_INFO])["reported_on"].value = reported_on
        for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
            cell = L.cells(row, L.TASK_COLUMNS)
            if tasks and cell["task_id"].value in tasks:
                cell["status"].value, cell["completed_on"].value = tasks[cell["task_id"].value]
        ws = wb[L.SHEET_INDICATORS]
        for row in ws.iter_rows(min_row=2):
            cell = L.cells(row, L.INDICATOR_COLUMNS)
            if indicators and cell["indicator_code"].value in indicators:
                cell["value"].value = indicators[cell["indicator_code"].value]
        for code, year, value in restated:  # an earlier year's figure, restated
            at = ws.max_row + 1
            restate = {"indicator_code": code, "district_code": "Toàn tỉnh", "year": year,
                       "value": value}  # fmt: skip
            for field, v in restate.items():
                ws.cell(row=at, column=L.position(L.INDICATOR_COLUMNS, field), value=v)

    data = good_workbook(con, department, period, edit=edit, status=status, percent=percent)
    uploaded = uploaded or datetime.combine(reported_on, datetime.min.time())
    result = ingest_bytes(con, data, f"{department}-{period}.xlsx", "test", now=uploaded)
    assert result.outcome == "accepted", result.problems
    return result.submission_id


def test_indicator_values_show_what_was_known_up_to_each_year(catalog_con):
    con = catalog_con
    for period, value in [(2018, 2), (2019, 3), (2020, 4)]:
        _submit(
            con,
            "DOIT",
            period,
            reported_on=date(period, 10, 1),
            indicators={"training_courses": value},
            restated=[("training_courses", 2018, 2.5)] if period == 2020 else (),
        )
    # The 2020 report revises 2018's figure: earlier views still show what was known then.
    for period, expected in [
        (2018, {2018: 2}),
        (2019, {2018: 2, 2019: 3}),
        (2020, {2018: 2.5, 2019: 3, 2020: 4}),
    ]:
        values = q.indicator_values(con, PLAN_ID, period)
        got = values[values["indicator_code"] == "training_courses"]
        assert dict(zip(got["year"], got["value"], strict=True)) == expected, period


def test_indicator_values_per_year_on_the_demo(demo_con):  # noqa: F811
    for period in (2018, 2019, 2020):
        assert not q.indicator_values(demo_con, PLAN_ID, period).empty, period


def _task_outcome(con, period=2020):
    tasks = q.priority_tasks(con, PLAN_ID, period).set_index("task_id")
    return tasks.loc["3.2.1"]


def test_task_completed_after_the_deadline_closed_later(catalog_con):
    _submit(
        catalog_con,
        "DOIT",
        2018,
        reported_on=date(2018, 10, 1),
        uploaded=datetime(2019, 3, 1),
        tasks={"3.2.1": ("Hoàn thành", date(2019, 2, 1))},
    )
    task = _task_outcome(catalog_con)
    assert (task["outcome"], task["closed_in"]) == ("closed_later", 2019)


def test_task_completed_on_time_and_undated(catalog_con):
    _submit(
        catalog_con,
        "DOIT",
        2018,
        reported_on=date(2018, 10, 1),
        tasks={"3.2.1": ("Hoàn thành", date(2018, 9, 1)), "3.2.2": ("Hoàn thành", None)},
    )
    tasks = q.priority_tasks(catalog_con, PLAN_ID, 2020).set_index("task_id")
    assert tasks.loc["3.2.1", "outcome"] == "done_on_time"
    assert tasks.loc["3.2.2", "outcome"] == "done_on_time"


def test_task_completed_in_a_later_report_without_date(catalog_con):
    _submit(catalog_con, "DOIT", 2018, reported_on=date(2018, 10, 1))
    _submit(
        catalog_con,
        "DOIT",
        2020,
        reported_on=date(2020, 10, 1),
        tasks={"3.2.1": ("Hoàn thành", None)},
    )
    task = _task_outcome(catalog_con)
    assert (task["outcome"], task["closed_in"]) == ("closed_later", 2020)


def _reporting(con, department="DOIT", period=2019, today=date(2030, 1, 1)):
    status = q.reporting_status(con, PLAN_ID, 2020, department, today=today)
    return status.set_index("period").loc[period]


@pytest.mark.parametrize(("day", "outcome"), [(14, "on_time"), (15, "late")])
def test_reporting_deadline_boundary(catalog_con, day, outcome):
    _submit(catalog_con, "DOIT", 2019, reported_on=date(2019, 10, day))
    assert _reporting(catalog_con)["outcome"] == outcome


def test_a_later_correction_does_not_make_an_on_time_report_late(catalog_con):
    first = _submit(catalog_con, "DOIT", 2019, reported_on=date(2019, 10, 1))
    _submit(
        catalog_con,
        "DOIT",
        2019,
        reported_on=date(2019, 11, 20),
        percent=60,
        uploaded=datetime(2019, 11, 20),
    )
    row = _reporting(catalog_con)
    assert (row["outcome"], row["submission_id"]) == ("on_time", first)
    assert row["received_on"].date() == date(2019, 10, 1)


def test_undated_report_counts_from_upload(catalog_con):
    sid = _submit(
        catalog_con, "DOIT", 2019, reported_on=date(2019, 10, 1), uploaded=datetime(2019, 10, 20)
    )
    catalog_con.execute("UPDATE submission SET reported_on = NULL WHERE submission_id = ?", [sid])
    row = _reporting(catalog_con)
    assert (row["outcome"], bool(row["dated_by_upload"])) == ("late", True)
    assert q.data_date(catalog_con, PLAN_ID)["data_date"].date() == date(2019, 10, 20)


def test_reporting_without_an_annual_rule_keeps_its_rows(catalog_con):
    catalog_con.execute("DELETE FROM reporting_rule WHERE kind = 'annual_report'")
    _submit(catalog_con, "DOIT", 2019, reported_on=date(2019, 10, 1))
    assert q.annual_rule(catalog_con, PLAN_ID) is None
    status = q.reporting_status(catalog_con, PLAN_ID, 2020, today=date(2030, 1, 1))
    assert len(status) == catalog_counts(catalog_con)["expected_reports"]
    row = status[(status["department_code"] == "DOIT") & (status["period"] == 2019)].iloc[0]
    assert row["outcome"] == "received"
    assert set(status["outcome"]) == {"received", "missing"}


def test_years_not_yet_due_are_not_missing(catalog_con):
    today = date(2019, 6, 1)  # inside the plan: 2019's and 2020's deadlines have not come yet
    summary = q.reporting_summary(catalog_con, PLAN_ID, 2020, today=today).set_index("period")
    assert summary.loc[2018, "missing"] == summary.loc[2018, "expected"]
    assert summary.loc[2019, "not_due"] == summary.loc[2019, "expected"]
    assert summary.loc[2019, "missing"] == 0
    later = q.reporting_summary(catalog_con, PLAN_ID, 2020, today=date(2030, 1, 1))
    assert (later["not_due"] == 0).all() and (later["missing"] == later["expected"]).all()
    before = q.reporting_summary(catalog_con, PLAN_ID, 2020, today=date(2010, 1, 1))
    assert (before["not_due"] == before["expected"]).all()


def test_two_leads_status_comes_from_the_lead_shown(catalog_con):
    con = catalog_con
    # Give activity 11 (DOIT) a second lead, DONRE: each reports on it.
    con.execute(
        "INSERT INTO activity_lead (plan_id, activity_no, department_code, role) "
        "VALUES (?, 11, 'DONRE', 'lead')",
        [PLAN_ID],
    )
    _submit(con, "DOIT", 2019, reported_on=date(2019, 10, 1), status="Hoàn thành", percent=100)
    _submit(con, "DONRE", 2019, reported_on=date(2019, 10, 1), status="Chậm tiến độ", percent=None)
    _submit(con, "DPI", 2019, reported_on=date(2019, 10, 1), status="Hoàn thành", percent=100)
    rows = q.activity_period_status(con, PLAN_ID, 2019).set_index("activity_no")
    act = rows.loc[11]
    assert (act["department_code"], act["status"]) == ("DONRE", "delayed")  # the less advanced
    reported = con.execute(
        """SELECT department_code, activity_no, status, percent_complete
           FROM activity_status_latest WHERE period = 2019"""
    ).df()
    # Every row: status and percent are the shown department's own.
    merged = rows.reset_index().merge(
        reported, on=["activity_no", "department_code"], suffixes=("", "_own")
    )
    assert not merged.empty
    assert (merged["status"] == merged["status_own"]).all()
    history = q.activity_status_history(con, PLAN_ID, department="DOIT")
    assert 11 in set(history["activity_no"])  # still DOIT's activity, whoever's status is shown


def test_indicator_progress_judges_the_values_known_in_the_period(catalog_con):
    _submit(
        catalog_con,
        "DOIT",
        2018,
        reported_on=date(2018, 10, 1),
        indicators={"training_courses": 0},
    )
    _submit(
        catalog_con, "DOIT", 2019, reported_on=date(2019, 10, 1),
        indicators={"training_courses": 1},
    )  # fmt: skip
    y2018 = q.indicator_progress(catalog_con, PLAN_ID, 2018).set_index("indicator_code")
    y2019 = q.indicator_progress(catalog_con, PLAN_ID, 2019, "DOIT").set_index("indicator_code")
    assert len(y2018) == len(q.indicators(catalog_con, PLAN_ID))
    assert set(y2019.index) == set(q.indicators(catalog_con, PLAN_ID, "DOIT")["indicator_code"])
    assert y2018.loc["training_courses", "status"] == "off_track"  # target 1 by 2018, has 0
    assert y2019.loc["training_courses", "status"] == "achieved"
    assert y2019.loc["training_courses", "name_vi"]  # the catalog columns come along
    only = q.indicator_values(catalog_con, PLAN_ID, 2019, "training_courses")
    assert list(only["value"]) == [0, 1]

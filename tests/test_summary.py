"""The written summary: every number in it is a query result behind the pages, never typed text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from greengrowth import charts
from greengrowth.i18n import fmt_date, fmt_number, fmt_percent
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as q
from greengrowth.summary import build_summary
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    catalog_counts,
    demo_con,
    empty_con,
    leadership_demo,
    leadership_empty,
)

TODAY = date(2026, 1, 1)
ACRONYMS = re.compile(r"\b(DPI|DOIT|DARD|DONRE|DOST|DCST|DOT|DOC|DOLISA|DIC|DOF|DOH|PPC)\b")
NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


def _tokens(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def _allowed(con, period: int, lang: str) -> set[str]:
    """Every number the pages' queries give for this plan and period, written the reader's way."""
    head = q.overview_headline(con, PLAN_ID, period)
    tasks = q.priority_headline(con, PLAN_ID, period)
    year = q.reporting_year(con, PLAN_ID, period, TODAY)
    rule = q.annual_rule(con, PLAN_ID)
    statuses = q.activity_period_status(con, PLAN_ID, period)
    task_rows = q.priority_tasks(con, PLAN_ID, period)
    counts = [*head.values(), *tasks.values(), *year.values(), period]
    out = {fmt_number(v, lang) for v in counts if isinstance(v, int | float) and v == v}
    out |= {f"{fmt_number(a, lang)}/{fmt_number(b, lang)}" for a in counts for b in counts
            if isinstance(a, int | float) and isinstance(b, int | float) and a == a and b == b}  # fmt: skip
    if head["adopted"]:
        out.add(fmt_percent(100 * head["completed"] / head["adopted"], lang).rstrip("%"))
    out |= {str(int(n)) for n in statuses.loc[statuses["status"] == "delayed", "activity_no"]}
    out |= set(task_rows["task_id"])
    dates = [head["data_date"], tasks["deadline"], q.data_date(con, PLAN_ID)["data_date"]]
    if rule is not None:
        dates.append(date(period, int(rule["due_before_month"]), int(rule["due_before_day"])))
    out |= {fmt_date(d, lang) for d in dates if d is not None and d == d}
    out |= {
        "2018",
        str(period),
    }  # the year; the plan's name for its priority tasks ("nhiệm vụ ưu tiên năm 2018")
    out |= {part for d in list(out) for part in NUMBER.findall(d)}  # "4 Dec 2020" -> "4", "2020"
    return out


@pytest.mark.parametrize("period", [2018, 2019, 2020])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_in_the_summary_is_a_query_result(demo_con, period, lang):  # noqa: F811
    summary = build_summary(demo_con, PLAN_ID, period, lang, today=TODAY)
    text = summary.text
    stray = _tokens(text) - _allowed(demo_con, period, lang)
    assert not stray, (stray, text)

    head = q.overview_headline(demo_con, PLAN_ID, period)
    tasks = q.priority_headline(demo_con, PLAN_ID, period)
    year = q.reporting_year(demo_con, PLAN_ID, period, TODAY)
    n = lambda v: fmt_number(v, lang)  # noqa: E731
    if lang == "vi":
        assert f"{n(head['adopted'])}/{n(head['national'])} hoạt động" in text
        if head["completed"]:
            share = fmt_percent(100 * head["completed"] / head["adopted"], lang)
            assert f"{n(head['completed'])} hoạt động ({share}) đã hoàn thành" in text
        else:
            assert "chưa có hoạt động nào hoàn thành" in text
        assert f"{n(tasks['done'])}/{n(tasks['tasks'])} nhiệm vụ ưu tiên năm 2018 đã xong" in text
        assert f"{n(tasks['closed_later'])} xong sau hạn" in text
        assert f"{n(year['on_time'])}/{n(year['expected'])} sở, ngành báo cáo đúng hạn" in text
        if year["missing"]:
            assert f"chưa báo cáo ({n(year['missing'])})" in text
        if head["delayed"]:
            assert f"{n(head['delayed'])} hoạt động chậm tiến độ" in text
        if tasks["still_open"]:
            assert f"{n(tasks['still_open'])} nhiệm vụ chưa xong" in text
        assert not ACRONYMS.search(text), text  # Vietnamese documents never say DOIT
        assert "minh họa" in text  # the sample data says it is illustrative
    else:
        assert f"{n(head['adopted'])} of the {n(head['national'])} activities" in text
        assert f"{n(year['on_time'])} of {n(year['expected'])} departments" in text
    # The worst cases are named, not only counted.
    status = q.reporting_status(demo_con, PLAN_ID, period, today=TODAY)
    missing = status[(status["period"] == period) & (status["outcome"] == "missing")]
    for row in missing.itertuples():
        assert (row.short_vi if lang == "vi" else row.acronym) in text
    open_tasks = q.priority_tasks(demo_con, PLAN_ID, period)
    for task_id in open_tasks.loc[open_tasks["outcome"].isin(["open", "not_reported"]), "task_id"]:
        assert f"{task_id} (" in text


def test_the_summary_on_an_empty_store_says_so_plainly(empty_con):  # noqa: F811
    counts = catalog_counts(empty_con)
    for lang in ("vi", "en"):
        text = build_summary(empty_con, PLAN_ID, 2020, lang, today=TODAY).text
        stray = _tokens(text) - _allowed(empty_con, 2020, lang)
        assert not stray, (stray, text)
        assert fmt_number(counts["adopted"], lang) in text
    vi = build_summary(empty_con, PLAN_ID, 2020, "vi", today=TODAY).text
    assert vi.startswith("Năm 2020, chưa có sở, ngành nào gửi báo cáo")
    assert "minh họa" not in vi  # nothing illustrative is stored
    assert not ACRONYMS.search(vi)


def test_priority_chart_title_and_card_state_one_number(demo_con):  # noqa: F811
    """3.7 has two departments: the chart's bars count it twice, its title and the card once."""
    for period in (2019, 2020):
        head = q.priority_headline(demo_con, PLAN_ID, period)
        frame = q.priority_outcomes_by_department(demo_con, PLAN_ID, period)
        fig = charts.priority_outcomes(
            frame, lang="vi", period=period, source="S", data_date=date(2020, 12, 4)
        )
        title = fig.layout.title.text.replace("<br>", " ")
        assert f"{head['closed_later']} xong sau hạn" in title, title
        assert f"{head['done_on_time']} xong đúng hạn" in title
        assert f"{head['still_open']} chưa xong" in title
        assert head["done"] == head["done_on_time"] + head["closed_later"]


def test_vietnamese_charts_name_departments_in_vietnamese(demo_con):  # noqa: F811
    kw = {"source": "S", "data_date": date(2020, 12, 4)}
    figs = [
        charts.progress_by_department(
            q.department_status_counts(demo_con, PLAN_ID, 2020), lang="vi", period=2020, **kw
        ),
        charts.priority_outcomes(
            q.priority_outcomes_by_department(demo_con, PLAN_ID, 2020), lang="vi", period=2020, **kw
        ),
        charts.reporting_grid(
            q.reporting_status(demo_con, PLAN_ID, 2020, today=TODAY), lang="vi", **kw
        ),
    ]
    names = set(catalog_queries.reporting_departments(demo_con, PLAN_ID)["short_vi"])
    for fig in figs:
        labels = {str(y) for tr in fig.data for y in tr.y}
        assert not any(ACRONYMS.search(label) for label in labels), labels
        assert labels & names
        assert not ACRONYMS.search(fig.layout.title.text)
    english = charts.reporting_grid(
        q.reporting_status(demo_con, PLAN_ID, 2020, today=TODAY), lang="en", **kw
    )
    assert "DOIT" in {str(y) for tr in english.data for y in tr.y}

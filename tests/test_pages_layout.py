"""AppTest: the leadership pages' pickers on the page itself, tables with the column that matters
next to the row's name (issue 15: a phone shows both), and the document title per page."""

from __future__ import annotations

import pytest

from greengrowth.i18n import t
from tests.leadership_fixtures import leadership_demo  # noqa: F401
from tests.test_pages_leadership import _app

PICKED = {
    # page: the URL parameters its filters keep, all in the main-area expander
    "pages/overview.py": ["plan", "period"],
    "pages/by_theme.py": ["plan", "period", "theme", "group"],
    "pages/by_department.py": ["plan", "period", "dept"],
    "pages/priorities.py": ["plan", "period", "dept"],
    "pages/plan.py": ["plan", "period", "theme"],
}


@pytest.mark.parametrize("page", list(PICKED))
def test_pickers_are_in_an_expander_on_top_of_the_page(page, leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, page, period="2019")
    assert not at.exception
    box = at.main.expander[0]
    assert box.label.startswith(f"{t('common.period', 'vi')}: 2019")
    in_box = {s.key for s in box.selectbox}
    assert {f"url_{p}" for p in PICKED[page]} <= in_box
    assert not {s.key for s in at.sidebar.selectbox} & in_box  # one widget per URL parameter
    assert at.query_params["period"] == "2019"


def test_changing_the_period_in_the_expander_updates_the_url_and_label(
    leadership_demo,  # noqa: F811
    monkeypatch,
):
    at = _app(leadership_demo, monkeypatch, "pages/overview.py")
    at.main.expander[0].selectbox(key="url_period").set_value(2018).run()
    assert at.query_params["period"] == "2018"
    assert "2018" in at.title[0].value
    assert at.main.expander[0].label.startswith(f"{t('common.period', 'vi')}: 2018")


def test_tables_put_the_key_column_next_to_the_name(leadership_demo, monkeypatch):  # noqa: F811
    by_dept = _app(leadership_demo, monkeypatch, "pages/by_department.py")
    assert list(by_dept.dataframe[0].value.columns[:2]) == [
        t("column.department", "vi"),
        t("column.share_complete", "vi"),
    ]
    by_theme = _app(leadership_demo, monkeypatch, "pages/by_theme.py")
    assert list(by_theme.dataframe[0].value.columns[:2]) == [
        t("column.activity_no", "vi"),
        t("column.status", "vi"),
    ]

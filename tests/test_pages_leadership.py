"""AppTest for every leadership page: demo data and empty store, filters, language switch."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from greengrowth import store
from greengrowth.catalog import load_catalog
from greengrowth.i18n import fmt_number
from greengrowth.queries import dashboard as q
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    catalog_counts,
    leadership_demo,
    leadership_empty,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/overview.py",
    "pages/by_theme.py",
    "pages/by_department.py",
    "pages/priorities.py",
    "pages/indicators.py",
    "pages/reporting.py",
    "pages/plan.py",
]
HEADINGS = {
    "pages/overview.py": ("Tổng quan thực hiện Kế hoạch năm", "Plan implementation overview"),
    "pages/by_theme.py": ("Tiến độ theo chủ đề", "Progress by theme"),
    "pages/by_department.py": ("Tiến độ theo sở, ngành", "Progress by department"),
    "pages/priorities.py": ("Các hoạt động ưu tiên năm 2018", "2018 priority tasks"),
    "pages/indicators.py": ("Chỉ tiêu, số liệu đến năm", "Indicators, data up to"),
    "pages/reporting.py": ("Tình hình gửi báo cáo", "Reporting"),
    "pages/plan.py": ("Kế hoạch hành động về tăng trưởng xanh", "Action Plan on Green Growth"),
}


def _app(db, monkeypatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("GG_DB", str(db))
    monkeypatch.setenv("GG_FILES", str(db.parent / "files"))
    monkeypatch.setenv("GG_NO_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    return at


def _text(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.subheader]
    parts += [str(e.value) for e in at.markdown] + [str(e.value) for e in at.caption]
    parts += [str(e.value) for e in at.info] + [str(e.value) for e in at.warning]
    parts += [m.label for m in at.metric]
    return "\n".join(parts)


def _figures(at: AppTest) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _titles(at: AppTest) -> list[str]:
    """Each chart's title: the heading the page shows right above it (ui.chart_view.show_chart;
    the on-screen figure no longer draws it, the PNG and the slides still do)."""
    titles: list[str] = []
    last: list[str | None] = [None]

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == "markdown" and str(child.value).startswith("### "):
                last[0] = str(child.value)[4:].replace("\\", "")
            elif child.type == "plotly_chart":
                assert last[0], "a chart without a heading above it"
                titles.append(last[0])
            walk(child)

    walk(at.main)
    assert len(titles) == len(_figures(at))
    return titles


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_renders_with_demo_data(page, lang, leadership_demo, monkeypatch):  # noqa: F811
    params = {"lang": lang} if lang == "en" else {}
    at = _app(leadership_demo, monkeypatch, page, **params)
    assert not at.exception, at.exception
    heading = HEADINGS[page][0 if lang == "vi" else 1]
    assert heading in at.title[0].value
    if page != "pages/plan.py":  # the plan itself is not sample data
        assert any("minh họa" in w.value or "Illustrative" in w.value for w in at.warning)
    for fig, title in zip(_figures(at), _titles(at), strict=True):
        assert fig.get("data"), title  # demo data: no empty charts


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_empty_database(page, leadership_empty, monkeypatch):  # noqa: F811
    at = _app(leadership_empty, monkeypatch, page)
    assert not at.exception, at.exception
    assert at.title
    for fig in _figures(at):
        # Either something to draw (catalog charts) or a message that says why not.
        texts = [a.get("text", "") for a in fig["layout"].get("annotations", [])]
        assert fig.get("data") or any("Chưa có dữ liệu" in t for t in texts), fig


def test_language_switch_changes_every_text(leadership_demo, monkeypatch):  # noqa: F811
    vi = _app(leadership_demo, monkeypatch, "pages/overview.py")
    en = _app(leadership_demo, monkeypatch, "pages/overview.py", lang="en")
    assert [m.label for m in vi.metric] != [m.label for m in en.metric]
    assert "Hoàn thành" in [m.label for m in vi.metric]
    assert "Completed" in [m.label for m in en.metric]
    assert _titles(vi) != _titles(en)
    assert all("Năm" in t or "năm" in t for t in _titles(vi))


def _query(db, fn, *args):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return fn(con, *args)
    finally:
        con.close()


def test_period_filter_changes_the_overview(leadership_demo, monkeypatch):  # noqa: F811
    y2018 = _app(leadership_demo, monkeypatch, "pages/overview.py", period="2018")
    y2020 = _app(leadership_demo, monkeypatch, "pages/overview.py", period="2020")
    assert "2018" in y2018.title[0].value and "2020" in y2020.title[0].value
    for at, period in ((y2018, 2018), (y2020, 2020)):
        completed = _query(leadership_demo, q.overview_headline, PLAN_ID, period)["completed"]
        shown = {m.label: m.value for m in at.metric}["Hoàn thành"]
        assert shown == fmt_number(completed, "vi"), period


def test_theme_filter_narrows_the_activities(leadership_demo, monkeypatch):  # noqa: F811
    all_themes = _app(leadership_demo, monkeypatch, "pages/by_theme.py")
    theme1 = _app(leadership_demo, monkeypatch, "pages/by_theme.py", theme="1")
    theme1_rows = _query(leadership_demo, q.activity_statuses, PLAN_ID, 2020, 1)
    assert len(theme1.dataframe[0].value) == len(theme1_rows) > 0
    adopted = _query(leadership_demo, catalog_counts)["adopted"]
    assert len(all_themes.dataframe[0].value) == adopted
    assert theme1.query_params["theme"] == "1"


def test_group_filter_and_no_lead_activities(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/by_theme.py", theme="3", group="3.4")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["51", "52", "53"]
    assert set(table["Trạng thái"]) == {"Chưa giao đơn vị chủ trì"}


def test_department_filter_opens_detail(leadership_demo, monkeypatch):  # noqa: F811
    overview = _app(leadership_demo, monkeypatch, "pages/by_department.py")
    summary = overview.dataframe[0].value
    assert "Chưa giao đơn vị chủ trì" in set(summary["Sở, ngành"])
    doit = _app(leadership_demo, monkeypatch, "pages/by_department.py", dept="DOIT")
    led = _query(leadership_demo, q.activity_statuses, PLAN_ID, 2020, None, None, "DOIT")
    assert len(doit.dataframe[0].value) == len(led) > 0  # DOIT's activities (V.2)
    assert "Hoạt động do sở chủ trì" in _text(doit)


def test_priorities_department_filter(leadership_demo, monkeypatch):  # noqa: F811
    doh = _app(leadership_demo, monkeypatch, "pages/priorities.py", dept="DOH")
    assert list(doh.dataframe[-1].value["Nhiệm vụ"]) == ["3.7"]


def test_reporting_department_filter(leadership_demo, monkeypatch):  # noqa: F811
    every = _app(leadership_demo, monkeypatch, "pages/reporting.py")
    dic = _app(leadership_demo, monkeypatch, "pages/reporting.py", dept="DIC")
    counts = _query(leadership_demo, catalog_counts)
    expected = [str(counts["reporting_departments"])] * counts["periods"]
    assert list(every.dataframe[0].value["Phải nộp"]) == expected
    missing = _query(leadership_demo, q.reporting_summary, PLAN_ID, 2020, "DIC")["missing"]
    assert list(dic.dataframe[0].value["Chưa gửi"]) == [str(int(m)) for m in missing]
    assert "1" in list(dic.dataframe[0].value["Chưa gửi"])  # the demo leaves DIC 2019 out


def test_indicator_selection_is_in_the_url(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/indicators.py", indicator="training_courses")
    assert "Đã đạt mục tiêu" in set(at.dataframe[0].value["Đánh giá"])
    assert any("Lớp đào tạo" in title for title in _titles(at))


def test_plan_search_and_findings(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/plan.py", q="rung", lang="en")
    acts = at.dataframe[0].value
    assert 23 in [int(x) for x in acts["No."]]
    at = _app(leadership_demo, monkeypatch, "pages/plan.py", q="F01")
    findings = at.dataframe[1].value
    assert list(findings["Mã"]) == ["F01"]


def test_plan_names_the_activities_it_does_not_describe(leadership_demo, monkeypatch):  # noqa: F811
    acts = _query(leadership_demo, q.catalog_activities, PLAN_ID)
    untitled = int(acts["title_vi"].isna().sum())
    assert untitled > 0
    for lang, text in (("vi", "Kế hoạch không nêu nội dung"), ("en", "not described in the plan")):
        params = {"lang": lang} if lang == "en" else {}
        at = _app(leadership_demo, monkeypatch, "pages/plan.py", **params)
        acts = at.dataframe[0].value
        titles = acts.iloc[:, 4]
        assert "–" not in set(titles)
        assert sum(text in str(x) and "F09" in str(x) for x in titles) == untitled


def test_reporting_without_an_annual_rule_says_so(tmp_path, monkeypatch):
    db = tmp_path / "norule.duckdb"
    with store.connect(db) as con:
        store.load_catalog(con, load_catalog(PLAN_ID))
        con.execute("DELETE FROM reporting_rule WHERE kind = 'annual_report'")
    at = _app(db, monkeypatch, "pages/reporting.py")
    assert not at.exception, at.exception
    assert any("không quy định hạn gửi báo cáo" in i.value for i in at.info)
    counts = _query(db, catalog_counts)
    expected = [str(counts["reporting_departments"])] * counts["periods"]
    assert list(at.dataframe[0].value["Phải nộp"]) == expected

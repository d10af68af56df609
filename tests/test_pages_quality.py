"""AppTest: the data-quality page, the upload page's warnings and explanation, the history page's
link target, and the leaders' marker, on a copy of the demo database (issue 14)."""

from __future__ import annotations

from greengrowth import store
from greengrowth.text import literal
from loaders import layout as L
from loaders.demo import DELIBERATELY_IMPLAUSIBLE
from tests.test_pages_analyst import (
    ROOT,
    SECRETS,
    _navigation_mode,
    open_page,
    texts,
    upload,
    workbook,
)

__all__ = ["_navigation_mode"]  # the autouse fixture, active here too


def _open(page: str, **params: str):
    """A page opened with query parameters from the first run (as a link or bookmark does)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets = SECRETS
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    return at


def _labelled(explained: bool | None = None) -> set[tuple[str, int, str]]:
    return {
        (d, p, rule)
        for d, p, rule, _, why in DELIBERATELY_IMPLAUSIBLE
        if explained is None or bool(why) == explained
    }


def test_data_quality_page_shows_the_three_dimensions_and_the_labelled_warnings(demo_db) -> None:
    at = _open("pages/data_quality.py", period="2020")
    assert not at.exception, at.exception
    assert at.title[0].value == "Chất lượng dữ liệu báo cáo đến năm 2020"
    subheaders = texts(at, "subheader")
    assert subheaders[:3] == ["Tính đầy đủ", "Tính kịp thời", "Tính nhất quán"]
    metrics = {m.label: m.value for m in at.metric}
    with store.connect(demo_db) as con:
        received = con.execute(
            "SELECT count(*) FROM current_submissions WHERE period = 2020"
        ).fetchone()[0]
        unexplained_high = con.execute(
            "SELECT count(*) FROM data_quality_warnings WHERE period <= 2020 "
            "AND importance = 'high' AND explanation IS NULL"
        ).fetchone()[0]
    assert metrics["Báo cáo đã nhận năm 2020"].startswith(f"{received}/")
    assert metrics["Cảnh báo mức cao chưa giải trình"] == str(unexplained_high)
    assert unexplained_high > 0
    warnings = at.dataframe[-1].value
    rows = set(zip(warnings["Đơn vị"], warnings["Năm"], strict=True))
    assert rows == {(d, p) for d, p, _ in _labelled()}
    assert warnings["Mở lần nộp"].str.startswith("lich-su-nop?submission=").all()
    explained = warnings[warnings["Giải trình"] != ""]
    assert set(explained["Đơn vị"]) == {d for d, _, _ in _labelled(explained=True)}
    assert len(at.get("plotly_chart")) == 3


def test_data_quality_page_in_english_and_an_earlier_year(demo_db) -> None:
    at = _open("pages/data_quality.py", lang="en", period="2019")
    assert not at.exception, at.exception
    assert at.title[0].value == "Quality of the reported data up to 2019"
    assert "No warnings for this selection." in texts(at, "info")  # the planted ones are 2020


def _typed_2020(wb) -> None:
    """DOIT 2020: five courses and one trainee (the relation), otherwise as the template says."""
    for row in wb[L.SHEET_INDICATORS].iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        code = cell["indicator_code"].value
        if code in {"trainees", "training_courses"} and cell["year"].value in (None, 2020):
            cell["value"].value = 1 if code == "trainees" else 5


def test_upload_lists_warnings_and_commits_only_with_an_explanation(demo_db) -> None:
    at = open_page("pages/upload.py", user="demo")
    upload(at, ("doit-2020.xlsx", workbook("DOIT", 2020, "Đang thực hiện", 50, edit=_typed_2020)))
    assert not at.exception, at.exception
    assert any("cảnh báo chất lượng dữ liệu" in w for w in texts(at, "warning"))
    table = next(d.value for d in at.dataframe if "Quy tắc" in d.value.columns)
    assert list(table.columns) == [
        "Trang tính", "Dòng", "Cột", "Giá trị", "So với", "Quy tắc", "Mức độ", "Vì sao cần xem lại",
    ]  # fmt: skip
    assert "trainees_at_least_courses" in set(table["Quy tắc"])
    assert "status_backwards" in set(table["Quy tắc"])  # completed activities in the demo, now 50%
    assert table["Dòng"].notna().all()
    commit = at.button(key="upload_commit")
    assert commit.disabled  # waiting for the explanation
    with store.connect() as con:
        before = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    at.text_area[0].input("Minh họa: đã kiểm tra lại với phòng chuyên môn.").run()
    commit = at.button(key="upload_commit")
    assert not commit.disabled
    commit.click().run()
    assert not at.exception, at.exception
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == before + 1
        why = con.execute(
            "SELECT DISTINCT explanation FROM data_quality_warnings WHERE period = 2020 AND department_code = 'DOIT'"
        ).fetchall()
    assert why == [("Minh họa: đã kiểm tra lại với phòng chuyên môn.",)]


def test_upload_warnings_in_english(demo_db) -> None:
    at = open_page("pages/upload.py", user="demo", lang="en")
    upload(at, ("doit-2020.xlsx", workbook("DOIT", 2020, "Đang thực hiện", 50, edit=_typed_2020)))
    table = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    assert "Compared with" in table.columns and "Why it looks wrong" in table.columns
    assert table["Why it looks wrong"].str.len().min() > 0


def test_the_history_link_opens_the_submission_with_its_explanation(demo_db) -> None:
    with store.connect(demo_db) as con:
        sub, why = con.execute(
            "SELECT submission_id, explanation FROM data_quality_warnings "
            "WHERE explanation IS NOT NULL LIMIT 1"
        ).fetchone()
    at = _open("pages/history.py", submission=str(sub))
    assert not at.exception, at.exception
    assert at.selectbox(key="history_pick").value == sub
    facts = "\n".join(texts(at, "markdown"))
    # Typed text is rendered literally (Markdown characters escaped, issue 9).
    assert literal(why) in facts and "Cảnh báo chất lượng dữ liệu hiện còn" in facts


def test_the_indicators_page_marks_a_value_with_an_unexplained_high_warning(demo_db) -> None:
    at = _open("pages/indicators.py", period="2020", indicator="forest_cover_pct")
    assert not at.exception, at.exception
    assert any("cảnh báo chất lượng dữ liệu mức cao" in w for w in texts(at, "warning"))
    at = _open("pages/indicators.py", period="2020", indicator="energy_audits")  # explained
    assert not any("cảnh báo chất lượng dữ liệu mức cao" in w for w in texts(at, "warning"))

"""The overview's summary and downloads, and briefing mode (?briefing=1), through AppTest."""

from __future__ import annotations

from datetime import date

import duckdb

from greengrowth.i18n import t
from greengrowth.summary import summary_text
from tests.leadership_fixtures import PLAN_ID, leadership_demo  # noqa: F401
from tests.test_pages_leadership import _app
from ui import briefing


def _downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_overview_shows_the_summary_with_a_copy_box_and_the_downloads(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/overview.py", period="2019")
    assert not at.exception
    with duckdb.connect(str(leadership_demo), read_only=True) as con:
        # The page passes today's date; 2019's deadline is long past either way.
        expected = summary_text(con, PLAN_ID, 2019, "vi", today=date.today())
    assert [c.value for c in at.code] == [expected]  # st.code: the box with a copy icon
    labels = _downloads(at)
    for key in ("briefing.download_deck", "briefing.download_docx", "briefing.download_xlsx"):
        assert t(key, "vi") in labels


def test_reporting_page_offers_the_report(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/reporting.py")
    labels = _downloads(at)
    assert (
        t("briefing.download_docx", "vi") in labels and t("briefing.download_xlsx", "vi") in labels
    )


def test_briefing_mode_hides_buttons_and_keeps_the_label(leadership_demo, monkeypatch):  # noqa: F811
    at = _app(leadership_demo, monkeypatch, "pages/overview.py", briefing="1", lang="en")
    assert not at.exception
    assert _downloads(at) == []  # no PNG buttons, no file buttons
    assert not at.code  # the summary as text, not in a box with a copy icon
    assert any("Illustrative" in w.value for w in at.warning)  # the label stays
    assert at.query_params["briefing"] in ("1", ["1"])  # kept in the URL with the other filters
    css = "".join(m.value for m in at.markdown if "stSidebar" in m.value)
    assert "display: none" in css


def test_every_download_button_names_a_builder_that_exists():
    # The builders are imported when a button is clicked, so a wrong name would only show then.
    import importlib

    from greengrowth.briefing import deck, report_docx, report_xlsx

    found = {}
    for kind, (target, *_) in briefing._KINDS.items():
        module, name = target.split(":")
        found[kind] = getattr(importlib.import_module(module), name)
    assert found == {
        "deck": deck.build_deck,
        "docx": report_docx.build_report,
        "xlsx": report_xlsx.build_workbook,
    }


def test_a_download_is_built_through_the_named_builder(demo_db):
    data = briefing._build("xlsx", PLAN_ID, 2020, "vi", date(2021, 1, 5))
    assert data[:2] == b"PK"  # an .xlsx is a zip

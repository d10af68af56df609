"""The overview's summary and downloads, and briefing mode (?briefing=1), through AppTest."""

from __future__ import annotations

from datetime import date

import duckdb

from greengrowth.i18n import t
from greengrowth.summary import summary_text
from tests.leadership_fixtures import PLAN_ID, leadership_demo  # noqa: F401
from tests.test_pages_leadership import _app


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

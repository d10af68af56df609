"""What a DPI officer does: pick a period, click three buttons, get files that open; and the
screenshot-ready briefing mode."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from tests.e2e.conftest import CHART

MAIN_H1 = '[data-testid="stMainBlockContainer"] h1'


def test_three_buttons_give_a_deck_a_word_draft_and_a_workbook(server, page, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 2400})
    page.goto(f"{server}/tong-quan?period=2019")
    page.wait_for_selector(CHART, timeout=60_000)
    files = {}
    for label in (
        "Tải bộ slide báo cáo",
        "Tải dự thảo báo cáo (Word)",
        "Tải bảng tổng hợp (Excel)",
    ):
        with page.expect_download(timeout=180_000) as info:
            page.get_by_role("button", name=label).click()
        files[label] = Path(info.value.path()).read_bytes()
    deck = Presentation(io.BytesIO(files["Tải bộ slide báo cáo"]))
    assert len(deck.slides) > 7
    title_slide = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Năm 2019" in title_slide  # the period the officer picked
    doc = Document(io.BytesIO(files["Tải dự thảo báo cáo (Word)"]))
    assert doc.core_properties.title.endswith("năm 2019")
    wb = load_workbook(io.BytesIO(files["Tải bảng tổng hợp (Excel)"]))
    assert wb.sheetnames[0] == "Tổng hợp"


def test_briefing_mode_is_screenshot_ready(server, page, screenshots):
    page.set_viewport_size({"width": 1440, "height": 810})  # 16:9
    page.goto(f"{server}/uu-tien-2018?briefing=1&period=2020")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stDownloadButton"]').first.is_visible() is False
    assert page.get_by_text("Dữ liệu minh họa").first.is_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]').first.text_content()
    assert "Sở Công Thương" in chart and "DOIT" not in chart  # Vietnamese names, no acronyms
    assert "briefing=1" in page.url
    page.screenshot(path=str(screenshots / "briefing-priorities-vi.png"))

"""The data-quality page in a real browser, Vietnamese and English, with a screenshot each."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART

NAV = '[data-testid="stSidebarNav"]'
NAMES = {"vi": "Chất lượng dữ liệu", "en": "Data quality"}
HEADINGS = {
    "vi": "Chất lượng dữ liệu báo cáo đến năm 2020",
    "en": "Quality of the reported data up to 2020",
}
SUBHEADINGS = {"vi": ["Tính đầy đủ", "Tính kịp thời", "Tính nhất quán"],
               "en": ["Completeness", "Timeliness", "Consistency"]}  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_data_quality_page_in_browser(server, page, screenshots, lang):
    page.set_viewport_size({"width": 1440, "height": 3600})
    page.goto(f"{server}/?lang=en" if lang == "en" else f"{server}/")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.locator(NAV).get_by_role("link", name=NAMES[lang], exact=True).click()
    page.locator("h1").filter(has_text=HEADINGS[lang]).first.wait_for(timeout=60_000)
    assert "/chat-luong-du-lieu" in page.url
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2500)  # Plotly labels and the canvas tables
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
    for text in SUBHEADINGS[lang]:
        assert page.locator("h3").filter(has_text=text).count() == 1
    metric = page.locator('[data-testid="stMetric"]').last.inner_text()
    assert any(ch.isdigit() for ch in metric)
    page.screenshot(path=str(screenshots / f"data-quality-{lang}.png"), full_page=True)

"""Where facts come from, as a person sees it: the indicators page and the plan page's indicator and
rule tabs, in Vietnamese and English, with screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART
from tests.e2e.test_pages_browser import _open

CHOSEN = {
    "vi": "Chỉ tiêu theo dõi do tỉnh chọn, kế hoạch không quy định",
    "en": "Monitoring indicator chosen by the province; the plan does not set it",
}
STATED = {"vi": "do kế hoạch quy định", "en": "set by the plan"}
SUMMARY = {"vi": "Tóm tắt, không phải lời văn của kế hoạch", "en": "Summary, not the plan's words"}
TABS = {"vi": ("Chỉ tiêu", "Quy định báo cáo"), "en": ("Indicators", "Reporting rules")}
MAIN = '[data-testid="stMainBlockContainer"]'


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_indicator_basis_in_browser(server, page, screenshots, lang):
    for code in ("training_courses", "trainees"):
        _open(page, server, "indicators", lang, query=f"indicator={code}", height=2200)
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_timeout(1500)
        box = page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
        if code == "training_courses":
            assert STATED[lang] in box and "V.3.2" in box and "“Tổ chức ít nhất 01 lớp" in box
        else:
            assert CHOSEN[lang] in box
        page.screenshot(path=str(screenshots / f"provenance-indicators-{code}-{lang}.png"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_basis_tabs_in_browser(server, page, screenshots, lang):
    _open(page, server, "plan", lang, height=2600)
    indicators, rules = TABS[lang]
    page.get_by_role("tab", name=indicators, exact=True).click()
    page.get_by_text(CHOSEN[lang]).first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    assert page.locator(MAIN).get_by_text("“Tổ chức ít nhất 01 lớp", exact=False).count() >= 1
    page.screenshot(path=str(screenshots / f"provenance-plan-indicators-{lang}.png"))
    page.get_by_role("tab", name=rules, exact=True).click()
    page.get_by_text(SUMMARY[lang]).last.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # the table paints on a canvas after the page settles
    page.screenshot(path=str(screenshots / f"provenance-plan-rules-{lang}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0

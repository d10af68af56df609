"""Every leadership page in a real browser, in Vietnamese and English, with a screenshot each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import CHART

PAGES = {
    # url path: (Vietnamese heading, English heading, expects a chart)
    "overview": ("Tổng quan thực hiện Kế hoạch năm", "Plan implementation overview", True),
    "by_theme": ("Tiến độ theo chủ đề", "Progress by theme", True),
    "by_department": ("Tiến độ theo sở, ngành", "Progress by department", True),
    "priorities": ("Các hoạt động ưu tiên năm 2018", "2018 priority tasks", True),
    "indicators": ("Chỉ tiêu, số liệu đến năm", "Indicators, data up to", True),
    "reporting": ("Tình hình gửi báo cáo", "Reporting", True),
    "plan": ("Kế hoạch hành động về tăng trưởng xanh", "Action Plan on Green Growth", False),
}


NAV = '[data-testid="stSidebarNav"]'


NAV_NAMES = {
    "overview": ("Tổng quan", "Overview"),
    "by_theme": ("Theo chủ đề", "By theme"),
    "by_department": ("Theo sở ngành", "By department"),
    "priorities": ("Ưu tiên 2018", "2018 priorities"),
    "indicators": ("Chỉ tiêu", "Indicators"),
    "reporting": ("Báo cáo", "Reporting"),
    "plan": ("Kế hoạch", "The plan"),
}


def _open(page, base: str, path: str, lang: str = "vi", query: str = "", height: int = 2400):  # noqa: PLR0913
    """Open the app at its root and go to a page through its own sidebar navigation.

    A cold deep link (/by_theme) can show Streamlit's default page list instead of the app's
    navigation (reported to the owner of dashboard.py), so the test goes the way a user does.
    """
    # Streamlit scrolls inside the page, so a full-page screenshot needs a tall window.
    page.set_viewport_size({"width": 1440, "height": height})
    page.goto(f"{base}/?lang={lang}" if lang == "en" else f"{base}/")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    if path != "overview" or query:
        name = NAV_NAMES[path][0 if lang == "vi" else 1]
        page.locator(NAV).get_by_role("link", name=name, exact=True).click()
        heading = PAGES[path][0 if lang == "vi" else 1]
        page.locator("h1").filter(has_text=heading).first.wait_for(timeout=60_000)
        if query:
            page.goto(page.url + ("&" if "?" in page.url else "?") + query)
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_page_in_browser(server, page, screenshots, path, lang):
    vi_heading, en_heading, chart = PAGES[path]
    _open(page, server, path, lang)
    if chart:
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_timeout(800)  # let Plotly finish laying out the labels
    else:  # tables paint on a canvas after the page settles
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        page.wait_for_timeout(2500)
    heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
    assert (vi_heading if lang == "vi" else en_heading) in heading
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshots / f"leadership-{path}-{lang}.png"), full_page=True)


def test_department_detail_in_browser(server, page, screenshots):
    _open(page, server, "by_department", query="dept=DOIT")
    page.wait_for_selector(CHART, timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshots / "leadership-by_department-DOIT-vi.png"), full_page=True)


def test_png_download_returns_a_png(server, page):
    _open(page, server, "overview")
    page.wait_for_selector(CHART, timeout=60_000)
    button = page.get_by_role("button", name="Tải ảnh PNG").first
    with page.expect_download(timeout=120_000) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


SLUGS = {"tong-quan": "Tổng quan thực hiện", "theo-chu-de": "Tiến độ theo chủ đề",
         "theo-so-nganh": "Tiến độ theo sở, ngành", "uu-tien-2018": "Các hoạt động ưu tiên",
         "chi-tieu": "Chỉ tiêu, số liệu", "bao-cao": "Tình hình gửi báo cáo",
         "ke-hoach": "Kế hoạch hành động", "mau-bao-cao": "", "tai-len": "", "lich-su-nop": ""}  # fmt: skip


@pytest.mark.parametrize("slug", list(SLUGS))
def test_a_copied_link_opens_that_page_with_the_apps_navigation(server, page, slug):
    """Deep links work: the page, its heading and the app's own (translated) navigation."""
    page.goto(f"{server}/{slug}?period=2019")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.wait_for_load_state("networkidle")
    nav = page.locator(NAV).inner_text()
    assert "Tổng quan" in nav and "Lịch sử nộp" in nav and "by_department" not in nav
    heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
    assert SLUGS[slug] in heading
    assert page.locator('[data-testid="stException"]').count() == 0


def test_filters_in_the_url_are_restored(server, page):
    page.goto(f"{server}/theo-chu-de?period=2019&theme=2&lang=en")
    page.wait_for_selector(CHART, timeout=60_000)
    heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
    assert "2019" in heading and "Progress by theme" in heading
    assert "theme=2" in page.url and "period=2019" in page.url
    groups_chart = page.locator('[data-testid="stPlotlyChart"]').first.text_content()
    assert "2.1" in groups_chart and "3.1" not in groups_chart  # only theme 2's groups


README_ADDRESSES = ["tong-quan", *(s for s in SLUGS if s != "tong-quan")]


@pytest.mark.parametrize("slug", README_ADDRESSES)
def test_every_readme_address_opens_without_page_not_found(server, page, slug):
    """The README gives /tong-quan for the overview: Streamlit's default page lives at "/" only,
    so that address used to raise a "Page not found" box."""
    page.goto(f"{server}/{slug}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stDialog"]').count() == 0
    if SLUGS[slug]:
        heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
        assert SLUGS[slug] in heading

"""Every leadership page on a phone (390 px) and a tablet (768 px): nothing scrolls sideways, the
pickers are on the page itself, the project's own controls are 44 px tap targets, and the
overview's first chart is on the first screen. Screenshots in artifacts/screenshots/phone-*.png.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART
from tests.e2e.test_accessibility_browser import settled

LEADERSHIP = {
    "": "overview",
    "theo-chu-de": "by_theme",
    "theo-so-nganh": "by_department",
    "uu-tien-2018": "priorities",
    "chi-tieu": "indicators",
    "bao-cao": "reporting",
    "chat-luong-du-lieu": "data_quality",
    "ke-hoach": "plan",
}
PHONE = {"width": 390, "height": 844}

WIDTHS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {page: document.scrollingElement.scrollWidth, window: innerWidth,
          main: main.scrollWidth, mainClient: main.clientWidth};
}"""

# The project's own controls in the main area: download buttons, page links, the pickers'
# expander header. (Streamlit's own header button and the chart toolbars are not counted.)
TAP_TARGETS = """() => [...document.querySelectorAll(
    '[data-testid="stMainBlockContainer"] [data-testid="stDownloadButton"] button,'
    + '[data-testid="stMainBlockContainer"] [data-testid="stPageLink"] a,'
    + '[data-testid="stMainBlockContainer"] [data-testid="stExpander"] summary')]
  .filter((el) => el.getClientRects().length)
  .map((el) => ({text: el.innerText.slice(0, 40), height: el.getBoundingClientRect().height}))"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    pg = context.new_page()
    yield pg
    context.close()


def _open(page, server: str, address: str) -> None:
    page.goto(f"{server}/{address}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.wait_for_load_state("networkidle")
    settled(page)


@pytest.mark.parametrize("address", list(LEADERSHIP))
def test_leadership_page_fits_a_phone(server, phone, screenshots, address):
    _open(phone, server, address)
    if LEADERSHIP[address] != "plan":
        phone.wait_for_selector(CHART, timeout=60_000)
        settled(phone)
    w = phone.evaluate(WIDTHS)
    assert w["page"] <= w["window"], w  # the page does not scroll sideways
    assert w["main"] <= w["mainClient"] + 1, w  # nor does the main column

    # The plan and period pickers are on the page (no hunting for the sidebar button).
    pickers = phone.locator(".st-key-gg_pickers")
    assert pickers.is_visible()
    assert pickers.bounding_box()["y"] < PHONE["height"]
    pickers.locator("summary").click()
    phone.get_by_label("Kỳ báo cáo").first.wait_for(timeout=10_000)
    assert phone.locator('[data-testid="stMainBlockContainer"]').get_by_label("Kỳ báo cáo").count()

    small = [t for t in phone.evaluate(TAP_TARGETS) if t["height"] < 44]
    assert not small, small
    name = LEADERSHIP[address]
    phone.screenshot(path=str(screenshots / f"phone-{name}-390.png"))


def test_overview_first_chart_is_on_the_first_screen(server, phone):
    _open(phone, server, "")
    first = phone.locator('[data-testid="stPlotlyChart"]').first
    first.wait_for(timeout=60_000)
    settled(phone)
    top = phone.evaluate(
        "() => document.querySelector('[data-testid=\"stPlotlyChart\"]').getBoundingClientRect().top"
    )
    # the first chart in reading order on screen is the first chart of the page
    tops = phone.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .map((c) => c.getBoundingClientRect().top)"""
    )
    assert top == min(tops)
    assert 0 < top < PHONE["height"], top


@pytest.mark.parametrize("address", ["", "theo-so-nganh", "chi-tieu"])
def test_tablet_has_nothing_overlapping(server, browser, screenshots, address):
    """768 px: nothing wider than the window, and no two blocks of the main column overlap."""
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    try:
        _open(page, server, address)
        page.wait_for_selector(CHART, timeout=60_000)
        settled(page)
        w = page.evaluate(WIDTHS)
        assert w["page"] <= w["window"] and w["main"] <= w["mainClient"] + 1, w
        overlaps = page.evaluate(
            """() => {
              const boxes = [...document.querySelectorAll(
                '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')]
                .filter((e) => e.checkVisibility({visibilityProperty: true})
                  && !e.closest('details:not([open])')  // a closed expander's content
                  && !e.querySelector('[data-testid="stElementContainer"]'))
                .map((e) => e.getBoundingClientRect())
                .filter((r) => r.width > 0 && r.height > 0);
              const out = [];
              for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (x > 2 && y > 2) out.push([i, j, Math.round(x), Math.round(y)]);
              }
              return out;
            }"""
        )
        assert not overlaps, overlaps
        page.screenshot(path=str(screenshots / f"tablet-{address or 'overview'}-768.png"))
    finally:
        context.close()

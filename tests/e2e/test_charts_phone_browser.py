"""Charts on a phone (390 px) and a tablet (768 px), in a real browser: no chart text outside its
chart, bars at least half the chart's width, titles as page headings, no overlapping labels.

Screenshots go to artifacts/screenshots/charts-<page>-<width>.png for people to look at.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART

# Leadership pages with charts (url path), and the department detail (a status grid). The plan
# page's one chart (coverage, in a tab) is the theme page's second chart, measured there.
CHART_PAGES = [
    "tong-quan",
    "theo-chu-de",
    "theo-so-nganh",
    "theo-so-nganh?dept=DOIT",
    "uu-tien-2018",
    "chi-tieu",
    "bao-cao",
    "chat-luong-du-lieu",
]

# For each chart: its size, the plot area's width, every visible SVG text's box, and the page
# heading right before the chart (the chart's finding) and whether the SVG draws a title itself.
_MEASURE = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
  const svg = c.querySelector('.main-svg');
  const box = svg.getBoundingClientRect();
  const plot = c.querySelector('.nsewdrag');
  const texts = [...c.querySelectorAll('svg text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width};
  }).filter(t => t.w > 0 && t.text.trim());
  let heading = null;
  let el = c.closest('[data-testid="stElementContainer"]');
  for (let i = 0; el && i < 6; i++) {
    el = el.previousElementSibling;
    const h = el && el.querySelector('h1, h2, h3, h4');
    if (h) { heading = {tag: h.tagName, text: h.textContent.trim()}; break; }
  }
  const drawnTitle = [...c.querySelectorAll('.gtitle')].map(t => t.textContent).join('');
  return {l: box.left, r: box.right, t: box.top, b: box.bottom, w: box.width,
          plotWidth: plot ? plot.getBoundingClientRect().width : null,
          texts, heading, drawnTitle};
})"""


def _open(page, base: str, path: str, width: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 5000})  # Streamlit scrolls inside the page
    page.goto(f"{base}/{path}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_timeout(1500)  # Plotly lays out labels after the first paint
    assert page.locator('[data-testid="stException"]').count() == 0
    return page.evaluate(_MEASURE)


def _name(path: str) -> str:
    return path.replace("?dept=", "-")


@pytest.mark.parametrize("path", CHART_PAGES)
def test_phone_charts_keep_every_text_inside_and_bars_wide(server, page, screenshots, path):
    charts = _open(page, server, path, 390)
    page.screenshot(path=str(screenshots / f"charts-{_name(path)}-390.png"))
    assert charts
    for i, chart in enumerate(charts):
        outside = [
            t["text"]
            for t in chart["texts"]
            if t["l"] < chart["l"] - 1
            or t["r"] > chart["r"] + 1
            or t["t"] < chart["t"] - 1
            or t["b"] > chart["b"] + 1
        ]
        assert not outside, f"chart {i} on {path}: text outside the chart: {outside}"
        assert chart["plotWidth"] >= chart["w"] / 2, f"chart {i} on {path}: bars too narrow"
        # the finding is a page heading right above the chart, not text drawn in the picture
        assert chart["heading"] and chart["heading"]["tag"] == "H3", (path, i, chart["heading"])
        assert len(chart["heading"]["text"]) > 10
        assert not chart["drawnTitle"].strip(), chart["drawnTitle"]


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            dx = min(a["r"], b["r"]) - max(a["l"], b["l"])
            dy = min(a["b"], b["b"]) - max(a["t"], b["t"])
            if dx > 2 and dy > 2:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("path", CHART_PAGES)
def test_tablet_charts_have_no_overlapping_labels(server, page, screenshots, path):
    charts = _open(page, server, path, 768)
    page.screenshot(path=str(screenshots / f"charts-{_name(path)}-768.png"))
    for i, chart in enumerate(charts):
        assert not _overlaps(chart["texts"]), f"chart {i} on {path}: {_overlaps(chart['texts'])}"

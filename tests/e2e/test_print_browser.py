"""A leader prints a page on A4: chromium's own PDF of the overview and the theme page.

No sidebar, no buttons, charts scaled to the page, no chart split across two sheets, and the
illustrative-data notice and the data date kept. The PDFs are also turned into pictures
(artifacts/screenshots/print-*.png) for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.e2e.conftest import CHART
from tests.e2e.test_pages_browser import _open

# Test-only markers at the top and bottom edge of every chart block (absolutely placed: they take
# no room), text chromium prints into the PDF. A chart split across two sheets leaves a sheet
# with a START and no END.
_MARKERS = """
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {
  position: relative; counter-increment: ggchart; }
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"])::before {
  content: "GGSTART" counter(ggchart); position: absolute; top: 0; left: 0; font-size: 6px; }
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"])::after {
  content: "GGEND" counter(ggchart); position: absolute; bottom: 0; left: 0; font-size: 6px; }
"""

PRINTED = {
    # page: (a Vietnamese heading word, how many charts at least)
    "overview": ("Tổng quan thực hiện", 3),
    "by_theme": ("Tiến độ theo chủ đề", 3),
}
SIDEBAR_ONLY = [
    "Tiếng Việt",
    "Đăng nhập chuyên viên",
    "Chế độ chụp màn hình",
]  # language, nav, briefing link


def _pdf_pages(pdf: bytes, folder, name: str, screenshots) -> list[str]:
    """The PDF's text, one string per sheet; its sheets as pictures in the screenshots folder."""
    path = folder / f"print-{name}.pdf"
    path.write_bytes(pdf)
    for old in screenshots.glob(f"print-{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(path), str(screenshots / f"print-{name}")],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")


def _bbox(folder, name: str) -> str:
    """Every word of the PDF with its box (pdftotext -bbox), as XHTML."""
    path = folder / f"print-{name}.pdf"
    return subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("path", list(PRINTED))
def test_a_page_prints_on_a4_without_sidebar_or_split_charts(
    server, page, screenshots, tmp_path, path
):
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils is missing: run `make test`, which installs it")
    heading, charts = PRINTED[path]
    _open(page, server, path, height=1000)
    page.set_viewport_size({"width": 1500, "height": 1000})  # a desk-wide window prints
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_timeout(2500)  # Plotly lays out, the layout script measures each chart
    sidebar_text = page.locator('[data-testid="stSidebar"]').inner_text()
    page.add_style_tag(content=_MARKERS)
    # No emulate_media("print") first: like a person's Ctrl+P, page.pdf lays the page out for
    # paper in one pass, with the charts as drawn on screen (emulating print media first would
    # let Plotly redraw them for the emulated layout, which a real print never does).
    pdf = page.pdf(format="A4", print_background=True)
    sheets = [s for s in _pdf_pages(pdf, tmp_path, path, screenshots) if s.strip()]
    text = "\n".join(sheets)

    # The page's content, not the app around it.
    assert heading in text
    assert "Dữ liệu minh họa" in text  # the illustrative-data notice
    assert re.search(r"Dữ liệu đến \d{2}/\d{2}/\d{4}", text)  # the data date
    for words in SIDEBAR_ONLY:
        assert words in sidebar_text  # it is the sidebar's text on screen ...
        assert words not in text, words  # ... and not on paper
    assert "Tải ảnh PNG" not in text  # no buttons
    # Nothing spills past the right margin (A4: 595 pt wide, 12 mm = 34 pt margins): a chart
    # drawn wider than the paper would put its right-hand labels (e.g. the 2020 column) beyond.
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', _bbox(tmp_path, path)))
    assert right <= 595 - 34 + 2, right
    # No chart split across two sheets: each chart's start and end markers on one sheet.
    starts = ends = 0
    for n, sheet in enumerate(sheets, 1):
        opened = re.findall(r"GGSTART(\d+)", sheet)
        closed = re.findall(r"GGEND(\d+)", sheet)
        assert opened == closed, f"sheet {n}: charts {opened} start, {closed} end here"
        starts, ends = starts + len(opened), ends + len(closed)
    assert starts >= charts

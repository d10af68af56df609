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


def test_upload_with_warnings_needs_an_explanation_in_browser(server, page, screenshots, tmp_path):
    """Sign in, upload DOIT's 2020 report with fewer trainees than courses: the warnings table, the
    commit button waiting for the explanation, then stored; withdrawn again so the shared database
    stays as the demo built it."""
    import io
    import re
    from datetime import date

    from openpyxl import load_workbook

    from greengrowth import store
    from loaders import layout as L
    from loaders.demo import load_all_catalogs
    from loaders.template import build_template
    from tests.e2e.test_analyst_browser import _nav, _open, _ready
    from tests.workbooks import fill_rows

    with store.connect(tmp_path / "catalog.duckdb") as con:  # the template needs the catalog only
        load_all_catalogs(con)
        template = build_template(con, "binh-duong-2018-2020", "DOIT", 2020)
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    info["reported_on"].value = date(2020, 10, 5)
    fill_rows(wb, "Hoàn thành", 100)
    for row in wb[L.SHEET_INDICATORS].iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        code = cell["indicator_code"].value
        if code in {"trainees", "training_courses"} and cell["year"].value in (None, 2020):
            cell["value"].value = 1 if code == "trainees" else 5
    path = tmp_path / "bao-cao_DOIT_2020.xlsx"
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())

    page.set_viewport_size({"width": 1440, "height": 2200})
    _open(page, f"{server}/")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Đăng nhập chuyên viên").click()
    sidebar.get_by_label("Tên đăng nhập").wait_for()
    page.wait_for_timeout(800)
    sidebar.get_by_label("Tên đăng nhập").fill("demo")
    sidebar.get_by_label("Mật khẩu").fill("xanh-2018")
    sidebar.get_by_role("button", name="Đăng nhập", exact=True).click()
    sidebar.get_by_text("Đã đăng nhập").wait_for(timeout=30_000)
    _nav(page, "Tải lên")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(path))
    page.get_by_text(re.compile("cảnh báo chất lượng dữ liệu")).first.wait_for(timeout=60_000)
    _ready(page)
    assert page.get_by_role("button", name=re.compile("Chưa có tệp hợp lệ|Lưu")).is_disabled()
    page.screenshot(path=str(screenshots / "quality-upload-warnings-vi.png"), full_page=True)
    box = page.get_by_role("textbox", name=re.compile("Giải trình cho"))
    box.fill("Thử nghiệm tự động: số liệu đã kiểm tra lại.")
    box.press("Control+Enter")
    _ready(page)
    commit = page.get_by_role("button", name="Lưu 1 tệp hợp lệ")
    assert commit.is_enabled()
    commit.click()
    page.get_by_text("Đã lưu 1 báo cáo").wait_for(timeout=60_000)
    _ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    # put the shared database back: withdraw what was stored
    _nav(page, "Lịch sử nộp")
    page.get_by_text("Rút lần nộp này").click()
    page.get_by_label("Lý do rút (bắt buộc)").fill("Thử nghiệm tự động: rút lại")
    page.get_by_role("button", name="Rút lần nộp", exact=True).click()
    page.get_by_text(re.compile(r"Đã rút lần nộp số \d+")).wait_for(timeout=60_000)

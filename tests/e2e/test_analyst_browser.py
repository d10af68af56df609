"""The analyst workflow in a real browser: sign in, download a template, fill it, upload it (first with
an error, then fixed), commit, see the overview change, find it in the history and withdraw it.

The last step puts the shared e2e database back as it was (the withdrawn submission stays in history),
so the leadership browser tests see the demo numbers whatever the order.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from loaders import layout as L
from tests.workbooks import fill_rows

MAIN = '[data-testid="stMainBlockContainer"]'
NAV = '[data-testid="stSidebarNav"]'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


def _ready(page) -> None:
    page.wait_for_selector(f"{MAIN} h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )
    page.wait_for_timeout(500)  # tables are drawn on a canvas just after the script ends


def _open(page, url: str) -> None:
    """Open a URL in a new session. The first session of a fresh server runs its first pass in
    Streamlit's old pages/ mode and loses its first widget event (see the report); a warm-up load of
    the root keeps the real session clean."""
    page.goto(url.rsplit("/", 1)[0] + "/")
    _ready(page)
    page.goto(url)
    _ready(page)
    page.locator(NAV).get_by_text("Chuyên viên").wait_for(timeout=60_000)


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def _choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}")).first.click()
    _ready(page)


def _nav(page, name: str) -> None:
    """Move within the app (a new URL would start a new session and sign us out)."""
    page.locator(NAV).get_by_text(name, exact=True).click()
    _ready(page)


def _fill(template: bytes, broken: bool) -> bytes:
    """What a department does in Excel: every activity and task done, one typo if `broken`."""
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    info["reported_on"].value = date(2020, 10, 5)
    info["prepared_by"].value = "Cán bộ Sở Xây dựng (thử nghiệm)"
    fill_rows(wb, "Hoàn thành", 100)
    if broken:
        wb[L.SHEET_ACTIVITIES]["C2"] = "Xong rồi"
        wb[L.SHEET_ACTIVITIES]["D3"] = "gần xong"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_analyst_uploads_a_filled_template_and_the_overview_changes(
    server, page, screenshots, tmp_path: Path
):
    page.set_viewport_size({"width": 1440, "height": 1400})
    # DOC has no 2020 report in the demo data: its activities count as not reported.
    _open(page, f"{server}/?period=2020")  # the overview is the default page
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    completed_before = _metric(page, "Hoàn thành")

    # Sign in from the sidebar.
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Đăng nhập chuyên viên").click()
    sidebar.get_by_label("Tên đăng nhập").wait_for()
    page.wait_for_timeout(800)  # the expander animates open; typing earlier can be lost
    sidebar.get_by_label("Tên đăng nhập").fill("demo")
    sidebar.get_by_label("Mật khẩu").fill("xanh-2018")
    sidebar.get_by_role("button", name="Đăng nhập", exact=True).click()
    sidebar.get_by_text("Đã đăng nhập").wait_for(timeout=30_000)

    # Templates: pick DOC and 2020, download the workbook.
    _nav(page, "Mẫu báo cáo")
    _choose(page, "Đơn vị", "DOC")
    _choose(page, "Kỳ báo cáo", "2020")
    page.get_by_text(re.compile("Mẫu của Sở Xây dựng, năm 2020")).wait_for(timeout=30_000)
    page.screenshot(path=str(screenshots / "analyst-templates-vi.png"), full_page=True)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Tải mẫu báo cáo (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == "mau-bao-cao_DOC_2020.xlsx", download.suggested_filename
    template = Path(download.path()).read_bytes()
    assert template[:2] == b"PK"
    info_sheet = load_workbook(io.BytesIO(template))[L.SHEET_INFO]
    assert {r[0].value: r[2].value for r in info_sheet.iter_rows(min_row=2)}["department_code"] == (
        "DOC"
    )

    broken = tmp_path / "bao-cao_DOC_2020_loi.xlsx"
    broken.write_bytes(_fill(template, broken=True))
    good = tmp_path / "bao-cao_DOC_2020.xlsx"
    good.write_bytes(_fill(template, broken=False))

    # Upload with mistakes: every problem in a table, nothing stored.
    _nav(page, "Tải lên")
    page.set_input_files(UPLOAD_INPUT, str(broken))
    page.get_by_text("lỗi cần sửa").wait_for(timeout=60_000)
    _ready(page)
    assert page.get_by_role("button", name="Chưa có tệp hợp lệ để lưu").is_disabled()
    page.screenshot(path=str(screenshots / "analyst-upload-errors-vi.png"), full_page=True)

    # Remove it, upload the fixed file: a preview of the changes and the commit button.
    page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()
    _ready(page)
    page.set_input_files(UPLOAD_INPUT, str(good))
    page.get_by_text("Hợp lệ: báo cáo của DOC, kỳ 2020").wait_for(timeout=60_000)
    _ready(page)
    assert page.get_by_text("Đây là báo cáo đầu tiên của đơn vị cho kỳ này.").is_visible()
    page.screenshot(path=str(screenshots / "analyst-upload-preview-vi.png"), full_page=True)

    page.get_by_role("button", name="Lưu 1 tệp hợp lệ").click()
    page.get_by_text("Đã lưu 1 báo cáo").wait_for(timeout=60_000)
    _ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshots / "analyst-upload-committed-vi.png"), full_page=True)

    # The overview for 2020 now counts DOC's activities as completed.
    page.get_by_role("link", name="Xem Tổng quan").click()
    _ready(page)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    completed_after = _metric(page, "Hoàn thành")
    assert int(completed_after) > int(completed_before), (completed_before, completed_after)
    page.screenshot(path=str(screenshots / "analyst-overview-after-vi.png"), full_page=True)

    # History: the new submission is on top, by demo; withdraw it with a reason.
    _nav(page, "Lịch sử nộp")
    table = page.locator(f'{MAIN} [data-testid="stDataFrame"]').first
    table.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "analyst-history-vi.png"), full_page=True)
    page.get_by_text("Rút lần nộp này").click()
    page.get_by_label("Lý do rút (bắt buộc)").fill("Thử nghiệm tự động: rút lại")
    page.get_by_role("button", name="Rút lần nộp", exact=True).click()
    page.get_by_text(re.compile(r"Đã rút lần nộp số \d+")).wait_for(timeout=60_000)
    page.get_by_text("Đã rút bởi demo").wait_for(timeout=60_000)
    _ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshots / "analyst-history-withdrawn-vi.png"), full_page=True)


def test_visitor_sees_no_upload_controls(server, page, screenshots):
    _open(page, f"{server}/tai-len")
    assert page.get_by_text("Cần đăng nhập bằng tài khoản chuyên viên").is_visible()
    assert page.locator(UPLOAD_INPUT).count() == 0
    page.screenshot(path=str(screenshots / "analyst-upload-visitor-vi.png"), full_page=True)

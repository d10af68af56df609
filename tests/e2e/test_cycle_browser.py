"""The reporting cycle in a real browser with three accounts (issue #9): a DOIT analyst uploads, a DPI
reviewer returns the report with a comment, the analyst uploads again, the reviewer approves, the
analyst's next upload and withdrawal are refused and the database is unchanged, an admin reopens it
with a reason, and the event log has every step with the right user. Then: five failed sign-ins, each
in a fresh browser session, make the name wait even with the right password.

Runs its own server on its own copy of the demo data (three accounts in its secrets), so the shared
e2e database stays as the other browser tests expect it."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import bcrypt
import pytest
from openpyxl import load_workbook

from greengrowth import queries, store
from loaders import layout as L
from loaders.template import build_template
from tests.e2e.conftest import ROOT, dashboard_server, fresh_demo
from tests.workbooks import fill_rows

PLAN_ID = "binh-duong-2018-2020"
MAIN = '[data-testid="stMainBlockContainer"]'
NAV = '[data-testid="stSidebarNav"]'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
PASSWORDS = {"lan": "mat-khau-lan", "hoa": "mat-khau-hoa", "demo": "xanh-2018"}


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


def _workbook(db: Path, percent: int) -> bytes:
    with store.connect(db) as con:
        template = build_template(con, PLAN_ID, "DOIT", 2019)
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    info["reported_on"].value = date(2019, 10, 1)
    info["prepared_by"].value = "Cán bộ Sở Công Thương (thử nghiệm)"
    fill_rows(wb, "Đang thực hiện", percent)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def cycle_server(tmp_path_factory):
    """A dashboard on a fresh demo database, with an analyst, a reviewer and an admin."""
    data, db, env = fresh_demo(tmp_path_factory, "e2e-cycle")
    files = {}
    for percent in (40, 60, 80):
        files[percent] = data / f"bao-cao_DOIT_2019_{percent}.xlsx"
        files[percent].write_bytes(_workbook(db, percent))
    secrets = data / "secrets.toml"
    shutil.copy(ROOT / ".streamlit" / "secrets.example.toml", secrets)
    with secrets.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[analysts.lan]\nname = "Nguyễn Thị Lan (Sở Công Thương)"\n'
            f'password_hash = "{_hash(PASSWORDS["lan"])}"\nrole = "analyst"\n'
            f'departments = ["DOIT"]\n'
            f'\n[analysts.hoa]\nname = "Trần Thị Hoa (Sở Kế hoạch và Đầu tư)"\n'
            f'password_hash = "{_hash(PASSWORDS["hoa"])}"\nrole = "reviewer"\n'
        )
    with dashboard_server(data, secrets, env) as base:
        yield base, db, files


def _ready(page) -> None:
    page.wait_for_selector(f"{MAIN} h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )
    page.wait_for_timeout(500)


def _session(browser, base: str, user: str | None, password: str | None = None):
    """A fresh browser session (new context), signed in as `user` unless None."""
    context = browser.new_context(viewport={"width": 1440, "height": 1600})
    page = context.new_page()
    page.goto(f"{base}/")
    _ready(page)
    page.goto(f"{base}/lich-su-nop")  # a warm-up load: see tests/e2e/test_analyst_browser.py
    _ready(page)
    page.locator(NAV).get_by_text("Chuyên viên").wait_for(timeout=60_000)
    if user is not None:
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Đăng nhập chuyên viên").click()
        sidebar.get_by_label("Tên đăng nhập").wait_for()
        page.wait_for_timeout(800)
        sidebar.get_by_label("Tên đăng nhập").fill(user)
        sidebar.get_by_label("Mật khẩu").fill(password or PASSWORDS[user])
        sidebar.get_by_role("button", name="Đăng nhập", exact=True).click()
        _ready(page)
    return context, page


def _signed_in(page) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text("Đã đăng nhập").wait_for(timeout=30_000)


def _nav(page, name: str) -> None:
    page.locator(NAV).get_by_text(name, exact=True).click()
    _ready(page)


def _choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)  # the list is virtualised: filter it first
    page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}")).first.click()
    _ready(page)


def _db(db: Path, fn):
    with store.connect(db, read_only=True) as con:
        return fn(con)


def _state(db: Path) -> dict:
    return _db(db, lambda con: queries.cycle.report_state(con, PLAN_ID, "DOIT", 2019))


def _counts(db: Path) -> tuple:
    tables = ("submission", "submission_event", "activity_report", "report_decision")
    return _db(db, lambda con: tuple(
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables  # noqa: S608
    ))  # fmt: skip


def _upload(browser, base: str, path: Path):
    context, page = _session(browser, base, "lan")
    _signed_in(page)
    _nav(page, "Tải lên")
    page.set_input_files(UPLOAD_INPUT, str(path))
    page.get_by_text(path.name).first.wait_for(timeout=60_000)
    _ready(page)
    # Compared with DOIT's earlier report this one may have data-quality warnings (issue 14): the
    # analyst explains them, as a person would, before the commit button is enabled.
    boxes = page.get_by_role("textbox", name=re.compile("Giải trình cho"))
    if boxes.count():
        boxes.first.fill("Đã kiểm tra với phòng chuyên môn.")
        boxes.first.press("Control+Enter")
        _ready(page)
    return context, page


def _review_item(page, submission_id: int) -> None:
    """Open a queued report: the page reruns and only then draws its changes and buttons."""
    page.get_by_text(re.compile(rf"DOIT – .*2019 \(lần nộp số {submission_id}\)")).click()
    page.get_by_label(re.compile("^Nhận xét")).last.wait_for(timeout=60_000)
    page.wait_for_timeout(300)  # the expander's opening animation


def test_the_whole_cycle_in_the_browser(cycle_server, browser, screenshots):
    base, db, files = cycle_server

    # 1. the DOIT analyst uploads
    context, page = _upload(browser, base, files[40])
    page.get_by_role("button", name="Lưu 1 tệp hợp lệ").click()
    page.get_by_text("Đã lưu 1 báo cáo").wait_for(timeout=60_000)
    context.close()
    first = _state(db)["submission_id"]
    assert _state(db)["state"] == "submitted"

    # 2. the DPI reviewer returns it with a comment
    context, page = _session(browser, base, "hoa")
    _signed_in(page)
    _nav(page, "Duyệt báo cáo")
    _review_item(page, first)
    page.get_by_label(re.compile("^Nhận xét")).last.fill("Thiếu số liệu chỉ tiêu năm 2019 *gấp*")
    page.get_by_role("button", name="Trả lại đơn vị").last.click()
    page.get_by_text(f"Đã trả lại lần nộp số {first} cho đơn vị kèm nhận xét.").wait_for(
        timeout=60_000
    )
    _ready(page)
    page.screenshot(path=str(screenshots / "cycle-review-returned-vi.png"))
    context.close()
    assert _state(db)["state"] == "returned"
    assert _state(db)["comment"] == "Thiếu số liệu chỉ tiêu năm 2019 *gấp*"

    # 3. the analyst uploads again
    context, page = _upload(browser, base, files[60])
    page.get_by_role("button", name="Lưu 1 tệp hợp lệ").click()
    page.get_by_text("Đã lưu 1 báo cáo").wait_for(timeout=60_000)
    context.close()
    second = _state(db)["submission_id"]
    assert second != first and _state(db)["state"] == "submitted"

    # 4. the reviewer sees the changes and approves
    context, page = _session(browser, base, "hoa")
    _signed_in(page)
    _nav(page, "Duyệt báo cáo")
    _review_item(page, second)
    page.screenshot(path=str(screenshots / "cycle-review-queue-vi.png"))
    page.get_by_role("button", name="Duyệt báo cáo").last.click()
    page.get_by_text(f"Đã duyệt lần nộp số {second}; báo cáo đã được khóa.").wait_for(
        timeout=60_000
    )
    context.close()
    assert _state(db)["state"] == "approved" and _state(db)["decided_by"] == "hoa"

    # 5. the analyst's next upload and withdrawal are refused; nothing changes
    before = _counts(db)
    context, page = _upload(browser, base, files[80])
    page.get_by_text(re.compile("đã được hoa duyệt lúc .* nên đã khóa")).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Chưa có tệp hợp lệ để lưu").is_disabled()
    page.screenshot(path=str(screenshots / "cycle-upload-locked-vi.png"))
    _nav(page, "Lịch sử nộp")
    page.get_by_text(re.compile("đã khóa: không thể rút")).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Rút lần nộp", exact=True).count() == 0
    context.close()
    assert _counts(db) == before

    # 6. the admin reopens it with a reason
    context, page = _session(browser, base, "demo")
    _signed_in(page)
    _nav(page, "Duyệt báo cáo")
    _choose(page, "Báo cáo cần mở lại", "DOIT năm 2019")
    page.get_by_label(re.compile("^Lý do mở lại")).fill("Sở Công Thương xin sửa chỉ tiêu")
    page.get_by_role("button", name="Mở lại báo cáo").click()
    page.get_by_text(re.compile(r"Đã mở lại báo cáo \(lần nộp số")).wait_for(timeout=60_000)
    page.get_by_text(re.compile("^Nhật ký sự kiện")).click()
    _ready(page)
    page.screenshot(path=str(screenshots / "cycle-review-reopened-log-vi.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
    assert _state(db)["state"] == "submitted"

    # 7. the audit trail: every step with the right user
    log = _db(db, lambda con: queries.cycle.event_log(con, PLAN_ID))
    mine = log[log["department_code"].eq("DOIT") & log["period"].eq(2019)]
    assert list(zip(mine["event"], mine["actor"], strict=True))[:5] == [
        ("reopen", "demo"),
        ("approval", "hoa"),
        ("upload", "lan"),
        ("return", "hoa"),
        ("upload", "lan"),
    ]


def test_a_fresh_browser_session_does_not_reset_the_failure_count(cycle_server, browser):
    base, db, _ = cycle_server
    for _ in range(5):
        context, page = _session(browser, base, "lan", "sai-mat-khau")
        page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.").wait_for(timeout=30_000)
        context.close()
    context, page = _session(browser, base, "lan")  # the right password, a new session
    page.get_by_text(re.compile("5 lần trong 15 phút")).wait_for(timeout=30_000)
    assert page.get_by_text("Đã đăng nhập").count() == 0
    context.close()
    outcomes = _db(db, lambda con: list(
        con.execute("SELECT event FROM event_log WHERE actor = 'lan' AND event LIKE 'signin%' "
                    "ORDER BY event_at").fetchall()))  # fmt: skip
    assert outcomes.count(("signin_failed",)) == 5 and outcomes[-1] == ("signin_locked",)

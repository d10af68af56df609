"""Sign-in with the province's identity provider in a real browser (issue 15, point 5).

A real OpenID Connect server (`oidc-provider-mock`, started here on a free port of 127.0.0.1) serves
two officers: Lan, whose e-mail is mapped in `[identities]` to a DOIT analyst, and Khách, mapped to
nothing. Lan clicks the provider button on the upload page, picks her user on the provider's page,
lands back signed in as a DOIT analyst, uploads DOIT's report (stored, recorded under her SSO identity)
and is refused for DOC (nothing stored). Khách signs in and may only view: no upload control, the
page says why. The sign-ins and the sign-out are in the event log under the SSO identities.

Runs its own dashboard on its own copy of the demo data, so the shared e2e database is untouched.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from greengrowth import store
from loaders import layout as L
from loaders.template import build_template
from tests.e2e.conftest import _free_port, dashboard_server, fresh_demo, running
from tests.workbooks import fill_rows

PLAN_ID = "binh-duong-2018-2020"
MAIN = '[data-testid="stMainBlockContainer"]'
SIDEBAR = '[data-testid="stSidebar"]'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
LAN = {
    "sub": "lan-0001",
    "email": "lan.nt@binhduong.gov.vn",
    "email_verified": True,
    "name": "Nguyễn Thị Lan",
}
KHACH = {
    "sub": "khach-0002",
    "email": "khach.tv@binhduong.gov.vn",
    "email_verified": True,
    "name": "Trần Văn Khách",
}
MOCK = Path(sys.executable).parent / "oidc-provider-mock"


def _workbook(db: Path, department: str) -> bytes:
    with store.connect(db) as con:
        template = build_template(con, PLAN_ID, department, 2019)
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    info["reported_on"].value = date(2019, 10, 1)
    info["prepared_by"].value = "Cán bộ thử nghiệm đăng nhập tài khoản cơ quan"
    fill_rows(wb, "Đang thực hiện", 40)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@contextmanager
def oidc_provider(folder: Path) -> Iterator[str]:
    """oidc-provider-mock on a free port of 127.0.0.1 with the two officers; yields its issuer URL."""
    port = _free_port()
    log = (folder / "oidc.log").open("w")
    args = [str(MOCK), "--host", "127.0.0.1", "--port", str(port)]
    for user in (LAN, KHACH):
        args += ["--user-claims", json.dumps(user)]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    ready = f"{issuer}/.well-known/openid-configuration"
    with running(proc, log, ready, folder / "oidc.log", seconds=30):
        yield issuer


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    """A dashboard on a fresh demo database whose only sign-in is the OIDC provider."""
    if not MOCK.exists():
        pytest.fail("oidc-provider-mock is missing: install requirements-dev.txt")
    data, db, env = fresh_demo(tmp_path_factory, "e2e-oidc")
    files = {}
    for department in ("DOIT", "DOC"):
        files[department] = data / f"bao-cao_{department}_2019.xlsx"
        files[department].write_bytes(_workbook(db, department))
    with oidc_provider(data) as issuer:
        app_port = _free_port()
        secrets = data / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
            f'cookie_secret = "{os.urandom(24).hex()}"\n'
            'client_id = "greengrowth-test"\n'
            'client_secret = "test-client-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "\n[identities.lan]\n"
            f'email = "{LAN["email"].upper()}"\n'  # e-mails are matched ignoring case
            'name = "Nguyễn Thị Lan (Sở Công Thương)"\n'
            'role = "analyst"\n'
            'departments = ["DOIT"]\n',
            encoding="utf-8",
        )
        with dashboard_server(data, secrets, env, port=app_port) as base:
            yield base, issuer, db, files


def _ready(page) -> None:
    page.wait_for_selector(f"{MAIN} h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )
    page.wait_for_timeout(500)


def _sign_out(page, sidebar, issuer: str) -> None:
    """Click "Đăng xuất" on an idle page; the browser must go on to the provider's end-of-session
    page (ui.auth._sign_out ends the run after st.logout, so its redirect is never dropped)."""
    _ready(page)
    sidebar.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{issuer}/**", timeout=30_000)


def _sign_in_at_provider(page, base: str, issuer: str, user: dict) -> None:
    """From the upload page: the provider button, the provider's own page, back to the app."""
    page.goto(f"{base}/")  # a warm-up load: see tests/e2e/test_analyst_browser.py
    _ready(page)
    page.goto(f"{base}/tai-len")
    _ready(page)
    page.get_by_text("Cần đăng nhập bằng tài khoản chuyên viên").wait_for(timeout=30_000)
    page.locator(MAIN).get_by_role("button", name="Đăng nhập bằng tài khoản cơ quan").click()
    page.wait_for_url(f"{issuer}/**", timeout=30_000)  # the provider's page, not the app's
    page.locator(f'button[name="sub"][value="{user["sub"]}"]').click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    _ready(page)
    page.goto(f"{base}/tai-len")  # the sign-in lives in a cookie: a new page keeps it
    _ready(page)


def _db(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.connect(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_officer_signs_in_at_the_provider_uploads_for_own_department_only(
    sso_server, browser, screenshots
):
    base, issuer, db, files = sso_server
    lan_identity = f"{LAN['email']} [{issuer}]"
    before = _db(db, "SELECT count(*) FROM submission")[0][0]
    context = browser.new_context(viewport={"width": 1440, "height": 1600})
    page = context.new_page()

    _sign_in_at_provider(page, base, issuer, LAN)
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Đã đăng nhập bằng tài khoản cơ quan").wait_for(timeout=30_000)
    assert sidebar.get_by_text("Nguyễn Thị Lan (Sở Công Thương)").is_visible()
    assert sidebar.get_by_text(lan_identity).is_visible()  # who is recorded
    assert sidebar.get_by_text("Được báo cáo cho: DOIT").is_visible()  # the mapped role
    assert page.locator(UPLOAD_INPUT).count() == 1
    page.screenshot(path=str(screenshots / "oidc-signed-in-upload-vi.png"))

    # An allowed department: checked, committed, stored under the SSO identity.
    page.set_input_files(UPLOAD_INPUT, str(files["DOIT"]))
    page.get_by_text("Hợp lệ: báo cáo của DOIT, kỳ 2019").wait_for(timeout=60_000)
    _ready(page)
    # Compared with DOIT's earlier report it may have data-quality warnings (issue 14): explain
    # them, as a person would, before the commit button is enabled.
    boxes = page.get_by_role("textbox", name=re.compile("Giải trình cho"))
    if boxes.count():
        boxes.first.fill("Đã kiểm tra với phòng chuyên môn.")
        boxes.first.press("Control+Enter")
        _ready(page)
    page.get_by_role("button", name="Lưu 1 tệp hợp lệ").click()
    page.get_by_text("Đã lưu 1 báo cáo").wait_for(timeout=60_000)
    _ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(screenshots / "oidc-upload-committed-vi.png"))
    stored = _db(
        db,
        "SELECT department_code, period, uploaded_by FROM submission WHERE submission_id = "
        "(SELECT max(submission_id) FROM submission)",
    )
    assert stored == [("DOIT", 2019, lan_identity)]

    # Another department: refused, nothing stored.
    page.locator('[data-testid="stFileChipDeleteBtn"]').first.click()
    _ready(page)
    page.set_input_files(UPLOAD_INPUT, str(files["DOC"]))
    page.get_by_text("Tài khoản của bạn không được báo cáo cho đơn vị DOC").wait_for(timeout=60_000)
    _ready(page)
    assert page.get_by_role("button", name="Chưa có tệp hợp lệ để lưu").is_disabled()
    page.screenshot(path=str(screenshots / "oidc-upload-refused-vi.png"))
    assert _db(db, "SELECT count(*) FROM submission")[0][0] == before + 1
    assert _db(db, "SELECT count(*) FROM submission WHERE department_code = 'DOC' "
                   "AND uploaded_by = ?", [lan_identity])[0][0] == 0  # fmt: skip

    # Sign out: recorded too; Streamlit clears its cookie and sends the browser to the provider's
    # end-of-session page (the provider announces one).
    _sign_out(page, sidebar, issuer)
    page.wait_for_load_state("load")
    page.goto(f"{base}/tai-len")
    _ready(page)
    page.get_by_text("Cần đăng nhập bằng tài khoản chuyên viên").wait_for(timeout=30_000)
    context.close()

    events = _db(db, "SELECT event, actor FROM event_log WHERE actor = ? ORDER BY event_at",
                 [lan_identity])  # fmt: skip
    kinds = [e for e, _ in events]
    assert kinds[0] == "signin_ok" and "upload" in kinds and kinds[-1] == "signin_signout", kinds
    assert kinds.count("signin_ok") == 1, kinds  # one sign-in, however many pages were opened


def test_an_identity_without_mapping_is_signed_in_but_may_only_view(
    sso_server, browser, screenshots
):
    base, issuer, db, _ = sso_server
    khach_identity = f"{KHACH['email']} [{issuer}]"
    before = _db(db, "SELECT count(*) FROM submission")[0][0]
    context = browser.new_context(viewport={"width": 1440, "height": 1600})
    page = context.new_page()

    _sign_in_at_provider(page, base, issuer, KHACH)
    main = page.locator(MAIN)
    main.get_by_text("Đã đăng nhập bằng tài khoản cơ quan").wait_for(timeout=30_000)
    assert main.get_by_text("Trần Văn Khách").is_visible()
    assert main.get_by_text("chỉ được xem số liệu").is_visible()
    assert page.locator(UPLOAD_INPUT).count() == 0
    assert page.locator(SIDEBAR).get_by_text(khach_identity).is_visible()
    page.screenshot(path=str(screenshots / "oidc-unmapped-view-only-vi.png"))
    page.locator(SIDEBAR).get_by_text("English", exact=True).click()
    _ready(page)
    main.get_by_text("Signed in with your organisation account").wait_for(timeout=30_000)
    assert main.get_by_text("This account may only view").is_visible()
    assert page.locator(UPLOAD_INPUT).count() == 0
    page.screenshot(path=str(screenshots / "oidc-unmapped-view-only-en.png"))

    # Viewing still works: the overview shows its charts.
    page.goto(f"{base}/")
    _ready(page)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()

    assert _db(db, "SELECT count(*) FROM submission")[0][0] == before
    assert _db(db, "SELECT count(*) FROM submission WHERE uploaded_by = ?",
               [khach_identity])[0][0] == 0  # fmt: skip
    signins = _db(db, "SELECT event FROM event_log WHERE actor = ?", [khach_identity])
    assert signins == [("signin_ok",)]  # logged once, though three pages were opened

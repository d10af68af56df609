"""AppTest: the analyst pages driven with real workbook bytes on a copy of the demo database.

Sign-in, templates, upload (problems, preview, commit, duplicate, permissions, bad files), history
(rows, original file, withdraw) and corrections, and what a visitor who is not signed in may not do.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from datetime import date
from pathlib import Path

import bcrypt
import pytest
from openpyxl import load_workbook
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from greengrowth import queries, store
from loaders import layout as L
from loaders.ingest import ingest_bytes
from loaders.template import build_template
from tests.workbooks import fill_rows

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "binh-duong-2018-2020"
SECRETS = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
SECRETS["analysts"]["lan"] = {
    "name": "Nguyễn Thị Lan",
    "password_hash": bcrypt.hashpw(b"mat-khau-lan", bcrypt.gensalt(rounds=4)).decode(),
    "role": "analyst",
    "departments": ["DOIT"],
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    """AppTest resets PagesManager.uses_pages_directory before every run, and because pages/ exists
    it then replays the previous page alone (the v1 multipage mode) instead of dashboard.py. Keep it
    False, as a real server does once st.navigation has run, so every run executes dashboard.py."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def open_page(page: str, user: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets = SECRETS
    if lang:
        at.query_params["lang"] = lang
    if user:
        at.session_state["analyst_user"] = user
    at.run()  # the default page first: AppTest can switch pages only after one run
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def workbook(
    department: str,
    period: int,
    status: str = "Hoàn thành",
    percent: float | None = 100,
    *,
    edit=None,
) -> bytes:
    """A template filled in as a department would: every activity and task in one status."""
    with store.connect() as con:
        template = build_template(con, PLAN_ID, department, period)
    wb = load_workbook(io.BytesIO(template))
    info = L.info_cells(wb[L.SHEET_INFO])
    info["reported_on"].value = date(period, 10, 1)
    info["prepared_by"].value = "Cán bộ thử nghiệm"
    fill_rows(wb, status, percent)
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def count_submissions() -> int:
    with store.connect() as con:
        return con.execute("SELECT count(*) FROM submission").fetchone()[0]


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


# ---- sign-in and visitors -----------------------------------------------------------------------


def test_sign_in_with_the_demo_account_and_out_again(demo_db) -> None:
    at = open_page("pages/history.py")
    at.sidebar.text_input(key="signin_sidebar_user").input("demo")
    at.sidebar.text_input(key="signin_sidebar_password").input("wrong")
    at.sidebar.button[0].click().run()
    assert "Sai tên đăng nhập hoặc mật khẩu." in texts(at, "error")
    assert "analyst_user" not in at.session_state

    at.sidebar.text_input(key="signin_sidebar_password").input("xanh-2018")
    at.sidebar.button[0].click().run()
    assert at.session_state["analyst_user"] == "demo"
    assert any("Chuyên viên minh họa (demo)" in m for m in texts(at.sidebar, "markdown"))

    at.sidebar.button(key="signout").click().run()
    assert "analyst_user" not in at.session_state
    assert at.sidebar.text_input(key="signin_sidebar_user")


def test_visitor_cannot_upload(demo_db) -> None:
    at = open_page("pages/upload.py")
    assert any("Cần đăng nhập" in w for w in texts(at, "warning"))
    assert len(at.file_uploader) == 0
    assert not [b for b in at.button if b.key == "upload_commit"]
    # the sign-in form is offered right there
    assert at.text_input(key="signin_main_user")


def test_signing_in_on_the_upload_page_opens_it(demo_db) -> None:
    at = open_page("pages/upload.py")
    at.text_input(key="signin_main_user").input("demo")
    at.text_input(key="signin_main_password").input("xanh-2018")
    at.main.button[0].click().run()
    assert at.file_uploader(key="upload_files")


# ---- templates -----------------------------------------------------------------------------------


def test_templates_page_offers_the_prefilled_workbook_to_everyone(demo_db) -> None:
    at = open_page("pages/templates.py")
    at.selectbox(key="templates_department").select("DOIT")
    at.selectbox(key="templates_period").select(2019).run()
    button = at.get("download_button")[0]
    assert button.proto.label == "Tải mẫu báo cáo (.xlsx)"
    assert button.proto.url.endswith(".xlsx")
    assert any("Sở Công thương" in m for m in texts(at, "markdown"))


def test_templates_page_in_english(demo_db) -> None:
    at = open_page("pages/templates.py", lang="en")
    assert texts(at, "title") == ["Report templates"]
    assert at.get("download_button")[0].proto.label == "Download the template (.xlsx)"


# ---- upload --------------------------------------------------------------------------------------


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    uploader = at.file_uploader(key="upload_files")
    for name, data in files:
        uploader.upload(name, data, XLSX)
    return at.run()


def test_problems_are_listed_in_a_table_and_nothing_is_stored(demo_db) -> None:
    def break_it(wb):
        acts = wb[L.SHEET_ACTIVITIES]
        acts["C2"], acts["D3"] = "Xong rồi", "nhiều"

    before = count_submissions()
    at = open_page("pages/upload.py", user="demo")
    upload(at, ("bao-cao-loi.xlsx", workbook("DOIT", 2019, edit=break_it)))
    assert any("lỗi cần sửa" in e for e in texts(at, "error"))
    table = at.dataframe[0].value
    assert list(table.columns) == ["Trang tính", "Dòng", "Cột", "Giá trị", "Lỗi", "Cách sửa"]
    assert set(table["Trang tính"]) == {"Hoạt động"}
    assert {2, 3} <= set(table["Dòng"])
    assert "Xong rồi" in set(table["Giá trị"])
    assert table["Cách sửa"].str.len().min() > 0
    assert at.button(key="upload_commit").disabled
    assert count_submissions() == before


def test_problems_table_in_english(demo_db) -> None:
    def break_it(wb):
        wb[L.SHEET_ACTIVITIES]["C2"] = "Xong rồi"

    at = open_page("pages/upload.py", user="demo", lang="en")
    upload(at, ("broken.xlsx", workbook("DOIT", 2019, edit=break_it)))
    table = at.dataframe[0].value
    assert list(table.columns) == ["Sheet", "Row", "Column", "Value", "Problem", "How to fix"]
    assert table["Problem"].iloc[0].startswith("'Xong rồi'") or "Xong rồi" in table["Value"].iloc[0]


def test_preview_then_commit_stores_every_valid_file_and_links_onwards(demo_db) -> None:
    before = count_submissions()
    at = open_page("pages/upload.py", user="demo")
    upload(
        at,
        ("bao-cao_DOC_2020.xlsx", workbook("DOC", 2020)),  # missing in the demo data
        ("bao-cao_DOIT_2019.xlsx", workbook("DOIT", 2019)),  # supersedes a demo submission
    )
    successes = texts(at, "success")
    assert any("DOC, kỳ 2020" in s or "DOC" in s and "2020" in s for s in successes)
    markdown = texts(at, "markdown")
    assert "Đây là báo cáo đầu tiên của đơn vị cho kỳ này." in markdown
    assert any(m.startswith("Sẽ thay cho lần nộp hiện hành số") for m in markdown)
    changes = at.dataframe[1].value["Thay đổi"]
    assert any(c.endswith("-> Hoàn thành 100%") and c.startswith("Hoạt động ") for c in changes)
    assert count_submissions() == before  # a dry run stores nothing

    commit = at.button(key="upload_commit")
    assert not commit.disabled and commit.label == "Lưu 2 tệp hợp lệ"
    commit.click().run()
    assert not at.exception
    assert count_submissions() == before + 2
    assert "Đã lưu 2 báo cáo. Các trang tổng hợp đã cập nhật." in texts(at, "success")
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert links["Xem Tổng quan"].query_string == "period=2020"  # the newest period uploaded
    assert links["Xem theo đơn vị"].query_string == "period=2020"
    assert "Xem lịch sử nộp" in links
    with store.connect() as con:
        rows = con.execute(
            "SELECT department_code, period, uploaded_by, file_name FROM current_submissions "
            "WHERE department_code IN ('DOC', 'DOIT') AND period IN (2019, 2020) "
            "AND uploaded_by = 'demo' ORDER BY department_code"
        ).fetchall()
    assert rows == [
        ("DOC", 2020, "demo", "bao-cao_DOC_2020.xlsx"),
        ("DOIT", 2019, "demo", "bao-cao_DOIT_2019.xlsx"),
    ]


def test_the_same_file_uploaded_twice_is_stored_once(demo_db) -> None:
    data = workbook("DOC", 2020)
    at = open_page("pages/upload.py", user="demo")
    upload(at, ("lan-1.xlsx", data))
    at.button(key="upload_commit").click().run()
    stored = count_submissions()
    # the file stays in the uploader after the commit: it is shown as stored, not offered again
    assert any(s.startswith("Đã lưu thành lần nộp số") for s in texts(at, "success"))
    assert at.button(key="upload_commit").disabled

    again = open_page("pages/upload.py", user="demo")
    upload(again, ("lan-2-cung-noi-dung.xlsx", data))
    assert any("giống hệt lần nộp số" in i for i in texts(again, "info"))
    assert again.button(key="upload_commit").disabled  # AppTest refuses to click it, as a browser
    assert count_submissions() == stored


def test_an_analyst_cannot_upload_for_another_department(demo_db) -> None:
    before = count_submissions()
    at = open_page("pages/upload.py", user="lan")  # may report for DOIT only
    upload(at, ("DOC.xlsx", workbook("DOC", 2020)), ("DOIT.xlsx", workbook("DOIT", 2020)))
    assert any("không được báo cáo cho đơn vị DOC" in e for e in texts(at, "error"))
    commit = at.button(key="upload_commit")
    assert commit.label == "Lưu 1 tệp hợp lệ"
    commit.click().run()
    assert count_submissions() == before + 1
    with store.connect() as con:
        assert con.execute(
            "SELECT department_code, uploaded_by FROM submission WHERE uploaded_by = 'lan'"
        ).fetchall() == [("DOIT", "lan")]


def test_the_uploader_accepts_only_xlsx(demo_db) -> None:
    """Other extensions (.xlsm, .xls, .csv) are refused by name, with how to save as .xlsx, and
    nothing is stored. (The uploader has no type filter: with one, Streamlit itself fails on a NUL in
    a file name before the page can refuse it; issue 16.)"""
    at = open_page("pages/upload.py", user="demo")
    assert at.file_uploader(key="upload_files").accept_multiple_files
    before = count_submissions()
    upload(at, ("bao-cao.xls", b"\xd0\xcf\x11\xe0"), ("bao-cao.csv", b"a;b\n1;2\n"))
    assert not at.exception, at.exception
    errors = texts(at, "error")
    for name, suffix in (("bao-cao.xls", ".xls"), ("bao-cao.csv", ".csv")):
        assert any(name in e and f"'{suffix}'" in e and "(.xlsx)" in e for e in errors), errors
    assert count_submissions() == before


def _macro_workbook() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook("DOIT", 2019))) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\0" * 64)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("ghi-chu.xlsx", b"just some text", "không phải là bảng tính Excel"),
        ("hong.xlsx", b"PK\x03\x04 broken zip", "không phải là bảng tính Excel"),
        ("macro.xlsx", None, "macro"),
        ("qua-lon.xlsx", b"PK" + b"\0" * (10 * 1024 * 1024 + 10), "quá lớn"),
    ],
)
def test_bad_files_get_a_clear_message_and_no_traceback(demo_db, name, data, expected) -> None:
    at = open_page("pages/upload.py", user="demo")
    upload(at, (name, _macro_workbook() if data is None else data))
    assert not at.exception
    shown = " ".join(texts(at, "error")) + " ".join(
        " ".join(map(str, frame.value.to_numpy().ravel())) for frame in at.dataframe
    )
    assert expected in shown
    assert at.button(key="upload_commit").disabled


# ---- history, withdraw, corrections --------------------------------------------------------------


def store_upload(data: bytes, name: str, user: str = "demo") -> int:
    with store.connect() as con:
        result = ingest_bytes(con, data, name, user)
    assert result.outcome == "accepted", result.problems
    return result.submission_id


def current_for(department: str, period: int) -> int | None:
    with store.connect() as con:
        frame = queries.run(
            con, "current_submission", plan=PLAN_ID, department=department, period=period
        )
    return None if frame.empty else int(frame["submission_id"].iloc[0])


def test_history_lists_every_submission_newest_first_with_who_and_status(demo_db) -> None:
    old = current_for("DOIT", 2019)
    new = store_upload(workbook("DOIT", 2019), "moi.xlsx", user="lan")
    at = open_page("pages/history.py")
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Số",
        "Thời gian nộp",
        "Người nộp",
        "Tệp",
        "Đơn vị",
        "Kỳ",
        "Số dòng",
        "Trạng thái",
        "Sửa từ lần nộp",
    ]
    assert table["Số"].iloc[0] == new and table["Người nộp"].iloc[0] == "lan"
    states = dict(zip(table["Số"], table["Trạng thái"], strict=True))
    assert states[new] == "Hiện hành" and states[old] == "Đã có bản mới hơn"
    assert len(table) == count_submissions()


def test_visitor_sees_history_and_rows_but_cannot_withdraw_or_correct(demo_db) -> None:
    at = open_page("pages/history.py")
    assert at.selectbox(key="history_pick").value is not None
    assert [tab.label.split(" (")[0] for tab in at.tabs] == [
        "Hoạt động",
        "Nhiệm vụ ưu tiên",
        "Chỉ tiêu",
        "Kinh phí",
    ]
    # Originals carry officers' names: a visitor sees the rows, not the file (issue 16).
    assert not any(b.proto.label.startswith("Tải tệp gốc") for b in at.get("download_button"))
    assert any("Đăng nhập để tải tệp gốc" in c.value for c in at.caption)
    keys = {b.key for b in at.button}
    assert not keys & {"withdraw_submit", "correct_submit"}
    assert len(at.data_editor) == 0
    assert not [a for a in at.text_area if a.key == "withdraw_reason"]
    assert any("Đăng nhập bằng tài khoản chuyên viên" in i for i in texts(at, "info"))


def test_withdraw_needs_a_reason_and_makes_the_previous_submission_current(demo_db) -> None:
    old = current_for("DOIT", 2019)
    new = store_upload(workbook("DOIT", 2019), "nham.xlsx")
    total = count_submissions()
    at = open_page("pages/history.py", user="demo")
    at.selectbox(key="history_pick").set_value(new).run()
    at.button(key="withdraw_submit").click().run()
    assert "Cần ghi lý do rút." in texts(at, "error")
    assert current_for("DOIT", 2019) == new

    at.text_area(key="withdraw_reason").input("Nộp nhầm tệp của năm khác")
    at.button(key="withdraw_submit").click().run()
    assert not at.exception
    assert (
        f"Đã rút lần nộp số {new}. Lần nộp số {old} là số liệu hiện hành của đơn vị, kỳ này."
        in texts(at, "success")
    )
    assert current_for("DOIT", 2019) == old
    assert count_submissions() == total  # nothing deleted
    with store.connect() as con:
        events = queries.run(con, "submission_events", submission=new)
    assert events[["event", "actor"]].values.tolist() == [
        ["accepted", "demo"],
        ["withdrawn", "demo"],
    ]
    assert events["reason"].iloc[1] == "Nộp nhầm tệp của năm khác"
    table = at.dataframe[0].value
    assert dict(zip(table["Số"], table["Trạng thái"], strict=True))[new] == "Đã rút"
    # a withdrawn submission offers no more actions
    assert not {b.key for b in at.button} & {"withdraw_submit", "correct_submit"}


def test_an_analyst_may_not_withdraw_for_another_department(demo_db) -> None:
    at = open_page("pages/history.py", user="lan")  # DOIT only
    doc = current_for("DOC", 2019)
    at.selectbox(key="history_pick").set_value(doc).run()
    assert any("không được rút hay sửa báo cáo của đơn vị DOC" in i for i in texts(at, "info"))
    assert not {b.key for b in at.button} & {"withdraw_submit", "correct_submit"}


def test_a_correction_in_the_data_editor_makes_a_derived_submission(demo_db) -> None:
    old = current_for("DOIT", 2019)
    at = open_page("pages/history.py", user="demo")
    at.selectbox(key="history_pick").set_value(old).run()
    editor = at.data_editor[0]
    first = int(editor.value["activity_no"].iloc[0])
    at.session_state[f"correct_activities_{old}"] = {
        "edited_rows": {0: {"status": "completed", "percent_complete": 100}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="correct_submit").click().run()
    assert not at.exception
    new = current_for("DOIT", 2019)
    assert new != old
    assert f"Đã lưu bản sửa thành lần nộp số {new} (sửa từ số {old})." in texts(at, "success")
    assert at.selectbox(key="history_pick").value == new
    with store.connect() as con:
        row = queries.run(con, "submission", submission=new).iloc[0]
        acts = queries.submission_rows(con, new)["activities"].set_index("activity_no")
    assert int(row["derived_from"]) == old and row["uploaded_by"] == "demo"
    assert row["file_name"].startswith("sua-")
    assert acts.loc[first, "status"] == "completed"
    table = at.dataframe[0].value
    assert table["Sửa từ lần nộp"].iloc[0] == str(old)


def test_saving_an_unchanged_correction_stores_nothing(demo_db) -> None:
    total = count_submissions()
    at = open_page("pages/history.py", user="demo")
    at.button(key="correct_submit").click().run()
    assert "Chưa có ô nào được sửa, nên không có gì để lưu." in texts(at, "warning")
    assert count_submissions() == total


def test_history_in_english(demo_db) -> None:
    at = open_page("pages/history.py", user="demo", lang="en")
    assert texts(at, "title") == ["Submission history"]
    assert "Status" in at.dataframe[0].value.columns
    assert at.button(key="withdraw_submit").label == "Withdraw"


def test_a_submission_withdrawn_meanwhile_says_so(demo_db) -> None:
    """Withdrawn in another tab (or the CLI) between two clicks: the page says why, no generic error."""
    from greengrowth.auth import Account
    from loaders import service

    new = store_upload(workbook("DOIT", 2019), "hai-tab.xlsx")
    at = open_page("pages/history.py", user="demo")
    at.selectbox(key="history_pick").set_value(new).run()
    at.text_area(key="withdraw_reason").input("Nộp nhầm")
    with store.connect() as con:
        service.withdraw(con, Account("khac", "Khác", "admin", ("*",)), new, "tab khác")
    at.button(key="withdraw_submit").click().run()
    assert not at.exception
    assert f"Lần nộp số {new} đã được rút." in [c.value for c in at.caption]
    assert not texts(at, "error")


def test_history_is_paged_in_sql_and_a_link_opens_its_submission(demo_db) -> None:
    """Issue 11: the list is one page of a filtered query, never every submission; a link with
    ?submission= (data-quality and review pages) filters to that report and selects it."""
    at = open_page("pages/history.py")
    total = count_submissions()
    captions = " ".join(texts(at, "caption"))
    assert f"{total} trong tổng số {total} lần nộp." in captions and "Trang 1/1" in captions
    assert at.number_input(key="history_page").value == 1
    with store.connect() as con:
        sid, dept, period = con.execute(
            "SELECT submission_id, department_code, period FROM submission "
            "ORDER BY submission_id LIMIT 1"
        ).fetchone()
    at.query_params["submission"] = str(sid)
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="history_pick").value == sid
    assert at.selectbox(key="history_department").value == dept
    assert at.selectbox(key="history_period").value == period
    assert len(at.dataframe[0].value) < total  # only that report's submissions are listed

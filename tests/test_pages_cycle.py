"""AppTest: the reporting cycle walked through the pages with three accounts (issue #9).

A DOIT analyst uploads, a DPI reviewer returns the report with a comment, the analyst uploads again,
the reviewer approves, the analyst's next upload and withdrawal are refused and nothing changes, an
admin reopens with a reason, and the event log shows every step with the right user. Also: sign-in
failures are counted in the store, so a fresh session does not reset them; the leadership pages'
approval note and switch; who still owes a report; a value's history."""

from __future__ import annotations

import math

import bcrypt
import pandas as pd
import pytest

from greengrowth import queries, store
from tests.test_pages_analyst import (
    PLAN_ID,
    SECRETS,
    _navigation_mode,  # noqa: F401 (autouse fixture)
    current_for,
    open_page,
    texts,
    upload,
    workbook,
)

SECRETS["analysts"]["hoa"] = {
    "name": "Trần Thị Hoa (DPI)",
    "password_hash": bcrypt.hashpw(b"mat-khau-hoa", bcrypt.gensalt(rounds=4)).decode(),
    "role": "reviewer",
}
TABLES = ("submission", "submission_event", "activity_report", "indicator_value", "report_decision")


def snapshot() -> tuple:
    with store.connect() as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in TABLES
        )


def state() -> dict:
    with store.connect() as con:
        return queries.cycle.report_state(con, PLAN_ID, "DOIT", 2019)


def upload_as_lan(percent: float) -> None:
    at = open_page("pages/upload.py", user="lan")
    upload(at, (f"doit-2019-{percent}.xlsx", workbook("DOIT", 2019, "Đang thực hiện", percent)))
    # Compared with DOIT's 2018 report this one has data-quality warnings (issue 14): explain them.
    for box in [a for a in at.text_area if str(a.key).startswith("explain_")]:
        box.input("Đã kiểm tra với phòng chuyên môn").run()
    at.button(key="upload_commit").click().run()
    assert not at.exception
    assert any("Đã lưu 1 báo cáo" in s for s in texts(at, "success"))


def frame_with(at, column: str):
    """The (last) table on the page that has this column."""
    return [d.value for d in at.dataframe if column in d.value.columns][-1]


def review(user: str, *opened: int):
    """The review page as `user` sees it, with the queued reports `opened` open (a queued report
    reads its changes and shows its buttons only when opened)."""
    at = open_page("pages/review.py", user=user)
    assert not at.exception, at.exception
    if opened:
        for sid in opened:
            at.session_state[f"review_open_{sid}"] = True
        at.run()
        assert not at.exception, at.exception
    return at


def test_the_whole_cycle_with_three_accounts(demo_db) -> None:
    # 1. the DOIT analyst uploads
    upload_as_lan(40)
    first = current_for("DOIT", 2019)
    assert state()["state"] == "submitted"
    # an analyst sees the queue but may not decide
    at = review("lan", first)
    assert not [b for b in at.button if b.key == f"approve_{first}"]
    assert any("Chỉ cán bộ thẩm định" in c for c in texts(at, "caption"))

    # 2. the DPI reviewer returns it with a comment (a comment is required)
    at = review("hoa")
    assert not [b for b in at.button if b.key == f"return_{first}"]  # closed: nothing read
    at = review("hoa", first)
    at.button(key=f"return_{first}").click().run()
    assert "Cần ghi nhận xét để đơn vị biết phải sửa gì." in texts(at, "error")
    at.text_area(key=f"review_comment_{first}").input("Thiếu số liệu **chỉ tiêu** <b>2019</b>")
    at.button(key=f"return_{first}").click().run()
    assert not at.exception
    assert f"Đã trả lại lần nộp số {first} cho đơn vị kèm nhận xét." in texts(at, "success")
    assert state()["state"] == "returned"
    # who still owes: DOIT is listed as returned, with the comment as typed, and in the letter
    at.selectbox(key="url_period").set_value(2019).run()
    owes = frame_with(at, "Đơn vị")
    doit = owes[owes["Đơn vị"].str.startswith("DOIT")].iloc[0]
    assert doit["Tình trạng"] == "Bị trả lại"
    assert doit["Nhận xét khi trả lại"] == "Thiếu số liệu **chỉ tiêu** <b>2019</b>"
    letter = at.code[0].value
    assert "Kính gửi:" in letter and "Thiếu số liệu **chỉ tiêu** <b>2019</b>" in letter
    assert "Trân trọng./." in letter

    # the analyst sees the comment on the history page, as typed (Markdown and HTML escaped)
    at = open_page("pages/history.py", user="lan")
    at.selectbox(key="history_pick").set_value(first).run()
    note = next(w for w in texts(at, "warning") if "trả lại" in w)
    assert "hoa" in note and r"\*\*chỉ tiêu\*\* \<b\>2019\</b\>" in note

    # 3. the analyst uploads again: submitted again
    upload_as_lan(60)
    second = current_for("DOIT", 2019)
    assert second != first and state()["state"] == "submitted"

    # 4. the reviewer sees the changes against the previous approved version and approves
    at = review("hoa", second)
    assert any("Thay đổi so với" in c or "chưa từng được duyệt" in c for c in texts(at, "caption"))
    at.button(key=f"approve_{second}").click().run()
    assert not at.exception
    assert f"Đã duyệt lần nộp số {second}; báo cáo đã được khóa." in texts(at, "success")
    assert state()["state"] == "approved" and state()["decided_by"] == "hoa"

    # 5. the analyst's next upload and withdrawal are refused; nothing changes
    before = snapshot()
    at = open_page("pages/upload.py", user="lan")
    upload(at, ("doit-2019-lan3.xlsx", workbook("DOIT", 2019, "Đang thực hiện", 80)))
    refusals = texts(at, "error")
    assert any("đã được hoa duyệt lúc" in e and "đã khóa" in e for e in refusals), refusals
    assert at.button(key="upload_commit").disabled
    at = open_page("pages/history.py", user="lan")
    at.selectbox(key="history_pick").set_value(second).run()
    assert not {b.key for b in at.button} & {"withdraw_submit", "correct_submit"}
    assert any("không thể rút" in c and "hoa" in c for c in texts(at, "caption"))
    assert snapshot() == before

    # 6. the admin reopens with a reason (required)
    at = review("demo")
    at.selectbox(key="reopen_pick").set_value(second).run()
    at.button(key="reopen_submit").click().run()
    assert "Cần ghi lý do mở lại báo cáo." in texts(at, "error")
    at.text_area(key="reopen_reason").input("Sở Thông tin và Truyền thông xin sửa chỉ tiêu")
    at.button(key="reopen_submit").click().run()
    assert not at.exception
    assert state()["state"] == "submitted"

    # 7. the audit trail: every step with the right user
    log = frame_with(at, "Sự kiện")
    mine = log[log["Báo cáo"] == "DOIT 2019"]
    steps = list(zip(mine["Sự kiện"], mine["Người thực hiện"], strict=True))[:5]
    assert steps == [
        ("Mở lại", "demo"),
        ("Duyệt", "hoa"),
        ("Tải lên", "lan"),
        ("Trả lại", "hoa"),
        ("Tải lên", "lan"),
    ]
    assert "Sở Thông tin và Truyền thông xin sửa chỉ tiêu" in list(
        mine["Chi tiết (tệp, lý do, nhận xét)"]
    )


def test_a_fresh_session_does_not_reset_the_sign_in_failure_count(demo_db) -> None:
    for _ in range(5):
        at = open_page("pages/history.py")  # a new session every time, as a new browser tab
        at.sidebar.text_input(key="signin_sidebar_user").input("Hoa")
        at.sidebar.text_input(key="signin_sidebar_password").input("sai")
        at.sidebar.button[0].click().run()
        assert "Sai tên đăng nhập hoặc mật khẩu." in texts(at, "error")
    fresh = open_page("pages/history.py")
    fresh.sidebar.text_input(key="signin_sidebar_user").input("hoa")
    fresh.sidebar.text_input(key="signin_sidebar_password").input("mat-khau-hoa")
    fresh.sidebar.button[0].click().run()
    assert "analyst_user" not in fresh.session_state  # the right password waits too
    assert any("5 lần trong 15 phút" in e for e in texts(fresh, "error"))
    # another user name is not affected
    other = open_page("pages/history.py")
    other.sidebar.text_input(key="signin_sidebar_user").input("lan")
    other.sidebar.text_input(key="signin_sidebar_password").input("mat-khau-lan")
    other.sidebar.button[0].click().run()
    assert other.session_state["analyst_user"] == "lan"
    with store.connect() as con:
        log = con.execute(
            "SELECT event, actor FROM event_log WHERE event LIKE 'signin%' ORDER BY event_at"
        ).fetchall()
    assert log.count(("signin_failed", "hoa")) == 5
    assert ("signin_locked", "hoa") in log and ("signin_ok", "lan") in log


def test_leadership_pages_say_how_many_reports_are_approved_and_switch(demo_db) -> None:
    at = open_page("pages/overview.py")
    with store.connect() as con:
        counts = queries.cycle.approval_count(con, PLAN_ID, 2020)
    note = f"Năm 2020: số liệu của {counts['approved']}/{counts['expected']} đơn vị đã được duyệt."
    assert any(c.startswith(note) for c in texts(at, "caption")), texts(at, "caption")
    # Vietnamese pages name departments as Vietnamese documents do, never by English acronym
    captions = " ".join(texts(at, "caption"))
    assert counts["not_approved_vi"] and all(name in captions for name in counts["not_approved_vi"])
    assert not any(f" {code}," in captions for code in counts["not_approved"])
    before = [m.value for m in at.metric]
    at.sidebar.toggle(key="approved_only_switch").set_value(True).run()
    assert at.query_params.get("approved") == ["1"] or at.query_params.get("approved") == "1"
    assert any(c.startswith("Chỉ hiển thị số liệu đã duyệt") for c in texts(at, "caption"))
    assert [m.value for m in at.metric] != before  # the figures follow the switch


@pytest.mark.parametrize(
    ("kind", "sql"),
    [
        ("activity", "SELECT CAST(min(activity_no) AS VARCHAR) FROM activity_report"),
        ("indicator", "SELECT min(indicator_code) FROM indicator_value"),
    ],
)
def test_value_history_of_one_item(demo_db, kind, sql) -> None:
    with store.connect() as con:
        item = con.execute(sql).fetchone()[0]
        expected = len(queries.cycle.value_history(con, PLAN_ID, kind, item))
    at = open_page("pages/value_history.py")
    at.selectbox(key="values_kind").set_value(kind).run()
    at.text_input(key=f"values_item_{kind}").input(item).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == expected > 0
    assert at.query_params["kind"] in (kind, [kind])  # a link to this view can be copied


def test_the_pages_that_show_a_value_link_to_its_history(demo_db) -> None:
    at = open_page("pages/indicators.py")
    links = [link.proto for link in at.get("page_link") if "Lịch sử số liệu" in link.proto.label]
    assert links and "kind=indicator" in links[0].query_string
    at = open_page("pages/by_theme.py")
    links = [link.proto for link in at.get("page_link") if link.proto.label.startswith("Hoạt động")]
    assert links and "kind=activity" in links[0].query_string


def test_review_and_value_history_pages_in_english(demo_db) -> None:
    at = open_page("pages/review.py", user="hoa", lang="en")
    assert not at.exception, at.exception
    assert texts(at, "title") == ["Review and approve reports"]
    assert any(s.startswith("Reports awaiting review") for s in texts(at, "subheader"))
    assert frame_with(at, "Department") is not None
    at = open_page("pages/overview.py", lang="en")
    assert any("departments' figures are approved" in c for c in texts(at, "caption"))


def test_the_review_queue_is_paged_in_sql(demo_db) -> None:
    with store.connect() as con:
        everything = queries.cycle.review_queue(con, PLAN_ID)
        n = len(everything)
        assert n > 8  # the demo has reports waiting on several pages of 4
        last = math.ceil(n / 4)
        pages = [
            queries.cycle.review_queue(con, PLAN_ID, page=p, page_size=4) for p in range(last + 1)
        ]
    assert [len(p) for p in pages] == [min(4, n - 4 * p) for p in range(last)] + [0]
    together = [sid for p in pages for sid in p["submission_id"]]
    assert together == list(everything["submission_id"])  # same order, nothing twice or lost
    assert set(everything["total"]) == {n}


def test_the_review_page_shows_one_page_and_reads_an_item_only_when_opened(
    demo_db, monkeypatch
) -> None:
    from ui import cycle

    monkeypatch.setattr(cycle, "QUEUE_PAGE_SIZE", 4)
    with store.connect() as con:
        waiting = queries.cycle.review_queue(con, PLAN_ID)
    reviewed = []
    real = cycle.quality_queries.submission_warnings
    monkeypatch.setattr(  # what an open item reads
        cycle.quality_queries,
        "submission_warnings",
        lambda con, submission: reviewed.append(submission) or real(con, submission=submission),
    )
    at = review("hoa")
    assert f"Báo cáo chờ thẩm định ({len(waiting)})" in [h.value for h in at.subheader]

    def listed() -> list[str]:
        return [e.label for e in at.expander if "lần nộp số" in e.label]

    assert len(listed()) == 4 and reviewed == []  # one page listed, no item read
    first_four = [int(s) for s in waiting["submission_id"][:4]]
    assert {b.key for b in at.button} & {f"approve_{s}" for s in first_four} == set()
    at.number_input(key="review_page").set_value(2).run()
    assert "Trang 2/" in " ".join(texts(at, "caption"))
    second_page = [int(s) for s in waiting["submission_id"][4:8]]
    assert [int(label.rsplit(" ", 1)[1].rstrip(")")) for label in listed()] == second_page
    at.session_state[f"review_open_{second_page[0]}"] = True
    at.run()
    assert reviewed == [second_page[0]]
    assert f"approve_{second_page[0]}" in {b.key for b in at.button}
    # a comment being written survives closing the report and opening it again
    at.text_area(key=f"review_comment_{second_page[0]}").input("Đang viết dở").run()
    at.session_state[f"review_open_{second_page[0]}"] = False
    at.run()
    assert f"review_comment_{second_page[0]}" not in {a.key for a in at.text_area}
    at.session_state[f"review_open_{second_page[0]}"] = True
    at.run()
    assert at.text_area(key=f"review_comment_{second_page[0]}").value == "Đang viết dở"
    # on the last page, when decisions empty it, the reader lands on the new last page
    last = math.ceil(len(waiting) / 4)
    at.number_input(key="review_page").set_value(last).run()
    assert f"Trang {last}/{last}" in " ".join(texts(at, "caption"))
    with store.connect() as con:
        for sid in waiting["submission_id"][4 * (last - 1) :]:
            row = waiting[waiting["submission_id"] == sid].iloc[0]
            store_key = (PLAN_ID, row["department_code"], int(row["period"]))
            with store.transaction(con):
                store.record_decision(con, store_key, int(sid), "approved",
                                      pd.Timestamp("2021-01-05 09:00"), "hoa", "")  # fmt: skip
    at.run()
    assert not at.exception
    assert f"Trang {last - 1}/{last - 1}" in " ".join(texts(at, "caption"))

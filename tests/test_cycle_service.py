"""The reporting cycle's rules, all decided in the analyst service (issue #9): who may approve, return
and reopen, what state each action needs, and that an approved report is locked on every write path."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from greengrowth import queries, store
from greengrowth.auth import Account
from loaders import service
from loaders.errors import ServiceError
from tests.workbooks import good_workbook

# The demo carries planted data-quality warnings (issue 14): reports compared with them need a reason.
WHY = "Đã kiểm tra với đơn vị (kiểm thử chu trình báo cáo)"

PLAN_ID = "binh-duong-2018-2020"
NOW = datetime(2026, 11, 24, 10, 0)
ANALYST = Account("lan", "Nguyễn Thị Lan", "analyst", ("DOIT",))
REVIEWER = Account("hoa", "Trần Thị Hoa (DPI)", "reviewer", ("*",))
ADMIN = Account("admin", "Quản trị", "admin", ("*",))
TABLES = ("submission", "submission_event", "activity_report", "indicator_value", "report_decision")


@pytest.fixture
def con(demo_db):
    with store.connect(demo_db) as connection:
        yield connection


def snapshot(con) -> tuple:
    return tuple(
        con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in TABLES
    )


def state(con, department: str = "DOIT", period: int = 2019) -> dict:
    return service.report_state(con, PLAN_ID, department, period)


def current(con, department: str = "DOIT", period: int = 2019) -> int:
    return queries.submissions.current_submission(con, PLAN_ID, department, period)


def test_reviewer_role_is_loaded_and_reports_for_nobody() -> None:
    from greengrowth.auth import load_accounts

    accounts = load_accounts({"hoa": {"password_hash": "x", "role": "reviewer"}})
    hoa = accounts["hoa"]
    assert hoa.role == "reviewer" and hoa.is_reviewer and not hoa.is_admin
    for action in service.WRITE_ACTIONS:
        with pytest.raises(ServiceError) as info:
            service.authorize(hoa, action, PLAN_ID, "DOIT", 2019)
        assert info.value.code == "not_permitted"


@pytest.mark.parametrize(
    ("account", "action", "allowed"),
    [
        (ANALYST, "approve", False),
        (ANALYST, "return", False),
        (ANALYST, "reopen", False),
        (REVIEWER, "approve", True),
        (REVIEWER, "return", True),
        (REVIEWER, "reopen", False),
        (ADMIN, "approve", True),
        (ADMIN, "reopen", True),
    ],
)
def test_who_may_review(account, action, allowed) -> None:
    denied = service.refusal(account, action, PLAN_ID, "DARD", 2019)
    assert (denied is None) == allowed
    if denied is not None:
        assert denied.code == "not_permitted" and denied.message("vi") != denied.message("en")


def test_the_whole_cycle_in_the_service(con) -> None:
    clock = (NOW + timedelta(minutes=i) for i in range(100))  # one step after another
    assert state(con)["state"] == "submitted"  # the demo leaves 2019 awaiting review
    first = current(con)
    service.return_report(con, REVIEWER, first, "Thiếu số liệu chỉ tiêu năm 2019", now=next(clock))
    returned = state(con)
    assert returned["state"] == "returned" and returned["decided_by"] == "hoa"
    assert returned["comment"] == "Thiếu số liệu chỉ tiêu năm 2019"
    # the department uploads again: submitted once more
    again = service.commit(
        con, ANALYST, good_workbook(con), "doit-2019-lan2.xlsx", now=next(clock), explanation=WHY
    )
    assert again.outcome == "accepted" and state(con)["state"] == "submitted"
    service.approve(con, REVIEWER, again.submission_id, now=next(clock))
    approved = state(con)
    assert approved["state"] == "approved" and approved["submission_id"] == again.submission_id
    # locked: upload, withdraw, correct all refused, nothing stored
    before = snapshot(con)
    data = good_workbook(con, percent=60)
    for attempt in (
        lambda: service.commit(
            con, ANALYST, data, "doit-2019-lan3.xlsx", now=next(clock), explanation=WHY
        ),
        lambda: service.check(con, ANALYST, data, "doit-2019-lan3.xlsx", now=next(clock)),
        lambda: service.withdraw(con, ANALYST, again.submission_id, "rút", now=next(clock)),
        lambda: service.withdraw(con, ADMIN, again.submission_id, "rút", now=next(clock)),
        lambda: service.correct(
            con,
            ANALYST,
            again.submission_id,
            now=next(clock),
            activities=_edited(con, again.submission_id),
        ),  # fmt: skip
    ):
        with pytest.raises(ServiceError) as info:
            attempt()
        assert info.value.code == "locked"
        assert "hoa" in info.value.message("vi") and "24/11/2026 10:0" in info.value.message("vi")
        assert "duyệt" in info.value.message("vi")
    assert snapshot(con) == before
    # approving twice or returning an approved report is refused
    for act in (service.approve, service.return_report):
        with pytest.raises(ServiceError) as info:
            act(con, REVIEWER, again.submission_id, "x", now=next(clock))
        assert info.value.code in {"cannot_approve", "cannot_return"}
    # a reviewer may not reopen; an admin needs a reason
    with pytest.raises(ServiceError) as info:
        service.reopen(con, REVIEWER, again.submission_id, "cần sửa", now=next(clock))
    assert info.value.code == "not_permitted"
    with pytest.raises(ServiceError) as info:
        service.reopen(con, ADMIN, again.submission_id, "  ", now=next(clock))
    assert info.value.code == "reason_required" and info.value.action == "reopen"
    assert snapshot(con) == before
    service.reopen(
        con, ADMIN, again.submission_id, "Sở Công Thương xin sửa số liệu", now=next(clock)
    )
    assert state(con)["state"] == "submitted"
    service.withdraw(con, ANALYST, again.submission_id, "nộp lại bản đúng", now=next(clock))
    events = queries.cycle.event_log(con, PLAN_ID)
    mine = events[events["department_code"].eq("DOIT") & events["period"].eq(2019)]
    assert list(mine["event"])[:5] == ["withdrawal", "reopen", "approval", "upload", "return"]
    assert list(mine["actor"])[:5] == ["lan", "admin", "hoa", "lan", "hoa"]


def _edited(con, submission_id: int):
    acts = queries.submission_rows(con, submission_id)["activities"].copy()
    acts.loc[0, "done_text"] = "sửa sau khi duyệt"
    return acts


def test_return_needs_a_comment_and_approval_needs_the_current_submission(con) -> None:
    own = current(con)
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.return_report(con, REVIEWER, own, " ", now=NOW)
    assert info.value.code == "reason_required" and info.value.action == "return"
    newer = service.commit(
        con, ANALYST, good_workbook(con), "doit-moi.xlsx", now=NOW, explanation=WHY
    )
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.approve(con, REVIEWER, own, now=NOW)  # the reviewer looked at the older one
    assert info.value.code == "not_current"
    assert snapshot(con) == before
    service.approve(con, REVIEWER, newer.submission_id, now=NOW)


def test_a_returned_report_cannot_be_approved_until_uploaded_again(con) -> None:
    own = current(con)
    service.return_report(con, REVIEWER, own, "Sai đơn vị tính", now=NOW)
    with pytest.raises(ServiceError) as info:
        service.approve(con, REVIEWER, own, now=NOW)
    assert info.value.code == "cannot_approve"
    # a returned report may still be corrected by its department (a correction submits again)
    fixed = service.correct(
        con, ANALYST, own, activities=_edited(con, own), now=NOW, explanation=WHY
    )
    assert fixed.outcome == "accepted" and state(con)["state"] == "submitted"


def test_the_lock_holds_inside_the_transaction(con) -> None:
    """Approved between the analyst's check and commit: the guard refuses, nothing is stored."""
    data = good_workbook(con, percent=70)
    checked = service.check(con, ANALYST, data, "doit.xlsx", now=NOW)
    assert checked.outcome == "would_accept"
    service.approve(con, REVIEWER, current(con), now=NOW)
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.commit(con, ANALYST, data, "doit.xlsx", now=NOW, explanation=WHY)
    assert info.value.code == "locked"
    assert snapshot(con) == before


def test_value_history_traces_a_change_to_its_submission_and_user(con) -> None:
    own = current(con)
    rows = queries.submission_rows(con, own)["activities"]
    no = int(rows["activity_no"].iloc[0])
    old_text = rows["done_text"].iloc[0]
    fixed = service.correct(
        con, ANALYST, own, activities=_edited(con, own), now=NOW, explanation=WHY
    )
    history = queries.cycle.value_history(con, PLAN_ID, "activity", str(no))
    change = history[(history["submission_id"] == fixed.submission_id)]
    assert list(change["field"]) == ["done_text"]  # only what changed
    row = change.iloc[0]
    assert (row["value_before"], row["value_after"]) == (old_text, "sửa sau khi duyệt")
    assert (row["changed_by"], row["via"], row["previous_submission_id"]) == (
        "lan",
        "correction",
        own,
    )


def test_nothing_in_the_code_rewrites_the_logs() -> None:
    """The event tables are append-only: no UPDATE or DELETE of them anywhere in the code."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(
        r"(UPDATE|DELETE\s+FROM)\s+(submission_event|report_decision|signin_event)", re.I
    )
    for path in [*root.glob("greengrowth/**/*.py"), *root.glob("loaders/**/*.py"),
                 *root.glob("ui/**/*.py"), *root.glob("pages/*.py")]:  # fmt: skip
        assert not pattern.search(path.read_text("utf-8")), path


def test_a_rebuilt_database_keeps_the_decisions_and_the_sign_in_log(demo_db, tmp_path) -> None:
    from loaders.rebuild import rebuild

    sql = (
        "SELECT department_code, period, state, decided_by, comment FROM report_status ORDER BY ALL"
    )
    with store.connect(demo_db) as con:
        store.record_signin(con, "lan", "failed", NOW)
        before = con.execute(sql).fetchall()
    assert {row[2] for row in before} >= {"approved", "returned", "submitted", "not_submitted"}
    counts = rebuild(demo_db, tmp_path / "rebuilt.duckdb")
    assert counts["decisions"] > 0
    with store.connect(tmp_path / "rebuilt.duckdb") as con:
        assert con.execute(sql).fetchall() == before
        assert con.execute("SELECT count(*) FROM signin_event").fetchone()[0] == 1

"""The analyst service is the one way in for writes: every action as an account, refused with a code."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from greengrowth import queries, store
from greengrowth.auth import Account
from loaders import layout as L
from loaders import service
from loaders.errors import ServiceError
from tests.workbooks import good_workbook

PLAN_ID = "binh-duong-2018-2020"
NOW = datetime(2026, 11, 24, 10, 0)
DOIT_ANALYST = Account("lan", "Nguyễn Thị Lan", "analyst", ("DOIT",))
ADMIN = Account("admin", "Quản trị", "admin", ("*",))


@pytest.fixture
def con(demo_db):
    with store.connect(demo_db) as connection:
        yield connection


def snapshot(con) -> tuple:
    """Everything a write could change."""
    return tuple(
        con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in ("submission", "submission_event", "activity_report", "indicator_value")
    )


def current(con, department: str, period: int) -> int:
    return queries.submissions.current_submission(con, PLAN_ID, department, period)


@pytest.mark.parametrize(
    ("account", "department", "code"),
    [
        (None, "DOIT", "not_signed_in"),
        (DOIT_ANALYST, "DARD", "not_permitted"),
        (Account("x", "x", "viewer", ("DOIT",)), "DOIT", "not_permitted"),
    ],
)
def test_authorize_is_the_one_permission_decision(account, department, code):
    for action in service.ACTIONS:
        with pytest.raises(ServiceError) as info:
            service.authorize(account, action, PLAN_ID, department, 2019)
        assert info.value.code == code and info.value.action == action
        assert info.value.message("vi") != info.value.message("en")
    service.authorize(DOIT_ANALYST, "upload", PLAN_ID, "DOIT", 2019)  # allowed: no error
    service.authorize(ADMIN, "correct", PLAN_ID, "DARD", 2019)


def test_doit_analyst_may_not_withdraw_a_dard_submission(con):
    dard = current(con, "DARD", 2019)
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.withdraw(con, DOIT_ANALYST, dard, "không phải của tôi", now=NOW)
    assert info.value.code == "not_permitted"
    assert "DARD" in info.value.message("vi") and "DARD" in info.value.message("en")
    assert snapshot(con) == before and current(con, "DARD", 2019) == dard


def test_doit_analyst_may_not_correct_a_dard_submission(con):
    dard = current(con, "DARD", 2019)
    acts = queries.submission_rows(con, dard)["activities"].copy()
    acts.loc[0, "done_text"] = "sửa hộ"
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.correct(con, DOIT_ANALYST, dard, activities=acts, now=NOW)
    assert info.value.code == "not_permitted"
    assert snapshot(con) == before


def test_doit_analyst_may_not_upload_for_dard_not_even_a_dry_run(con):
    data = good_workbook(con, department="DARD")
    before = snapshot(con)
    for act in (service.check, service.commit):
        with pytest.raises(ServiceError) as info:
            act(con, DOIT_ANALYST, data, "dard.xlsx", now=NOW)
        assert info.value.code == "not_permitted"
    assert snapshot(con) == before
    # 50% everywhere after the demo's completed activities: data-quality warnings, so a reason
    stored = service.commit(
        con, DOIT_ANALYST, good_workbook(con), "doit.xlsx", now=NOW, explanation="kiểm tra lại"
    )
    assert stored.outcome == "accepted" and stored.warnings


def test_withdrawing_twice_says_why(con):
    own = current(con, "DOIT", 2019)
    service.withdraw(con, DOIT_ANALYST, own, "nộp nhầm", now=NOW)
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.withdraw(con, DOIT_ANALYST, own, "lần nữa", now=NOW)
    assert info.value.code == "already_withdrawn"
    assert str(own) in info.value.message("vi")
    with pytest.raises(ServiceError) as info:
        service.withdraw(con, DOIT_ANALYST, own, "  ", now=NOW)
    assert info.value.code == "reason_required"
    with pytest.raises(ServiceError) as info:
        service.withdraw(con, DOIT_ANALYST, 999_999, "không có", now=NOW)
    assert info.value.code == "not_found"
    assert snapshot(con) == before


def test_a_file_that_is_not_xlsx_is_refused_by_name(con):
    with pytest.raises(ServiceError) as info:
        service.check(con, DOIT_ANALYST, b"a,b\n", "bang.csv")
    assert info.value.code == "wrong_file_type" and ".csv" in info.value.message("en")


def test_submission_actions_follow_the_same_rules(con):
    dard = current(con, "DARD", 2019)
    refused = service.submission_actions(con, DOIT_ANALYST, dard)
    assert refused.withdraw.code == refused.correct.code == "not_permitted"
    allowed = service.submission_actions(con, ADMIN, dard)
    assert allowed.withdraw is None and allowed.correct is None
    visitor = service.submission_actions(con, None, dard)
    assert visitor.withdraw.code == "not_signed_in"


FORMULA_LIKE = [
    '=HYPERLINK("http://example.invalid/x","bấm vào đây")',
    "+84 274 3822 000",
    "- đã tập huấn 3 lớp",
    "@cán bộ phụ trách",
]


def test_typed_text_that_looks_like_a_formula_survives_a_correction_of_another_row(con):
    """Issue #7: texts stay text through the corrections workbook, never a formula."""
    own = current(con, "DOIT", 2020)
    acts = queries.submission_rows(con, own)["activities"].copy()
    assert len(acts) > len(FORMULA_LIKE)
    for i, text in enumerate(FORMULA_LIKE):
        acts.loc[i, "done_text"] = text
    # The demo's DOIT 2020 report carries deliberately implausible values (loaders.demo): a
    # correction of it keeps their warnings, so it gives a reason like any report with warnings.
    why = "giữ số liệu minh họa"
    first = service.correct(con, ADMIN, own, activities=acts, now=NOW, explanation=why)
    assert first.outcome == "accepted", first.problems
    again = queries.submission_rows(con, first.submission_id)["activities"].copy()
    last = len(again) - 1
    again.loc[last, "difficulties"] = "sửa một dòng khác"  # a DIFFERENT row is corrected
    second = service.correct(
        con, ADMIN, first.submission_id, activities=again, now=NOW, explanation=why
    )
    assert second.outcome == "accepted", second.problems
    stored = queries.submission_rows(con, second.submission_id)["activities"]
    assert list(stored["done_text"].head(len(FORMULA_LIKE))) == FORMULA_LIKE
    sha = queries.submissions.submission(con, second.submission_id)["sha256"]
    wb = load_workbook(io.BytesIO(store.read_original(sha, store.db_path())))
    column = L.position(L.ACTIVITY_COLUMNS, "done_text")
    cells = [
        wb[L.SHEET_ACTIVITIES].cell(row=r, column=column) for r in range(2, 2 + len(FORMULA_LIKE))
    ]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" for c in cells)  # text, never "f" (formula)


def test_rules_are_checked_again_inside_the_write_transaction(con, monkeypatch):
    """A correction prepared while its source was current, but withdrawn before it is stored (another
    tab, the CLI), is refused inside the transaction: nothing is stored."""
    from loaders import ingest

    own = current(con, "DOIT", 2019)
    acts = queries.submission_rows(con, own)["activities"].copy()
    acts.loc[0, "done_text"] = "sửa trong lúc người khác rút"
    real_prepare = service.prepare

    def prepare_then_someone_withdraws(*args, **kwargs):
        result = real_prepare(*args, **kwargs)
        ingest.withdraw(con, own, "nguoi-khac", "rút song song", now=NOW)
        return result

    monkeypatch.setattr(service, "prepare", prepare_then_someone_withdraws)
    before = snapshot(con)
    with pytest.raises(ServiceError) as info:
        service.correct(con, ADMIN, own, activities=acts, now=NOW)
    assert info.value.code == "withdrawn"
    after = snapshot(con)
    assert (
        after[0] == before[0] and after[2:] == before[2:]
    )  # only the other tab's withdrawal event


def test_a_stored_file_name_is_cleaned_and_the_raw_name_kept_only_in_the_event_log(con):
    """Issue 16, item 7: an RTL override and folders never reach the history; the log keeps them."""
    raw = "../../etc/DOIT_2020_\u202excod.xlsx"
    data = good_workbook(con, department="DOIT", period=2020, percent=41)
    result = service.commit(con, ADMIN, data, raw, explanation="số liệu thử")
    assert result.outcome == "accepted"
    row = queries.run(con, "submission", submission=result.submission_id).iloc[0]
    assert row["file_name"] == "DOIT_2020_xcod.xlsx"
    events = queries.run(con, "submission_events", submission=result.submission_id)
    reason = events["reason"].iloc[0]
    assert "\\u202e" in reason and "../../etc/" in reason and "\u202e" not in reason


def test_a_nul_in_the_file_name_is_a_refusal_and_nothing_is_stored(con):
    before = snapshot(con)
    data = good_workbook(con, department="DOIT", period=2020, percent=42)
    result = service.check(con, ADMIN, data, "doit\x00.xlsx")
    assert result.outcome == "rejected" and [p.code for p in result.problems] == ["bad_file_name"]
    assert snapshot(con) == before

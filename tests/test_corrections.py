"""Corrections: edited rows become a new submission derived from the old one; history is untouched."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd
import pytest

from greengrowth import queries, store
from greengrowth.auth import Account
from loaders import service
from loaders.corrections import correction_file_name
from loaders.errors import ServiceError

PLAN_ID = "binh-duong-2018-2020"
NOW = datetime(2026, 11, 24, 10, 0)
DEMO = Account("demo", "Demo", "admin", ("*",))
LAN = Account("lan", "Lan", "analyst", ("DOIT",))
ACCOUNTS = {"demo": DEMO, "lan": LAN}


def submit_correction(con, submission_id, user, **kwargs):
    return service.correct(con, ACCOUNTS[user], submission_id, **kwargs)


def withdraw(con, submission_id, user, reason):
    return service.withdraw(con, ACCOUNTS[user], submission_id, reason)


def current_id(con, department: str, period: int) -> int:
    frame = queries.run(
        con, "current_submission", plan=PLAN_ID, department=department, period=period
    )
    return int(frame["submission_id"].iloc[0])


@pytest.fixture
def con(demo_db):
    with store.connect(demo_db) as connection:
        yield connection


def test_unchanged_rows_round_trip_through_the_workbook_exactly(con) -> None:
    old_id = current_id(con, "DOIT", 2019)
    old = queries.submission_rows(con, old_id)
    acts = old["activities"].copy()
    acts.loc[0, "difficulties"] = "Thêm một dòng ghi chú"  # one text edit, so it is not refused
    result = submit_correction(con, old_id, "demo", activities=acts, dry_run=True, now=NOW)
    assert result.outcome == "would_accept", result.problems
    parsed = result.parsed
    spent = pd.DataFrame(parsed.spending)
    pd.testing.assert_frame_equal(
        spent.sort_values(["activity_no", "funding_source"]).reset_index(drop=True),
        old["spending"].reset_index(drop=True),
        check_dtype=False,
    )
    assert len(parsed.indicators) == len(old["indicators"])
    assert len(parsed.tasks) == len(old["tasks"])
    # statuses and values are the same; only a text changed, and the preview says so
    assert [(c.kind, c.key) for c in result.changes] == [
        ("activity", str(acts.loc[0, "activity_no"]))
    ]


def test_a_correction_is_a_new_submission_derived_from_the_old_one(con) -> None:
    old_id = current_id(con, "DOIT", 2019)
    before = queries.submission_rows(con, old_id)
    old_file = queries.run(con, "submission", submission=old_id)["file_name"].iloc[0]
    acts = before["activities"].copy()
    first = int(acts.loc[0, "activity_no"])
    acts.loc[0, ["status", "percent_complete"]] = ["completed", 100.0]
    acts.loc[1, ["status", "percent_complete"]] = ["in_progress", 55.0]

    result = submit_correction(con, old_id, "lan", activities=acts, now=NOW)

    assert result.outcome == "accepted", result.problems
    new = queries.run(con, "submission", submission=result.submission_id).iloc[0]
    assert int(new["derived_from"]) == old_id
    assert new["file_name"] == correction_file_name(old_file) == f"sua-{old_file}"
    assert new["uploaded_by"] == "lan"
    assert current_id(con, "DOIT", 2019) == result.submission_id
    assert result.replaces == old_id
    rows = queries.submission_rows(con, result.submission_id)["activities"].set_index("activity_no")
    assert rows.loc[first, "status"] == "completed" and rows.loc[first, "percent_complete"] == 100
    # the old submission is never edited
    pd.testing.assert_frame_equal(
        queries.submission_rows(con, old_id)["activities"], before["activities"]
    )
    # the corrected workbook is kept like any upload, under its SHA-256
    data = store.read_original(new["sha256"], store.db_path())
    assert hashlib.sha256(data).hexdigest() == new["sha256"]
    assert any(c.text_vi.startswith(f"Hoạt động {first}:") for c in result.changes)


def test_indicator_and_task_edits_are_stored(con) -> None:
    old_id = current_id(con, "DONRE", 2020)
    old = queries.submission_rows(con, old_id)
    inds, tasks = old["indicators"].copy(), old["tasks"].copy()
    assert not inds.empty and not tasks.empty
    inds.loc[0, "value"] = float(inds.loc[0, "value"]) + 1
    tasks.loc[0, "note"] = "Đã bổ sung hồ sơ"
    # The demo's DONRE 2020 report carries a deliberately implausible status (loaders.demo), so its
    # correction, like any report with warnings, is stored with an explanation.
    result = submit_correction(
        con, old_id, "demo", indicators=inds, tasks=tasks, now=NOW, explanation="bổ sung hồ sơ"
    )
    assert result.outcome == "accepted", result.problems
    new = queries.submission_rows(con, result.submission_id)
    assert new["indicators"]["value"].tolist() == inds["value"].tolist()
    assert new["tasks"].loc[0, "note"] == "Đã bổ sung hồ sơ"


def test_nothing_changed_is_refused(con) -> None:
    old_id = current_id(con, "DOIT", 2019)
    count = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    with pytest.raises(ServiceError) as info:
        submit_correction(con, old_id, "demo", now=NOW)
    assert info.value.code == "no_changes"
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == count


def test_an_invalid_correction_lists_problems_and_stores_nothing(con) -> None:
    old_id = current_id(con, "DOIT", 2019)
    acts = queries.submission_rows(con, old_id)["activities"].copy()
    acts.loc[0, ["status", "percent_complete"]] = ["completed", 40.0]  # completed must be 100
    count = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    result = submit_correction(con, old_id, "demo", activities=acts, now=NOW)
    assert result.outcome == "rejected"
    assert [p.code for p in result.problems] == ["percent_status_conflict"]
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == count


def test_only_the_current_accepted_submission_can_be_corrected(con) -> None:
    old_id = current_id(con, "DOIT", 2019)
    acts = queries.submission_rows(con, old_id)["activities"].copy()
    acts.loc[0, "done_text"] = "Sửa lần 1"
    newer = submit_correction(con, old_id, "demo", activities=acts, now=NOW).submission_id
    with pytest.raises(ServiceError) as info:
        submit_correction(con, old_id, "demo", activities=acts, now=NOW)
    assert info.value.code == "not_current"
    withdraw(con, newer, "demo", "nhầm")
    withdraw(con, old_id, "demo", "nhầm nữa")
    with pytest.raises(ServiceError) as info:
        submit_correction(con, old_id, "demo", activities=acts, now=NOW)
    assert info.value.code == "withdrawn"
    with pytest.raises(ServiceError) as info:
        submit_correction(con, 999_999, "demo")
    assert info.value.code == "not_found"


def test_a_small_percentage_survives_a_correction(con) -> None:
    """A stored 1% must not be written back as the bare number 1 (which reads as 100%)."""
    old_id = current_id(con, "DOIT", 2019)
    acts = queries.submission_rows(con, old_id)["activities"].copy()
    acts.loc[0, ["status", "percent_complete"]] = ["in_progress", 1.0]
    acts.loc[1, ["status", "percent_complete"]] = ["in_progress", 0.5]
    first = submit_correction(
        con, old_id, "demo", activities=acts, now=NOW, explanation="tiến độ tính lại"
    )  # completed activities set back to 1%: data-quality warnings, so a reason
    assert first.outcome == "accepted", first.problems
    again = queries.submission_rows(con, first.submission_id)["activities"].copy()
    again.loc[2, "difficulties"] = "sửa chữ"  # an unrelated edit
    second = submit_correction(
        con, first.submission_id, "demo", activities=again, now=NOW, explanation="như trên"
    )
    assert second.outcome == "accepted", second.problems
    stored = queries.submission_rows(con, second.submission_id)["activities"]
    assert list(stored["percent_complete"].head(2)) == [1.0, 0.5]

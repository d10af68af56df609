"""The queries that stay cheap at scale give what the per-plan and whole-list queries give."""

from __future__ import annotations

import pandas as pd
import pytest

from greengrowth import store
from greengrowth.queries import dashboard as q
from greengrowth.queries import scale
from greengrowth.queries import submissions as sq
from greengrowth.queries.base import run_sql
from loaders.ingest import withdraw

PLAN_ID = "binh-duong-2018-2020"


def _full_history(con) -> pd.DataFrame:
    """The whole list the history page loads today (a function after the analyst-service merge)."""
    if hasattr(sq, "submission_history"):
        return sq.submission_history(con, PLAN_ID)
    return sq.run(con, "submission_history", [PLAN_ID])


def _plain(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples with every missing value as None (the pages concatenated may differ in dtype)."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]


def test_latest_periods_agree_with_latest_period(demo_db):
    with store.connect(demo_db) as con:
        plans = store.plan_ids(con)
        assert scale.latest_periods(con) == {p: q.latest_period(con, p) for p in plans}
        latest = scale.latest_periods(con)[PLAN_ID]
        assert latest is not None
        # Withdraw every submission of the latest period: the period before becomes the latest.
        ids = con.execute(
            "SELECT submission_id FROM submission WHERE plan_id = ? AND period = ?",
            [PLAN_ID, latest],
        ).fetchall()
        for (sid,) in ids:
            withdraw(con, sid, "test", "kiểm thử")
        assert scale.latest_periods(con)[PLAN_ID] == q.latest_period(con, PLAN_ID) < latest


def test_latest_periods_of_a_plan_without_data(catalog_con):
    assert scale.latest_periods(catalog_con) == {PLAN_ID: None}


@pytest.mark.parametrize("department,period", [(None, None), ("DOIT", None), (None, 2019),
                                               ("DONRE", 2020)])  # fmt: skip
def test_history_pages_add_up_to_the_whole_filtered_list(demo_db, department, period):
    with store.connect(demo_db) as con:
        # A correction-like resubmission and a withdrawal, so every state is present.
        first = _full_history(con)["submission_id"].iloc[-1]
        withdraw(con, int(first), "test", "kiểm thử")
        full = _full_history(con)
        if department:
            full = full[full["department_code"] == department]
        if period:
            full = full[full["period"] == period]
        assert not full.empty
        pages, total, page = [], None, 0
        while True:
            frame, total = scale.submission_history_page(
                con, PLAN_ID, department=department, period=period, page=page, page_size=7
            )
            if frame.empty:
                break
            assert len(frame) <= 7
            pages.append(frame)
            page += 1
        got = pd.concat(pages, ignore_index=True)
        assert total == len(full)
        want = full.reset_index(drop=True)[got.columns]
        assert _plain(got) == _plain(want)
        assert set(got["state"]) <= {"current", "superseded", "withdrawn"}


def test_history_filters_list_what_the_submissions_have(demo_db):
    with store.connect(demo_db) as con:
        full = _full_history(con)
        filters = scale.submission_history_filters(con, PLAN_ID)
    assert filters["departments"] == sorted(full["department_code"].unique())
    assert filters["periods"] == sorted((int(p) for p in full["period"].unique()), reverse=True)
    assert filters["total"] == len(full)


def test_history_of_a_plan_without_submissions(catalog_con):
    frame, total = scale.submission_history_page(catalog_con, PLAN_ID)
    assert frame.empty and total == 0
    assert scale.submission_history_filters(catalog_con, PLAN_ID) == {
        "departments": [],
        "periods": [],
        "total": 0,
    }


# What "approved only" meant before issue 11: a subquery over report_status, which DuckDB planned and
# ran for every plan's reports even with $approved_only false. queries.dashboard now reads
# report_decision for one plan; both must count the same reports.
_BY_REPORT_STATUS = """(NOT $approved_only OR s.submission_id IN (
    SELECT submission_id FROM report_status WHERE state = 'approved'))"""


def _decide_every_way(con) -> None:
    """Approved, returned, approved then reopened, reopened then approved again, returned then
    approved, and an approved report whose submission was then withdrawn."""
    current = con.execute(
        """SELECT plan_id, department_code, period, submission_id FROM report_status
           WHERE plan_id = ? AND state = 'submitted' ORDER BY period DESC, department_code""",
        [PLAN_ID],
    ).fetchall()
    assert len(current) >= 6
    plans = {
        0: ["approved"],  # then withdrawn below
        1: ["approved"],
        2: ["returned"],
        3: ["approved", "reopened"],
        4: ["approved", "reopened", "approved"],
        5: ["returned", "approved"],
    }
    at = pd.Timestamp("2021-01-05 09:00")
    with store.transaction(con):
        for i, decisions in plans.items():
            plan_id, dept, period, sid = current[i]
            for n, decision in enumerate(decisions):
                store.record_decision(con, (plan_id, dept, int(period)), int(sid), decision,
                                      at + pd.Timedelta(minutes=10 * i + n), "dpi", "x")  # fmt: skip
    withdraw(con, int(current[0][3]), "test", "kiểm thử")


@pytest.mark.parametrize("name", ["overview_headline", "status_by_period", "progress_by_group",
                                  "activity_status_history", "priority_tasks", "department_summary",
                                  "indicator_values"])  # fmt: skip
def test_approved_only_counts_what_report_status_approves(demo_db, name):
    with store.connect(demo_db) as con:
        count = "SELECT count(*) FROM report_status WHERE plan_id = ? AND state = 'approved'"
        before = con.execute(count, [PLAN_ID]).fetchone()[0]
        _decide_every_way(con)  # on reports the demo has not decided yet
        assert con.execute(count, [PLAN_ID]).fetchone()[0] == before + 3  # rows 1, 4 and 5
        period = q.latest_period(con, PLAN_ID)
        params = {"plan": PLAN_ID, "period": period, "theme": None, "group": None,
                  "department": None, "today": pd.Timestamp("2021-06-01").date(),
                  "indicator": None}  # fmt: skip
        sql = q.SQL[name]
        reference = sql.replace(q._APPROVED, _BY_REPORT_STATUS).replace(
            q._APPROVED.replace("s.", "c."), _BY_REPORT_STATUS.replace("s.", "c.")
        )
        assert reference != sql  # the query has the switch
        got = {}
        for approved_only in (True, False):
            got[approved_only] = run_sql(con, sql, params | {"approved_only": approved_only})
            want = run_sql(con, reference, params | {"approved_only": approved_only})
            pd.testing.assert_frame_equal(got[approved_only], want)
        if name in ("overview_headline", "status_by_period", "activity_status_history"):
            assert not got[True].equals(got[False])  # the switch changes the figures


# current_submissions as it was defined over the `submissions` view before issue 11 (a contract: the
# view now reads the table directly and must give the same rows and columns).
_CURRENT_OVER_SUBMISSIONS = """
    SELECT * EXCLUDE (rn) FROM (
        SELECT *, row_number() OVER (
            PARTITION BY plan_id, department_code, period
            ORDER BY uploaded_at DESC, submission_id DESC) AS rn
        FROM submissions WHERE status = 'accepted'
    ) WHERE rn = 1 ORDER BY submission_id"""


def test_current_submissions_are_the_newest_accepted_of_submissions(demo_db):
    with store.connect(demo_db) as con:
        rows = con.execute(
            "SELECT * FROM submission WHERE plan_id = ? ORDER BY submission_id", [PLAN_ID]
        ).df()
        with store.transaction(con):
            for i, shift in ((0, "1 day"), (1, "0 days"), (2, "1 day")):
                # a newer upload, one with the same upload time (the higher id wins), and one that
                # is withdrawn below (the older one is current again)
                values = rows.iloc[i].to_dict()
                values["uploaded_at"] = values["uploaded_at"] + pd.Timedelta(shift)
                newer = store.insert_submission(con, values)
        withdraw(con, newer, "test", "kiểm thử")
        withdraw(con, int(rows["submission_id"].iloc[3]), "test", "kiểm thử")  # none left there
        got = con.execute("SELECT * FROM current_submissions ORDER BY submission_id").df()
        want = con.execute(_CURRENT_OVER_SUBMISSIONS).df()
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == len(rows) - 1
    assert int(rows["submission_id"].iloc[0]) not in set(got["submission_id"])  # superseded

"""The analyst service: the one way in for writes. Check, commit, withdraw and correct a report, each
as an Account, each refused with a coded ServiceError (loaders.errors) when the account may not.

The web pages, the CLI and the demo builder all come through here, so a rule holds on every path.
Every permission decision is made in `authorize`: the reporting cycle (approved reports locked,
reviewer and admin roles) adds its checks there and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import duckdb
import pandas as pd

from greengrowth import clock, queries, store
from greengrowth.auth import Account
from greengrowth.rows import ActivitySpending, ActivityStatus, IndicatorValue, TaskStatus
from loaders import corrections, quality_check
from loaders.errors import ServiceError
from loaders.ingest import Change, IngestResult, diff_against, prepare, store_prepared
from loaders.ingest import withdraw as _withdraw
from loaders.validate import ParsedSubmission

log = logging.getLogger(__name__)

WRITE_ACTIONS = ("upload", "withdraw", "correct")
REVIEW_ACTIONS = ("approve", "return", "reopen")  # the reporting cycle (issue #9)
ACTIONS = WRITE_ACTIONS + REVIEW_ACTIONS
WRITER_ROLES = ("admin", "analyst")
REVIEWER_ROLES = ("admin", "reviewer")  # approve and return, for every department
REOPEN_ROLES = ("admin",)  # reopen an approved report (with a reason)
# The state a report must be in for a review action (report_status.state).
REVIEW_FROM = {"approve": ("submitted",), "return": ("submitted",), "reopen": ("approved",)}
EDITABLE = corrections.EDITABLE  # what the correction editor may change, per table

__all__ = [
    "ACTIONS",
    "EDITABLE",
    "approve",
    "CheckResult",
    "ServiceError",
    "authorize",
    "check",
    "commit",
    "connection",
    "correct",
    "own_departments",
    "refusal",
    "reopen",
    "report_state",
    "return_report",
    "review_changes",
    "review_actions",
    "submission_actions",
    "withdraw",
]

# What check and commit return: the validation outcome, problems, warnings and change preview.
CheckResult = IngestResult


def authorize(
    account: Account | None,
    action: str,
    plan_id: str,
    department_code: str,
    period: int,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Raise ServiceError unless `account` may `action` the report of a department and period.

    The one place every permission is decided (web, CLI, corrections alike). `con` is the store, for
    rules that depend on what is stored (the reporting cycle's approval lock); every write path
    passes it, inside its transaction as well as before.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if account is None:
        raise ServiceError("not_signed_in", action)
    if action in WRITE_ACTIONS:
        if account.role not in WRITER_ROLES or not account.may_report_for(department_code):
            raise ServiceError(
                "not_permitted", action, department=department_code, user=account.username
            )
    elif account.role not in (REOPEN_ROLES if action == "reopen" else REVIEWER_ROLES):
        raise ServiceError(
            "not_permitted", action, department=department_code, user=account.username
        )
    if con is not None:
        _cycle_rule(con, action, plan_id, department_code, period)


def report_state(
    con: duckdb.DuckDBPyConnection, plan_id: str, department_code: str, period: int
) -> dict:
    """The report's row in the report_status view (state not_submitted when nothing is stored)."""
    row = queries.cycle.report_state(con, plan_id, department_code, period)
    return row or {"state": "not_submitted", "submission_id": None, "decided_by": None,
                   "decided_at": None, "comment": None}  # fmt: skip


def _when(at) -> str:
    return "?" if at is None or at != at else f"{pd.Timestamp(at):%d/%m/%Y %H:%M}"


def _cycle_rule(
    con: duckdb.DuckDBPyConnection, action: str, plan_id: str, department_code: str, period: int
) -> None:
    """The reporting cycle's rules: an approved report is locked; a review action needs the state
    it acts on (approve or return a submitted report, reopen an approved one)."""
    state = report_state(con, plan_id, department_code, period)
    where = {"department": department_code, "period": period}
    if action in WRITE_ACTIONS:
        if state["state"] == "approved":
            raise ServiceError(
                "locked", action, **where, user=state["decided_by"],
                at=_when(state["decided_at"]),
            )  # fmt: skip
        return
    if state["state"] not in REVIEW_FROM[action]:
        raise ServiceError(f"cannot_{action}", state=state["state"], **where)


def refusal(
    account: Account | None,
    action: str,
    plan_id: str,
    department_code: str,
    period: int,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ServiceError | None:
    """Why `account` may not do `action` (the error authorize would raise), or None if it may."""
    try:
        authorize(account, action, plan_id, department_code, period, con=con)
    except ServiceError as exc:
        return exc
    return None


def own_departments(account: Account | None, department_codes: list[str]) -> list[str]:
    """The departments among `department_codes` this account uploads for (an admin: none in
    particular), so a page can preselect them; a choice, not a permission (authorize decides)."""
    if account is None or account.is_admin:
        return []
    return [code for code in department_codes if refusal(account, "upload", "", code, 0) is None]


@contextmanager
def connection(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A store connection whose opening failures are ServiceErrors too (store busy or broken)."""
    with _StoreEdge("opening the store"), store.connect(read_only=read_only) as con:
        yield con


def _checked_file(file_name: str) -> None:
    suffix = PurePath(file_name).suffix.lower()
    if suffix != ".xlsx":
        raise ServiceError("wrong_file_type", name=file_name, suffix=suffix or "?")


class _StoreEdge:
    """DuckDB and storage failures become a ServiceError a person can act on (details go to the log)."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, ServiceError):
            return False
        if isinstance(exc, store.StoreError):
            log.warning("store busy while %s: %s", self.what, exc)
            raise ServiceError("store_busy") from exc
        if isinstance(exc, duckdb.Error | OSError):
            log.exception("store failure while %s", self.what)
            raise ServiceError("store_failed") from exc
        return False


def check(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    data: bytes,
    file_name: str,
    *,
    now: datetime | None = None,
) -> CheckResult:
    """A dry run: what storing this workbook would do (problems, warnings, changes); stores nothing.

    Raises ServiceError when the file is not a workbook by name or the account may not report for
    the department the workbook names (known only after reading it).
    """
    if account is None:
        raise ServiceError("not_signed_in", "upload")
    _checked_file(file_name)
    with _StoreEdge(f"checking {file_name}"):
        result = prepare(con, data, file_name, now=now)
    if result.parsed is not None and result.outcome == "would_accept":
        p = result.parsed
        authorize(account, "upload", p.plan_id, p.department_code, p.period, con=con)
    return result


def commit(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    data: bytes,
    file_name: str,
    *,
    now: datetime | None = None,
    explanation: str | None = None,
) -> CheckResult:
    """Check and, when acceptable, store a workbook as `account` (all or nothing).

    A report with data-quality warnings is stored only with the analyst's `explanation` (kept with
    the submission); without one nothing is stored and the outcome is "needs_explanation".
    Returns the result (outcome accepted, needs_explanation, rejected or duplicate); raises
    ServiceError when refused.
    """
    now = now or clock.now()
    result = check(con, account, data, file_name, now=now)
    if result.outcome != "would_accept" or _unexplained(result, explanation):
        return result
    p = result.parsed

    def guard(con: duckdb.DuckDBPyConnection) -> None:  # the rules again, inside the transaction
        authorize(account, "upload", p.plan_id, p.department_code, p.period, con=con)

    with _StoreEdge(f"storing {file_name}"):
        return store_prepared(
            con, data, result, account.username, now=now, guard=guard,
            explanation=_explanation(result, explanation),
        )  # fmt: skip


def _source(con: duckdb.DuckDBPyConnection, submission_id: int) -> dict:
    old = queries.submissions.submission(con, submission_id)
    if old is None:
        raise ServiceError("not_found", id=submission_id)
    return old


def withdraw(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    submission_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> int | None:
    """Withdraw a submission with a reason; returns the submission that is current afterwards."""
    if not (reason or "").strip():
        raise ServiceError("reason_required")
    with _StoreEdge(f"withdrawing {submission_id}"):
        old = _source(con, submission_id)
        key = (old["plan_id"], old["department_code"], int(old["period"]))
        authorize(account, "withdraw", *key, con=con)
        _withdraw(
            con,
            submission_id,
            account.username,
            reason,
            now=now,
            guard=lambda con: authorize(account, "withdraw", *key, con=con),
        )
        return queries.submissions.current_submission(
            con, old["plan_id"], old["department_code"], int(old["period"])
        )


def _correctable(con: duckdb.DuckDBPyConnection, old: dict) -> None:
    submission_id = int(old["submission_id"])
    if old["status"] != "accepted":
        raise ServiceError("withdrawn", "correct", id=submission_id)
    current = queries.submissions.current_submission(
        con, old["plan_id"], old["department_code"], int(old["period"])
    )
    if current != submission_id:
        raise ServiceError("not_current", "correct", id=submission_id)


def correct(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    submission_id: int,
    *,
    activities: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    explanation: str | None = None,
) -> CheckResult:
    """Edited rows become a new submission derived from the current one (never an edit).

    A corrected report with data-quality warnings needs an `explanation`, as an upload does.

    The rows are written into a fresh template workbook and go through the same validation as an
    upload, read and validated once. Raises ServiceError when the submission cannot be corrected by
    this account or nothing changed.
    """
    now = now or clock.now()
    with _StoreEdge(f"correcting {submission_id}"):
        old = _source(con, submission_id)
        key = (old["plan_id"], old["department_code"], int(old["period"]))
        authorize(account, "correct", *key, con=con)
        _correctable(con, old)
        rows = queries.submission_rows(con, submission_id)
        edited = {
            "activities": rows["activities"] if activities is None else activities,
            "tasks": rows["tasks"] if tasks is None else tasks,
            "indicators": rows["indicators"] if indicators is None else indicators,
        }
        data = corrections.corrected_workbook(con, old, rows | edited)
        name = corrections.correction_file_name(old["file_name"])
        result = prepare(con, data, name, now=now)
        if result.outcome == "would_accept" and not corrections.changed_anything(result, rows):
            raise ServiceError("no_changes", "correct")
        if dry_run or result.outcome != "would_accept" or _unexplained(result, explanation):
            return result

        def guard(con: duckdb.DuckDBPyConnection) -> None:  # nothing changed underneath
            authorize(account, "correct", *key, con=con)
            _correctable(con, _source(con, submission_id))

        return store_prepared(
            con, data, result, account.username, now=now, derived_from=submission_id, guard=guard,
            explanation=_explanation(result, explanation),
        )  # fmt: skip


def refresh_quality(con: duckdb.DuckDBPyConnection) -> None:
    """Every plan's stored data-quality warnings, recomputed in one transaction (after a catalog
    load: rules or indicators may have moved)."""
    with _StoreEdge("refreshing data-quality warnings"), store.transaction(con):
        for plan_id in store.plan_ids(con):
            quality_check.refresh(con, plan_id)


def _unexplained(result: CheckResult, explanation: str | None) -> bool:
    """A report with warnings and no explanation: nothing is stored, the outcome says why."""
    if result.warnings and not quality_check.clean_explanation(explanation):
        result.outcome = "needs_explanation"
        return True
    return False


def _explanation(result: CheckResult, explanation: str | None) -> str | None:
    """What is stored with the submission: the cleaned explanation, only when there are warnings."""
    return quality_check.clean_explanation(explanation) or None if result.warnings else None


@dataclass(frozen=True)
class SubmissionActions:
    """What an account may do with one submission: None where allowed, else the reason why not."""

    withdraw: ServiceError | None
    correct: ServiceError | None


def submission_actions(
    con: duckdb.DuckDBPyConnection, account: Account | None, submission_id: int
) -> SubmissionActions:
    """The history page's question, answered by the same rules the actions themselves apply."""
    old = _source(con, submission_id)
    key = (old["plan_id"], old["department_code"], int(old["period"]))
    denied = refusal(account, "withdraw", *key, con=con)
    if denied is None and old["status"] == "withdrawn":
        denied = ServiceError("already_withdrawn", id=submission_id)
    fix = refusal(account, "correct", *key, con=con)
    if fix is None:
        try:
            _correctable(con, old)
        except ServiceError as exc:
            fix = exc
    return SubmissionActions(withdraw=denied, correct=fix)


# ---- the reporting cycle (issue #9): DPI approves or returns a report, an admin reopens it -------


def _decide(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    action: str,
    submission_id: int,
    comment: str,
    now: datetime | None,
) -> None:
    """One decision on the report a submission belongs to, checked again inside the transaction:
    the submission must still be the report's current one (no newer upload meanwhile)."""
    decision = {"approve": "approved", "return": "returned", "reopen": "reopened"}[action]
    comment = (comment or "").strip()
    if action in ("return", "reopen") and not comment:
        raise ServiceError("reason_required", action)
    with _StoreEdge(f"{action} {submission_id}"):
        old = _source(con, submission_id)
        key = (old["plan_id"], old["department_code"], int(old["period"]))
        authorize(account, action, *key, con=con)
        with store.transaction(con):
            authorize(account, action, *key, con=con)
            if queries.submissions.current_submission(con, *key) != int(submission_id):
                raise ServiceError("not_current", action, id=submission_id)
            store.record_decision(
                con, key, int(submission_id), decision, now or clock.now(), account.username,
                comment or None,
            )  # fmt: skip


def approve(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    submission_id: int,
    comment: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """DPI approves the report this (current, submitted) submission holds: it is locked from now."""
    _decide(con, account, "approve", submission_id, comment, now)


def return_report(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    submission_id: int,
    comment: str,
    *,
    now: datetime | None = None,
) -> None:
    """DPI returns the report to its department with a comment (required); a new upload resubmits."""
    _decide(con, account, "return", submission_id, comment, now)


def reopen(
    con: duckdb.DuckDBPyConnection,
    account: Account | None,
    submission_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> None:
    """An admin reopens an approved report (reason required): it is submitted again, unlocked."""
    _decide(con, account, "reopen", submission_id, reason, now)


@dataclass(frozen=True)
class ReviewActions:
    """What an account may do with one report under review: None where allowed, else why not."""

    approve: ServiceError | None
    return_: ServiceError | None
    reopen: ServiceError | None


def review_actions(
    con: duckdb.DuckDBPyConnection, account: Account | None, plan_id: str, department: str,
    period: int,
) -> ReviewActions:  # fmt: skip
    """The review page's question, answered by the same rules the actions apply."""
    key = (plan_id, department, period)
    return ReviewActions(
        approve=refusal(account, "approve", *key, con=con),
        return_=refusal(account, "return", *key, con=con),
        reopen=refusal(account, "reopen", *key, con=con),
    )


def review_changes(
    con: duckdb.DuckDBPyConnection, submission_id: int, against: int | None
) -> list[Change]:
    """What a submitted report changes against the previous approved version (`against`; None:
    everything is new): the same change sentences as the upload preview."""
    old = _source(con, submission_id)
    rows = queries.submission_rows(con, submission_id)
    parsed = ParsedSubmission(
        plan_id=old["plan_id"],
        department_code=old["department_code"],
        period=int(old["period"]),
        activities=_records(rows["activities"], ActivityStatus),
        spending=_records(rows["spending"], ActivitySpending),
        tasks=_records(rows["tasks"], TaskStatus),
        indicators=_records(rows["indicators"], IndicatorValue),
    )
    return diff_against(
        con, parsed, None if against is None or against != against else int(against)
    )


def _records(frame: pd.DataFrame, row_type: type) -> list:
    clean = frame.astype(object).where(frame.notna(), None)
    return [row_type(**row) for row in clean.to_dict("records")]

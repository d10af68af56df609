"""The ingest engine: read, validate and diff one workbook (prepare), then store it, all of it or
nothing (store_prepared).

People reach it only through the analyst service (loaders.service), which decides who may store what;
the CLI, the upload page, corrections and the demo builder all go that way, so the demo exercises the
real path. A file is identified by its SHA-256: the very same bytes are never stored twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

import duckdb
import pandas as pd

from greengrowth import clock, queries, store
from greengrowth.i18n import LANGS, fmt_number, t
from greengrowth.queries.base import memo
from greengrowth.rows import ActivitySpending, ActivityStatus, field_names
from loaders import quality_check
from loaders.errors import ServiceError
from loaders.problems import Problem, problem
from loaders.uploaded_files import FALLBACK_NAME, display_name, name_problem, raw_name_for_log
from loaders.validate import ParsedSubmission, validate
from loaders.workbook import read_workbook


class Change:
    """One difference against the current data for the same department and period.

    Its sentence is written when first asked for (`text`, `text_vi`, `text_en`) by `render(lang)`,
    a functools.partial of a module-level function (so a Change pickles): a 10,000-row report is
    diffed and stored without formatting 20,000 numbers nobody may look at. Sentences given to the
    constructor are used as they are.
    """

    __slots__ = ("kind", "key", "before", "after", "render", "_texts")

    def __init__(self, kind: str, key: str, before: str | None, after: str,
                 text_vi: str | None = None, text_en: str | None = None, *,
                 render: Callable[[str], str] | None = None) -> None:  # fmt: skip
        self.kind = kind  # activity | task | indicator
        self.key, self.before, self.after, self.render = key, before, after, render
        self._texts = {lang: text for lang, text in (("vi", text_vi), ("en", text_en)) if text}

    def text(self, lang: str = "vi") -> str:
        if lang not in self._texts:
            self._texts[lang] = self.render(lang) if self.render is not None else ""
        return self._texts[lang]

    @property
    def text_vi(self) -> str:
        return self.text("vi")

    @property
    def text_en(self) -> str:
        return self.text("en")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Change):
            return NotImplemented
        mine = (self.kind, self.key, self.before, self.after, self.text_vi, self.text_en)
        return mine == (other.kind, other.key, other.before, other.after, other.text_vi,
                        other.text_en)  # fmt: skip

    __hash__ = None

    def __repr__(self) -> str:
        return f"Change({self.kind!r}, {self.key!r}, {self.before!r}, {self.after!r})"


@dataclass
class IngestResult:
    file_name: str
    sha256: str
    size_bytes: int
    outcome: str  # accepted | would_accept | needs_explanation | rejected | duplicate
    problems: list[Problem] = field(default_factory=list)
    # Things that look wrong but do not stop a report: data-quality warnings
    # (loaders.quality_check.ReportWarning); storing it then needs an explanation.
    warnings: list = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    parsed: ParsedSubmission | None = None
    submission_id: int | None = None
    replaces: int | None = None  # the submission that was current before
    raw_file_name: object = None  # the name exactly as the browser sent it (event log only)

    @property
    def ok(self) -> bool:
        return self.outcome in {"accepted", "would_accept", "duplicate"}

    def counts(self) -> dict[str, int]:
        p = self.parsed
        if p is None:
            return {"activities": 0, "tasks": 0, "indicators": 0}
        return {
            "activities": len(p.activities),
            "tasks": len(p.tasks),
            "indicators": len(p.indicators),
        }


def prepare(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    now: datetime | None = None,
) -> IngestResult:
    """Read, validate and diff a workbook against the current data; stores nothing.

    The outcome is "would_accept", "rejected" or "duplicate"; `store_prepared` writes a
    "would_accept" result without reading or validating the file again.
    """
    # Nothing is written here, so a question asked twice (validation and the template both read the
    # plan, the change preview and the quality rules both read the report this one replaces and the
    # previous period's) is answered once (issue 11: each query costs 5-10 ms to plan and run).
    with memo({}):
        return _prepare(con, data, file_name, now=now)


def _prepare(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *, now: datetime | None
) -> IngestResult:
    now = now or clock.now()
    sha = hashlib.sha256(data).hexdigest()
    # The browser's name is stored and shown cleaned (no folders, controls or direction overrides);
    # the name exactly as sent goes only into the event log.
    result = IngestResult(
        file_name=display_name(file_name) if isinstance(file_name, str) else FALLBACK_NAME,
        sha256=sha,
        size_bytes=len(data),
        outcome="rejected",
        raw_file_name=file_name,
    )
    refused = name_problem(file_name)
    if refused is not None:
        result.problems = [refused]
        return result
    existing = queries.run(con, "submission_by_sha", sha=sha)
    if not existing.empty:
        result.outcome = "duplicate"
        result.submission_id = int(existing["submission_id"].iloc[0])
        result.problems = [problem("duplicate_file", value=result.submission_id)]
        return result
    raw, problems = read_workbook(data, name=result.file_name)
    if raw is None or problems:
        result.problems = problems
        return result
    parsed, problems = validate(con, raw, now.date())
    result.parsed, result.problems = parsed, problems
    if problems or parsed is None:
        return result
    current = queries.run(
        con,
        "current_submission",
        plan=parsed.plan_id,
        department=parsed.department_code,
        period=parsed.period,
    )
    if not current.empty:
        result.replaces = int(current["submission_id"].iloc[0])
    result.changes = diff_against(con, parsed, result.replaces)
    result.warnings = quality_check.report_warnings(con, parsed, result.replaces)
    result.outcome = "would_accept"
    return result


def store_prepared(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    result: IngestResult,
    uploaded_by: str,
    *,
    now: datetime | None = None,
    derived_from: int | None = None,
    guard: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    explanation: str | None = None,
) -> IngestResult:
    """Store a prepared ("would_accept") result in one transaction; the original bytes are kept.

    `guard(con)` runs inside the transaction before anything is written: the service re-checks its
    rules there, so nothing decided earlier can have changed underneath (it raises to refuse).
    `explanation`: the analyst's reason for storing a report with data-quality warnings, recorded as
    a `warnings_accepted` event. The plan's stored warnings are recomputed in the same transaction.
    """
    if result.outcome != "would_accept" or result.parsed is None:
        raise ValueError(f"only a checked, acceptable workbook can be stored ({result.outcome})")
    now = now or clock.now()
    parsed = result.parsed
    store.save_original(data, result.sha256, store.database_file(con))
    try:
        with store.transaction(con):
            if guard is not None:
                guard(con)
            result.submission_id = _insert(con, parsed, result, uploaded_by, now, derived_from)
            store.append_record_rows(con, result.submission_id, quality_check.record_rows(parsed))
            if explanation:
                store.record_event(
                    con, result.submission_id, "warnings_accepted", now, uploaded_by, explanation
                )
            quality_check.refresh_after(con, parsed.plan_id, parsed.department_code, parsed.period)
    except BaseException:
        quality_check.forget(parsed.plan_id)
        raise
    result.outcome = "accepted"
    return result


def ingest_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    uploaded_by: str,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    derived_from: int | None = None,
    explanation: str | None = None,
) -> IngestResult:
    """Validate a workbook and, unless dry_run or it has problems, store it in one transaction.

    The engine below the account-aware service (loaders.service), which people go through; the
    rebuild replays stored originals with it directly.
    """
    result = prepare(con, data, file_name, now=now)
    if dry_run or result.outcome != "would_accept":
        return result
    return store_prepared(
        con, data, result, uploaded_by, now=now, derived_from=derived_from, explanation=explanation
    )


def _insert(
    con,
    parsed: ParsedSubmission,
    result: IngestResult,
    uploaded_by: str,
    now: datetime,
    derived_from: int | None,
) -> int:
    counts = result.counts()
    submission_id = store.insert_submission(con, {
        "plan_id": parsed.plan_id, "department_code": parsed.department_code,
        "period": parsed.period, "file_name": result.file_name, "sha256": result.sha256,
        "size_bytes": result.size_bytes, "uploaded_at": now, "uploaded_by": uploaded_by,
        "reported_on": parsed.reported_on, "prepared_by": parsed.prepared_by,
        "derived_from": derived_from, "illustrative": parsed.illustrative,
        "n_activity_rows": counts["activities"], "n_task_rows": counts["tasks"],
        "n_indicator_rows": counts["indicators"],
    })  # fmt: skip
    notes = [] if derived_from is None else [f"derived from {derived_from}"]
    if isinstance(result.raw_file_name, str) and result.raw_file_name != result.file_name:
        notes.append(f"file name as sent: {raw_name_for_log(result.raw_file_name)}")
    reason = "; ".join(notes) or None
    store.record_event(con, submission_id, "accepted", now, uploaded_by, reason)
    for records in (parsed.activities, parsed.spending, parsed.tasks, parsed.indicators):
        store.append_rows(con, submission_id, records)
    return submission_id


def withdraw(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    actor: str,
    reason: str,
    now: datetime | None = None,
    guard: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    """Mark a submission withdrawn (recorded as an event); the previous one becomes current again.
    `guard(con)` runs inside the transaction first (see store_prepared)."""
    if not reason.strip():
        raise ServiceError("reason_required")
    plan_id = None
    try:
        with store.transaction(con):
            # Checked inside the transaction, so two people withdrawing at once cannot both succeed.
            if guard is not None:
                guard(con)
            row = queries.submissions.submission(con, submission_id)
            if row is None:
                raise ServiceError("not_found", id=submission_id)
            if row["status"] == "withdrawn":
                raise ServiceError("already_withdrawn", id=submission_id)
            plan_id = row["plan_id"]
            store.record_event(
                con, submission_id, "withdrawn", now or clock.now(), actor, reason.strip()
            )
            quality_check.refresh_after(con, plan_id, row["department_code"], int(row["period"]))
    except BaseException:
        if plan_id is not None:
            quality_check.forget(plan_id)
        raise


def _status_text(status: str | None, pct: float | None, lang: str) -> str:
    if status is None:
        return t("status.not_reported", lang)
    label = t(f"status.{status}", lang)
    return label if pct is None or pd.isna(pct) else f"{label} {_num(pct, lang)}%"


# The sentences, one module-level function each, bound with functools.partial (see Change.render).
def _activity_text(no: int, old: tuple | None, last: tuple | None, earlier: tuple | None,
                   new: tuple, lang: str) -> str:  # fmt: skip
    before = _status_text(*old, lang) if old else _last_year_text(last, earlier, lang)
    return t("change.activity", lang, no=no, before=before, after=_status_text(*new, lang))


def _activity_detail_text(no: int, lang: str) -> str:
    return t("change.activity_detail", lang, no=no)


def _task_text(task_id: str, old: str | None, new: str, lang: str) -> str:
    before = t(f"status.{old or 'not_reported'}", lang)
    return t("change.task", lang, no=task_id, before=before, after=t(f"status.{new}", lang))


def _indicator_text(names: dict[str, str], where: str, year: int, old: float | None, new: float,
                    lang: str) -> str:  # fmt: skip
    before = "–" if old is None else _num(old, lang)
    return t("change.indicator", lang, name=names[lang], where=where, year=year, before=before,
             after=_num(new, lang))  # fmt: skip


def diff_against(con, parsed: ParsedSubmission, previous: int | None) -> list[Change]:
    """What this submission changes against the current one (or everything, if there is none).

    Indicators (up to 10,000 rows) are compared in one join of the new rows with the stored ones;
    sentences are written only when shown (Change.render).
    """
    before = queries.submission_rows(con, previous) if previous is not None else None
    changes: list[Change] = []
    old_acts = {} if before is None else {
        int(r.activity_no): (r.status, r.percent_complete) for r in before["activities"].itertuples()
    }  # fmt: skip
    old_details = {} if before is None else _activity_details(before)
    # An activity the same period has no report for is compared with the department's previous
    # period, so a status that goes backwards reads as such ("năm 2019: Hoàn thành 100% -> ...").
    earlier = quality_check.previous_submission(con, parsed)
    last_year: dict[int, tuple] = {}
    if earlier is not None:
        acts = queries.run(con, "submission_activity_rows", submission=earlier[0])
        last_year = {int(r.activity_no): (r.status, r.percent_complete) for r in acts.itertuples()}
    new_details = _activity_details(
        {"activities": _frame(parsed.activities, ActivityStatus),
         "spending": _frame(parsed.spending, ActivitySpending)}
    )  # fmt: skip
    for row in parsed.activities:
        no, old = row.activity_no, old_acts.get(row.activity_no)
        new = (row.status, row.percent_complete)
        if old is not None and old[0] == new[0] and _same(old[1], new[1]):
            if old_details.get(no) != new_details.get(no):  # same status, new text or spending
                changes.append(Change("activity", str(no), old[0], new[0],
                                      render=partial(_activity_detail_text, no)))  # fmt: skip
            continue
        changes.append(Change(
            "activity", str(no), None if old is None else old[0], new[0],
            render=partial(_activity_text, no, old, last_year.get(no), earlier, new),
        ))  # fmt: skip
    old_tasks = {} if before is None else {
        r.task_id: (r.status, r.achieved_value) for r in before["tasks"].itertuples()
    }  # fmt: skip
    for row in parsed.tasks:
        old = old_tasks.get(row.task_id)
        if old is not None and old[0] == row.status and _same(old[1], row.achieved_value):
            continue
        changes.append(Change(
            "task", row.task_id, None if old is None else old[0], row.status,
            render=partial(_task_text, row.task_id, None if old is None else old[0], row.status),
        ))  # fmt: skip
    changes.extend(
        _indicator_changes(con, parsed, None if before is None else before["indicators"])
    )
    return changes


_INDICATOR_KEY = ["indicator_code", "district", "year"]


def _indicator_changes(con, parsed: ParsedSubmission, stored: pd.DataFrame | None) -> list[Change]:
    """New or changed indicator values, in the workbook's order: one left join on the row key."""
    rows = parsed.indicators
    if not rows:
        return []
    old: list = [None] * len(rows)
    if stored is not None and not stored.empty:
        new = pd.DataFrame({
            "indicator_code": [r.indicator_code for r in rows],
            "district": [r.district_code or "" for r in rows],
            "year": [int(r.year) for r in rows],
            "value": [float(r.value) for r in rows],
        })  # fmt: skip
        previous = pd.DataFrame({
            "indicator_code": stored["indicator_code"].astype(object),
            "district": stored["district_code"].astype(object).where(
                stored["district_code"].notna(), ""),
            "year": stored["year"].astype("int64"),
            "old": stored["value"].astype("float64"),
        }).drop_duplicates(_INDICATOR_KEY, keep="last")  # fmt: skip
        joined = new.merge(previous, on=_INDICATOR_KEY, how="left", sort=False)
        same = (joined["old"] - joined["value"]).abs() < 1e-9  # False where nothing was stored
        old = [None if same_ else (None if pd.isna(v) else float(v))
               for same_, v in zip(same, joined["old"], strict=True)]  # fmt: skip
        keep = [i for i, s in enumerate(same) if not s]
    else:
        keep = range(len(rows))
    frame = queries.run(
        con, "department_indicators", plan=parsed.plan_id, department=parsed.department_code
    )
    names = {
        code: {"vi": vi, "en": en}
        for code, vi, en in zip(
            frame["indicator_code"], frame["name_vi"], frame["name_en"], strict=True
        )  # fmt: skip
    }
    changes = []
    for i in keep:
        row, before = rows[i], old[i]
        where = f" [{row.district_code}]" if row.district_code else ""
        name = names.get(row.indicator_code) or dict.fromkeys(LANGS, row.indicator_code)
        changes.append(Change(
            "indicator", f"{row.indicator_code}{where} {row.year}",
            None if before is None else f"{before:g}", f"{row.value:g}",
            render=partial(_indicator_text, name, where, row.year, before, row.value),
        ))  # fmt: skip
    return changes


def _last_year_text(old: tuple | None, earlier: tuple | None, lang: str) -> str:
    if old is None or earlier is None:
        return t("status.not_reported", lang)
    return t("quality.compared.period", lang, period=earlier[1], text=_status_text(*old, lang))


def _activity_details(rows: dict[str, pd.DataFrame]) -> dict[int, tuple]:
    """Per activity: its texts and spending, to notice changes that keep the same status."""
    acts, spending = rows["activities"], rows["spending"]
    # Plain loops over the columns: a group-by over a department's few dozen rows cost more (issue 11).
    amounts: dict[int, list] = {}
    for no, source, amount in zip(spending["activity_no"], spending["funding_source"],
                                  spending["amount_million_vnd"], strict=True):  # fmt: skip
        amounts.setdefault(int(no), []).append((source, round(float(amount), 6)))
    money = {no: tuple(sorted(items)) for no, items in amounts.items()}
    out = {}
    for no, done, difficulties in zip(acts["activity_no"], acts["done_text"], acts["difficulties"],
                                      strict=True):  # fmt: skip
        texts = tuple(None if pd.isna(v) else v for v in (done, difficulties))
        out[int(no)] = (texts, money.get(int(no), ()))
    return out


def _frame(records: list, row_type: type) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in records], columns=field_names(row_type))


_SEPARATORS = {"vi": str.maketrans({",": ".", ".": ","}), "en": str.maketrans({})}


def _num(value: float, lang: str) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; whole numbers without decimals.

    fmt_number's result (half-up rounding of the shortest decimal form, Babel's separators) written
    without Babel for the plain case, a non-negative number below 10^15: Babel costs ~0.1 ms a call.
    """
    decimals = next((d for d in (0, 1) if float(round(value * 10**d, 9)).is_integer()), 2)
    if isinstance(value, int | float) and 0 <= value < 1e15 and lang in _SEPARATORS:
        exact = Decimal(str(value)).quantize(_STEPS[decimals], rounding=ROUND_HALF_UP)
        return f"{abs(exact) if exact.is_zero() else exact:,f}".translate(_SEPARATORS[lang])
    return fmt_number(value, lang, decimals)


_STEPS = {d: Decimal(1).scaleb(-d) for d in (0, 1, 2)}


def _same(a, b) -> bool:
    a_na = a is None or (isinstance(a, float) and pd.isna(a))
    b_na = b is None or (isinstance(b, float) and pd.isna(b))
    if a_na or b_na:
        return a_na and b_na
    return abs(float(a) - float(b)) < 1e-9

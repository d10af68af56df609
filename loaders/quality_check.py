"""The data-quality rules (greengrowth/quality.py) wired into uploads: warnings on a report before it
is stored, located at the workbook row they are about, and the store's warnings refreshed inside
every write so the `data_quality_warnings` view always describes the current data.

A warning never refuses a report; the analyst service asks for an explanation before it stores a
report that has warnings (loaders.service.commit).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from greengrowth import catalog as catalog_mod
from greengrowth import queries, store
from greengrowth.i18n import t
from greengrowth.quality import (
    DEFAULTS_FILE,
    RULES_FILE,
    WARNING_COLUMNS,
    PriorReport,
    QualityWarning,
    Rules,
    check_department,
    check_report,
    check_store,
    load_rules,
    related_codes,
)
from loaders.validate import ParsedSubmission

log = logging.getLogger(__name__)

MAX_EXPLANATION = 1000  # characters kept of an analyst's explanation
_BEFORE_THE_RULES: ContextVar[bool] = ContextVar("before_the_rules", default=False)


@contextmanager
def before_the_rules() -> Iterator[None]:
    """Uploads in this block see no warnings, as if they had arrived before the rules existed (the
    demo builder's unexplained samples; `loaders check` and the stored view still find them)."""
    token = _BEFORE_THE_RULES.set(True)
    try:
        yield
    finally:
        _BEFORE_THE_RULES.reset(token)


@dataclass(frozen=True)
class ReportWarning:
    """A data-quality warning about one uploaded workbook, at the row and column it is about."""

    warning: QualityWarning
    row: int | None  # Excel row number of the record in the workbook (None if not in it)
    column: str  # "C (Trạng thái)" as found in this workbook, else the template header

    @property
    def sheet(self) -> str:
        return self.warning.sheet

    @property
    def rule_id(self) -> str:
        return self.warning.rule_id

    @property
    def importance(self) -> str:
        return self.warning.importance

    def value(self, lang: str = "vi") -> str:
        return self.warning.value(lang)

    def compared_with(self, lang: str = "vi") -> str:
        return self.warning.compared_with(lang)

    def message(self, lang: str = "vi") -> str:
        return self.warning.message(lang)

    def location(self) -> str:
        parts = [f"[{self.sheet}]", f"dòng {self.row}" if self.row else self.warning.key_text]
        return " ".join([*parts, f"cột {self.column}"])


def record_key(kind: str, key: tuple) -> str:
    """One text per record (activity number, task id, indicator|district|year): the join key
    between stored warnings and the rows the records were read from."""
    if kind == "activity":
        return str(int(key[0]))
    if kind != "indicator":
        return str(key[0])
    code, district, year = key
    district = "" if district is None or district != district else str(district)
    return f"{code}|{district}|{int(year)}"


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=16)
def _rules(plan_id: str, root: Path, _stamp: tuple[float, ...]) -> Rules | None:
    try:
        return load_rules(plan_id, root=root)
    except (FileNotFoundError, catalog_mod.CatalogError):
        log.info("no plan folder for %s: no data-quality rules", plan_id)
        return None


def rules_for(plan_id: str, root: Path | None = None) -> Rules | None:
    """The plan's rules, loaded once per process and again when a rules file changes; None for a
    plan whose folder is not on disk (a store carried to another machine)."""
    root = root or catalog_mod.PLAN_ROOT
    folder = root / plan_id
    stamp = (_mtime(DEFAULTS_FILE), _mtime(folder / RULES_FILE), _mtime(folder))
    return _rules(plan_id, root, stamp)


def _prior(con: duckdb.DuckDBPyConnection, submission_id: int, period: int) -> PriorReport:
    # Only the rows the rules compare (the change preview reads the same two, answered once).
    return PriorReport(
        period=period,
        activities=queries.run(con, "submission_activity_rows", submission=submission_id),
        tasks=queries.run(con, "submission_task_rows", submission=submission_id),
        submission_id=submission_id,
    )


def previous_submission(con: duckdb.DuckDBPyConnection, parsed: ParsedSubmission) -> tuple | None:
    """(submission_id, period) of the department's accepted report for the latest earlier period."""
    frame = queries.run(
        con,
        "quality_previous_submission",
        plan=parsed.plan_id,
        department=parsed.department_code,
        period=parsed.period,
    )
    if frame.empty:
        return None
    return int(frame["submission_id"].iloc[0]), int(frame["period"].iloc[0])


def report_warnings(
    con: duckdb.DuckDBPyConnection, parsed: ParsedSubmission, replaces: int | None
) -> list[ReportWarning]:
    """Every warning about a validated report against what is stored, located in the workbook."""
    rules = rules_for(parsed.plan_id)
    if rules is None or _BEFORE_THE_RULES.get():
        return []
    before = previous_submission(con, parsed)
    found = check_report(
        rules,
        period=parsed.period,
        reported_on=parsed.reported_on,
        activities=[asdict(r) for r in parsed.activities],
        tasks=[asdict(r) for r in parsed.tasks],
        indicators=[asdict(r) for r in parsed.indicators],
        previous=None if before is None else _prior(con, *before),
        same_period=None if replaces is None else _prior(con, replaces, parsed.period),
        # the stored values of the report's indicators and of those relations tie them to (the
        # rest of the plan's values is never compared with this report)
        history=queries.run(
            con,
            "quality_indicator_values_codes",
            plan=parsed.plan_id,
            codes=sorted(related_codes(rules, {r.indicator_code for r in parsed.indicators})),
        ),
        department_code=parsed.department_code,
    )
    return [
        ReportWarning(
            warning=w,
            row=parsed.rows.get((w.kind, _normal_key(w.kind, w.key))),
            column=parsed.columns.get((w.sheet, w.column), w.column),
        )
        for w in found
    ]


def _normal_key(kind: str, key: tuple) -> tuple:
    if kind != "indicator":
        return (int(key[0]),) if kind == "activity" else (str(key[0]),)
    code, district, year = key
    return (code, None if district is None or district != district else district, int(year))


def record_rows(parsed: ParsedSubmission) -> pd.DataFrame:
    """Where each record of a report was read (kind, record_key, sheet_row), to be stored with it."""
    rows = [(kind, record_key(kind, key), row) for (kind, key), row in parsed.rows.items()]
    return pd.DataFrame(rows, columns=["kind", "record_key", "sheet_row"])


def store_warnings(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """Every rule over the plan's current data (check_store), with the record key the view joins on."""
    rules = rules_for(plan_id)
    frame = pd.DataFrame(columns=["plan_id", *WARNING_COLUMNS])
    if rules is not None:
        frame = check_store(con, rules)
    return _with_record_keys(frame)


def _with_record_keys(frame: pd.DataFrame) -> pd.DataFrame:
    keys = []
    for r in frame.itertuples():
        if r.kind == "activity":
            keys.append(record_key("activity", (r.activity_no,)))
        elif r.kind == "task":
            keys.append(record_key("task", (r.task_id,)))
        else:
            keys.append(record_key("indicator", (r.indicator_code, r.district_code, r.year)))
    return frame.assign(record_key=keys)


# (database, plan) -> the Rules object the plan's stored warnings were last recomputed with in full
# by this process. A scoped refresh (refresh_after) is exact only over a store whose warnings
# describe its data under the same rules, so the first write of a process to a database, and the
# first after the rules file changed (rules_for then loads a new object), recompute the whole plan.
_SETTLED: dict[tuple[str, str], Rules | None] = {}
_UNSET = object()


def refresh(con: duckdb.DuckDBPyConnection, plan_id: str) -> int:
    """Recompute the plan's stored warnings (inside the caller's transaction); returns how many."""
    frame = store_warnings(con, plan_id)
    store.replace_quality_warnings(con, plan_id, frame)
    key = store.database_identity(con)
    if key is not None:
        _SETTLED[(key, plan_id)] = rules_for(plan_id)
    return len(frame)


def refresh_after(
    con: duckdb.DuckDBPyConnection, plan_id: str, department_code: str, period: int
) -> int:
    """Bring the stored warnings up to date after one department's report for one period was
    stored or withdrawn (inside the caller's transaction): only the warnings that write can change
    are recomputed, the department's activities and tasks and the indicators any of its reports
    for that period holds, with every indicator a relation ties them to; the result is what
    `refresh` gives (tests/test_quality_scoped.py). Returns how many warnings were recomputed.

    If the caller's transaction fails, it must call `forget(plan_id)`.
    """
    rules = rules_for(plan_id)
    key = store.database_identity(con)
    if key is None or _SETTLED.get((key, plan_id), _UNSET) is not rules:
        return refresh(con, plan_id)
    if rules is None:
        return 0  # settled without rules: the plan has no stored warnings, and gets none
    held = queries.run(con, "quality_codes_of_report", plan=plan_id, department=department_code,
                       period=period)  # fmt: skip
    codes = related_codes(rules, set(held["indicator_code"]))
    frame = check_department(con, rules, department_code, codes)
    store.replace_department_warnings(
        con, plan_id, department_code, sorted(codes), _with_record_keys(frame)
    )
    return len(frame)


def forget(plan_id: str) -> None:
    """After a failed write: the next write recomputes the plan's warnings in full (a full refresh
    that was rolled back settled nothing)."""
    for key in [k for k in _SETTLED if k[1] == plan_id]:
        del _SETTLED[key]


def clean_explanation(text: object) -> str:
    """The explanation as stored: trimmed, at most MAX_EXPLANATION characters, '' when none."""
    if not isinstance(text, str):
        return ""
    return " ".join(text.split())[:MAX_EXPLANATION]


def warning_lines(w: ReportWarning) -> tuple[str, str]:
    """Two lines for a terminal: where, the value, what it was compared with and why (vi, en)."""
    vi_imp, en_imp = (t(f"quality.importance.{w.importance}", lang) for lang in ("vi", "en"))
    vi = (
        f"  ! {w.location()} giá trị '{w.value('vi')}' so với {w.compared_with('vi')} "
        f"[{w.rule_id}, {vi_imp}]: {w.message('vi')}"
    )
    en = (
        f"    (value '{w.value('en')}' compared with {w.compared_with('en')} "
        f"[{w.rule_id}, {en_imp}]: {w.message('en')})"
    )
    return vi, en


def check_table(found: pd.DataFrame, explained: pd.DataFrame) -> str:
    """What `python -m loaders check` prints: one line per warning, Vietnamese messages."""
    if found.empty:
        return "Không có cảnh báo / no warnings"
    notes = dict(zip(explained["submission_id"], explained["explanation"], strict=True))
    keys = []
    for r in found.itertuples():
        if r.kind == "indicator":
            place = (
                ""
                if r.district_code is None or r.district_code != r.district_code
                else (f" [{r.district_code}]")
            )
            keys.append(f"{r.indicator_code}{place} {int(r.year)}")
        else:
            keys.append(str(int(r.activity_no)) if r.kind == "activity" else str(r.task_id))
    table = pd.DataFrame({
        "dept": found["department_code"], "period": found["period"],
        "sub": found["submission_id"], "sheet": found["sheet"], "record": keys,
        "rule": found["rule_id"], "imp": found["importance"], "value": found["value_vi"],
        "compared_with": found["compared_with_vi"], "why": found["message_vi"],
        "explanation": [notes.get(s, "") for s in found["submission_id"]],
    })  # fmt: skip
    with pd.option_context("display.max_colwidth", 70, "display.width", 250):
        return table.to_string(index=False)

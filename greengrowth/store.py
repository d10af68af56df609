"""The DuckDB store: schema, views, connections, transactions and the original-file store.

Every catalog table is keyed by plan_id so several plans live side by side. Submissions are never
overwritten: each upload is a new row, charts read the latest accepted one per department and period
(views below), and the original workbook bytes are kept on disk by SHA-256 so the database can be
rebuilt from them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import duckdb
import pandas as pd

from greengrowth.catalog import Catalog
from greengrowth.rows import ROW_TYPES, field_names

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "greengrowth.duckdb"


class StoreError(RuntimeError):
    """A storage failure explained in words a person can act on (wraps duckdb errors)."""


def db_path() -> Path:
    """The database file: $GG_DB, else data/greengrowth.duckdb."""
    return Path(os.environ.get("GG_DB") or DEFAULT_DB)


def files_dir(path: Path | None = None) -> Path:
    """Where original workbooks are kept: $GG_FILES, else a 'files' folder beside the database."""
    if os.environ.get("GG_FILES"):
        return Path(os.environ["GG_FILES"])
    path = path or db_path()
    return path.parent / "files"


SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1;
CREATE TABLE IF NOT EXISTS data_version (version BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS plan (
    plan_id VARCHAR PRIMARY KEY, province_vi VARCHAR, province_en VARCHAR,
    title_vi VARCHAR, title_en VARCHAR, issued_on DATE, document_no VARCHAR, signed_by VARCHAR,
    period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
    national_plan_ref VARCHAR, national_activity_count INTEGER, source VARCHAR
);
CREATE TABLE IF NOT EXISTS department (
    plan_id VARCHAR, department_code VARCHAR, acronym VARCHAR, name_vi VARCHAR, name_en VARCHAR,
    kind VARCHAR, PRIMARY KEY (plan_id, department_code)
);
CREATE TABLE IF NOT EXISTS district (
    plan_id VARCHAR, district_code VARCHAR, name_vi VARCHAR, name_en VARCHAR, kind VARCHAR,
    PRIMARY KEY (plan_id, district_code)
);
CREATE TABLE IF NOT EXISTS theme (
    plan_id VARCHAR, theme_no INTEGER, title_vi VARCHAR, title_en VARCHAR,
    stated_adopted INTEGER, stated_national INTEGER, PRIMARY KEY (plan_id, theme_no)
);
CREATE TABLE IF NOT EXISTS activity_group (
    plan_id VARCHAR, group_code VARCHAR, theme_no INTEGER, title_vi VARCHAR, title_en VARCHAR,
    stated_adopted INTEGER, stated_national INTEGER, PRIMARY KEY (plan_id, group_code)
);
CREATE TABLE IF NOT EXISTS activity (
    plan_id VARCHAR, activity_no INTEGER, theme_no INTEGER, group_code VARCHAR,
    adopted BOOLEAN NOT NULL, title_vi VARCHAR, title_en VARCHAR, placement VARCHAR, note VARCHAR,
    PRIMARY KEY (plan_id, activity_no)
);
CREATE TABLE IF NOT EXISTS activity_lead (
    plan_id VARCHAR, activity_no INTEGER, department_code VARCHAR, role VARCHAR,
    due_date DATE, due_text_vi VARCHAR, source_section VARCHAR,
    PRIMARY KEY (plan_id, activity_no, department_code)
);
CREATE TABLE IF NOT EXISTS priority_task (
    plan_id VARCHAR, task_id VARCHAR, section VARCHAR, text_vi VARCHAR, summary_en VARCHAR,
    deadline DATE, deadline_text_vi VARCHAR, target_value DOUBLE, target_unit_vi VARCHAR,
    target_unit_en VARCHAR, conditional VARCHAR, note VARCHAR, PRIMARY KEY (plan_id, task_id)
);
CREATE TABLE IF NOT EXISTS priority_task_department (
    plan_id VARCHAR, task_id VARCHAR, department_code VARCHAR,
    PRIMARY KEY (plan_id, task_id, department_code)
);
CREATE TABLE IF NOT EXISTS priority_task_activity (
    plan_id VARCHAR, task_id VARCHAR, activity_no INTEGER,
    PRIMARY KEY (plan_id, task_id, activity_no)
);
CREATE TABLE IF NOT EXISTS indicator (
    plan_id VARCHAR, indicator_code VARCHAR, name_vi VARCHAR, name_en VARCHAR,
    unit_vi VARCHAR, unit_en VARCHAR, activity_no INTEGER, department_code VARCHAR,
    direction VARCHAR, baseline_value DOUBLE, baseline_year INTEGER, target_value DOUBLE,
    target_year INTEGER, target_source VARCHAR, by_district BOOLEAN, note VARCHAR,
    PRIMARY KEY (plan_id, indicator_code)
);
-- Where an indicator comes from (catalog.INDICATOR_BASES): stated by the plan (section, verbatim
-- quote) or chosen by the province to monitor an activity or task (chosen_for, steward); a chosen
-- indicator is retired from a year on (its stored values stay). Added after databases existed.
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS basis VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS basis_section VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS basis_quote_vi VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS chosen_for VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS steward VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS retired_from INTEGER;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS basis_note_vi VARCHAR;
ALTER TABLE indicator ADD COLUMN IF NOT EXISTS basis_note_en VARCHAR;
CREATE TABLE IF NOT EXISTS finding (
    plan_id VARCHAR, finding_id VARCHAR, kind VARCHAR, section VARCHAR, subject VARCHAR,
    text_vi VARCHAR, text_en VARCHAR, PRIMARY KEY (plan_id, finding_id)
);
CREATE TABLE IF NOT EXISTS reporting_rule (
    plan_id VARCHAR, rule_id VARCHAR, kind VARCHAR, description_vi VARCHAR,
    description_en VARCHAR, due_date DATE, due_before_month INTEGER, due_before_day INTEGER,
    year_from INTEGER, year_to INTEGER, source_section VARCHAR, PRIMARY KEY (plan_id, rule_id)
);
-- Is the description the plan's words or a summary, the plan's own words beside it, and whether
-- the years are stated or inferred (catalog.RULE_BASIS_DEFAULTS).
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS description_basis VARCHAR;
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS quote_vi VARCHAR;
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS quote_section VARCHAR;
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS years_basis VARCHAR;
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS basis_note_vi VARCHAR;
ALTER TABLE reporting_rule ADD COLUMN IF NOT EXISTS basis_note_en VARCHAR;
CREATE TABLE IF NOT EXISTS funding_source (
    plan_id VARCHAR, code VARCHAR, name_vi VARCHAR, name_en VARCHAR, PRIMARY KEY (plan_id, code)
);
CREATE TABLE IF NOT EXISTS submission (
    submission_id BIGINT PRIMARY KEY, plan_id VARCHAR NOT NULL, department_code VARCHAR NOT NULL,
    period INTEGER NOT NULL, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL, uploaded_at TIMESTAMP NOT NULL, uploaded_by VARCHAR NOT NULL,
    reported_on DATE, prepared_by VARCHAR, derived_from BIGINT, illustrative BOOLEAN NOT NULL,
    n_activity_rows INTEGER, n_task_rows INTEGER, n_indicator_rows INTEGER
);
CREATE TABLE IF NOT EXISTS submission_event (
    event_id BIGINT PRIMARY KEY, submission_id BIGINT NOT NULL, event VARCHAR NOT NULL,
    event_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, reason VARCHAR
);
CREATE TABLE IF NOT EXISTS activity_report (
    submission_id BIGINT, activity_no INTEGER, status VARCHAR NOT NULL, percent_complete DOUBLE,
    done_text VARCHAR, difficulties VARCHAR, PRIMARY KEY (submission_id, activity_no)
);
CREATE TABLE IF NOT EXISTS activity_spending (
    submission_id BIGINT, activity_no INTEGER, funding_source VARCHAR,
    amount_million_vnd DOUBLE NOT NULL, PRIMARY KEY (submission_id, activity_no, funding_source)
);
CREATE TABLE IF NOT EXISTS priority_task_report (
    submission_id BIGINT, task_id VARCHAR, status VARCHAR NOT NULL, achieved_value DOUBLE,
    completed_on DATE, note VARCHAR, PRIMARY KEY (submission_id, task_id)
);
CREATE TABLE IF NOT EXISTS indicator_value (
    submission_id BIGINT NOT NULL, indicator_code VARCHAR NOT NULL, district_code VARCHAR,
    year INTEGER NOT NULL, value DOUBLE NOT NULL, note VARCHAR
);
"""

# The reporting cycle (issue #9): DPI's decisions on a report and the sign-in attempts. Both tables are
# append-only, like submission_event: nothing in the app updates or deletes a row of them.
SCHEMA += """
CREATE SEQUENCE IF NOT EXISTS decision_id_seq START 1;
CREATE TABLE IF NOT EXISTS report_decision (
    decision_id BIGINT PRIMARY KEY, plan_id VARCHAR NOT NULL, department_code VARCHAR NOT NULL,
    period INTEGER NOT NULL, submission_id BIGINT NOT NULL, decision VARCHAR NOT NULL,
    decided_by VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL, comment VARCHAR
);
CREATE SEQUENCE IF NOT EXISTS signin_id_seq START 1;
CREATE TABLE IF NOT EXISTS signin_event (
    signin_id BIGINT PRIMARY KEY, username VARCHAR NOT NULL, event_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL
);
"""

# Views for the app and for analysts using DuckDB directly; documented in README.md.
VIEWS = """
CREATE OR REPLACE VIEW activity_catalog AS
SELECT a.plan_id, a.activity_no, a.theme_no, a.group_code, a.adopted, a.title_vi, a.title_en,
       a.placement, a.note
FROM activity a;

CREATE OR REPLACE VIEW activity_leads AS
SELECT plan_id, activity_no, department_code, role, due_date, due_text_vi, source_section
FROM activity_lead;

CREATE OR REPLACE VIEW priority_tasks AS
SELECT t.plan_id, t.task_id, d.department_code, a.activity_no, t.section, t.text_vi,
       t.summary_en, t.deadline, t.deadline_text_vi, t.target_value, t.target_unit_vi,
       t.target_unit_en, t.conditional, t.note
FROM priority_task t
LEFT JOIN priority_task_department d USING (plan_id, task_id)
LEFT JOIN priority_task_activity a USING (plan_id, task_id);

CREATE OR REPLACE VIEW submissions AS
SELECT s.*,
       CASE WHEN w.submission_id IS NULL THEN 'accepted' ELSE 'withdrawn' END AS status,
       w.event_at AS withdrawn_at, w.actor AS withdrawn_by, w.reason AS withdrawn_reason
FROM submission s
LEFT JOIN (
    SELECT * FROM submission_event WHERE event = 'withdrawn'
    QUALIFY row_number() OVER (PARTITION BY submission_id ORDER BY event_id) = 1
) w USING (submission_id);

CREATE OR REPLACE VIEW current_submissions AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY plan_id, department_code, period
        ORDER BY uploaded_at DESC, submission_id DESC) AS rn
    FROM submissions WHERE status = 'accepted'
) WHERE rn = 1;

CREATE OR REPLACE VIEW activity_status_latest AS
SELECT c.plan_id, c.department_code, c.period, c.submission_id, c.reported_on, c.illustrative,
       r.activity_no, r.status, r.percent_complete, r.done_text, r.difficulties
FROM current_submissions c JOIN activity_report r USING (submission_id);

CREATE OR REPLACE VIEW priority_task_status_latest AS
SELECT c.plan_id, c.department_code, c.period, c.submission_id, c.reported_on, c.illustrative,
       r.task_id, r.status, r.achieved_value, r.completed_on, r.note
FROM current_submissions c JOIN priority_task_report r USING (submission_id);

CREATE OR REPLACE VIEW indicator_values_latest AS
SELECT * EXCLUDE (rn) FROM (
    SELECT c.plan_id, c.department_code, c.period, c.submission_id, c.illustrative,
           v.indicator_code, v.district_code, v.year, v.value, v.note,
           row_number() OVER (
               PARTITION BY c.plan_id, v.indicator_code, v.district_code, v.year
               ORDER BY c.period DESC, c.uploaded_at DESC, c.submission_id DESC) AS rn
    FROM current_submissions c JOIN indicator_value v USING (submission_id)
) WHERE rn = 1;

CREATE OR REPLACE VIEW indicator_catalog AS
SELECT plan_id, indicator_code, name_vi, name_en, unit_vi, unit_en, activity_no, department_code,
       direction, baseline_value, baseline_year, target_value, target_year, by_district,
       basis, basis_section, basis_quote_vi, chosen_for, steward, retired_from,
       basis_note_vi, basis_note_en
FROM indicator;
"""

# The reporting cycle's views (issue #9). report_status: one row per expected or reported (plan,
# department, period); the state follows from the current submission and the newest decision:
# not_submitted, submitted (awaiting review; also after a reopen), approved or returned. decided_*
# and comment belong to the newest decision on the current submission (NULL when there is none).
VIEWS += """
CREATE OR REPLACE VIEW report_status AS
WITH expected AS (
    SELECT e.plan_id, e.department_code, unnest(range(p.period_start, p.period_end + 1)) AS period
    FROM (SELECT plan_id, department_code FROM activity_lead
          UNION SELECT plan_id, department_code FROM priority_task_department
          UNION SELECT plan_id, department_code FROM indicator
          WHERE department_code IS NOT NULL) e
    JOIN department d USING (plan_id, department_code)
    JOIN plan p USING (plan_id)
), report_keys AS (
    SELECT plan_id, department_code, CAST(period AS INTEGER) AS period FROM expected
    UNION SELECT plan_id, department_code, period FROM submission
), newest AS (
    SELECT * FROM report_decision
    QUALIFY row_number() OVER (
        PARTITION BY plan_id, department_code, period ORDER BY decision_id DESC) = 1
)
SELECT k.plan_id, k.department_code, k.period,
       CASE WHEN c.submission_id IS NULL THEN 'not_submitted'
            WHEN n.submission_id = c.submission_id AND n.decision = 'approved' THEN 'approved'
            WHEN n.submission_id = c.submission_id AND n.decision = 'returned' THEN 'returned'
            ELSE 'submitted' END AS state,
       c.submission_id,
       CASE WHEN n.submission_id = c.submission_id THEN n.decided_by END AS decided_by,
       CASE WHEN n.submission_id = c.submission_id THEN n.decided_at END AS decided_at,
       CASE WHEN n.submission_id = c.submission_id THEN n.comment END AS comment
FROM report_keys k
LEFT JOIN current_submissions c USING (plan_id, department_code, period)
LEFT JOIN newest n USING (plan_id, department_code, period);

CREATE OR REPLACE VIEW value_history AS
WITH vals AS (
    SELECT submission_id, 'activity' AS kind, CAST(activity_no AS VARCHAR) AS item,
           CAST(NULL AS VARCHAR) AS district_code, CAST(NULL AS INTEGER) AS year, f.field, f.val AS value
    FROM activity_report r, LATERAL (VALUES
        ('status', r.status), ('percent_complete', CAST(r.percent_complete AS VARCHAR)),
        ('done_text', r.done_text), ('difficulties', r.difficulties)) f(field, val)
    UNION ALL
    SELECT submission_id, 'task', task_id, NULL, NULL, f.field, f.val
    FROM priority_task_report r, LATERAL (VALUES
        ('status', r.status), ('achieved_value', CAST(r.achieved_value AS VARCHAR)),
        ('completed_on', CAST(r.completed_on AS VARCHAR)), ('note', r.note)) f(field, val)
    UNION ALL
    SELECT submission_id, 'indicator', indicator_code, district_code, year, f.field, f.val
    FROM indicator_value r, LATERAL (VALUES
        ('value', CAST(r.value AS VARCHAR)), ('note', r.note)) f(field, val)
), ordered AS (
    SELECT s.plan_id, s.department_code, s.period, v.kind, v.item, v.district_code, v.year,
           v.field,
           lag(v.value) OVER w AS value_before, v.value AS value_after,
           lag(s.submission_id) OVER w AS previous_submission_id, s.submission_id,
           s.uploaded_by AS changed_by, s.uploaded_at AS changed_at,
           CASE WHEN s.derived_from IS NULL THEN 'upload' ELSE 'correction' END AS via,
           s.status AS submission_status, s.withdrawn_by, s.withdrawn_at
    FROM vals v JOIN submissions s USING (submission_id)
    WINDOW w AS (PARTITION BY s.plan_id, s.department_code, s.period, v.kind, v.item,
                 v.district_code, v.year, v.field ORDER BY s.submission_id)
)
SELECT * FROM ordered
WHERE previous_submission_id IS NULL OR value_before IS DISTINCT FROM value_after;

CREATE OR REPLACE VIEW event_log AS
SELECT e.event_at, CASE WHEN e.event = 'withdrawn' THEN 'withdrawal'
                        WHEN s.derived_from IS NOT NULL THEN 'correction' ELSE 'upload' END AS event,
       e.actor, s.plan_id, s.department_code, s.period, e.submission_id,
       CASE WHEN e.event = 'withdrawn' THEN e.reason ELSE s.file_name END AS detail
FROM submission_event e JOIN submission s USING (submission_id)
UNION ALL
SELECT decided_at, CASE decision WHEN 'approved' THEN 'approval' WHEN 'returned' THEN 'return'
                                 ELSE 'reopen' END,
       decided_by, plan_id, department_code, period, submission_id, comment
FROM report_decision
UNION ALL
SELECT event_at, 'signin_' || outcome, username, NULL, NULL, NULL, NULL, NULL FROM signin_event;
"""

DOCUMENTED_VIEWS = (
    "activity_catalog",
    "activity_leads",
    "priority_tasks",
    "submissions",
    "current_submissions",
    "activity_status_latest",
    "priority_task_status_latest",
    "indicator_values_latest",
    "indicator_catalog",
    "report_status",
    "value_history",
    "event_log",
)


# DuckDB shares one database instance between the connections a process opens to the same file; two
# threads opening (or closing) the first connection at the same moment race to attach it ("Unique file
# handle conflict"). The app serves several sessions on threads, so opening and closing are serialised.
_OPEN_LOCK = threading.Lock()


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    # Another process (the CLI, a second app worker) may hold the write lock for a moment: retry.
    delay = 0.05
    for attempt in range(8):
        try:
            with _OPEN_LOCK:
                return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == 7:
                raise StoreError(
                    f"Không mở được cơ sở dữ liệu {path}: đang được một tiến trình khác dùng. "
                    f"Hãy thử lại sau ít giây. / The database is in use by another process. ({exc})"
                ) from exc
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


@contextmanager
def connect(
    path: Path | None = None, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema in place; closed on exit."""
    path = Path(path or db_path())
    if read_only and not path.exists():
        read_only = False
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        # Schema work is a write: do it once per process and file, not on every page read.
        key = str(path.resolve())
        if not read_only and key not in _SCHEMA_READY:
            with _SCHEMA_LOCK:  # two sessions replacing the views at once would conflict
                if key not in _SCHEMA_READY:
                    ensure_schema(con)
                    _SCHEMA_READY.add(key)
        yield con
    finally:
        with _OPEN_LOCK:
            con.close()


_SCHEMA_READY: set[str] = set()
_SCHEMA_LOCK = threading.Lock()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and (re)create views; idempotent."""
    con.execute(SCHEMA)
    if con.execute("SELECT count(*) FROM data_version").fetchone()[0] == 0:
        con.execute("INSERT INTO data_version VALUES (0)")
    con.execute(VIEWS)


_local_writes = 0  # commits made by this process; lets a cache notice its own writes at once


def local_writes() -> int:
    """How many transactions this process has committed (any database)."""
    return _local_writes


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception (then re-raise)."""
    global _local_writes
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("UPDATE data_version SET version = version + 1")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    _local_writes += 1


def plan_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Plans loaded in the store."""
    return [r[0] for r in con.execute("SELECT plan_id FROM plan ORDER BY plan_id").fetchall()]


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever anything is written; cache keys use it."""
    return int(con.execute("SELECT version FROM data_version").fetchone()[0])


CATALOG_TABLES = {
    # db table: (catalog table, columns)
    "department": ("departments", ["department_code", "acronym", "name_vi", "name_en", "kind"]),
    "district": ("districts", ["district_code", "name_vi", "name_en", "kind"]),
    "theme": ("themes", ["theme_no", "title_vi", "title_en", "stated_adopted", "stated_national"]),
    "activity_group": (
        "activity_groups",
        ["group_code", "theme_no", "title_vi", "title_en", "stated_adopted", "stated_national"],
    ),
    "activity": (
        "activities",
        [
            "activity_no",
            "theme_no",
            "group_code",
            "adopted",
            "title_vi",
            "title_en",
            "placement",
            "note",
        ],
    ),
    "activity_lead": (
        "activity_leads",
        ["activity_no", "department_code", "role", "due_date", "due_text_vi", "source_section"],
    ),
    "priority_task": (
        "priority_tasks",
        [
            "task_id",
            "section",
            "text_vi",
            "summary_en",
            "deadline",
            "deadline_text_vi",
            "target_value",
            "target_unit_vi",
            "target_unit_en",
            "conditional",
            "note",
        ],
    ),
    "indicator": (
        "indicators",
        [
            "indicator_code",
            "name_vi",
            "name_en",
            "unit_vi",
            "unit_en",
            "activity_no",
            "department_code",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "target_source",
            "by_district",
            "note",
            "basis",
            "basis_section",
            "basis_quote_vi",
            "chosen_for",
            "steward",
            "retired_from",
            "basis_note_vi",
            "basis_note_en",
        ],
    ),
    "finding": ("findings", ["finding_id", "kind", "section", "subject", "text_vi", "text_en"]),
}


def load_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Replace one plan's catalog rows (submissions are untouched) in a single transaction."""
    meta = catalog.meta
    national = meta.get("national_plan") or {}
    derived = {
        "priority_task_department": catalog.priority_task_departments,
        "priority_task_activity": catalog.priority_task_activities,
        "reporting_rule": pd.DataFrame(meta.get("reporting_rules") or []),
        "funding_source": pd.DataFrame(meta.get("funding_sources") or []),
    }
    with transaction(con):
        _keep_indicator_history(con, catalog)
        tables = ["plan", *CATALOG_TABLES, *derived]
        for table in tables:
            con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [catalog.plan_id])  # noqa: S608
        con.execute(
            "INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                catalog.plan_id,
                meta.get("province_vi"),
                meta.get("province_en"),
                meta.get("title_vi"),
                meta.get("title_en"),
                meta.get("issued_on"),
                meta.get("document_no"),
                meta.get("signed_by"),
                int(meta["period_start"]),
                int(meta["period_end"]),
                national.get("ref"),
                national.get("activity_count"),
                meta.get("source"),
            ],
        )
        frames = {t: catalog[src][cols] for t, (src, cols) in CATALOG_TABLES.items()} | derived
        for table, frame in frames.items():
            if frame.empty:
                continue
            frame = frame.copy()
            frame.insert(0, "plan_id", catalog.plan_id)
            con.register("_frame", frame)
            columns = ", ".join(frame.columns)
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _frame")  # noqa: S608
            con.unregister("_frame")


def _keep_indicator_history(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Refuse a catalog that drops an indicator with stored values: retire it instead, so its
    history stays visible (indicators.csv `retired_from`)."""
    stored = con.execute(
        "SELECT DISTINCT v.indicator_code FROM indicator_value v JOIN submission s "
        "USING (submission_id) WHERE s.plan_id = ? ORDER BY 1",
        [catalog.plan_id],
    ).fetchall()
    dropped = sorted({r[0] for r in stored} - set(catalog["indicators"]["indicator_code"]))
    if dropped:
        raise StoreError(
            f"Kế hoạch {catalog.plan_id}: chỉ tiêu {', '.join(dropped)} đã có số liệu nhưng không còn "
            "trong indicators.csv. Hãy giữ dòng đó và ghi năm ngừng theo dõi vào cột retired_from. / "
            f"Indicators {', '.join(dropped)} have stored values but are missing from "
            "indicators.csv: keep the row and set retired_from to stop asking for it."
        )


SUBMISSION_COLUMNS = [
    "plan_id", "department_code", "period", "file_name", "sha256", "size_bytes", "uploaded_at",
    "uploaded_by", "reported_on", "prepared_by", "derived_from", "illustrative",
    "n_activity_rows", "n_task_rows", "n_indicator_rows",
]  # fmt: skip


def insert_submission(con: duckdb.DuckDBPyConnection, values: dict) -> int:
    """A new submission row (inside the caller's transaction); returns its id."""
    submission_id = int(con.execute("SELECT nextval('submission_id_seq')").fetchone()[0])
    columns = ", ".join(["submission_id", *SUBMISSION_COLUMNS])
    marks = ", ".join("?" * (len(SUBMISSION_COLUMNS) + 1))
    con.execute(
        f"INSERT INTO submission ({columns}) VALUES ({marks})",  # noqa: S608 (fixed column names)
        [submission_id, *(values[c] for c in SUBMISSION_COLUMNS)],
    )
    return submission_id


def record_event(
    con: duckdb.DuckDBPyConnection, submission_id: int, event: str, at, actor: str, reason
) -> None:
    """Append to the submission's history (accepted, withdrawn); events are never edited."""
    con.execute(
        "INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, ?, ?, ?, ?)",
        [submission_id, event, at, actor, reason],
    )


def append_rows(con: duckdb.DuckDBPyConnection, submission_id: int, records: list) -> None:
    """Write rows of one greengrowth.rows type into its table, by column name (INSERT BY NAME)."""
    if not records:
        return
    row_type = type(records[0])
    if row_type not in ROW_TYPES or any(type(r) is not row_type for r in records):
        raise TypeError(f"rows must all be one of {[t.__name__ for t in ROW_TYPES]}")
    frame = pd.DataFrame([asdict(r) for r in records], columns=field_names(row_type))
    frame.insert(0, "submission_id", submission_id)
    con.register("_rows", frame)
    try:
        con.execute(f"INSERT INTO {row_type.TABLE} BY NAME SELECT * FROM _rows")  # noqa: S608
    finally:
        con.unregister("_rows")


def database_file(con: duckdb.DuckDBPyConnection) -> Path:
    """The file behind a connection, so originals are kept beside the database they belong to."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0])


def save_original(data: bytes, sha256: str, path: Path | None = None) -> Path:
    """Keep the uploaded bytes under files/<sha[:2]>/<sha>.xlsx; writing twice is harmless."""
    target = files_dir(path) / sha256[:2] / f"{sha256}.xlsx"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return target


def read_original(sha256: str, path: Path | None = None, files_root: Path | None = None) -> bytes:
    """The bytes of a stored upload, by its SHA-256 (beside `path`'s database, or in files_root)."""
    root = files_root or files_dir(path)
    return (root / sha256[:2] / f"{sha256}.xlsx").read_bytes()


# ---- the reporting cycle (issue #9): append-only writes ---------------------------------------------
DECISIONS = ("approved", "returned", "reopened")
SIGNIN_OUTCOMES = ("ok", "failed", "locked")


def record_decision(
    con: duckdb.DuckDBPyConnection, key: tuple[str, str, int], submission_id: int,
    decision: str, at, actor: str, comment: str | None,
) -> None:  # fmt: skip
    """Append DPI's decision on a report (inside the caller's transaction); never edited."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    con.execute(
        "INSERT INTO report_decision VALUES (nextval('decision_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [*key, submission_id, decision, actor, at, comment],
    )


def record_signin(con: duckdb.DuckDBPyConnection, username: str, outcome: str, at) -> None:
    """Append one sign-in attempt (its own transaction, so the count survives a failed page)."""
    if outcome not in SIGNIN_OUTCOMES:
        raise ValueError(f"unknown sign-in outcome {outcome!r}")
    with transaction(con):
        con.execute(
            "INSERT INTO signin_event VALUES (nextval('signin_id_seq'), ?, ?, ?)",
            [username, at, outcome],
        )

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
-- Data quality (greengrowth/quality.py, loaders/quality_check.py): where each record of a submission
-- was read in its workbook, and the plan's current warnings, recomputed inside every write.
CREATE TABLE IF NOT EXISTS record_row (
    submission_id BIGINT NOT NULL, kind VARCHAR NOT NULL, record_key VARCHAR NOT NULL,
    sheet_row INTEGER
);
CREATE TABLE IF NOT EXISTS quality_warning (
    plan_id VARCHAR NOT NULL, department_code VARCHAR, period INTEGER, submission_id BIGINT,
    rule_id VARCHAR NOT NULL, importance VARCHAR NOT NULL, kind VARCHAR NOT NULL, sheet VARCHAR,
    "column" VARCHAR, activity_no INTEGER, task_id VARCHAR, indicator_code VARCHAR,
    district_code VARCHAR, year INTEGER, value_vi VARCHAR, value_en VARCHAR,
    compared_with_vi VARCHAR, compared_with_en VARCHAR, message_vi VARCHAR, message_en VARCHAR,
    record_key VARCHAR
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

CREATE OR REPLACE VIEW data_quality_warnings AS
SELECT w.plan_id, w.department_code, w.period, w.submission_id, w.sheet, p.sheet_row AS "row",
       w.rule_id AS rule, w.importance, w.value_vi AS value, w.compared_with_vi AS compared_with,
       w.message_vi, w.message_en, e.reason AS explanation,
       w.kind, w."column", w.activity_no, w.task_id, w.indicator_code, w.district_code, w.year,
       w.value_en, w.compared_with_en
FROM quality_warning w
LEFT JOIN (SELECT DISTINCT ON (submission_id, kind, record_key) * FROM record_row) p
    USING (submission_id, kind, record_key)
LEFT JOIN (
    SELECT submission_id, reason FROM submission_event WHERE event = 'warnings_accepted'
    QUALIFY row_number() OVER (PARTITION BY submission_id ORDER BY event_id DESC) = 1
) e USING (submission_id);
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
    "data_quality_warnings",
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


QUALITY_WARNING_COLUMNS = [
    "plan_id", "department_code", "period", "submission_id", "rule_id", "importance", "kind",
    "sheet", "column", "activity_no", "task_id", "indicator_code", "district_code", "year",
    "value_vi", "value_en", "compared_with_vi", "compared_with_en", "message_vi", "message_en",
    "record_key",
]  # fmt: skip


def replace_quality_warnings(
    con: duckdb.DuckDBPyConnection, plan_id: str, frame: pd.DataFrame
) -> None:
    """Replace one plan's stored warnings (inside the caller's transaction)."""
    con.execute("DELETE FROM quality_warning WHERE plan_id = ?", [plan_id])
    if frame.empty:
        return
    rows = frame.reindex(columns=QUALITY_WARNING_COLUMNS).astype(object)
    rows = rows.where(pd.notna(rows), None)
    con.register("_warnings", rows)
    try:
        con.execute("INSERT INTO quality_warning BY NAME SELECT * FROM _warnings")
    finally:
        con.unregister("_warnings")


def append_record_rows(
    con: duckdb.DuckDBPyConnection, submission_id: int, frame: pd.DataFrame
) -> None:
    """Where each record of a new submission was read (kind, record_key, sheet_row)."""
    if frame.empty:
        return
    con.register("_positions", frame.assign(submission_id=submission_id))
    try:
        con.execute("INSERT INTO record_row BY NAME SELECT * FROM _positions")
    finally:
        con.unregister("_positions")

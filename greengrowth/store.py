"""The DuckDB store: schema, views, connections, transactions and the original-file store.

Every catalog table is keyed by plan_id so several plans live side by side. Submissions are never
overwritten: each upload is a new row, charts read the latest accepted one per department and period
(views below), and the original workbook bytes are kept on disk by SHA-256 so the database can be
rebuilt from them.
"""

from __future__ import annotations

import os
import random
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from greengrowth.catalog import Catalog
from greengrowth.rows import ROW_TYPES, field_names

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "greengrowth.duckdb"


class StoreError(RuntimeError):
    """A storage failure explained in words a person can act on (wraps duckdb errors)."""


def crash_point(name: str) -> None:
    """Test hook for the crash tests: with GG_TEST_PAUSE_AT=<name>, announce and wait to be killed.

    Waits GG_TEST_PAUSE_SECONDS (default 600) and then goes on. Costs one dictionary look-up when the
    variable is unset (always, outside tests).
    """
    if os.environ.get("GG_TEST_PAUSE_AT") == name:
        print(f"GG-PAUSED {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("GG_TEST_PAUSE_SECONDS") or 600))


def db_path() -> Path:
    """The database: $GG_DB, else data/greengrowth.duckdb; a postgresql:// URL selects PostgreSQL.

    A URL survives being passed around as a Path (Path folds its "//"): connect() repairs it.
    """
    return Path(os.environ.get("GG_DB") or DEFAULT_DB)


_PG_URL = re.compile(r"^(postgres(?:ql)?):/+", re.IGNORECASE)


def postgres_url(target: Path | str | None) -> str | None:
    """The PostgreSQL connection URL if `target` names one (also after Path folded it), else None."""
    text = str(target if target is not None else db_path())
    return _PG_URL.sub(lambda m: m.group(1) + "://", text) if _PG_URL.match(text) else None


def files_dir(path: Path | None = None) -> Path:
    """Where original workbooks are kept: $GG_FILES, else a 'files' folder beside the database.

    With PostgreSQL there is no "beside": GG_FILES must name a folder every app server shares.
    """
    if os.environ.get("GG_FILES"):
        return Path(os.environ["GG_FILES"])
    path = path or db_path()
    if postgres_url(path):
        raise StoreError(
            "Với PostgreSQL cần đặt GG_FILES là thư mục dùng chung cho tệp gốc / with PostgreSQL, "
            "set GG_FILES to the shared folder that keeps the original workbooks"
        )
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
-- The name Vietnamese documents use in tables and charts (Sở NN&PTNT); optional in a plan folder.
ALTER TABLE department ADD COLUMN IF NOT EXISTS short_vi VARCHAR;
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

-- The columns of `submissions` for the accepted (never withdrawn) ones, newest per report. Written
-- over the table rather than over `submissions` (same rows, same columns): nearly every page query
-- reads this view, and binding the nested view and its join cost more than running it (issue 11).
CREATE OR REPLACE VIEW current_submissions AS
SELECT s.*, 'accepted' AS status, CAST(NULL AS TIMESTAMP) AS withdrawn_at,
       CAST(NULL AS VARCHAR) AS withdrawn_by, CAST(NULL AS VARCHAR) AS withdrawn_reason
FROM submission s
WHERE s.submission_id NOT IN (
    SELECT submission_id FROM submission_event WHERE event = 'withdrawn')
QUALIFY row_number() OVER (
    PARTITION BY s.plan_id, s.department_code, s.period
    ORDER BY s.uploaded_at DESC, s.submission_id DESC) = 1;

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
       CASE WHEN e.event = 'withdrawn' THEN e.reason
            ELSE s.file_name || coalesce(' · ' || x.explanation, '') END AS detail
FROM submission_event e JOIN submission s USING (submission_id)
-- an upload's explanation for its data-quality warnings is part of the upload, not a step of its own
LEFT JOIN (SELECT submission_id, any_value(reason) AS explanation FROM submission_event
           WHERE event = 'warnings_accepted' GROUP BY submission_id) x USING (submission_id)
WHERE e.event <> 'warnings_accepted'
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
    "data_quality_warnings",
)


# DuckDB shares one database instance between the connections a process opens to the same file; two
# threads opening (or closing) the first connection at the same moment race to attach it ("Unique file
# handle conflict"). The app serves several sessions on threads, so opening and closing are serialised.
_OPEN_LOCK = threading.Lock()
# A DuckDB file has one writing process at a time: another process (a CLI ingest, a second app worker,
# a backup) waits for it this long, in seconds, before the person is told to try again.
DEFAULT_WAIT_SECONDS = 60.0


def wait_seconds() -> float:
    """How long to wait for a database another process holds: $GG_DB_WAIT, else 60 s."""
    try:
        return max(0.0, float(os.environ.get("GG_DB_WAIT") or DEFAULT_WAIT_SECONDS))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _busy(exc: Exception) -> bool:
    """A lock or write conflict that waiting resolves (DuckDB file lock, PostgreSQL serialisation)."""
    text = str(exc).lower()
    words = ("lock", "conflict", "being used by another process", "serialize", "deadlock")
    return any(w in text for w in words)


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    # Another process may hold the file for a moment: retry with growing, jittered pauses (so that
    # waiting processes do not all knock at once) until wait_seconds() have passed.
    crash_point("connect:opening")
    deadline = time.monotonic() + wait_seconds()
    delay = 0.02
    while True:
        try:
            with _OPEN_LOCK:
                return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.TransactionException) as exc:
            if not _busy(exc):
                raise StoreError(
                    f"Không mở được cơ sở dữ liệu {path} / cannot open the database ({exc})"
                ) from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"Không mở được cơ sở dữ liệu {path}: đang được một tiến trình khác dùng. "
                    f"Hãy thử lại sau ít phút. / The database is in use by another process; "
                    f"please try again in a few minutes. ({exc})"
                ) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


@contextmanager
def connect(
    path: Path | str | None = None, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema in place; closed on exit.

    A DuckDB file by default; with a postgresql:// URL, a DuckDB connection whose default catalog is
    the attached PostgreSQL database (see _open_postgres), so every query stays DuckDB SQL.
    """
    url = postgres_url(path if path is not None else db_path())
    if url:
        con = _open_postgres(url, read_only)
        ok = False
        try:
            yield con
            ok = True
        finally:
            _close_postgres(url, read_only, con, ok)
        return
    path = Path(path or db_path())
    if read_only and not path.exists():
        read_only = False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = _open(path, read_only)
    except duckdb.ConnectionException as exc:
        # This process already has the file open read-write (ui.data keeps it open while the app is
        # used; another session may be writing) and DuckDB refuses a second, read-only configuration
        # of the same file. A read-write connection to that instance reads the same data.
        if not read_only or "different configuration" not in str(exc):
            raise
        read_only = False
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


# ----- PostgreSQL ------------------------------------------------------------------------------------
# Tables live in PostgreSQL; DuckDB reads and writes them through its postgres extension, loaded from
# the PyPI package duckdb-extension-postgres-scanner (nothing is downloaded at run time). The views use
# DuckDB-only SQL (QUALIFY, EXCLUDE), so they are not stored in PostgreSQL: each connection creates
# them as TEMP views over the attached tables. The sequences are PostgreSQL's own (DuckDB cannot create
# sequences there): a TEMP macro named nextval shadows DuckDB's and asks PostgreSQL, so the store's
# nextval('submission_id_seq') works unchanged on both backends.
PG_ALIAS = "gg"


def postgres_extension() -> Path:
    """The postgres_scanner extension file shipped by the PyPI package (ImportError if missing)."""
    import duckdb_extension_postgres_scanner as package

    found = sorted(Path(package.__file__).parent.rglob("postgres_scanner.duckdb_extension"))
    if not found:
        raise StoreError(f"postgres_scanner.duckdb_extension missing in {package.__file__}")
    return found[-1]


def _pg_schema() -> str:
    """SCHEMA in PostgreSQL's dialect, run inside PostgreSQL under an advisory lock (see below)."""
    ddl = re.sub(r"\bDOUBLE\b", "DOUBLE PRECISION", SCHEMA)
    ddl = ddl.replace(
        "CREATE TABLE IF NOT EXISTS data_version (version BIGINT NOT NULL);",
        # One row only, even when two servers start at once.
        "CREATE TABLE IF NOT EXISTS data_version (version BIGINT NOT NULL, "
        "one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one));\n"
        "INSERT INTO data_version (version) VALUES (0) ON CONFLICT DO NOTHING;",
    )
    # Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog: one at a time.
    return f"SELECT pg_advisory_xact_lock(7410);\n{ddl}"


def _pg_session(con: duckdb.DuckDBPyConnection) -> None:
    """Per connection: the id macro and the views as TEMP objects over the attached tables."""
    # seq is a constant at each call site, so the query text folds to a constant PostgreSQL runs.
    ask = f"SELECT nextval FROM postgres_query('{PG_ALIAS}', 'SELECT nextval(''' || seq || ''')')"  # noqa: S608
    con.execute(f"CREATE OR REPLACE TEMP MACRO nextval(seq) AS ({ask})")
    con.execute(VIEWS.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))


# Loading the extension and attaching cost ~0.5 s, and creating the TEMP views ~60 ms: each process
# keeps one in-memory DuckDB per (URL, read-only) with PostgreSQL attached, and a pool of ready
# connections (cursors with their TEMP views) that connect() lends out and takes back.
_PG_BASES: dict[tuple[str, bool], duckdb.DuckDBPyConnection] = {}
_PG_POOL: dict[tuple[str, bool], list[duckdb.DuckDBPyConnection]] = {}
_PG_LOCK = threading.Lock()


def _pg_base(url: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    key = (url, read_only)
    if key in _PG_BASES:
        return _PG_BASES[key]
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"LOAD '{_quoted(postgres_extension())}'")
        mode = ", READ_ONLY" if read_only else ""
        deadline = time.monotonic() + wait_seconds()
        while True:
            try:
                con.execute(f"ATTACH '{_quoted(url)}' AS {PG_ALIAS} (TYPE postgres{mode})")
                break
            except (
                duckdb.Error
            ) as exc:  # server restarting, too many connections: wait, then say so
                if time.monotonic() >= deadline:
                    raise StoreError(
                        "Không kết nối được PostgreSQL; hãy thử lại sau ít phút. / Cannot reach "
                        f"the PostgreSQL store; please try again in a few minutes. ({exc})"
                    ) from exc
                time.sleep(0.2 + random.random() * 0.3)
        if not read_only and url not in _SCHEMA_READY:
            _pg_schema_once(con, deadline)
            con.execute("CALL pg_clear_cache()")
            _SCHEMA_READY.add(url)
    except BaseException:
        con.close()
        raise
    _PG_BASES[key] = con
    return con


def _pg_schema_once(con: duckdb.DuckDBPyConnection, deadline: float) -> None:
    """Create the tables if missing. Two processes starting at once may both run it; the loser gets
    "could not serialize" and runs it again after a pause (it is idempotent)."""
    while True:
        try:
            con.execute(f"CALL postgres_execute('{PG_ALIAS}', '{_quoted(_pg_schema())}')")
            return
        except duckdb.Error as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.1 + random.random() * 0.3)


def _open_postgres(url: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    with _PG_LOCK:
        pool = _PG_POOL.setdefault((url, read_only), [])
        if pool:
            return pool.pop()
        base = _pg_base(url, read_only)
        con = base.cursor()
    con.execute(f"USE {PG_ALIAS}")
    _pg_session(con)
    return con


def _close_postgres(url: str, read_only: bool, con: duckdb.DuckDBPyConnection, ok: bool) -> None:
    """Back to the pool if it is clean (no open transaction, no error); closed otherwise."""
    if ok:
        try:
            con.execute("ROLLBACK")  # a transaction left open would hold its snapshot and locks
        except duckdb.TransactionException:
            pass  # none was open: the normal case
        except duckdb.Error:
            ok = False
    with _PG_LOCK:
        pool = _PG_POOL.setdefault((url, read_only), [])
        if ok and len(pool) < 16:
            pool.append(con)
            return
    con.close()


def close_pooled() -> None:
    """Close this process's PostgreSQL connections (before dropping or copying that database)."""
    with _PG_LOCK:
        for pool in _PG_POOL.values():
            for con in pool:
                con.close()
        _PG_POOL.clear()
        for base in _PG_BASES.values():
            base.close()
        _PG_BASES.clear()


def is_postgres(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection's store is the attached PostgreSQL database."""
    row = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return row is not None and row[0] == "postgres"


_SCHEMA_READY: set[str] = set()
_SCHEMA_LOCK = threading.Lock()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and (re)create views; idempotent."""
    if is_postgres(con):
        con.execute(f"CALL postgres_execute('{PG_ALIAS}', '{_quoted(_pg_schema())}')")
        _pg_session(con)
        return
    con.execute(SCHEMA)
    if con.execute("SELECT count(*) FROM data_version").fetchone()[0] == 0:
        con.execute("INSERT INTO data_version VALUES (0)")
    con.execute(VIEWS)


_local_writes = 0  # commits made by this process; lets a cache notice its own writes at once


def local_writes() -> int:
    """How many transactions this process has committed (any database)."""
    return _local_writes


# One writing transaction at a time in this process. DuckDB detects two connections of one process
# writing the same rows (every commit bumps data_version) only at the second one's write, as a
# "conflict" error; queueing writers here means a person never sees that error. Other processes are
# kept out by DuckDB's file lock (see _open). Readers are never blocked: they see the last commit.
_WRITE_LOCK = threading.RLock()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception (then re-raise)."""
    global _local_writes
    if not _WRITE_LOCK.acquire(timeout=wait_seconds()):
        raise StoreError(
            "Hệ thống đang bận ghi dữ liệu khác; hãy thử lại sau ít phút. / "
            "The store is busy with another write; please try again in a few minutes."
        )
    try:
        _begin_writing(con)
        crash_point("tx:begun")
        try:
            yield con
            crash_point("tx:rows-written")
            crash_point("tx:before-commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        crash_point("tx:committed")
        _local_writes += 1
    finally:
        _WRITE_LOCK.release()


def _begin_writing(con: duckdb.DuckDBPyConnection) -> None:
    """BEGIN, then bump data_version first: the row lock it takes queues the writers of every process
    sharing a PostgreSQL store. A writer that finds the row changed under it ("could not serialize")
    has written nothing yet, so it starts again after a short, jittered pause, within wait_seconds()."""
    deadline = time.monotonic() + wait_seconds()
    while True:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE data_version SET version = version + 1")
            return
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            if not _busy(exc) or time.monotonic() >= deadline:
                raise StoreError(
                    "Hệ thống đang bận ghi dữ liệu khác; hãy thử lại sau ít phút. / The store is "
                    f"busy with another write; please try again in a few minutes. ({exc})"
                ) from exc
            time.sleep(0.05 + random.random() * 0.2)


def plan_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Plans loaded in the store."""
    return [r[0] for r in con.execute("SELECT plan_id FROM plan ORDER BY plan_id").fetchall()]


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever anything is written; cache keys use it."""
    return int(con.execute("SELECT version FROM data_version").fetchone()[0])


CATALOG_TABLES = {
    # db table: (catalog table, columns)
    "department": (
        "departments",
        ["department_code", "acronym", "name_vi", "name_en", "kind", "short_vi"],
    ),
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
    crash_point("tx:event")
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
    # Column by column (asdict per row deep-copies every value: 1 s for a 10,000-row report).
    frame = pd.DataFrame(
        {name: [getattr(r, name) for r in records] for name in field_names(row_type)},
        columns=field_names(row_type),
    )
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


def database_identity(con: duckdb.DuckDBPyConnection) -> str | None:
    """The database behind a connection, as a key for what a process remembers about it: the file
    with its inode (a file restored in its place is another database), the location of one that is
    not a file (PostgreSQL), None for an in-memory one."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        return f"{row[0]}#{Path(row[0]).stat().st_ino}"
    except OSError:
        return str(row[0])


def save_original(
    data: bytes, sha256: str, path: Path | None = None, files_root: Path | None = None
) -> Path:
    """Keep the uploaded bytes under files/<sha[:2]>/<sha>.xlsx; writing twice is harmless.

    Written to a temporary name, flushed to disk (fsync), renamed, and the folder flushed too, all
    before the caller commits the submission: after a crash at any moment, a stored submission has its
    original; at worst an original exists without a submission, which is harmless.
    """
    target = (files_root or files_dir(path)) / sha256[:2] / f"{sha256}.xlsx"
    if target.exists() and target.stat().st_size == len(data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    crash_point("original:before")
    with open(tmp, "wb") as fh:
        half = len(data) // 2
        fh.write(data[:half])
        fh.flush()
        crash_point("original:half-written")
        fh.write(data[half:])
        fh.flush()
        os.fsync(fh.fileno())
    crash_point("original:written")
    tmp.replace(target)
    crash_point("original:renamed")
    _fsync_dir(target.parent)
    crash_point("original:synced")
    return target


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: flush the folder's entry list (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_original(sha256: str, path: Path | None = None, files_root: Path | None = None) -> bytes:
    """The bytes of a stored upload, by its SHA-256 (beside `path`'s database, or in files_root)."""
    root = files_root or files_dir(path)
    return (root / sha256[:2] / f"{sha256}.xlsx").read_bytes()


# ----- backups ---------------------------------------------------------------------------------------

BACKUP_TABLES = (
    "data_version", "plan", "department", "district", "theme", "activity_group", "activity",
    "activity_lead", "priority_task", "priority_task_department", "priority_task_activity",
    "indicator", "finding", "reporting_rule", "funding_source", "submission", "submission_event",
    "activity_report", "activity_spending", "priority_task_report", "indicator_value",
    "report_decision", "signin_event", "record_row", "quality_warning",
)  # fmt: skip


def export_database(
    con: duckdb.DuckDBPyConnection, folder: Path
) -> tuple[dict[str, int], list[str]]:
    """Write every table as Parquet (<table>.parquet) from one snapshot; works on both backends.

    Returns the row counts and the originals' SHA-256, read in the same transaction as the files, so
    all three describe one state even while others commit: a submission is in the backup whole or not
    at all, and its original is on the list. (Not EXPORT DATABASE: it cannot read a PostgreSQL store.)
    """
    folder.mkdir(parents=True, exist_ok=True)
    con.execute("BEGIN TRANSACTION")
    try:
        counts = table_counts(con)
        shas = stored_originals(con)
        for table in BACKUP_TABLES:
            target = _quoted(folder / f"{table}.parquet")
            columns = "version" if table == "data_version" else "*"
            con.execute(f"COPY (SELECT {columns} FROM {table}) TO '{target}' (FORMAT parquet)")  # noqa: S608
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts, shas


def import_database(target: Path | str, folder: Path) -> dict[str, int]:
    """Load a backup's Parquet files into a new DuckDB file or an empty PostgreSQL store."""
    url = postgres_url(target)
    if not url and Path(target).exists():
        raise FileExistsError(target)
    with connect(target) as con:
        if any(n for t, n in table_counts(con).items() if t not in {"data_version"} and n):
            raise StoreError(
                f"{url or target}: không trống / is not empty; restore into a new store"
            )
        with transaction(con):
            con.execute("DELETE FROM data_version")
            for table in BACKUP_TABLES:
                source = _quoted(folder / f"{table}.parquet")
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{source}')")  # noqa: S608
            _restart_ids(con)
        if not url:
            con.execute("CHECKPOINT")  # all in the file itself: restore renames it, without a .wal
        return table_counts(con)


def _restart_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Make the next ids follow the restored ones."""
    top = con.execute(
        "SELECT (SELECT coalesce(max(submission_id), 0) FROM submission),"
        " (SELECT coalesce(max(event_id), 0) FROM submission_event),"
        " (SELECT coalesce(max(decision_id), 0) FROM report_decision),"
        " (SELECT coalesce(max(signin_id), 0) FROM signin_event)"
    ).fetchone()
    sequences = ("submission_id_seq", "event_id_seq", "decision_id_seq", "signin_id_seq")
    if is_postgres(con):
        for name, value in zip(sequences, top, strict=True):
            query = f"SELECT setval(''{name}'', {int(value) + 1}, false)"
            con.execute(f"SELECT * FROM postgres_query('{PG_ALIAS}', '{query}')").fetchall()  # noqa: S608
        return
    for name, value in zip(sequences, top, strict=True):
        con.execute(f"DROP SEQUENCE IF EXISTS {name}")
        con.execute(f"CREATE SEQUENCE {name} START {int(value) + 1}")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per stored table: a backup's manifest records them, a restore checks them."""
    return {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # noqa: S608
        for t in BACKUP_TABLES
    }


def stored_originals(con: duckdb.DuckDBPyConnection) -> list[str]:
    """SHA-256 of every stored submission's original (the files a backup must carry)."""
    rows = con.execute("SELECT DISTINCT sha256 FROM submission ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def original_path(sha256: str, files_root: Path) -> Path:
    """Where an original lives under a files folder (files/<sha[:2]>/<sha>.xlsx)."""
    return files_root / sha256[:2] / f"{sha256}.xlsx"


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


# ---- the reporting cycle (issue #9): append-only writes ---------------------------------------------
DECISIONS = ("approved", "returned", "reopened")
SIGNIN_OUTCOMES = ("ok", "failed", "locked", "signout")


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
    _insert_warnings(con, frame)


def _insert_warnings(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    rows = frame.reindex(columns=QUALITY_WARNING_COLUMNS).astype(object)
    rows = rows.where(pd.notna(rows), None)
    con.register("_warnings", rows)
    try:
        con.execute("INSERT INTO quality_warning BY NAME SELECT * FROM _warnings")
    finally:
        con.unregister("_warnings")


def replace_department_warnings(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    department_code: str,
    codes: list[str],
    frame: pd.DataFrame,
) -> None:
    """Replace a plan's stored warnings about one department's activities and tasks and about the
    indicator `codes` (inside the caller's transaction; loaders.quality_check.refresh_after)."""
    con.execute(
        "DELETE FROM quality_warning WHERE plan_id = ? AND ("
        "(kind IN ('activity', 'task') AND department_code = ?)"
        " OR (kind = 'indicator' AND list_contains(?::VARCHAR[], indicator_code)))",
        [plan_id, department_code, codes],
    )
    _insert_warnings(con, frame)


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

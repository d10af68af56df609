"""python -m loaders: exit codes 0 accepted, 1 rejected, 2 usage error; the database as promised."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from greengrowth import store
from tests.workbooks import BROKEN, fill

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, env_db: Path) -> subprocess.CompletedProcess:
    import os

    from greengrowth.store import postgres_url

    # Originals beside a DuckDB file; a PostgreSQL store has no "beside": keep the fixture's folder
    # (else a folder named after the URL would appear in the working directory).
    files = os.environ["GG_FILES"] if postgres_url(env_db) else str(env_db.parent / "files")
    env = {**os.environ, "GG_DB": str(env_db), "GG_FILES": files}
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def count(db: Path, sql: str) -> int:
    with store.connect(db) as con:
        return con.execute(sql).fetchone()[0]


@pytest.fixture
def template(tmp_path) -> Path:
    db = tmp_path / "cli.duckdb"
    out = tmp_path / "doc.xlsx"
    done = cli("template", "--department", "DOC", "--period", "2020", "-o", str(out), env_db=db)
    assert done.returncode == 0, done.stderr
    return out


def test_template_ingest_roundtrip(template, tmp_path):
    db = tmp_path / "cli.duckdb"
    filled = tmp_path / "doc-filled.xlsx"
    filled.write_bytes(fill(template.read_bytes(), status="hoàn thành", percent=100))
    dry = cli("ingest", "--dry-run", str(filled), env_db=db)
    assert dry.returncode == 0, dry.stdout
    assert "Hoạt động 33: Chưa báo cáo -> Hoàn thành 100%" in dry.stdout
    assert count(db, "SELECT count(*) FROM submission") == 0
    done = cli("ingest", "--user", "analyst1", str(filled), env_db=db)
    assert done.returncode == 0, done.stdout
    assert count(db, "SELECT count(*) FROM activity_status_latest WHERE status='completed'") == 5
    assert count(db, "SELECT count(*) FROM submissions WHERE uploaded_by='analyst1'") == 1


def test_broken_workbook_is_rejected_and_nothing_changes(template, tmp_path):
    db = tmp_path / "cli.duckdb"
    edit = BROKEN["unknown_status"][0]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(fill(template.read_bytes(), edit))
    done = cli("ingest", str(bad), env_db=db)
    assert done.returncode == 1
    assert "[Hoạt động] dòng 3 cột C (Trạng thái)" in done.stdout
    assert "xong rồi" in done.stdout and "Cách sửa" in done.stdout
    assert count(db, "SELECT count(*) FROM submission") == 0


def test_usage_errors_exit_2(tmp_path):
    db = tmp_path / "cli.duckdb"
    assert cli("ingest", env_db=db).returncode == 2
    assert cli("ingest", str(tmp_path / "missing.xlsx"), env_db=db).returncode == 2
    assert cli("frobnicate", env_db=db).returncode == 2
    out = tmp_path / "x.xlsx"
    assert cli("template", "--department", "NASA", "--period", "2019", "-o", str(out),
               env_db=db).returncode == 2  # fmt: skip


ACCOUNTS = """
[analysts.lan]
name = "Nguyễn Thị Lan"
email = "lan@example.invalid"
role = "analyst"
departments = ["DOIT"]
"""


def test_acting_as_an_analyst_of_another_department_is_refused(template, tmp_path):
    """--as USER acts with that account's rights: DOIT's analyst may not store DOC's report."""
    db = tmp_path / "cli.duckdb"
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    filled = tmp_path / "doc-filled.xlsx"
    filled.write_bytes(fill(template.read_bytes(), status="hoàn thành", percent=100))
    done = cli("ingest", "--as", "lan", "--accounts", str(accounts), str(filled), env_db=db)
    assert done.returncode == 1, done.stdout
    assert "không được báo cáo cho đơn vị DOC" in done.stdout
    assert count(db, "SELECT count(*) FROM submission") == 0
    unknown = cli("ingest", "--as", "nobody", "--accounts", str(accounts), str(filled), env_db=db)
    assert unknown.returncode == 2 and "nobody" in unknown.stderr
    assert count(db, "SELECT count(*) FROM submission") == 0


def test_withdraw_through_the_cli(template, tmp_path):
    db = tmp_path / "cli.duckdb"
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    filled = tmp_path / "doc-filled.xlsx"
    filled.write_bytes(fill(template.read_bytes(), status="hoàn thành", percent=100))
    assert cli("ingest", "--user", "operator", str(filled), env_db=db).returncode == 0
    refused = cli("withdraw", "1", "--reason", "nhầm", "--as", "lan", "--accounts", str(accounts),
                  env_db=db)  # fmt: skip
    assert refused.returncode == 1 and "DOC" in refused.stdout
    assert count(db, "SELECT count(*) FROM submissions WHERE status = 'withdrawn'") == 0
    done = cli("withdraw", "1", "--reason", "nộp nhầm", "--user", "operator", env_db=db)
    assert done.returncode == 0, done.stdout
    assert count(db, "SELECT count(*) FROM submissions WHERE withdrawn_by = 'operator'") == 1
    again = cli("withdraw", "1", "--reason", "lần nữa", env_db=db)
    assert again.returncode == 1 and "đã được rút" in again.stdout


def test_an_approved_report_is_locked_in_the_cli_too(template, tmp_path):
    """Reporting cycle (issue #9): after approval, ingest and withdraw exit 1 and store nothing."""
    db = tmp_path / "cli.duckdb"
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    filled = tmp_path / "doc-filled.xlsx"
    filled.write_bytes(fill(template.read_bytes(), status="hoàn thành", percent=100))
    assert cli("ingest", "--user", "operator", str(filled), env_db=db).returncode == 0
    returned = cli("review", "return", "1", "--user", "dpi", env_db=db)
    assert returned.returncode == 1 and "nhận xét" in returned.stdout  # a comment is required
    approved = cli("review", "approve", "1", "--user", "dpi", env_db=db)
    assert approved.returncode == 0, approved.stdout
    again = tmp_path / "doc-again.xlsx"
    again.write_bytes(fill(template.read_bytes(), status="đang thực hiện", percent=50))
    before = count(db, "SELECT count(*) FROM submission_event")
    upload = cli("ingest", "--user", "operator", str(again), env_db=db)
    assert upload.returncode == 1 and "đã được dpi duyệt lúc" in upload.stdout, upload.stdout
    withdraw = cli("withdraw", "1", "--reason", "rút", "--user", "operator", env_db=db)
    assert withdraw.returncode == 1 and "đã khóa" in withdraw.stdout
    assert count(db, "SELECT count(*) FROM submission_event") == before
    reopened = cli(
        "review", "reopen", "1", "--comment", "sửa số liệu", "--user", "admin", env_db=db
    )
    assert reopened.returncode == 0, reopened.stdout
    # the corrected report goes backwards against the approved one: a data-quality warning (issue
    # 14), stored with the operator's explanation
    stored = cli(
        "ingest", "--user", "operator", "--accept-warnings", "Sửa theo yêu cầu của Sở KH&ĐT",
        str(again), env_db=db,
    )  # fmt: skip
    assert stored.returncode == 0, stored.stdout

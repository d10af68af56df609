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

    env = {**os.environ, "GG_DB": str(env_db), "GG_FILES": str(env_db.parent / "files")}
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

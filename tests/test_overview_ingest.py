"""Done-when of the foundation: ingesting a filled template through the CLI changes the overview."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from greengrowth import store
from loaders.template import build_template
from tests.conftest import PLAN_ID
from tests.workbooks import fill

ROOT = Path(__file__).resolve().parents[1]


def completed_metric(at: AppTest) -> str:
    metrics = {m.label: m.value for m in at.metric}
    return metrics["Hoàn thành"]


def test_cli_ingest_changes_the_overview(demo_db, tmp_path, monkeypatch):
    import ui.data

    # Another process's write is seen within VERSION_TTL_SECONDS; the test does not wait for it.
    monkeypatch.setattr(ui.data, "VERSION_TTL_SECONDS", 0.0)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["period"] = "2020"
    at.run()
    assert not at.exception, at.exception
    before = int(completed_metric(at))

    # DOC did not report for 2020 in the demo data: its 5 activities are "not reported".
    with store.connect(demo_db) as con:
        workbook = fill(build_template(con, PLAN_ID, "DOC", 2020), status="Hoàn thành",
                        percent=100)  # fmt: skip
    path = tmp_path / "doc-2020.xlsx"
    path.write_bytes(workbook)
    env = {**os.environ}
    # The demo's DOC had completed its tasks in 2019; this workbook says "in progress": warnings.
    done = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(path),
                           "--accept-warnings", "kiểm tra"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr

    at.run()
    assert not at.exception, at.exception
    assert int(completed_metric(at)) == before + 5

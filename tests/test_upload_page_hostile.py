"""The upload page (AppTest) with hostile workbooks and hostile file names (issue 16): a refusal in the
page, never a traceback, and nothing stored. The page itself is pages/upload.py; these tests only use
what any version of it shows: the problems of a refused file, in a table or as text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from greengrowth import store
from loaders.problems import problem
from tests.hostile import HOSTILE

ROOT = Path(__file__).resolve().parents[1]
SECRETS = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    """As in tests/test_pages_analyst.py: every AppTest run executes dashboard.py."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def upload_page(files: list[tuple[str, bytes]]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = SECRETS
    at.session_state["analyst_user"] = "demo"
    at.run()
    at.switch_page("pages/upload.py").run()
    uploader = at.file_uploader(key="upload_files")
    for name, data in files:
        uploader.upload(name, data, XLSX)
    return at.run()


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text, tables included."""
    parts = [e.value for kind in ("error", "warning", "markdown", "caption", "info")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def submissions(db: Path) -> int:
    with store.connect(db) as con:
        return con.execute("SELECT count(*) FROM submission").fetchone()[0]


def test_every_hostile_workbook_is_refused_on_the_page(demo_db):
    before = submissions(demo_db)
    files = [(f"{name}.xlsx", build()) for name, (build, _code) in HOSTILE.items()]
    at = upload_page(files)
    assert not at.exception, at.exception
    text = shown_text(at)
    for _name, (_build, code) in HOSTILE.items():
        assert problem(code).message_vi.split("'")[0][:12] in text, code  # the refusal's own words
    assert at.button(key="upload_commit").disabled
    assert submissions(demo_db) == before


def test_a_nul_in_the_file_name_is_a_plain_refusal(demo_db):
    from tests.workbooks import good_workbook

    with store.connect(demo_db) as con:
        data = good_workbook(con, department="DOIT", period=2020)
    at = upload_page([("doit\x00.xlsx", data)])
    assert not at.exception, at.exception
    assert problem("bad_file_name").message_vi.split("(")[0].strip() in shown_text(at)

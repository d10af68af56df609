"""Safe defaults for a server on the province's network (issue 16, items 5 and 6): the upload limit,
`make run`'s address, the demo account refused off this machine, the deployment documentation."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from loaders import workbook as W
from tests.test_hostile_workbooks import ten_thousand_rows
from ui import serve

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def test_upload_limit_is_the_smallest_whole_mb_with_room_and_matches_the_loader(catalog_con):
    from tests.workbooks import good_workbook

    largest_honest = len(ten_thousand_rows(good_workbook(catalog_con)))
    limit_mb = _config()["server"]["maxUploadSize"]
    assert limit_mb == math.ceil(
        2 * largest_honest / MB
    )  # twice the largest honest file, rounded up
    assert limit_mb * MB == W.MAX_UPLOAD_BYTES


def _make_run(*args: str) -> str:
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    return next(line for line in done.stdout.splitlines() if "ui.serve" in line)


def test_make_run_binds_this_machine_unless_told_otherwise():
    assert "--server.address 127.0.0.1" in _make_run()
    assert "--server.address 0.0.0.0" in _make_run("HOST=0.0.0.0")


@pytest.mark.parametrize(
    ("address", "local"),
    [("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("", False), (None, False), ("192.168.1.20", False),
     ("::", False), ("gg.binhduong.gov.vn", False)],
)  # fmt: skip
def test_which_addresses_are_this_machine(address, local):
    assert serve.is_local_address(address) is local


def _root_with_secrets(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(text, "utf-8")
    return tmp_path


REAL = """
[analysts.lan]
name = "Lan"
password_hash = "$2b$12$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyzABCDE"
role = "analyst"
departments = ["DOIT"]
"""


@pytest.fixture
def demo_root(tmp_path) -> Path:
    return _root_with_secrets(tmp_path, (ROOT / ".streamlit" / "secrets.example.toml").read_text())


@pytest.mark.parametrize("argv", [["--server.address", "0.0.0.0"], ["--server.address=10.0.0.5"],
                                  []])  # fmt: skip
def test_the_demo_account_is_refused_off_this_machine(demo_root, argv):
    message = serve.startup_refusal(["run", "dashboard.py", *argv], {}, demo_root)
    assert message and "greengrowth.auth hash" in message
    assert "Không khởi động" in message and "Not starting" in message


def test_the_demo_account_is_fine_on_this_machine(demo_root):
    argv = ["run", "dashboard.py", "--server.address", "127.0.0.1"]
    assert serve.startup_refusal(argv, {}, demo_root) is None
    assert serve.startup_refusal(["run"], {"STREAMLIT_SERVER_ADDRESS": "::1"}, demo_root) is None


def test_real_accounts_may_serve_the_network(tmp_path):
    root = _root_with_secrets(tmp_path, REAL)
    assert serve.startup_refusal(["run", "--server.address", "0.0.0.0"], {}, root) is None


def test_the_published_password_under_another_name_is_still_the_demo(tmp_path):
    example = (ROOT / ".streamlit" / "secrets.example.toml").read_text()
    root = _root_with_secrets(
        tmp_path, REAL + example.replace("[analysts.demo]", "[analysts.boss]")
    )
    assert "boss" in serve.startup_refusal(["run", "--server.address", "0.0.0.0"], {}, root)


@pytest.mark.parametrize(
    "secret",
    ["replace-with-64-random-hex-characters", "short", ""],
    ids=["example", "short", "empty"],
)
def test_a_published_or_short_cookie_secret_is_refused_off_this_machine(tmp_path, secret):
    """st.login signs its cookie with [auth] cookie_secret: a known one lets anyone forge a sign-in."""
    root = _root_with_secrets(tmp_path, REAL + f'\n[auth]\ncookie_secret = "{secret}"\n')
    message = serve.startup_refusal(["run", "--server.address", "0.0.0.0"], {}, root)
    assert message and "cookie_secret" in message
    assert "Không khởi động" in message and "Not starting" in message
    local = ["run", "--server.address", "127.0.0.1"]
    assert serve.startup_refusal(local, {}, root) is None


def test_a_long_random_cookie_secret_may_serve_the_network(tmp_path):
    root = _root_with_secrets(tmp_path, REAL + f'\n[auth]\ncookie_secret = "{"a1" * 32}"\n')
    assert serve.startup_refusal(["run", "--server.address", "0.0.0.0"], {}, root) is None


def test_secrets_given_on_the_command_line_are_checked(tmp_path):
    secrets = tmp_path / "elsewhere.toml"
    shutil.copy(ROOT / ".streamlit" / "secrets.example.toml", secrets)
    (tmp_path / "empty").mkdir()
    argv = ["run", "--server.address", "0.0.0.0", "--secrets.files", str(secrets)]
    assert serve.startup_refusal(argv, {}, tmp_path / "empty")


def test_the_launcher_refuses_to_start_with_the_demo_on_the_network(demo_root):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.serve", "run", str(ROOT / "dashboard.py"),
         "--server.address", "0.0.0.0", "--server.port", "1"],
        cwd=demo_root, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "greengrowth.auth hash" in done.stderr


def test_the_demo_sign_in_is_refused_on_a_network_address(demo_db, monkeypatch):
    """A server started some other way (plain `streamlit run` on 0.0.0.0): the sign-in says no."""
    from streamlit import config
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.secrets = secrets
        at.run()
        at.sidebar.text_input(key="signin_sidebar_user").input("demo")
        at.sidebar.text_input(key="signin_sidebar_password").input("xanh-2018")
        at.sidebar.button[0].click().run()
        errors = " ".join(e.value for e in at.sidebar.error)
        assert "127.0.0.1" in errors and "greengrowth.auth hash" in errors
        assert "analyst_user" not in at.session_state
    finally:
        config.set_option("server.address", before)


def test_deployment_documentation_covers_the_production_settings():
    text = (ROOT / "docs" / "DEPLOYMENT.md").read_text("utf-8")
    for needed in ("showErrorDetails", "client_max_body_size", "limit_req", "maxUploadSize",
                   "127.0.0.1", "HOST=", "greengrowth.auth hash", "GG_READ_MEMORY_MB"):  # fmt: skip
        assert needed in text, needed


def test_the_demo_sign_in_is_refused_from_another_machine(demo_db, monkeypatch):
    """Bound to 127.0.0.1 but reached from elsewhere (a reverse proxy, a tunnel): still refused."""
    from streamlit.runtime.context import ContextProxy
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: "10.0.0.7"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    at.run()
    at.sidebar.text_input(key="signin_sidebar_user").input("demo")
    at.sidebar.text_input(key="signin_sidebar_password").input("xanh-2018")
    at.sidebar.button[0].click().run()
    assert "127.0.0.1" in " ".join(e.value for e in at.sidebar.error)
    assert "analyst_user" not in at.session_state

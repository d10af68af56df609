"""Browser tests: a real `streamlit run` server and Playwright driving Debian's /usr/bin/chromium.

Select them alone with `pytest -m e2e`. Screenshots go to artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
CHART = '[data-testid="stPlotlyChart"] .main-svg'


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-data")


@contextmanager
def dashboard_server(
    folder: Path, secrets: Path, env: dict, port: int | None = None
) -> Iterator[str]:
    """`python -m ui.serve` (the launcher `make run` uses) on a free port of 127.0.0.1 (or `port`,
    when the secrets must name it beforehand, as an OIDC redirect URI does), waited for until
    healthy; yields its base URL and stops only the server it started. Log in folder."""
    port = port or _free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "run", "dashboard.py",
         "--server.address", "127.0.0.1",  # the demo account works only on this machine's address
         "--server.port", str(port), "--server.headless", "true",
         "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with running(proc, log, f"{base}/_stcore/health", folder / "server.log", seconds=60):
        yield base


@contextmanager
def running(proc: subprocess.Popen, log, ready_url: str, log_path: Path, seconds: float):
    """Wait until `ready_url` answers 200 (else fail, naming the log), then, on leaving, stop only
    this process and close its log: every server a browser test starts goes through here."""
    try:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(ready_url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"{ready_url} never answered; see {log_path}")
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def fresh_demo(tmp_path_factory, name: str) -> tuple[Path, Path, dict]:
    """A folder with its own demo database and originals folder, for a test that writes: returns
    (folder, database, the environment a server or CLI on it needs)."""
    data = tmp_path_factory.mktemp(name)
    db = data / f"{name}.duckdb"
    env = {
        **os.environ,
        "GG_DB": str(db),
        "GG_FILES": str(data / "files"),
        "BROWSER_PATH": CHROMIUM,
    }
    subprocess.run([sys.executable, "-m", "loaders", "demo", "--force"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    return data, db, env


@pytest.fixture(scope="session")
def server(e2e_data_dir):
    """A dashboard on the demo data, with the demo analyst account; yields its base URL."""
    db = e2e_data_dir / "e2e.duckdb"
    secrets_dir = e2e_data_dir / "secrets"
    secrets_dir.mkdir()
    shutil.copy(ROOT / ".streamlit" / "secrets.example.toml", secrets_dir / "secrets.toml")
    env = {
        **os.environ,
        "GG_DB": str(db),
        "GG_FILES": str(e2e_data_dir / "files"),
        "BROWSER_PATH": CHROMIUM,
    }
    # Build the demo database before the server starts, so the first page paints quickly.
    subprocess.run(
        [sys.executable, "-m", "loaders", "demo", "--force"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    with dashboard_server(e2e_data_dir, secrets_dir / "secrets.toml", env) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

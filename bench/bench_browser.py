"""Cold start and memory, in a real browser (Playwright driving Debian's /usr/bin/chromium).

* cold start: from starting the server (the launcher `make run` uses) to the first chart painted in
  Chromium, against a bare Streamlit page with three Plotly charts started and opened the same way;
  median of --runs (province data);
* next visitor: a new browser session opening the page on a server that has served it once, to
  its first chart (what the page itself costs in the browser, without the server's start-up);
* memory: the server's resident memory after visiting every page at the national scale, against the
  bare page's server after its one page.

Usage: .venv/bin/python bench/bench_browser.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, Row, emit, scale_db  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]  # fmt: skip
CHART = '[data-testid="stPlotlyChart"] .main-svg'
URL_PATHS = [
    "tong-quan",
    "theo-chu-de",
    "theo-so-nganh",
    "uu-tien-2018",
    "chi-tieu",
    "bao-cao",
    "chat-luong-du-lieu",
    "ke-hoach",
    "mau-bao-cao",
    "tai-len",
    "lich-su-nop",
    "duyet-bao-cao",
    "lich-su-so-lieu",
]  # fmt: skip (dashboard.URL_PATHS, every page)

BARE = """
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.title("Bare page")
for i in range(3):
    fig = go.Figure(go.Bar(x=["a", "b", "c", "d"], y=[3 + i, 1, 4, 1 + i]))
    fig.update_layout(title=f"Chart {i + 1}")
    st.plotly_chart(fig, key=f"c{i}")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Streamlit server we start (and stop: only this process)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, *args, "--server.port", str(self.port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"server did not start; see {self.log.name}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def first_chart_seconds(browser, server: Server, path: str = "") -> float:
    """Seconds from the server's start to the first chart painted in a new browser page."""
    server.wait_healthy()
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{server.base}/{path}")
    page.wait_for_selector(CHART, state="visible", timeout=120_000)
    took = time.perf_counter() - server.started
    context.close()
    return took


def next_visitor_seconds(browser, server: Server) -> float:
    """Seconds from a new visitor opening the page to its first chart, on a server that has
    already served it once (data cached, modules imported): what the page itself costs."""
    start = time.perf_counter()
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(server.base)
    page.wait_for_selector(CHART, state="visible", timeout=120_000)
    took = time.perf_counter() - start
    context.close()
    return took


def app_env(db: Path, work: Path) -> dict[str, str]:
    """A private copy of a generated database (the server may write to it), and the demo account."""
    copy = work / db.parent.name
    if not copy.exists():
        copy.mkdir()
        shutil.copy(db, copy / db.name)
        if (db.parent / "files").exists():
            shutil.copytree(db.parent / "files", copy / "files")
    secrets = work / "secrets.toml"
    shutil.copy(ROOT / ".streamlit" / "secrets.example.toml", secrets)
    return {"GG_DB": str(copy / db.name), "GG_FILES": str(copy / "files"), "GG_NO_DEMO": "1",
            "BROWSER_PATH": CHROMIUM, "_secrets": str(secrets)}  # fmt: skip


def app_args(env: dict[str, str]) -> list[str]:
    return [
        "-m",
        "ui.serve",
        "run",
        "dashboard.py",
        "--server.address",
        "127.0.0.1",
        "--secrets.files",
        env["_secrets"],
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    province, national = scale_db("province"), scale_db("national")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        bare = work / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        app, base, bare_rss = [], [], 0.0
        app_next, base_next = [], []
        env = app_env(province, work)
        for i in range(args.runs):
            server = Server(["-m", "streamlit", "run", str(bare)], {}, work / f"bare{i}.log")
            try:
                base.append(first_chart_seconds(browser, server))
                base_next.append(next_visitor_seconds(browser, server))
                bare_rss = server.rss_mb()
            finally:
                server.stop()
            server = Server(app_args(env), env, work / f"app{i}.log")
            try:
                app.append(first_chart_seconds(browser, server))
                app_next.append(next_visitor_seconds(browser, server))
            finally:
                server.stop()
        rows.append(Row("cold start: server start to first chart painted (overview)",
                        statistics.median(app), statistics.median(base), "s", "province",
                        "bare Streamlit page, 3 Plotly charts"))  # fmt: skip
        rows.append(Row("next visitor: page opened to first chart painted, running server",
                        statistics.median(app_next), statistics.median(base_next), "s",
                        "province", "bare Streamlit page, 3 Plotly charts"))  # fmt: skip

        env = app_env(national, work)
        server = Server(app_args(env), env, work / "memory.log")
        try:
            server.wait_healthy()
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            for path in URL_PATHS:
                page.goto(f"{server.base}/{path}")
                page.wait_for_selector('[data-testid="stHeading"], h1', timeout=120_000)
                page.wait_for_timeout(1500)  # let the run finish (tables, charts)
            context.close()
            rss = server.rss_mb()
        finally:
            server.stop()
        rows.append(Row(f"server memory after all {len(URL_PATHS)} pages", rss, bare_rss, "MB",
                        "national", "bare page's server"))  # fmt: skip
        browser.close()
    emit(rows)


if __name__ == "__main__":
    main()

"""The server's start-up warm-up (ui/warmup.py): what it imports, and that it never creates or
changes a store (a new store's first page run decides about the demo data)."""

from __future__ import annotations

import logging
import sys
import tomllib
from pathlib import Path

from greengrowth import store
from ui import data, serve, warmup

ROOT = Path(__file__).resolve().parents[1]


def test_it_imports_what_the_overview_imports_first_and_every_page_import():
    names = warmup.page_imports()
    # `from greengrowth import charts` names the module greengrowth.charts, not only the package
    for module in ("greengrowth.charts", "greengrowth.summary", "ui.chrome", "ui.briefing"):
        assert module in names
    assert names.index("greengrowth.summary") < names.index("loaders.service")  # overview first
    # the analyst pages' modules too: every page's first run is served
    assert "ui.analyst" in names and "loaders.template" in names
    # names imported from a module (`from greengrowth.i18n import t`) are not modules
    assert not any(n.endswith((".t", ".load")) for n in names)


def test_warm_up_never_creates_the_store(tmp_path, monkeypatch):
    db = tmp_path / "new" / "gg.duckdb"
    monkeypatch.setenv("GG_DB", str(db))
    warmup.warm_up()
    assert not db.exists()  # ui.data.ensure_database will see a new store and add the demo data


def test_warm_up_opens_an_existing_store_and_keeps_it_open(db_env, monkeypatch):
    monkeypatch.setattr(data, "KEEP_OPEN_SECONDS", 30)
    with store.connect(db_env):
        pass
    try:
        warmup.warm_up()
        assert data.db_file() in data._kept
    finally:
        data.release()
    for module in warmup.page_imports():
        assert module in sys.modules


def test_a_failed_warm_up_is_logged_and_raises_nothing(monkeypatch, caplog):
    monkeypatch.setattr(warmup, "_steps", lambda root: [lambda: 1 / 0, lambda: None])
    with caplog.at_level(logging.ERROR, logger="ui.warmup"):
        warmup.warm_up()  # what the thread runs: must not raise into the server
    assert [r.getMessage() for r in caplog.records] == [
        "a warm-up step failed; the first page run will do it"
    ]


def test_the_launcher_starts_the_warm_up_before_the_server(monkeypatch):
    import streamlit.web.cli

    from loaders import worker

    calls = []
    monkeypatch.setattr(worker, "warm", lambda: None)
    monkeypatch.setattr(warmup, "start", lambda: calls.append("warm-up"))
    monkeypatch.setattr(streamlit.web.cli, "main", lambda: calls.append("server") or 0)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert serve.main(["run", "dashboard.py", "--server.address", "127.0.0.1"]) == 0
    assert calls == ["warm-up", "server"]


def test_the_server_config_skips_per_run_work_a_served_dashboard_does_not_need():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["runner"]["postScriptGC"] is False  # a full collection after every page view
    assert config["server"]["fileWatcherType"] == "none"  # a walk over every module per run

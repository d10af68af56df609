"""Work a new server process does once, done at start-up instead of during its first visitor's wait.

A page's first run in a fresh process imported pandas, Plotly, DuckDB and the project, replaced the
store's views and made Plotly's first figure (which imports its validators) while the first visitor
looked at an empty page: 7.3 s from server start to the first chart against 3.6 s for a bare
Streamlit page with three charts (bench/bench_browser.py, issue 11). The launcher (ui/serve.py) runs
`start()` on a thread, so this happens while the browser is still loading Streamlit's scripts. A
visitor who comes earlier only waits for what is not done yet: Python's import lock and the store's
schema lock make the page's run wait for, not repeat, the work in progress.
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_log = logging.getLogger(__name__)


def _is_project_module(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def page_imports(root: Path = ROOT) -> list[str]:
    """The project and library modules that dashboard.py and pages/*.py import, in file order: the
    default page (the overview) first, the page a first visitor opens."""
    names: dict[str, None] = {}
    pages = sorted((root / "pages").glob("*.py"), key=lambda p: (p.stem != "overview", p.name))
    for path in [root / "dashboard.py", *pages]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.setdefault(node.module)
                for alias in node.names:  # `from greengrowth import charts`: a module of ours
                    sub = f"{node.module}.{alias.name}"
                    if _is_project_module(root, sub):
                        names.setdefault(sub)
    names.pop("__future__", None)
    return list(names)


def warm_up(root: Path = ROOT) -> None:
    """Import what the pages import, open the store (schema checked, connection kept open) if it
    exists, and make one page figure. Never creates the store: the first run decides whether a
    new store gets the demo data (ui.data.ensure_database)."""
    for name in page_imports(root):
        importlib.import_module(name)
    from greengrowth import chart_style
    from greengrowth.i18n import LANGS, fmt_number, strings
    from ui import data

    strings()  # every UI string file, parsed once per process
    for lang in LANGS:
        fmt_number(1234.5, lang)  # Babel loads a locale's data on first use
    if Path(data.db_file()).exists():
        data.keep_open()
    chart_style.for_page(chart_style.empty_figure("-", "vi", "-"))


def _run() -> None:
    try:
        warm_up()
    except Exception:  # a warm-up failure must not stop the server; the page will say what is wrong
        _log.exception("warm-up failed; the first page run will do this work")


def start() -> threading.Thread:
    """Warm up on a daemon thread (the server starts at once)."""
    thread = threading.Thread(target=_run, name="gg-warm-up", daemon=True)
    thread.start()
    return thread

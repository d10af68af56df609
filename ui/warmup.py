"""Work a new server process does once, done at start-up instead of during its first visitor's wait.

A page's first run in a fresh process imported pandas, Plotly, DuckDB and the project, replaced the
store's views and made Plotly's first figure (which imports its validators) while the first visitor
looked at an empty page (issue 11: bench/bench_browser.py). The launcher (ui/serve.py) runs `start()`
on a thread, so this happens while the browser is still loading Streamlit's scripts, or before
anyone comes. A visitor who comes earlier waits for an import in progress (Python's import lock) or
the store's schema check (store.connect's lock) rather than doing it twice; parsing the UI strings
may happen twice. Each step is independent: one that fails is logged and the others still run.
The store is opened only when it is a DuckDB file that exists: a PostgreSQL store is not warmed, and
a new store is left to the first run, which decides whether it gets the demo data.
"""

from __future__ import annotations

import ast
import functools
import importlib
import logging
import threading
from collections.abc import Callable
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


def _steps(root: Path) -> list[Callable[[], object]]:
    from greengrowth import chart_style
    from greengrowth.i18n import LANGS, fmt_number, strings
    from ui import data

    def open_store() -> None:
        if Path(data.db_file()).exists():  # kept open until KEEP_OPEN_SECONDS pass unread
            data.keep_open()

    return [
        *(functools.partial(importlib.import_module, name) for name in page_imports(root)),
        strings,  # every UI strings file, parsed
        *(functools.partial(fmt_number, 1234.5, lang) for lang in LANGS),  # Babel's locale data
        open_store,
        lambda: chart_style.for_page(chart_style.empty_figure("-", "vi", "-")),  # Plotly's first
    ]


def warm_up(root: Path = ROOT) -> None:
    """Every step, in order; a failed step is logged and the next one runs."""
    try:
        steps = _steps(root)
    except Exception:  # the server must start; the page run will meet and show the problem
        _log.exception("the warm-up could not start; the first page run will do its work")
        return
    for step in steps:
        try:
            step()
        except Exception:
            _log.exception("a warm-up step failed; the first page run will do it")


def start() -> threading.Thread:
    """Warm up on a daemon thread (the server starts at once)."""
    thread = threading.Thread(target=warm_up, name="gg-warm-up", daemon=True)
    thread.start()
    return thread

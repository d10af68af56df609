"""Docs stay true and the layers stay apart."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from greengrowth import store

ROOT = Path(__file__).resolve().parents[1]


def test_every_documented_view_exists_and_every_view_is_documented(catalog_con):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.M))
    views = {r[0] for r in catalog_con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}  # fmt: skip
    assert documented == views == set(store.DOCUMENTED_VIEWS)


def test_readme_example_query_runs(demo_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sql = re.search(r"```sql\n(.*?)```", readme, flags=re.S).group(1)
    with store.connect(demo_db) as con:
        rows = con.execute(sql).fetchall()
    assert rows and all(0 <= r[3] <= 100 for r in rows)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_and_loaders_never_import_streamlit():
    for folder in ("greengrowth", "loaders"):
        for path in (ROOT / folder).rglob("*.py"):
            assert "streamlit" not in _imports(path), path


def test_sql_lives_in_queries_and_store():
    """Pages, ui/ and loaders/ call named queries and store functions; they hold no SQL."""
    sql = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE)\s")  # SQL is upper case
    for folder in ("pages", "ui", "loaders"):
        for path in [ROOT / "dashboard.py", *(ROOT / folder).rglob("*.py")]:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute):
                    assert node.attr not in {"execute", "sql"}, f"{path}:{node.lineno} runs SQL"
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    assert not sql.match(node.value), f"{path}:{node.lineno} holds SQL"


# ---- pages only render ------------------------------------------------------------------------------
PAGES = sorted((ROOT / "pages").glob("*.py"))
PERMISSION_NAMES = {"may_report_for", "allowed", "is_admin", "role", "departments", "authorize"}
SHAPING_CALLS = {
    "DataFrame", "concat", "groupby", "merge", "pivot", "pivot_table", "melt", "rename",
    "assign", "apply", "sort_values", "fillna", "set_index", "reset_index", "drop_duplicates",
    "isin", "query", "agg", "explode",
}  # fmt: skip
# Leadership pages that still shape a frame themselves (owned by other work; the list only shrinks).
KNOWN_SHAPING = {
    ("by_department.py", "assign"),
    ("by_theme.py", "filter"),
    ("indicators.py", "set_index"),
    ("plan.py", "assign"),
    ("plan.py", "fillna"),
    ("priorities.py", "filter"),
}


def _page_findings(path: Path) -> set[tuple[str, str]]:
    """(file, what) for every permission check, table-shaping call or boolean row filter."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PERMISSION_NAMES:
            found.add((path.name, f"permission:{node.attr}"))
        if isinstance(node, ast.Name) and node.id == "authorize":
            found.add((path.name, "permission:authorize"))
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr in SHAPING_CALLS:
            found.add((path.name, func.attr))
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Compare | ast.BoolOp):
            found.add((path.name, "filter"))  # frame[frame["x"] == y]
    return found


def test_pages_hold_no_permission_checks_and_no_table_shaping():
    """Who may do what is loaders.service's answer; tables come from queries or loaders.tables."""
    found = set().union(*(_page_findings(p) for p in PAGES))
    assert not {f for f in found if f[1].startswith("permission:")}, found
    assert found - KNOWN_SHAPING == set()
    assert found >= KNOWN_SHAPING, "a known exception is gone: remove it from KNOWN_SHAPING"


def test_pages_catch_no_bare_exception():
    """A failure shows its reason (the service's coded error), never a generic message."""
    for path in PAGES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler):
                caught = node.type
                names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
                bare = [n for n in names if n is None or getattr(n, "id", "") in {
                    "Exception", "BaseException"}]  # fmt: skip
                assert not bare, f"{path.name}:{node.lineno} catches everything"


def test_pages_and_ui_call_the_cache_with_keywords():
    """load(fn, plan_id=..., period=...): a parameter can never land in the wrong place."""
    for path in [*PAGES, *(ROOT / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "load":
                extra = node.args[1:]
                query_name = len(extra) == 1 and isinstance(extra[0], ast.Constant)
                assert not extra or query_name, f"{path.name}:{node.lineno} passes by position"


def test_writes_go_through_the_analyst_service():
    """Pages, ui/ and the CLI never reach the ingest engine; only the service (and the rebuild,
    which replays stored originals) does."""
    engine = {"ingest_bytes", "store_prepared", "withdraw", "prepare"}
    allowed = {"loaders/service.py", "loaders/rebuild.py", "loaders/ingest.py"}
    for path in [ROOT / "dashboard.py", *PAGES, *(ROOT / "ui").glob("*.py"),
                 *(ROOT / "loaders").glob("*.py")]:  # fmt: skip
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in {
                "loaders.ingest", "loaders.corrections"}:  # fmt: skip
                reached = {a.name for a in node.names} & engine
                assert rel in allowed or not reached, f"{rel} imports {reached}"
            if isinstance(node, ast.Attribute) and node.attr == "transaction":
                assert rel.startswith("greengrowth/") or rel in allowed, f"{rel} opens a write"


def test_one_query_interface():
    """Named $params only, and no SQL under two names (department_options was reporting_departments)."""
    from greengrowth import queries

    texts: dict[str, str] = {}
    for name, sql in queries.SQL.items():
        assert "?" not in sql, f"{name} uses a positional ? parameter"
        norm = " ".join(sql.split())
        assert norm not in texts, f"{name} and {texts.get(norm)} are the same query"
        texts[norm] = name

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

"""Load a plan folder (data/plan/<plan_id>/) into tables.

The plan is data: themes, groups, activities, leads, priority tasks, indicators and the plan's own gaps
live in CSV/YAML files so that a later period or another province loads without code changes. This
module only reads and checks those files; `store.load_catalog` writes them into DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

PLAN_ROOT = Path(__file__).resolve().parent.parent / "data" / "plan"

TABLE_FILES = {
    "departments": "departments.csv",
    "districts": "districts.csv",
    "themes": "themes.csv",
    "activity_groups": "activity_groups.csv",
    "activities": "activities.csv",
    "activity_leads": "activity_leads.csv",
    "priority_tasks": "priority_tasks.csv",
    "indicators": "indicators.csv",
    "findings": "findings.csv",
}


class CatalogError(ValueError):
    """The plan files are inconsistent with themselves (a broken reference, a duplicate key)."""


@dataclass
class Catalog:
    """One plan: its metadata (plan.yaml) and its tables as DataFrames."""

    plan_id: str
    meta: dict
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def priority_task_departments(self) -> pd.DataFrame:
        return _explode(self["priority_tasks"], "department_codes", "department_code")

    @property
    def priority_task_activities(self) -> pd.DataFrame:
        out = _explode(self["priority_tasks"], "activity_nos", "activity_no")
        return out.astype({"activity_no": "int64"})


def _explode(tasks: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    rows = [
        {"task_id": task_id, name: part.strip()}
        for task_id, cell in zip(tasks["task_id"], tasks[column], strict=True)
        if isinstance(cell, str)
        for part in cell.split(";")
        if part.strip()
    ]
    return pd.DataFrame(rows, columns=["task_id", name])


def available_plans(root: Path = PLAN_ROOT) -> list[str]:
    """Plan ids of every folder under data/plan/ that has a plan.yaml."""
    return sorted(p.name for p in root.iterdir() if (p / "plan.yaml").is_file())


def load_catalog(plan_id: str, root: Path = PLAN_ROOT) -> Catalog:
    """Read and check one plan folder. Raises CatalogError naming the file and row at fault."""
    folder = root / plan_id
    with (folder / "plan.yaml").open(encoding="utf-8") as fh:
        meta = yaml.safe_load(fh)
    if meta.get("plan_id") != plan_id:
        raise CatalogError(f"{folder}/plan.yaml: plan_id {meta.get('plan_id')!r} != {plan_id!r}")
    tables = {
        name: pd.read_csv(folder / filename, dtype=str, keep_default_na=False, encoding="utf-8")
        for name, filename in TABLE_FILES.items()
    }
    tables = {name: df.replace({"": None}) for name, df in tables.items()}
    # Optional: the short Vietnamese name documents use (Sở NN&PTNT); the full name otherwise.
    departments = tables["departments"]
    if "short_vi" not in departments:
        departments["short_vi"] = None
    departments["short_vi"] = departments["short_vi"].fillna(departments["name_vi"])
    _coerce(tables)
    catalog = Catalog(plan_id=plan_id, meta=meta, tables=tables)
    check_references(catalog)
    return catalog


def _coerce(tables: dict[str, pd.DataFrame]) -> None:
    ints = {
        "themes": ["theme_no", "stated_adopted", "stated_national"],
        "activity_groups": ["theme_no", "stated_adopted", "stated_national"],
        "activities": ["activity_no", "theme_no"],
        "activity_leads": ["activity_no"],
        "indicators": ["activity_no", "baseline_year", "target_year"],
    }
    for name, columns in ints.items():
        for column in columns:
            tables[name][column] = pd.to_numeric(tables[name][column]).astype("Int64")
    for name, column in [("indicators", "baseline_value"), ("indicators", "target_value")]:
        tables[name][column] = pd.to_numeric(tables[name][column]).astype("Float64")
    tables["priority_tasks"]["target_value"] = pd.to_numeric(
        tables["priority_tasks"]["target_value"]
    ).astype("Float64")
    bools = [("activities", "adopted"), ("indicators", "by_district")]
    for name, column in bools:
        tables[name][column] = tables[name][column].str.lower().map({"true": True, "false": False})
    for name, column in [("activity_leads", "due_date"), ("priority_tasks", "deadline")]:
        tables[name][column] = pd.to_datetime(tables[name][column]).dt.date


def check_references(catalog: Catalog) -> None:
    """Every code a table uses must exist where it is defined; keys must be unique."""
    t = catalog.tables
    problems: list[str] = []

    def unique(name: str, key: list[str]) -> None:
        dup = t[name][t[name].duplicated(key, keep=False)]
        if not dup.empty:
            problems.append(
                f"{name}: duplicate {key}: {dup[key].drop_duplicates().values.tolist()}"
            )

    def refs(name: str, column: str, values: set, target: str) -> None:
        used = t[name][column].dropna()
        bad = sorted(set(used) - values, key=str)
        if bad:
            problems.append(f"{name}.{column}: unknown {target} {bad}")

    unique("departments", ["department_code"])
    unique("themes", ["theme_no"])
    unique("activity_groups", ["group_code"])
    unique("activities", ["activity_no"])
    unique("priority_tasks", ["task_id"])
    unique("indicators", ["indicator_code"])
    unique("findings", ["finding_id"])
    departments = set(t["departments"]["department_code"])
    activities = set(t["activities"]["activity_no"])
    refs("activity_groups", "theme_no", set(t["themes"]["theme_no"]), "theme")
    refs("activities", "theme_no", set(t["themes"]["theme_no"]), "theme")
    refs("activities", "group_code", set(t["activity_groups"]["group_code"]), "group")
    refs("activity_leads", "activity_no", activities, "activity")
    refs("activity_leads", "department_code", departments, "department")
    refs("indicators", "activity_no", activities, "activity")
    refs("indicators", "department_code", departments, "department")
    task_depts = catalog.priority_task_departments
    bad = sorted(set(task_depts["department_code"]) - departments)
    if bad:
        problems.append(f"priority_tasks.department_codes: unknown department {bad}")
    bad = sorted(set(catalog.priority_task_activities["activity_no"]) - activities)
    if bad:
        problems.append(f"priority_tasks.activity_nos: unknown activity {bad}")
    if problems:
        raise CatalogError(f"plan {catalog.plan_id}: " + "; ".join(problems))

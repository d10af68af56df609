"""Load a plan folder (data/plan/<plan_id>/) into tables.

The plan is data: themes, groups, activities, leads, priority tasks, indicators and the plan's own gaps
live in CSV/YAML files so that a later period or another province loads without code changes. This
module only reads and checks those files; `store.load_catalog` writes them into DuckDB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greengrowth import yaml_files

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


# Where an indicator comes from (indicators.csv `basis`): `stated` by the plan's own words (a section
# and a verbatim quote), or `chosen` by the province to monitor an activity or task (`chosen_for`,
# and `steward`: the department that may change or retire it). Columns a folder may leave out, with
# the value they take; the defaults never claim the plan's words (see data/plan/README.md).
INDICATOR_BASES = ("stated", "chosen")
INDICATOR_BASIS_DEFAULTS = {
    "basis": "chosen",
    "basis_section": None,
    "basis_quote_vi": None,
    "chosen_for": None,  # filled with "activity:<activity_no>" when the column is absent
    "steward": None,
    "retired_from": None,
    "basis_note_vi": None,
    "basis_note_en": None,
}
# A reporting rule's text: `summary` (written for the dashboard) or `quote` (the plan's words), the
# plan's own words beside it, and whether its years are `stated` or `inferred`.
DESCRIPTION_BASES = ("quote", "summary")
YEARS_BASES = ("stated", "inferred")
RULE_BASIS_DEFAULTS = {
    "description_basis": "summary",
    "quote_vi": None,
    "quote_section": None,
    "years_basis": None,  # "inferred" when the rule has years and says nothing
    "basis_note_vi": None,
    "basis_note_en": None,
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
        meta = yaml_files.safe_load(fh)
    if meta.get("plan_id") != plan_id:
        raise CatalogError(f"{folder}/plan.yaml: plan_id {meta.get('plan_id')!r} != {plan_id!r}")
    tables = {
        name: pd.read_csv(folder / filename, dtype=str, keep_default_na=False, encoding="utf-8")
        for name, filename in TABLE_FILES.items()
    }
    tables = {name: df.replace({"": None}) for name, df in tables.items()}
    _indicator_defaults(tables["indicators"])
    meta["reporting_rules"] = [_rule_defaults(rule) for rule in meta.get("reporting_rules") or []]
    # Optional: the short Vietnamese name documents use (Sở NN&PTNT); the full name otherwise.
    departments = tables["departments"]
    if "short_vi" not in departments:
        departments["short_vi"] = None
    departments["short_vi"] = departments["short_vi"].fillna(departments["name_vi"])
    _coerce(tables)
    catalog = Catalog(plan_id=plan_id, meta=meta, tables=tables)
    check_references(catalog)
    check_basis(catalog, _source_text(folder, meta))
    return catalog


def _indicator_defaults(indicators: pd.DataFrame) -> None:
    """Add the provenance columns a folder left out (an older plan folder loads unchanged)."""
    if "chosen_for" not in indicators:
        indicators["chosen_for"] = [
            None if n is None else f"activity:{n}" for n in indicators["activity_no"]
        ]
    for column, default in INDICATOR_BASIS_DEFAULTS.items():
        if column not in indicators:
            indicators[column] = default


def _rule_defaults(rule: dict) -> dict:
    out = {**RULE_BASIS_DEFAULTS, **rule}
    if out["years_basis"] is None and (rule.get("year_from") or rule.get("year_to")):
        out["years_basis"] = "inferred"
    return out


def _source_text(folder: Path, meta: dict) -> str | None:
    """The plan text the folder encodes (plan.yaml `source`), whitespace-normalised; None if absent."""
    name = meta.get("source")
    path = folder / name if name else None
    if path is None or not path.is_file():
        return None
    return normalise(path.read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: the plan text breaks lines and pages mid-sentence."""
    return re.sub(r"\s+", " ", text).strip()


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
    tables["indicators"]["retired_from"] = pd.to_numeric(
        tables["indicators"]["retired_from"]
    ).astype("Int64")
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


def parse_refs(cell: str | None) -> list[tuple[str, str]]:
    """'activity:15;task:3.2.3' -> [('activity', '15'), ('task', '3.2.3')] (findings use it too)."""
    out = []
    for part in (cell or "").split(";"):
        kind, _, ref = part.strip().partition(":")
        if kind:
            out.append((kind.strip(), ref.strip()))
    return out


def check_basis(catalog: Catalog, source: str | None) -> None:
    """Every indicator and reporting rule says where it comes from, and quotes are the plan's words.

    `source` is the plan text (normalised); when the folder has none, quotes are not compared.
    """
    problems: list[str] = []
    ind = catalog["indicators"]
    activities = {str(n) for n in catalog["activities"]["activity_no"]}
    tasks = set(catalog["priority_tasks"]["task_id"])
    departments = set(catalog["departments"]["department_code"])

    def verbatim(where: str, quote: str | None) -> None:
        if quote and source is not None and normalise(quote) not in source:
            problems.append(f"{where}: the quote is not word for word in the plan text: {quote!r}")

    for row in ind.itertuples(index=False):
        where = f"indicators.csv {row.indicator_code}"
        if row.basis not in INDICATOR_BASES:
            problems.append(
                f"{where}: basis {row.basis!r} is not one of {', '.join(INDICATOR_BASES)} "
                "(stated: the plan's words, with basis_section and basis_quote_vi; chosen: picked "
                "by the province to monitor an activity or task, with chosen_for and steward)"
            )
            continue
        if row.basis == "stated":
            if not (row.basis_section and row.basis_quote_vi):
                problems.append(
                    f"{where}: a stated indicator needs basis_section and basis_quote_vi"
                )
            if row.chosen_for or row.steward or not pd.isna(row.retired_from):
                problems.append(
                    f"{where}: a stated indicator comes from the plan: leave chosen_for, steward "
                    "and retired_from empty (only a chosen indicator can be retired)"
                )
            verbatim(where, row.basis_quote_vi)
        else:
            if row.basis_quote_vi:
                problems.append(
                    f"{where}: a chosen indicator has no quote from the plan; move the text to "
                    "basis_note_vi or mark the indicator stated"
                )
            refs = parse_refs(row.chosen_for)
            if not refs:
                problems.append(
                    f"{where}: a chosen indicator needs chosen_for (activity:N or task:ID, ';' "
                    "between several): what it monitors"
                )
            for kind, ref in refs:
                known = {"activity": activities, "task": tasks}.get(kind)
                if known is None or ref not in known:
                    problems.append(f"{where}: chosen_for names an unknown {kind} {ref!r}")
            if row.steward and row.steward not in departments:
                problems.append(f"{where}: steward {row.steward!r} is not a department")
    for rule in catalog.meta.get("reporting_rules") or []:
        where = f"plan.yaml reporting rule {rule.get('rule_id')}"
        if rule["description_basis"] not in DESCRIPTION_BASES:
            problems.append(
                f"{where}: description_basis {rule['description_basis']!r} is not one of "
                f"{', '.join(DESCRIPTION_BASES)}"
            )
        if rule["years_basis"] is not None and rule["years_basis"] not in YEARS_BASES:
            problems.append(
                f"{where}: years_basis {rule['years_basis']!r} is not one of {', '.join(YEARS_BASES)}"
            )
        if rule["description_basis"] == "quote":
            verbatim(where + " description_vi", rule.get("description_vi"))
        if rule["quote_vi"] and not rule["quote_section"]:
            problems.append(f"{where}: quote_vi needs quote_section")
        verbatim(where + " quote_vi", rule["quote_vi"])
    if problems:
        raise CatalogError(f"plan {catalog.plan_id}: " + "; ".join(problems))

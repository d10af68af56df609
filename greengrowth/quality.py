"""Plausibility rules: warnings about a report as a whole and against what was said before.

Validation (loaders/validate.py) judges one cell at a time; these rules judge values against each
other, in the spirit of DHIS2 validation rules and outlier detection and of WHO's Data Quality Review
(consistency over time, between related indicators). They give warnings, never errors: a value may be
right, and the analyst who commits it says why.

The rules are data: greengrowth/quality_defaults.yaml holds the built-in checks with their default
thresholds and messages, and a plan folder may override them and add relations between indicators in
data/plan/<plan_id>/quality_rules.yaml. One vectorised core serves an upload (`check_report`, the
new report against the stored history) and the whole store (`check_store`, every current value).
"""

from __future__ import annotations

import ast
import math
import operator
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml

from greengrowth import queries, yaml_files
from greengrowth.catalog import PLAN_ROOT, load_catalog
from greengrowth.i18n import LANGS, fmt_date, fmt_number, t
from greengrowth.status import STATUS_CODES
from loaders import layout  # sheet names only: a module of constants, it imports nothing

RULES_FILE = "quality_rules.yaml"
DEFAULTS_FILE = Path(__file__).with_name("quality_defaults.yaml")
IMPORTANCE = ("high", "medium", "low")
SHEETS = {
    "activity": layout.SHEET_ACTIVITIES,
    "task": layout.SHEET_TASKS,
    "indicator": layout.SHEET_INDICATORS,
}
_HEADERS = {
    (kind, c.field): c.header_vi
    for kind, columns in (("activity", layout.ACTIVITY_COLUMNS), ("task", layout.TASK_COLUMNS),
                          ("indicator", layout.INDICATOR_COLUMNS))
    for c in columns
}  # fmt: skip
OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
MISSING_VALUE_STRATEGIES = (
    "skip_if_any_value_missing",
    "skip_if_all_values_missing",
    "never_skip",
)
# What each rule's message may refer to; anything else is a typing mistake in the rules file.
_INDICATOR_PLACEHOLDERS = {"indicator", "place", "year", "value", "compared"}
PLACEHOLDERS = {
    "status_backwards": {"value", "compared"},
    "completed_after_report": {"value", "compared"},
    "completed_before_plan": {"value", "compared"},
    "year_on_year": _INDICATOR_PLACEHOLDERS | {"change", "factor"},
    "physical_range": _INDICATOR_PLACEHOLDERS,
    "outlier": _INDICATOR_PLACEHOLDERS | {"score", "threshold"},
    "relation": {"left", "right", "place", "year"},
}
# Per-indicator overrides each built-in accepts.
INDICATOR_PARAMS = {
    "year_on_year": {"factor", "min_abs_change"},
    "physical_range": {"min", "max"},
    "outlier": {"threshold", "min_abs_deviation"},
}
MZ_CONSTANT = 0.6745  # Iglewicz and Hoaglin: makes MAD comparable to a standard deviation
MEAN_AD_CONSTANT = 1.253314  # sqrt(pi/2): the same for the mean absolute deviation when MAD = 0

# Columns of a warnings frame: what check_store returns and what the data_quality_warnings view holds.
WARNING_COLUMNS = [
    "department_code", "period", "submission_id", "rule_id", "importance", "kind", "sheet", "column",
    "activity_no", "task_id", "indicator_code", "district_code", "year",
    "value_vi", "value_en", "compared_with_vi", "compared_with_en", "message_vi", "message_en",
]  # fmt: skip


class QualityRulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the rule at fault."""


# ---- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltinRule:
    """One built-in check with this plan's thresholds."""

    rule_id: str
    importance: str
    title_vi: str
    title_en: str
    message_vi: str
    message_en: str
    params: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)

    def param(self, name: str, indicator_code: str | None = None) -> Any:
        """A threshold, overridden for one indicator where the rules file says so."""
        own = self.indicators.get(indicator_code or "", {})
        return own[name] if name in own else self.params.get(name)


@dataclass(frozen=True)
class Relation:
    """A DHIS2-style validation rule: left side, operator, right side (e.g. trainees >= courses)."""

    rule_id: str
    left: str
    operator: str
    right: str
    importance: str
    message_vi: str
    message_en: str
    reasoning: str = ""
    missing_value_strategy: str = "skip_if_any_value_missing"
    title_vi: str = ""  # a short name for lists of rules; the id when the file gives none
    title_en: str = ""

    @property
    def codes(self) -> list[str]:
        """Indicator codes named on either side, left first (the first one locates the row)."""
        return list(dict.fromkeys(_names(self.left) + _names(self.right)))


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    by_district: bool


@dataclass(frozen=True)
class Rules:
    """Everything needed to judge one plan's data: thresholds, relations, names and units."""

    plan_id: str
    source: Path | None  # the plan's rules file, or None when the plan has none (defaults only)
    plan_start: date  # 1 January of the plan's first year
    builtins: dict[str, BuiltinRule]  # enabled built-ins only
    relations: tuple[Relation, ...]
    indicators: dict[str, IndicatorInfo]
    districts: dict[str, tuple[str, str]]  # district_code -> (name_vi, name_en)

    def rule(self, rule_id: str) -> BuiltinRule | None:
        return self.builtins.get(rule_id)

    def titles(self) -> pd.DataFrame:
        """Every active rule: rule_id, kind (builtin | relation), importance, title_vi, title_en,
        for a page that counts warnings by rule (and shows rules that found nothing)."""
        rows = [(r.rule_id, "builtin", r.importance, r.title_vi, r.title_en)
                for r in self.builtins.values()]  # fmt: skip
        rows += [(r.rule_id, "relation", r.importance, r.title_vi, r.title_en)
                 for r in self.relations]  # fmt: skip
        return pd.DataFrame(rows, columns=["rule_id", "kind", "importance", "title_vi", "title_en"])

    def range_of(self, indicator_code: str) -> tuple[float | None, float | None]:
        """The physical range: declared per indicator, else derived from the unit."""
        rule = self.rule("physical_range")
        if rule is None:
            return None, None
        info = self.indicators.get(indicator_code)
        unit = (info.unit_vi if info else "").strip()
        low = 0.0 if rule.params.get("non_negative") else None
        high = None
        if unit in (rule.params.get("percent_units") or []):
            low, high = 0.0, 100.0
        own = rule.indicators.get(indicator_code, {})
        return own.get("min", low), own.get("max", high)


def load_rules(plan_id: str, root: Path = PLAN_ROOT) -> Rules:
    """The plan's rules: its quality_rules.yaml over the built-in defaults, checked.

    Raises QualityRulesError naming the file and the rule when something cannot be used.
    """
    catalog = load_catalog(plan_id, root=root)
    path = root / plan_id / RULES_FILE
    indicators = {
        r.indicator_code: IndicatorInfo(
            r.indicator_code, r.name_vi, r.name_en, r.unit_vi or "", bool(r.by_district)
        )
        for r in catalog["indicators"].itertuples()
    }
    districts = {r.district_code: (r.name_vi, r.name_en) for r in catalog["districts"].itertuples()}
    defaults = yaml_files.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    config: dict = {}
    if path.is_file():
        try:
            config = yaml_files.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise QualityRulesError(f"{path}: not valid YAML: {exc}") from exc
    where = str(path) if path.is_file() else f"{DEFAULTS_FILE} (no {path})"
    if not isinstance(config, dict):
        raise QualityRulesError(f"{where}: expected a mapping with builtins and relations")
    _unknown(where, "the file", config, {"version", "builtins", "relations"})
    builtins = _load_builtins(where, defaults, config.get("builtins") or {}, indicators)
    relations = _load_relations(where, config.get("relations") or [], indicators, builtins)
    start = int(catalog.meta["period_start"])
    return Rules(
        plan_id=plan_id,
        source=path if path.is_file() else None,
        plan_start=date(start, 1, 1),
        builtins=builtins,
        relations=tuple(relations),
        indicators=indicators,
        districts=districts,
    )


def _unknown(where: str, what: str, mapping: dict, allowed: set[str]) -> None:
    extra = set(mapping) - allowed
    if extra:
        raise QualityRulesError(
            f"{where}: {what}: unknown key(s) {sorted(extra)}; allowed: {sorted(allowed)}"
        )


def _check_message(where: str, rule_id: str, text: object, allowed: set[str], lang: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise QualityRulesError(f"{where}: rule {rule_id!r}: message_{lang} must be text")
    used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    if used - allowed:
        raise QualityRulesError(
            f"{where}: rule {rule_id!r}: message_{lang} uses {sorted(used - allowed)}; "
            f"it may use {sorted(allowed)}"
        )
    return text


def _number(where: str, rule_id: str, name: str, value: object, nullable: bool = False) -> Any:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QualityRulesError(
            f"{where}: rule {rule_id!r}: {name} must be a number, not {value!r}"
        )
    return float(value)


def _load_builtins(
    where: str, defaults: dict, config: dict, indicators: dict[str, IndicatorInfo]
) -> dict[str, BuiltinRule]:
    if not isinstance(config, dict):
        raise QualityRulesError(f"{where}: builtins must be a mapping of rule id to settings")
    _unknown(where, "builtins", config, {"enabled", *defaults})
    if config.get("enabled", True) is False:
        return {}
    out: dict[str, BuiltinRule] = {}
    for rule_id, base in defaults.items():
        own = config.get(rule_id) or {}
        if not isinstance(own, dict):
            raise QualityRulesError(f"{where}: rule {rule_id!r}: expected a mapping of settings")
        _unknown(where, f"rule {rule_id!r}", own, {"enabled", *base})
        if own.get("enabled", True) is False:
            continue
        merged = {**base, **{k: v for k, v in own.items() if k != "enabled"}}
        importance = merged.pop("importance")
        if importance not in IMPORTANCE:
            raise QualityRulesError(
                f"{where}: rule {rule_id!r}: importance {importance!r} is not one of {IMPORTANCE}"
            )
        texts = {k: merged.pop(k) for k in ("title_vi", "title_en", "message_vi", "message_en")}
        for lang in LANGS:
            _check_message(where, rule_id, texts[f"message_{lang}"], PLACEHOLDERS[rule_id], lang)
        per_indicator = merged.pop("indicators", None) or {}
        for key, value in merged.items():
            if key == "percent_units":
                if not isinstance(value, list):
                    raise QualityRulesError(f"{where}: rule {rule_id!r}: {key} must be a list")
            elif key == "non_negative":
                if not isinstance(value, bool):
                    raise QualityRulesError(f"{where}: rule {rule_id!r}: {key} must be true/false")
            else:
                merged[key] = _number(where, rule_id, key, value)
        checked: dict[str, dict] = {}
        for code, settings in per_indicator.items():
            if code not in indicators:
                raise QualityRulesError(
                    f"{where}: rule {rule_id!r}: unknown indicator {code!r} (see indicators.csv)"
                )
            if not isinstance(settings, dict):
                raise QualityRulesError(f"{where}: rule {rule_id!r}: {code}: expected a mapping")
            _unknown(where, f"rule {rule_id!r}, indicator {code}", settings,
                     INDICATOR_PARAMS[rule_id])  # fmt: skip
            checked[code] = {
                k: _number(where, rule_id, f"{code}.{k}", v, nullable=rule_id == "physical_range")
                for k, v in settings.items()
            }
        out[rule_id] = BuiltinRule(rule_id, importance, **texts, params=merged,
                                   indicators=checked)  # fmt: skip
    return out


_RELATION_KEYS = {"id", "left", "operator", "right", "importance", "message_vi", "message_en"}


def _load_relations(
    where: str, config: list, indicators: dict[str, IndicatorInfo], builtins: dict
) -> list[Relation]:
    if not isinstance(config, list):
        raise QualityRulesError(f"{where}: relations must be a list")
    out: list[Relation] = []
    seen: set[str] = set()
    for i, item in enumerate(config, start=1):
        rule_id = item.get("id") if isinstance(item, dict) else None
        label = f"relation {rule_id!r}" if rule_id else f"relation number {i}"
        if not isinstance(item, dict) or _RELATION_KEYS - set(item):
            missing = sorted(_RELATION_KEYS - set(item)) if isinstance(item, dict) else []
            raise QualityRulesError(f"{where}: {label}: missing {missing}")
        optional = {"reasoning", "missing_value_strategy", "enabled", "title_vi", "title_en"}
        _unknown(where, label, item, _RELATION_KEYS | optional)
        if rule_id in seen or rule_id in PLACEHOLDERS:
            raise QualityRulesError(f"{where}: {label}: the id is used twice")
        seen.add(rule_id)
        if item["operator"] not in OPERATORS:
            raise QualityRulesError(
                f"{where}: {label}: operator {item['operator']!r} is not one of {list(OPERATORS)}"
            )
        if item["importance"] not in IMPORTANCE:
            raise QualityRulesError(f"{where}: {label}: importance must be one of {IMPORTANCE}")
        strategy = item.get("missing_value_strategy", MISSING_VALUE_STRATEGIES[0])
        if strategy not in MISSING_VALUE_STRATEGIES:
            raise QualityRulesError(
                f"{where}: {label}: missing_value_strategy must be one of {MISSING_VALUE_STRATEGIES}"
            )
        for side in ("left", "right"):
            try:
                names = _names(str(item[side]))
            except (SyntaxError, ValueError) as exc:
                raise QualityRulesError(f"{where}: {label}: {side} side: {exc}") from None
            unknown = [n for n in names if n not in indicators]
            if unknown:
                raise QualityRulesError(
                    f"{where}: {label}: {side} side names unknown indicator(s) {unknown}"
                )
        for lang in LANGS:
            _check_message(where, rule_id, item[f"message_{lang}"], PLACEHOLDERS["relation"], lang)
        if item.get("enabled", True) is False:
            continue
        out.append(
            Relation(
                rule_id=rule_id,
                left=str(item["left"]),
                operator=item["operator"],
                right=str(item["right"]),
                importance=item["importance"],
                message_vi=item["message_vi"],
                message_en=item["message_en"],
                reasoning=str(item.get("reasoning") or ""),
                missing_value_strategy=strategy,
                title_vi=str(item.get("title_vi") or rule_id),
                title_en=str(item.get("title_en") or rule_id),
            )
        )
    return out


# ---- expressions (the sides of a relation) ------------------------------------------------------

_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load,
                  ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)  # fmt: skip
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}  # fmt: skip


def _parse(expr: str) -> ast.Expression:
    tree = ast.parse(expr.strip(), mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"{expr!r}: only indicator codes, numbers and + - * / are allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ValueError(f"{expr!r}: {node.value!r} is not a number")
    return tree


def _names(expr: str) -> list[str]:
    tree = _parse(expr)
    return list(dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name)))


# ---- warnings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityWarning:
    """One thing that looks wrong, located so that a caller can point at the row."""

    rule_id: str
    importance: str  # high | medium | low
    kind: str  # activity | task | indicator
    sheet: str  # the template's sheet name (loaders.layout)
    column: str  # the header of the template column that holds the value
    key: tuple  # (activity_no,) | (task_id,) | (indicator_code, district_code or None, year)
    value_vi: str
    value_en: str
    compared_with_vi: str  # what it was compared with, in words: "năm 2019: Hoàn thành 100%"
    compared_with_en: str
    message_vi: str
    message_en: str
    department_code: str | None = None
    period: int | None = None
    submission_id: int | None = None

    def value(self, lang: str = "vi") -> str:
        return self.value_en if lang == "en" else self.value_vi

    def compared_with(self, lang: str = "vi") -> str:
        return self.compared_with_en if lang == "en" else self.compared_with_vi

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    @property
    def key_text(self) -> str:
        return " ".join(str(k) for k in self.key if k is not None and k == k)

    def lines(self) -> tuple[str, str]:
        """Two lines for a terminal, Vietnamese then English, in the CLI's problem style."""
        vi, en = (t(f"quality.importance.{self.importance}", lang) for lang in LANGS)
        return (
            f"! {self.sheet} {self.key_text} [{vi}] {self.rule_id}: {self.message_vi}",
            f"  ({en}: {self.message_en})",
        )


@dataclass
class PriorReport:
    """The same department's accepted report that a new one is compared with."""

    period: int
    activities: pd.DataFrame | list[dict] = field(default_factory=list)
    tasks: pd.DataFrame | list[dict] = field(default_factory=list)
    submission_id: int | None = None


def _frame(records: pd.DataFrame | list[dict] | None, columns: list[str]) -> pd.DataFrame:
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(records or [])
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame


@lru_cache(maxsize=65536)  # Babel is the slow part of a long warning list; values repeat
def _num(x: float, lang: str) -> str:
    """Locale number with as few decimals as it needs (at most 2)."""
    for decimals in (0, 1):
        if round(float(x), decimals) == float(x):
            return fmt_number(x, lang, decimals)
    return fmt_number(x, lang, 2)


def _status_text(status: object, pct: object, lang: str) -> str:
    if status not in STATUS_CODES:
        return t("status.not_reported", lang)
    label = t(f"status.{status}", lang)
    return label if pct is None or pd.isna(pct) else f"{label} {_num(pct, lang)}%"


def _texts(template_vi: str, template_en: str, **parts: object) -> dict[str, str]:
    """message_vi / message_en from a rule's templates; a part may be a function of the language."""
    out = {}
    for lang, template in (("vi", template_vi), ("en", template_en)):
        values = {k: v(lang) if callable(v) else v for k, v in parts.items()}
        out[f"message_{lang}"] = template.format(**values)
    return out


def _both(fn) -> dict[str, str]:
    """{vi: fn("vi"), en: fn("en")}"""
    return {lang: fn(lang) for lang in LANGS}


def _row(ctx: dict, rule_id: str, importance: str, kind: str, *, column: str, value: dict,
         compared: dict, message: dict, **key: object) -> dict:  # fmt: skip
    row = {c: None for c in WARNING_COLUMNS}
    row.update(
        department_code=ctx.get("department_code"), period=ctx.get("period"),
        submission_id=ctx.get("submission_id"), rule_id=rule_id, importance=importance,
        kind=kind, sheet=SHEETS[kind], column=_HEADERS[(kind, column)], value_vi=value["vi"],
        value_en=value["en"],
        compared_with_vi=compared["vi"], compared_with_en=compared["en"], **message, **key,
    )  # fmt: skip
    return row


def _context(row: Any) -> dict:
    return {
        "department_code": getattr(row, "department_code", None),
        "period": _int_or_none(getattr(row, "period", None)),
        "submission_id": _int_or_none(getattr(row, "submission_id", None)),
    }


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# ---- activities and tasks ----------------------------------------------------------------------


def status_backwards(rules: Rules, pairs: pd.DataFrame, same_period: bool = False) -> list[dict]:
    """Rows whose status left "completed", or whose % complete fell, against an earlier report.

    `pairs`: kind (activity|task), key, status, percent_complete, prev_period, prev_status,
    prev_percent, and optionally department_code, period, submission_id.
    """
    rule = rules.rule("status_backwards")
    if rule is None or pairs.empty:
        return []
    left_completed = (pairs["prev_status"] == "completed") & (pairs["status"] != "completed")
    drop = pd.to_numeric(pairs["prev_percent"], errors="coerce") - pd.to_numeric(
        pairs["percent_complete"], errors="coerce"
    )
    fell = drop.gt(rule.param("max_percent_drop")).fillna(False)
    out = []
    template = "quality.compared.same_period" if same_period else "quality.compared.period"
    for r in pairs[left_completed | fell].itertuples():
        value = _both(lambda lang, r=r: _status_text(r.status, r.percent_complete, lang))
        compared = _both(lambda lang, r=r: t(template, lang, period=int(r.prev_period),
                         text=_status_text(r.prev_status, r.prev_percent, lang)))  # fmt: skip
        message = _texts(rule.message_vi, rule.message_en,
                         value=lambda lang, v=value: v[lang],
                         compared=lambda lang, c=compared: c[lang])  # fmt: skip
        key = {"activity_no": int(r.key)} if r.kind == "activity" else {"task_id": str(r.key)}
        column = "status" if r.prev_status == "completed" else "percent_complete"
        out.append(_row(_context(r), rule.rule_id, rule.importance, r.kind, column=column,
                        value=value, compared=compared, message=message, **key))  # fmt: skip
    return out


def completion_dates(
    rules: Rules, tasks: pd.DataFrame, plan_start: date | None = None
) -> list[dict]:
    """Tasks completed after the report was sent, or before the plan started.

    `tasks`: task_id, completed_on, reported_on, and optionally department_code, period, submission_id.
    """
    plan_start = plan_start or rules.plan_start
    out: list[dict] = []
    if tasks.empty:
        return out
    done = pd.to_datetime(tasks["completed_on"], errors="coerce")
    reported = pd.to_datetime(tasks["reported_on"], errors="coerce")
    checks = [
        ("completed_after_report", done > reported, "quality.compared.report_date", "reported_on"),
        ("completed_before_plan", done < pd.Timestamp(plan_start), "quality.compared.plan_start",
         None),
    ]  # fmt: skip
    for rule_id, mask, template, column in checks:
        rule = rules.rule(rule_id)
        if rule is None:
            continue
        for r in tasks[mask.fillna(False)].itertuples():
            when = pd.Timestamp(getattr(r, column)).date() if column else plan_start
            value = _both(lambda lang, r=r: fmt_date(pd.Timestamp(r.completed_on).date(), lang))
            compared = _both(lambda lang, w=when, k=template: t(k, lang, date=fmt_date(w, lang)))
            message = _texts(rule.message_vi, rule.message_en,
                             value=lambda lang, v=value: v[lang],
                             compared=lambda lang, c=compared: c[lang])  # fmt: skip
            out.append(_row(_context(r), rule_id, rule.importance, "task", column="completed_on",
                            value=value, compared=compared, message=message,
                            task_id=str(r.task_id)))  # fmt: skip
    return out


# ---- indicators --------------------------------------------------------------------------------


def _place(rules: Rules, district_code: object, lang: str) -> str:
    if district_code is None or pd.isna(district_code) or district_code == "":
        return t("quality.place.province", lang)
    names = rules.districts.get(str(district_code))
    return names[0 if lang == "vi" else 1] if names else str(district_code)


def _indicator_name(rules: Rules, code: str, lang: str) -> str:
    info = rules.indicators.get(code)
    return (info.name_vi if lang == "vi" else info.name_en) if info else code


def _indicator_row(rules: Rules, r: Any, rule: BuiltinRule | Relation, compared: dict,
                   message_parts: dict) -> dict:  # fmt: skip
    """A warning about one indicator value (r has indicator_code, district_code, year, value)."""
    value = _both(lambda lang: _num(r.value, lang))
    parts = {
        "indicator": lambda lang: _indicator_name(rules, r.indicator_code, lang),
        "place": lambda lang: _place(rules, r.district_code, lang),
        "year": int(r.year),
        "value": lambda lang: value[lang],
        "compared": lambda lang: compared[lang],
        **message_parts,
    }
    message = _texts(rule.message_vi, rule.message_en, **parts)
    district = None if pd.isna(r.district_code) or r.district_code == "" else r.district_code
    return _row(_context(r), rule.rule_id, rule.importance, "indicator", column="value",
                value=value, compared=compared, message=message, indicator_code=r.indicator_code,
                district_code=district, year=int(r.year))  # fmt: skip


def _per_indicator(rule: BuiltinRule, codes: pd.Series, name: str) -> pd.Series:
    """A threshold for every row, with the rules file's per-indicator overrides applied."""
    base = rule.params.get(name)
    overrides = {c: s[name] for c, s in rule.indicators.items() if name in s}
    return (
        codes.map(overrides).astype(float).fillna(base)
        if overrides
        else pd.Series(float(base), index=codes.index)
    )


def _prepare(series: pd.DataFrame) -> pd.DataFrame:
    frame = series.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame = frame[frame["value"].notna()]
    frame["year"] = frame["year"].astype(int)
    frame["place"] = frame["district_code"].fillna("").astype(str)
    if "focus" not in frame:
        frame["focus"] = True
    return frame.sort_values(["indicator_code", "place", "year"], kind="stable").reset_index(
        drop=True
    )


def indicator_checks(rules: Rules, series: pd.DataFrame) -> list[dict]:
    """Year on year, physical range, outliers and relations over one plan's indicator series.

    `series`: indicator_code, district_code (None = whole province), year, value, focus (warn about
    this row; other rows are only compared with), and optionally department_code, period,
    submission_id. One row per indicator, place and year.
    """
    if series.empty:
        return []
    frame = _prepare(series)
    out = _year_on_year(rules, frame)
    out += _physical_range(rules, frame)
    out += _outliers(rules, frame)
    out += _relations(rules, frame)
    return out


def _year_on_year(rules: Rules, frame: pd.DataFrame) -> list[dict]:
    rule = rules.rule("year_on_year")
    if rule is None:
        return []
    groups = frame.groupby(["indicator_code", "place"], sort=False)
    prev = groups["value"].shift()
    prev_year = groups["year"].shift()
    n_years = groups["year"].transform("size")
    outlier = rules.rule("outlier")
    short = n_years < outlier.param("min_points") if outlier else pd.Series(True, frame.index)
    value = frame["value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(prev > 0, value / prev, np.where(value > 0, np.inf, 1.0))
    ratio = pd.Series(ratio, index=frame.index)
    factor = _per_indicator(rule, frame["indicator_code"], "factor")
    min_change = _per_indicator(rule, frame["indicator_code"], "min_abs_change")
    jump = (ratio > factor) | (ratio < 1 / factor)
    mask = (frame["focus"] & prev.notna() & (prev >= 0) & (value >= 0) & short & jump
            & ((value - prev).abs() >= min_change))  # fmt: skip
    flagged = frame[mask].assign(
        prev=prev[mask], prev_year=prev_year[mask], ratio=ratio[mask], factor=factor[mask]
    )
    out = []
    for r in flagged.itertuples():
        compared = _both(lambda lang, r=r: t("quality.compared.year_value", lang,
                                             year=int(r.prev_year), value=_num(r.prev, lang)))  # fmt: skip

        def change(lang: str, b=float(r.prev), q=float(r.ratio)) -> str:
            if b == 0:
                return t("quality.change.from_zero", lang)
            if q == 0:  # a value that fell to zero (no fold to write)
                return t("quality.change.to_zero", lang)
            key, times = ("up", q) if q >= 1 else ("down", 1 / q)
            return t(f"quality.change.{key}", lang, ratio=_num(round(times, 1), lang))

        parts = {"change": change, "factor": lambda lang, f=float(r.factor): _num(f, lang)}
        out.append(_indicator_row(rules, r, rule, compared, parts))
    return out


def _physical_range(rules: Rules, frame: pd.DataFrame) -> list[dict]:
    rule = rules.rule("physical_range")
    if rule is None:
        return []
    bounds = {code: rules.range_of(code) for code in frame["indicator_code"].unique()}
    low = frame["indicator_code"].map({c: b[0] for c, b in bounds.items()}).astype(float)
    high = frame["indicator_code"].map({c: b[1] for c, b in bounds.items()}).astype(float)
    mask = frame["focus"] & ((frame["value"] < low) | (frame["value"] > high))
    out = []
    for r in frame[mask].itertuples():
        lo, hi = bounds[r.indicator_code]

        def words(lang: str, lo=lo, hi=hi) -> str:
            if lo is not None and hi is not None:
                return t(
                    "quality.compared.range_both", lang, low=_num(lo, lang), high=_num(hi, lang)
                )
            if lo is not None:
                return t("quality.compared.range_low", lang, low=_num(lo, lang))
            return t("quality.compared.range_high", lang, high=_num(hi, lang))

        out.append(_indicator_row(rules, r, rule, _both(words), {}))
    return out


def modified_z(
    values: pd.Series, groups: list[pd.Series]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Modified z-score of every value within its group, the group's median and size.

    M = 0.6745 (x - median) / MAD (Iglewicz and Hoaglin). When MAD = 0, M = (x - median) /
    (1.253314 * mean absolute deviation); when that is 0 as well, M = 0 (every value is the median).
    """
    median = values.groupby(groups, sort=False).transform("median")
    deviation = (values - median).abs()
    by = deviation.groupby(groups, sort=False)
    mad, mean_ad, size = by.transform("median"), by.transform("mean"), by.transform("size")
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(
            mad > 0,
            MZ_CONSTANT * (values - median) / mad,
            np.where(mean_ad > 0, (values - median) / (MEAN_AD_CONSTANT * mean_ad), 0.0),
        )
    return pd.Series(score, index=values.index), median, size


def _outliers(rules: Rules, frame: pd.DataFrame) -> list[dict]:
    rule = rules.rule("outlier")
    if rule is None:
        return []
    threshold = _per_indicator(rule, frame["indicator_code"], "threshold")
    min_dev = _per_indicator(rule, frame["indicator_code"], "min_abs_deviation")
    out = []
    districts = frame[frame["place"] != ""]
    across = [
        # across the districts of one year, then across the years of one place
        ("districts", districts, [districts["indicator_code"], districts["year"]]),
        ("years", frame, [frame["indicator_code"], frame["place"]]),
    ]
    for how, part, groups in across:
        if part.empty or _largest_group(groups) < rule.param("min_points"):
            continue  # no group is large enough to judge (the scores are not needed)
        score, median, size = modified_z(part["value"], groups)
        mask = (part["focus"] & (size >= rule.param("min_points"))
                & (score.abs() > threshold[part.index])
                & ((part["value"] - median).abs() >= min_dev[part.index]))  # fmt: skip
        years = part.groupby(groups, sort=False)["year"]
        flagged = part[mask].assign(
            score=score[mask], median=median[mask], size=size[mask],
            first=years.transform("min")[mask], last=years.transform("max")[mask],
            threshold=threshold[part.index][mask],
        )  # fmt: skip
        for r in flagged.itertuples():
            if how == "districts":
                compared = _both(lambda lang, r=r: t(
                    "quality.compared.median_districts", lang, n=int(r.size), year=int(r.year),
                    median=_num(r.median, lang)))  # fmt: skip
            else:
                compared = _both(lambda lang, r=r: t(
                    "quality.compared.median_years", lang, n=int(r.size), first=int(r.first),
                    last=int(r.last), median=_num(r.median, lang)))  # fmt: skip
            parts = {
                "score": lambda lang, r=r: _num(round(float(r.score), 1), lang),
                "threshold": lambda lang, r=r: _num(float(r.threshold), lang),
            }
            out.append(_indicator_row(rules, r, rule, compared, parts))
    return out


def _largest_group(groups: list[pd.Series]) -> int:
    """How many rows the largest group has (a count in plain Python: a group-by costs more)."""
    return max(Counter(zip(*(g.tolist() for g in groups), strict=True)).values(), default=0)


def _relations(rules: Rules, frame: pd.DataFrame) -> list[dict]:
    """Each relation at every place and year where a value it names is judged (focus).

    Plain Python over the rows the relations name: a report or a department holds a few dozen, and
    two pivot tables cost more than the arithmetic (issue 11). The same results as a pivot of the
    values by place and year (the first row of a key gives its value, any row its focus), in the
    order of the relations, then of place and year.
    """
    if not rules.relations:
        return []
    named = {c for rel in rules.relations for c in rel.codes}
    part = frame[frame["indicator_code"].isin(named)]
    if part.empty:
        return []
    cells: dict[tuple[str, int], dict[str, list]] = {}
    for rec in part.to_dict("records"):
        by_code = cells.setdefault((rec["place"], int(rec["year"])), {})
        held = by_code.get(rec["indicator_code"])
        if held is None:
            by_code[rec["indicator_code"]] = [float(rec["value"]), bool(rec["focus"]), rec]
        else:
            held[1] = held[1] or bool(rec["focus"])
    places = sorted(cells)
    out = []
    for rel in rules.relations:
        codes = rel.codes
        sides = _parse(rel.left), _parse(rel.right)
        for place, year in places:
            by_code = cells[(place, year)]
            judged = [c for c in codes if c in by_code and by_code[c][1]]
            if not judged:
                continue
            known = sum(c in by_code for c in codes)
            if rel.missing_value_strategy == "skip_if_any_value_missing" and known < len(codes):
                continue
            if rel.missing_value_strategy == "skip_if_all_values_missing" and known == 0:
                continue
            values = {c: by_code[c][0] if c in by_code else 0.0 for c in codes}
            lv, rv = (_evaluate_one(side, values) for side in sides)
            if lv != lv or rv != rv or OPERATORS[rel.operator](lv, rv):
                continue  # a division by zero, or the relation holds
            # the row to point at: the first named indicator this report (or store) supplied here
            code = judged[0]
            src = by_code[code][2]
            compared = _both(lambda lang, rv=rv, e=rel.right: _side_text(rules, e, rv, lang))
            parts = {
                "left": lambda lang, v=lv: _num(v, lang),
                "right": lambda lang, v=rv: _num(v, lang),
                "place": lambda lang, p=place: _place(rules, p, lang),
                "year": year,
            }
            message = _texts(rel.message_vi, rel.message_en, **parts)
            ctx = {
                "department_code": src.get("department_code"),
                "period": _int_or_none(src.get("period")),
                "submission_id": _int_or_none(src.get("submission_id")),
            }
            row = _row(ctx, rel.rule_id, rel.importance, "indicator", column="value",
                       value=_both(lambda lang, v=lv: _num(v, lang)), compared=compared,
                       message=message, indicator_code=code, district_code=place or None,
                       year=year)  # fmt: skip
            out.append(row)
    return out


def _evaluate_one(tree: ast.AST, values: dict[str, float]) -> float:
    """A side's value at one place and year (_evaluate for one row): NaN after a division by 0."""
    if isinstance(tree, ast.Expression):
        return _evaluate_one(tree.body, values)
    if isinstance(tree, ast.Constant):
        return float(tree.value)
    if isinstance(tree, ast.Name):
        return values[tree.id]
    if isinstance(tree, ast.UnaryOp):
        inner = _evaluate_one(tree.operand, values)
        return -inner if isinstance(tree.op, ast.USub) else inner
    left, right = _evaluate_one(tree.left, values), _evaluate_one(tree.right, values)
    if isinstance(tree.op, ast.Div):
        return math.nan if right == 0 or right != right else left / right
    return float(_BINOPS[type(tree.op)](left, right))


def _side_text(rules: Rules, expr: str, value: float, lang: str) -> str:
    """A relation's side in words: "Lớp đào tạo ...: 5", or just the number for a constant."""
    names = _names(expr)
    if not names:
        return _num(value, lang)
    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*",
                  lambda m: _indicator_name(rules, m.group(0), lang), expr)  # fmt: skip
    return f"{text}: {_num(value, lang)}"


# ---- one report, and the whole store -----------------------------------------------------------

_INDICATOR_COLUMNS = ["indicator_code", "district_code", "year", "value"]


def _pairs(kind: str, new: pd.DataFrame, prior: PriorReport, key: str,
           with_percent: bool) -> pd.DataFrame:  # fmt: skip
    columns = [key, "status", "percent_complete"]
    old = _frame(prior.activities if kind == "activity" else prior.tasks, columns)
    new = _frame(new, columns)
    if new.empty or old.empty:
        return pd.DataFrame()
    old = old[columns].rename(columns={"status": "prev_status",
                                       "percent_complete": "prev_percent"})  # fmt: skip
    pairs = new.merge(old, on=key, how="inner").rename(columns={key: "key"})
    if not with_percent:
        pairs["percent_complete"] = pairs["prev_percent"] = None
    pairs["kind"], pairs["prev_period"] = kind, prior.period
    return pairs


def _to_warnings(rows: list[dict]) -> list[QualityWarning]:
    out = []
    for row in rows:
        if row["kind"] == "activity":
            key: tuple = (row["activity_no"],)
        elif row["kind"] == "task":
            key = (row["task_id"],)
        else:
            key = (row["indicator_code"], row["district_code"], row["year"])
        out.append(QualityWarning(
            rule_id=row["rule_id"], importance=row["importance"], kind=row["kind"],
            sheet=row["sheet"], column=row["column"], key=key, value_vi=row["value_vi"],
            value_en=row["value_en"],
            compared_with_vi=row["compared_with_vi"], compared_with_en=row["compared_with_en"],
            message_vi=row["message_vi"], message_en=row["message_en"],
            department_code=row["department_code"], period=row["period"],
            submission_id=row["submission_id"],
        ))  # fmt: skip
    return out


def check_report(
    rules: Rules,
    *,
    period: int,
    reported_on: date | None,
    activities: pd.DataFrame | list[dict] | None = None,
    tasks: pd.DataFrame | list[dict] | None = None,
    indicators: pd.DataFrame | list[dict] | None = None,
    previous: PriorReport | None = None,
    same_period: PriorReport | None = None,
    history: pd.DataFrame | None = None,
    plan_start: date | None = None,
    department_code: str | None = None,
) -> list[QualityWarning]:
    """Every warning about one new report, before it is stored.

    activities: activity_no, status, percent_complete; tasks: task_id, status, completed_on;
    indicators: indicator_code, district_code, year, value (the report's records, as validated).
    previous: the department's accepted report for the latest earlier period; same_period: its
    current report for this period (the one this would replace). history: the plan's stored current
    indicator values (indicator_code, district_code, year, value; with submission_id, the rows of
    same_period are left out, since this report replaces them). plan_start defaults to 1 January of
    the plan's first year.
    """
    ctx = {"department_code": department_code, "period": period}
    rows: list[dict] = []
    for prior, same in ((previous, False), (same_period, True)):
        if prior is None:
            continue
        for kind, new, key, pct in (("activity", activities, "activity_no", True),
                                    ("task", tasks, "task_id", False)):  # fmt: skip
            pairs = _pairs(kind, new, prior, key, pct)
            if not pairs.empty:
                rows += status_backwards(rules, pairs.assign(**ctx), same_period=same)
    task_frame = _frame(tasks, ["task_id", "completed_on"])
    task_frame = task_frame[task_frame["completed_on"].notna()]
    if not task_frame.empty:
        rows += completion_dates(rules, task_frame.assign(reported_on=reported_on, **ctx),
                                 plan_start)  # fmt: skip
    new = _frame(indicators, _INDICATOR_COLUMNS)[_INDICATOR_COLUMNS].assign(focus=True, **ctx)
    old = _frame(history, _INDICATOR_COLUMNS)
    if same_period is not None and same_period.submission_id is not None and "submission_id" in old:
        old = old[old["submission_id"] != same_period.submission_id]
    # Only what the report's values can be compared with: their own series, and the indicators a
    # relation ties them to.
    codes = set(new["indicator_code"])
    codes |= {c for rel in rules.relations if codes & set(rel.codes) for c in rel.codes}
    old = old[old["indicator_code"].isin(codes)].assign(focus=False)
    if not old.empty and not new.empty:
        mine = pd.MultiIndex.from_frame(new[["indicator_code", "district_code", "year"]].astype(
            {"year": int}).fillna({"district_code": ""}))  # fmt: skip
        theirs = pd.MultiIndex.from_frame(old[["indicator_code", "district_code", "year"]].astype(
            {"year": int}).fillna({"district_code": ""}))  # fmt: skip
        old = old[~theirs.isin(mine)]
    if not new.empty:
        series = new if old.empty else pd.concat([old, new], ignore_index=True)
        rows += indicator_checks(rules, series)
    return _to_warnings(rows)


def check_store(
    con: duckdb.DuckDBPyConnection, rules: Rules, period: int | None = None
) -> pd.DataFrame:
    """Every rule over a plan's current stored data: one row per warning (WARNING_COLUMNS + plan_id).

    Each current submission is compared with the same department's latest earlier current
    submission; indicator values are judged as the leaders' charts read them (indicator_values_latest)
    and a warning belongs to the submission that supplied the value. `period` keeps the warnings of
    that period's submissions (the comparisons still use every period).
    """
    params = {"plan": rules.plan_id}
    rows: list[dict] = []
    for name in ("quality_activity_pairs", "quality_task_pairs"):
        pairs = queries.run(con, name, **params)
        if not pairs.empty:
            pairs["kind"] = "activity" if name == "quality_activity_pairs" else "task"
            rows += status_backwards(rules, pairs)
    tasks = queries.run(con, "quality_task_dates", **params)
    rows += completion_dates(rules, tasks)
    values = queries.run(con, "quality_indicator_values", **params)
    rows += indicator_checks(rules, values.assign(focus=True))
    frame = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    if period is not None:
        frame = frame[frame["period"] == period]
    frame.insert(0, "plan_id", rules.plan_id)
    return frame.reset_index(drop=True)


def related_codes(rules: Rules, codes: set[str] | frozenset[str]) -> set[str]:
    """The codes and every code tied to them through relations, transitively: a set whose indicator
    warnings depend on no value outside it (every other rule compares a value only with values of
    its own indicator), so it can be judged apart from the rest of the plan."""
    out, todo = set(codes), set(codes)
    while todo:
        todo = {c for rel in rules.relations if todo & set(rel.codes) for c in rel.codes} - out
        out |= todo
    return out


def check_department(
    con: duckdb.DuckDBPyConnection, rules: Rules, department: str, codes: set[str]
) -> pd.DataFrame:
    """check_store's rows about one department's activities and tasks and about the indicator
    `codes` (closed under the relations: related_codes), with its columns.

    A department's statuses are compared only with its own earlier reports and a task's dates with
    its own report, so after a write by one department these rows, together with the stored rows of
    everything else, are what check_store would give (tests/test_quality_scoped.py).
    """
    params = {"plan": rules.plan_id, "department": department}
    rows: list[dict] = []
    pairs = queries.run(con, "quality_pairs_department", **params)
    for kind in ("activity", "task"):
        part = pairs[pairs["kind"] == kind]
        if not part.empty:
            rows += status_backwards(rules, part)
    tasks = queries.run(con, "quality_task_dates_department", **params)
    rows += completion_dates(rules, tasks)
    if codes:
        values = queries.run(con, "quality_indicator_values_codes", plan=rules.plan_id,
                             codes=sorted(codes))  # fmt: skip
        rows += indicator_checks(rules, values.assign(focus=True))
    frame = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    frame.insert(0, "plan_id", rules.plan_id)
    return frame


def warnings_frame(warnings: list[QualityWarning]) -> pd.DataFrame:
    """A list of warnings as a table with the same columns as check_store."""
    rows = []
    for w in warnings:
        key = dict.fromkeys(("activity_no", "task_id", "indicator_code", "district_code", "year"))
        if w.kind == "activity":
            key["activity_no"] = w.key[0]
        elif w.kind == "task":
            key["task_id"] = w.key[0]
        else:
            key.update(zip(("indicator_code", "district_code", "year"), w.key, strict=True))
        rows.append({
            "department_code": w.department_code, "period": w.period,
            "submission_id": w.submission_id, "rule_id": w.rule_id, "importance": w.importance,
            "kind": w.kind, "sheet": w.sheet, "column": w.column, **key,
            "value_vi": w.value_vi, "value_en": w.value_en,
            "compared_with_vi": w.compared_with_vi, "compared_with_en": w.compared_with_en,
            "message_vi": w.message_vi, "message_en": w.message_en,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)

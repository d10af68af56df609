"""The relations rule (greengrowth.quality._relations) in plain Python gives what it gave as two
pivot tables (issue 11): the pivot version is kept here as the reference and both run over random
values, with every missing-value strategy, divisions by zero, constants and negations."""

from __future__ import annotations

import ast
import random

import pandas as pd
import pytest

from greengrowth import quality
from greengrowth.quality import (
    _BINOPS,
    OPERATORS,
    _both,
    _context,
    _num,
    _parse,
    _place,
    _prepare,
    _row,
    _side_text,
    _texts,
)
from loaders import quality_check

PLAN = "binh-duong-2018-2020"


def _evaluate(expr: str, columns: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """The side's value for every row; a division by zero gives NaN (the row is then skipped)."""

    def walk(node: ast.AST) -> pd.Series:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return pd.Series(float(node.value), index=index)
        if isinstance(node, ast.Name):
            return columns[node.id]
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Div):
            right = right.where(right != 0)
        return _BINOPS[type(node.op)](left, right)

    return walk(_parse(expr)).astype(float)


def pivot_relations(rules: quality.Rules, frame: pd.DataFrame) -> list[dict]:
    if not rules.relations:
        return []
    wide = frame.pivot_table(index=["place", "year"], columns="indicator_code", values="value",
                             aggfunc="first")  # fmt: skip
    focus = frame.pivot_table(index=["place", "year"], columns="indicator_code", values="focus",
                              aggfunc="any").reindex(wide.index)  # fmt: skip
    rows = frame.set_index(["indicator_code", "place", "year"])
    out = []
    for rel in rules.relations:
        codes = rel.codes
        present = wide.reindex(columns=codes)
        known = present.notna()
        if rel.missing_value_strategy == "skip_if_any_value_missing":
            usable = known.all(axis=1)
        elif rel.missing_value_strategy == "skip_if_all_values_missing":
            usable = known.any(axis=1)
        else:
            usable = pd.Series(True, index=wide.index)
        filled = present.fillna(0.0)
        columns = {c: filled[c] for c in codes}
        left = _evaluate(rel.left, columns, wide.index)
        right = _evaluate(rel.right, columns, wide.index)
        holds = OPERATORS[rel.operator](left, right)
        touched = focus.reindex(columns=codes).fillna(False).astype(bool).any(axis=1)
        mask = usable & touched & ~holds & left.notna() & right.notna()
        for place, year in wide.index[mask]:
            # the row to point at: the first named indicator this report (or store) supplied here
            code = next(
                c for c in codes
                if (c, place, year) in rows.index and bool(rows.loc[(c, place, year), "focus"])
            )  # fmt: skip
            src = rows.loc[(code, place, year)]
            r = pd.Series({**src.to_dict(), "indicator_code": code, "district_code": place or None,
                           "year": year, "value": left[(place, year)]})  # fmt: skip
            lv, rv = float(left[(place, year)]), float(right[(place, year)])
            compared = _both(lambda lang, rv=rv, e=rel.right: _side_text(rules, e, rv, lang))
            parts = {
                "left": lambda lang, v=lv: _num(v, lang),
                "right": lambda lang, v=rv: _num(v, lang),
                "place": lambda lang, p=place: _place(rules, p, lang),
                "year": int(year),
            }
            message = _texts(rel.message_vi, rel.message_en, **parts)
            row = _row(_context(r), rel.rule_id, rel.importance, "indicator", column="value",
                       value=_both(lambda lang, v=lv: _num(v, lang)), compared=compared,
                       message=message, indicator_code=code, district_code=place or None,
                       year=int(year))  # fmt: skip
            out.append(row)
    return out


def _relation(rule_id: str, left: str, op: str, right: str, strategy: str) -> quality.Relation:
    return quality.Relation(rule_id=rule_id, left=left, operator=op, right=right, importance="low",
                            message_vi="{left} {right} {place} {year}",
                            message_en="{left} / {right} / {place} / {year}",
                            missing_value_strategy=strategy)  # fmt: skip


SIDES = [
    ("trainees", ">=", "training_courses"),
    ("energy_audits + 1", "<=", "forest_area_ha / training_courses"),
    ("-energy_audits", "<", "2 * trainees - forest_area_ha"),
    ("forest_cover_pct", "<=", "100"),
    ("energy_audits / (trainees - trainees)", "==", "1"),
    ("audit_equipment_sets", "!=", "energy_audits"),
    ("forest_area_ha * 0.5", ">", "rural_water_schemes + 3"),
]


@pytest.mark.parametrize("seed", range(12))
def test_relations_match_the_pivot_version(seed):
    rng = random.Random(seed)
    base = quality_check.rules_for(PLAN)
    relations = tuple(
        _relation(f"r{i}", left, op, right, rng.choice(quality.MISSING_VALUE_STRATEGIES))
        for i, (left, op, right) in enumerate(SIDES)
    )
    rules = quality.Rules(**{**base.__dict__, "relations": base.relations + relations})
    codes = sorted({c for r in rules.relations for c in r.codes} | {"solar_buoys"})
    places = ["", *sorted(rules.districts)[:3]]
    rows = []
    for code in codes:
        for place in places:
            for year in range(2016, 2021):
                if rng.random() < 0.55:
                    rows.append({
                        "indicator_code": code, "district_code": place or None, "year": year,
                        "value": rng.choice([0, 0, 1, 2, 5, 40, 150, rng.uniform(-5, 300)]),
                        "focus": rng.random() < 0.6, "department_code": rng.choice(["DOIT", None]),
                        "period": rng.choice([2019, None]), "submission_id": rng.choice([3, None]),
                    })  # fmt: skip
    frame = _prepare(pd.DataFrame(rows))
    want = pivot_relations(rules, frame)
    got = quality._relations(rules, frame)
    assert len(want) > 5  # the values break some relations
    assert _plain(got) == _plain(want)


def _plain(rows: list[dict]) -> list[dict]:
    return [{k: (None if v is None or v != v else v) for k, v in r.items()} for r in rows]


def test_a_value_that_falls_to_zero_is_a_jump_not_a_crash():
    """Year on year divided by the ratio to write "a 1/x fall": a fall to 0 raised ZeroDivisionError
    and the whole upload failed."""
    rules = quality_check.rules_for(PLAN)
    history = pd.DataFrame([{"indicator_code": "energy_audits", "district_code": None, "year": 2019,
                             "value": 150.0, "department_code": "DOIT", "period": 2019,
                             "submission_id": 1}])  # fmt: skip
    found = quality.check_report(
        rules, period=2020, reported_on=None, department_code="DOIT", history=history,
        indicators=[{"indicator_code": "energy_audits", "district_code": None, "year": 2020,
                     "value": 0.0}],
    )  # fmt: skip
    jump = [w for w in found if w.rule_id == "year_on_year"]
    assert len(jump) == 1
    assert "giảm về 0" in jump[0].message_vi and "down to 0" in jump[0].message_en

"""Data-quality rules (greengrowth/quality.py): each rule alone, the rules files, and the issue's case.

Expected modified z-scores are worked out by hand in the comments, independently of the code.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml

from greengrowth import queries, store
from greengrowth.catalog import load_catalog
from greengrowth.quality import (
    PriorReport,
    QualityRulesError,
    check_report,
    check_store,
    load_rules,
    modified_z,
    warnings_frame,
)
from greengrowth.rows import ActivityStatus, IndicatorValue, TaskStatus
from loaders import layout as L
from tests.conftest import PLAN_ID

PLAN_FOLDER = Path(__file__).resolve().parents[1] / "data" / "plan" / PLAN_ID
OTHER = "binh-duong-2021-2025"
NINE = ["TDM", "DA", "TA", "TU", "BC", "BB", "BTU", "DT", "PG"]  # districts.csv, in file order


@pytest.fixture(scope="module")
def rules():
    return load_rules(PLAN_ID)


def _plan_copy(root: Path, plan_id: str, start: int, rules_text: str | None) -> Path:
    """A plan folder under root (a copy of the real one), with its own rules file or none."""
    folder = root / plan_id
    shutil.copytree(PLAN_FOLDER, folder)
    meta = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    meta.update(plan_id=plan_id, period_start=start, period_end=start + 4)
    (folder / "plan.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (folder / "quality_rules.yaml").unlink()
    if rules_text is not None:
        (folder / "quality_rules.yaml").write_text(rules_text, encoding="utf-8")
    return folder


def _values(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_code", "district_code", "year", "value"])


def _check(rules, indicators=(), history=None, **kw):
    kw.setdefault("period", 2020)
    kw.setdefault("reported_on", date(2020, 10, 1))
    return check_report(
        rules,
        indicators=[
            dict(zip(["indicator_code", "district_code", "year", "value"], r, strict=True))
            for r in indicators
        ],  # fmt: skip
        history=None if history is None else _values(history),
        **kw,
    )


def _ids(warnings) -> list[str]:
    return sorted(w.rule_id for w in warnings)


# ---- the rules files ---------------------------------------------------------------------------


def test_the_plan_ships_its_relations_with_reasons(rules):
    assert rules.source == PLAN_FOLDER / "quality_rules.yaml"
    relations = {r.rule_id: r for r in rules.relations}
    trainees = relations["trainees_at_least_courses"]
    assert (trainees.left, trainees.operator, trainees.right) == (
        "trainees",
        ">=",
        "training_courses",
    )
    assert (relations["forest_cover_is_a_share"].left, relations["forest_cover_is_a_share"].right) == (
        "forest_cover_pct", "100")  # fmt: skip
    assert all(len(r.reasoning) > 80 for r in rules.relations)
    # every indicator a relation names is in the catalog
    codes = set(load_catalog(PLAN_ID)["indicators"]["indicator_code"])
    assert {c for r in rules.relations for c in r.codes} <= codes


def test_a_plan_without_a_rules_file_gets_every_builtin_with_defaults(tmp_path):
    _plan_copy(tmp_path, OTHER, 2021, None)
    plain = load_rules(OTHER, root=tmp_path)
    defaults = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "greengrowth" / "quality_defaults.yaml").read_text(
            encoding="utf-8"
        )
    )
    assert plain.source is None and plain.relations == ()
    assert set(plain.builtins) == set(defaults)
    assert plain.rule("year_on_year").param("factor") == defaults["year_on_year"]["factor"]
    assert plain.plan_start == date(2021, 1, 1)
    # with no override, the unit "%" makes forest cover 0..100 through the physical range
    assert plain.range_of("forest_cover_pct") == (0, 100)
    found = _check(plain, [("forest_cover_pct", None, 2022, 120.0)], period=2022)
    assert _ids(found) == ["physical_range"]
    assert found[0].compared_with_vi == "từ 0 đến 100"


def test_a_plan_may_switch_the_builtins_off(tmp_path):
    _plan_copy(tmp_path, OTHER, 2021, "builtins:\n  enabled: false\n")
    off = load_rules(OTHER, root=tmp_path)
    assert off.builtins == {} and off.relations == ()
    assert _check(off, [("energy_audits", None, 2022, 1200.0), ("trainees", None, 2022, -3.0)],
                  [("energy_audits", None, 2021, 12.0)], period=2022) == []  # fmt: skip


def test_the_second_plan_folder_uses_its_own_rules(tmp_path):
    own = """
builtins:
  year_on_year: {factor: 3, min_abs_change: 1}
  outlier: {enabled: false}
relations:
  - id: equipment_per_course
    left: audit_equipment_sets
    operator: "<="
    right: training_courses * 2
    importance: low
    reasoning: a made-up relation for this test
    message_vi: "Thiết bị {left} nhiều hơn {right} năm {year} tại {place}"
    message_en: "Equipment {left} above {right} in {year} at {place}"
"""
    _plan_copy(tmp_path, OTHER, 2021, own)
    _plan_copy(tmp_path, PLAN_ID, 2018, None)
    other, first = load_rules(OTHER, root=tmp_path), load_rules(PLAN_ID, root=tmp_path)
    assert "outlier" not in other.builtins and "outlier" in first.builtins
    reported = [("training_courses", None, 2022, 2.0), ("audit_equipment_sets", None, 2022, 5.0),
                ("trainees", None, 2022, 40.0)]  # fmt: skip
    history = [("trainees", None, 2021, 10.0)]
    found = _check(other, reported, history, period=2022)
    assert _ids(found) == ["equipment_per_course", "year_on_year"]
    relation = next(w for w in found if w.rule_id == "equipment_per_course")
    assert relation.importance == "low" and relation.key == ("audit_equipment_sets", None, 2022)
    assert relation.message_vi == "Thiết bị 5 nhiều hơn 4 năm 2022 tại toàn tỉnh"
    # the first plan, without a rules file, has neither the relation nor the lower factor
    assert _check(first, reported, history, period=2022) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("relations:\n- {id: r1, left: nope, operator: '>=', right: trainees, importance: high,"
         " message_vi: a, message_en: b}\n", r"relation 'r1'.*unknown indicator.*nope"),
        ("relations:\n- {id: r2, left: trainees, operator: '=>', right: 1, importance: high,"
         " message_vi: a, message_en: b}\n", r"relation 'r2'.*operator '=>'"),
        ("relations:\n- {id: r3, left: trainees, operator: '>=', right: 1, importance: urgent,"
         " message_vi: a, message_en: b}\n", r"relation 'r3'.*importance"),
        ("relations:\n- {id: r4, left: __import__('os'), operator: '>=', right: 1,"
         " importance: high, message_vi: a, message_en: b}\n", r"relation 'r4'.*left side"),
        ("builtins:\n  year_on_year: {factr: 3}\n", r"rule 'year_on_year'.*unknown key.*factr"),
        ("builtins:\n  outlier: {message_vi: 'z {zscore}'}\n", r"rule 'outlier'.*zscore"),
        ("builtins:\n  year_on_year: {indicators: {nope: {factor: 2}}}\n",
         r"rule 'year_on_year'.*unknown indicator 'nope'"),
        ("builtins:\n  physical_range: {importance: high, percent_units: '%'}\n",
         r"rule 'physical_range'.*percent_units"),
    ],
)  # fmt: skip
def test_a_broken_rules_file_names_the_file_and_the_rule(tmp_path, text, expected):
    _plan_copy(tmp_path, OTHER, 2021, text)
    with pytest.raises(QualityRulesError, match=expected) as info:
        load_rules(OTHER, root=tmp_path)
    assert str(tmp_path / OTHER / "quality_rules.yaml") in str(info.value)


# ---- activities and tasks ----------------------------------------------------------------------


def _acts(*rows):
    return [{"activity_no": n, "status": s, "percent_complete": p} for n, s, p in rows]


def test_status_going_back_from_completed_and_a_percentage_that_falls(rules):
    before = PriorReport(
        2019,
        activities=_acts(
            (11, "completed", 100.0),
            (13, "in_progress", 60.0),
            (14, "in_progress", 60.0),
            (15, "delayed", 20.0),
        ),
    )
    now = _acts((11, "in_progress", 90.0), (13, "in_progress", 45.0), (14, "in_progress", 55.0),
                (15, "in_progress", 30.0))  # fmt: skip
    found = _check(rules, activities=now, previous=before)
    assert [(w.rule_id, w.key) for w in found] == [("status_backwards", (11,)),
                                                   ("status_backwards", (13,))]  # fmt: skip
    first = found[0]
    assert first.sheet == L.SHEET_ACTIVITIES and first.importance == "high"
    assert first.value_vi == "Đang thực hiện 90%"
    assert first.compared_with_vi == "năm 2019: Hoàn thành 100%"
    assert first.compared_with_en == "2019: Completed 100%"
    assert "năm 2019: Hoàn thành 100%" in first.message_vi
    assert found[1].compared_with_vi == "năm 2019: Đang thực hiện 60%"  # 15 points > 10; 5 is not
    headers = {c.field: c.header_vi for c in L.ACTIVITY_COLUMNS}
    assert [w.column for w in found] == [headers["status"], headers["percent_complete"]]


def test_status_compared_with_the_same_periods_earlier_report(rules):
    earlier = PriorReport(2020, activities=_acts((11, "completed", 100.0)), submission_id=7)
    found = _check(rules, activities=_acts((11, "not_started", 0.0)), same_period=earlier)
    assert [w.compared_with_vi for w in found] == ["lần nộp trước cho năm 2020: Hoàn thành 100%"]


def test_a_completed_task_that_is_no_longer_completed(rules):
    before = PriorReport(2019, tasks=[{"task_id": "3.2.4", "status": "completed",
                                       "completed_on": date(2018, 11, 2)}])  # fmt: skip
    now = [{"task_id": "3.2.4", "status": "delayed", "completed_on": None}]
    found = _check(rules, tasks=now, previous=before)
    assert [(w.rule_id, w.sheet, w.key) for w in found] == [
        ("status_backwards", L.SHEET_TASKS, ("3.2.4",))
    ]
    assert found[0].compared_with_vi == "năm 2019: Hoàn thành"


def test_completion_dates_after_the_report_or_before_the_plan(rules):
    tasks = [
        {"task_id": "3.2.1", "status": "completed", "completed_on": date(2020, 11, 3)},
        {"task_id": "3.2.2", "status": "completed", "completed_on": date(2017, 12, 31)},
        {"task_id": "3.2.3", "status": "completed", "completed_on": date(2018, 1, 1)},
        {"task_id": "3.2.4", "status": "completed", "completed_on": date(2020, 10, 1)},
    ]
    found = _check(rules, tasks=tasks, reported_on=date(2020, 10, 1))
    assert [(w.rule_id, w.key) for w in found] == [
        ("completed_after_report", ("3.2.1",)),
        ("completed_before_plan", ("3.2.2",)),
    ]
    assert found[0].value_vi == "03/11/2020"
    assert {w.column for w in found} == {
        c.header_vi for c in L.TASK_COLUMNS if c.field == "completed_on"
    }
    assert found[0].compared_with_vi == "ngày báo cáo 01/10/2020"
    assert found[1].compared_with_en == "the plan's start 1 Jan 2018"


# ---- indicators --------------------------------------------------------------------------------


def test_year_on_year_jump_and_fall(rules):
    found = _check(
        rules,
        [("energy_audits", None, 2020, 1200.0), ("energy_audits", "TDM", 2020, 4.0),
         ("forest_area_ha", None, 2020, 30.0)],
        [("energy_audits", None, 2019, 12.0), ("energy_audits", "TDM", 2019, 40.0),
         ("forest_area_ha", None, 2019, 900.0)],
    )  # fmt: skip
    assert [(w.rule_id, w.key) for w in found] == [
        ("year_on_year", ("energy_audits", None, 2020)),  # 100 times, 1,188 more
        ("year_on_year", ("forest_area_ha", None, 2020)),  # a 30-fold fall, 870 ha less
    ]  # TDM: 40 -> 4 is ten times less but only 36 audits: small counts move a lot
    assert found[0].compared_with_vi == "năm 2019: 12"
    assert "tăng gấp 100 lần" in found[0].message_vi
    assert "a 30-fold fall" in found[1].message_en


def test_a_previous_value_of_zero_does_not_divide(rules):
    history = [("energy_audits", None, 2019, 0.0), ("energy_audits", "TDM", 2019, 0.0),
               ("energy_audits", "DA", 2019, 0.0)]  # fmt: skip
    reported = [("energy_audits", None, 2020, 300.0), ("energy_audits", "TDM", 2020, 3.0),
                ("energy_audits", "DA", 2020, 0.0)]  # fmt: skip
    found = _check(rules, reported, history)
    assert [(w.rule_id, w.key) for w in found] == [("year_on_year", ("energy_audits", None, 2020))]
    assert "tăng từ 0" in found[0].message_vi and "up from 0" in found[0].message_en


def test_an_indicator_without_history_and_a_district_with_one_point(rules):
    assert _check(rules, [("energy_audits", None, 2020, 1200.0)]) == []
    assert _check(rules, [("energy_audits", "PG", 2020, 500.0)]) == []


def test_physical_range_from_the_unit_and_the_forest_cover_relation(rules):
    found = _check(rules, [("trainees", None, 2020, -5.0), ("forest_cover_pct", None, 2020, 120.0),
                           ("forest_area_ha", "DT", 2020, 10.0)])  # fmt: skip
    by_rule = {w.rule_id: w for w in found}
    assert sorted(by_rule) == ["forest_cover_is_a_share", "physical_range"]
    assert by_rule["physical_range"].key == ("trainees", None, 2020)
    assert by_rule["physical_range"].compared_with_vi == "không nhỏ hơn 0"
    # one value, one warning: the plan states forest cover's upper bound as a relation
    share = by_rule["forest_cover_is_a_share"]
    assert share.key == ("forest_cover_pct", None, 2020) and share.compared_with_vi == "100"
    assert "120%" in share.message_vi


def test_modified_z_on_a_known_series():
    # 10 10 11 11 12 12 12 13 60: median 12; |x - 12| = 2 2 1 1 0 0 0 1 48, whose median (MAD) is 1.
    # M(60) = 0.6745 * 48 / 1 = 32.376; M(10) = 0.6745 * -2 / 1 = -1.349.
    values = pd.Series([10.0, 12, 11, 13, 12, 11, 10, 12, 60])
    score, median, size = modified_z(values, [pd.Series(["g"] * 9)])
    assert score[8] == pytest.approx(32.376)
    assert score[0] == pytest.approx(-1.349)
    assert median[0] == 12 and size[0] == 9
    # MAD = 0 (six of seven equal): 5 5 5 5 5 5 50, median 5, mean |x - 5| = 45 / 7.
    # M(50) = 45 / (1.253314 * 45 / 7) = 7 / 1.253314 = 5.585
    score, _, _ = modified_z(pd.Series([5.0] * 6 + [50]), [pd.Series(["g"] * 7)])
    assert score.iloc[6] == pytest.approx(5.585, abs=1e-3)
    assert (score.iloc[:6] == 0).all()
    # every value equal: nothing is an outlier (and nothing divides by zero)
    score, _, _ = modified_z(pd.Series([7.0] * 7), [pd.Series(["g"] * 7)])
    assert (score == 0).all()


def test_an_outlier_across_the_districts(rules):
    values = [10.0, 12, 11, 13, 12, 11, 10, 12, 60]
    reported = [("energy_audits", d, 2020, v) for d, v in zip(NINE, values, strict=True)]
    found = _check(rules, reported)
    assert [(w.rule_id, w.key) for w in found] == [("outlier", ("energy_audits", "PG", 2020))]
    assert found[0].compared_with_vi == "trung vị của 9 địa bàn năm 2020: 12"
    assert "điểm z hiệu chỉnh 32,4" in found[0].message_vi
    assert "Phú Giáo" in found[0].message_vi
    # fewer districts than min_points: no score at all
    assert _check(rules, reported[4:]) == []  # five districts, min_points is 6


def test_a_long_series_uses_the_modified_z_score_instead_of_the_factor(rules):
    years = range(2010, 2020)
    history = [("energy_audits", None, y, 10.0 + (y % 3)) for y in years]
    found = _check(rules, [("energy_audits", None, 2020, 1200.0)], history)
    assert [w.rule_id for w in found] == ["outlier"]
    assert found[0].compared_with_vi == "trung vị của 11 năm (2010–2020): 11"


# ---- the issue's case --------------------------------------------------------------------------


def _doit_case():
    """DOIT 2019: every activity completed 100%, 12 audits, 40 trainees, 2 courses; then 2020."""
    leads = load_catalog(PLAN_ID)["activity_leads"]
    mine = sorted(int(n) for n in leads.loc[leads["department_code"] == "DOIT", "activity_no"])
    tasks = load_catalog(PLAN_ID).priority_task_departments
    task_ids = sorted(tasks.loc[tasks["department_code"] == "DOIT", "task_id"])
    done = [{"task_id": t, "status": "completed", "completed_on": date(2018, 11, 20),
             "achieved_value": None, "note": None} for t in task_ids]  # fmt: skip
    base = {
        "activities": _acts(*[(n, "completed", 100.0) for n in mine]),
        "tasks": done,
        "indicators": [
            {"indicator_code": "energy_audits", "district_code": None, "year": 2019, "value": 12.0},
            {"indicator_code": "trainees", "district_code": None, "year": 2019, "value": 40.0},
            {"indicator_code": "training_courses", "district_code": None, "year": 2019,
             "value": 2.0},
        ],
    }  # fmt: skip
    new = {
        "activities": _acts(*[(n, "not_started" if n == 11 else "completed",
                               0.0 if n == 11 else 100.0) for n in mine]),
        "tasks": done,
        "indicators": [
            {"indicator_code": "energy_audits", "district_code": None, "year": 2020,
             "value": 1200.0},
            {"indicator_code": "trainees", "district_code": None, "year": 2020, "value": 3.0},
            {"indicator_code": "training_courses", "district_code": None, "year": 2020,
             "value": 5.0},
        ],
    }  # fmt: skip
    return base, new


EXPECTED = [
    ("status_backwards", (11,)),
    ("trainees_at_least_courses", ("trainees", None, 2020)),
    ("year_on_year", ("energy_audits", None, 2020)),
]


def test_the_issues_case_gives_exactly_three_warnings(rules):
    base, new = _doit_case()
    history = pd.DataFrame(base["indicators"])
    found = check_report(
        rules, period=2020, reported_on=date(2020, 10, 1), department_code="DOIT",
        activities=new["activities"], tasks=new["tasks"], indicators=new["indicators"],
        previous=PriorReport(2019, activities=base["activities"], tasks=base["tasks"]),
        history=history,
    )  # fmt: skip
    assert sorted((w.rule_id, w.key) for w in found) == EXPECTED
    status = next(w for w in found if w.rule_id == "status_backwards")
    assert status.compared_with_vi == "năm 2019: Hoàn thành 100%"
    assert status.value_vi == "Chưa thực hiện 0%"
    relation = next(w for w in found if w.rule_id == "trainees_at_least_courses")
    assert relation.value_vi == "3" and relation.importance == "high"
    assert all(w.department_code == "DOIT" and w.period == 2020 for w in found)
    value_header = next(c.header_vi for c in L.INDICATOR_COLUMNS if c.field == "value")
    assert relation.sheet == L.SHEET_INDICATORS and relation.column == value_header


def _store(con, period: int, report: dict, at: datetime) -> int:
    with store.transaction(con):
        sid = store.insert_submission(con, {
            "plan_id": PLAN_ID, "department_code": "DOIT", "period": period,
            "file_name": f"doit-{period}.xlsx", "sha256": f"{period}-{at}", "size_bytes": 1,
            "uploaded_at": at, "uploaded_by": "test", "reported_on": date(period, 10, 1),
            "prepared_by": None, "derived_from": None, "illustrative": True,
            "n_activity_rows": 0, "n_task_rows": 0, "n_indicator_rows": 0,
        })  # fmt: skip
        store.record_event(con, sid, "accepted", at, "test", None)
        for row_type, rows in ((ActivityStatus, report["activities"]),
                               (TaskStatus, report["tasks"]),
                               (IndicatorValue, report["indicators"])):  # fmt: skip
            store.append_rows(con, sid, [row_type(**r) for r in rows])
    return sid


def test_the_store_wide_check_agrees_and_a_correction_clears_it(catalog_con, rules):
    base, new = _doit_case()
    _store(catalog_con, 2019, base, datetime(2019, 10, 1, 9))
    assert check_store(catalog_con, rules).empty
    sid = _store(catalog_con, 2020, new, datetime(2020, 10, 1, 9))
    found = check_store(catalog_con, rules)
    assert (found["plan_id"] == PLAN_ID).all() and (found["submission_id"] == sid).all()
    # the same warnings, word for word, as the upload-time check of that report, with the
    # previous report read back from the store as the upload service will
    prev = queries.run(catalog_con, "quality_previous_submission", plan=PLAN_ID,
                       department="DOIT", period=2020).iloc[0]  # fmt: skip
    rows = queries.submission_rows(catalog_con, int(prev["submission_id"]))
    upload = warnings_frame(check_report(
        rules, period=2020, reported_on=date(2020, 10, 1), department_code="DOIT",
        activities=new["activities"], tasks=new["tasks"], indicators=new["indicators"],
        previous=PriorReport(int(prev["period"]), rows["activities"], rows["tasks"],
                             int(prev["submission_id"])),
        history=queries.run(catalog_con, "quality_indicator_values", plan=PLAN_ID),
    ))  # fmt: skip
    columns = [c for c in upload.columns if c != "submission_id"]
    order = ["rule_id", "activity_no", "indicator_code"]
    pd.testing.assert_frame_equal(
        found[columns].sort_values(order).reset_index(drop=True).astype(object),
        upload[columns].sort_values(order).reset_index(drop=True).astype(object),
    )
    assert check_store(catalog_con, rules, period=2019).empty
    assert len(check_store(catalog_con, rules, period=2020)) == 3
    # the department corrects its 2020 report: the warnings go with their causes
    fixed = {**new, "activities": base["activities"], "indicators": [
        {**r, "value": {"energy_audits": 15.0, "trainees": 60.0}.get(r["indicator_code"], r["value"])}
        for r in new["indicators"]]}  # fmt: skip
    _store(catalog_con, 2020, fixed, datetime(2020, 10, 5, 9))
    assert check_store(catalog_con, rules).empty


def test_the_illustrative_data_is_plausible_under_the_shipped_rules(demo_db_master, rules):
    """The sample data raises no warning except the deliberately implausible, labelled values of
    the demo generator (loaders.demo.DELIBERATELY_IMPLAUSIBLE), each of which does; the stored
    view agrees, with the labelled explanations."""
    from loaders.demo import DELIBERATELY_IMPLAUSIBLE

    with store.connect(demo_db_master / "demo.duckdb", read_only=True) as con:
        found = check_store(con, rules)
        n_values = len(queries.run(con, "quality_indicator_values", plan=PLAN_ID))
        view = con.execute(
            "SELECT department_code, period, rule, explanation FROM data_quality_warnings"
        ).fetchall()
    assert n_values > 100  # the rules really looked at data
    labelled = {(d, p, rule) for d, p, rule, _, _ in DELIBERATELY_IMPLAUSIBLE}
    got = set(zip(found["department_code"], found["period"], found["rule_id"], strict=True))
    assert got == labelled, found[
        ["rule_id", "department_code", "period", "message_en"]
    ].to_string()
    assert len(found) == len(labelled)  # one warning each
    assert {(d, p, r, e) for d, p, r, _, e in DELIBERATELY_IMPLAUSIBLE} == set(view)
    assert any(e is None for *_, e in DELIBERATELY_IMPLAUSIBLE)  # some left unexplained
    assert any(e for *_, e in DELIBERATELY_IMPLAUSIBLE)


def test_relation_arithmetic_missing_values_and_division_by_zero(tmp_path):
    own = """
relations:
  - {id: ratio, left: trainees / training_courses, operator: ">=", right: 5, importance: medium,
     message_vi: "{left} < {right}", message_en: "{left} < {right}"}
  - {id: any_missing, left: trainees, operator: ">=", right: training_courses,
     importance: medium, missing_value_strategy: never_skip,
     message_vi: "{left} < {right}", message_en: "{left} < {right}"}
"""
    _plan_copy(tmp_path, OTHER, 2021, own)
    rules = load_rules(OTHER, root=tmp_path)
    assert [r.title_vi for r in rules.relations] == ["ratio", "any_missing"]  # the id by default
    # 8 trainees in 2 courses: 4 per course, below 5
    found = _check(rules, [("trainees", None, 2022, 8.0), ("training_courses", None, 2022, 2.0)])
    assert [(w.rule_id, w.value_vi, w.compared_with_vi) for w in found] == [("ratio", "4", "5")]
    # no course at all: the ratio cannot be computed and is skipped, not an error
    assert (
        _check(rules, [("trainees", None, 2022, 8.0), ("training_courses", None, 2022, 0.0)]) == []
    )
    # courses reported without trainees: never_skip counts the missing trainees as 0
    found = _check(rules, [("training_courses", None, 2022, 3.0)])
    assert [(w.rule_id, w.key) for w in found] == [
        ("any_missing", ("training_courses", None, 2022))
    ]


def test_rule_titles_list_every_active_rule(rules):
    titles = rules.titles().set_index("rule_id")
    assert set(titles.index) == set(rules.builtins) | {r.rule_id for r in rules.relations}
    assert titles.loc["trainees_at_least_courses", "kind"] == "relation"
    assert titles.loc["outlier", "title_vi"] == "Giá trị ngoại lai"


def test_a_warning_prints_in_two_languages(rules):
    before = PriorReport(2019, activities=_acts((11, "completed", 100.0)))
    (warning,) = _check(rules, activities=_acts((11, "not_started", 0.0)), previous=before)
    vi, en = warning.lines()
    assert vi.startswith(f"! {L.SHEET_ACTIVITIES} 11 [Cao] status_backwards: Tiến độ đi lùi")
    assert en.startswith("  (High: Progress went backwards")

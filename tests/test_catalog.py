"""The catalog must reproduce what the plan text says about itself.

Expected values below are read off the plan text by hand (sections II, V.1, V.2, V.3), independently
of the data files, so a wrong edit to data/plan/ fails here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from greengrowth import store
from greengrowth.catalog import CatalogError, available_plans, load_catalog
from tests.conftest import PLAN_ID

PLAN_FOLDER = Path(__file__).resolve().parents[1] / "data" / "plan" / PLAN_ID
SHARED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "plan"

# Section V.1 (DPI) and V.2 (each department's line), as the text assigns them.
LEADS_IN_TEXT = {
    "DPI": {5, 6, 7, 29},
    "DOIT": {11, 13, 14, 15, 16, 26, 30, 43, 46, 49, 62, 65},
    "DARD": {20, 21, 22, 23, 24, 25, 31, 50, 63},
    "DONRE": {4, 28, 34, 39, 42, 45, 47, 60},
    "DOST": {12, 27, 35, 36},
    "DCST": {44, 61},
    "DOT": {17, 18, 19, 32, 48, 59},
    "DOC": {33, 54, 55, 56, 58},
    "DOLISA": {38},
    "DIC": {66},
}
# "Tỉnh triển khai a/b hoạt động": theme -> (a, b), group -> (a, b)
THEME_COUNTS = {1: (4, 8), 2: (18, 20), 3: (22, 25), 4: (11, 13)}
GROUP_COUNTS = {
    "2.1": (6, 8), "2.2": (3, 3), "2.3": (6, 6), "2.4": (3, 3),
    "3.1": (9, 10), "3.2": (7, 9), "3.3": (3, 3), "3.4": (3, 3),
    "4.1": (6, 7), "4.2": (5, 6),
}  # fmt: skip
NOT_ADOPTED = {1, 2, 3, 8, 9, 10, 37, 40, 41, 57, 64}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PLAN_ID)


def test_66_national_activities_55_adopted(catalog):
    acts = catalog["activities"]
    assert sorted(acts["activity_no"]) == list(range(1, 67))
    assert int(acts["adopted"].sum()) == 55
    assert set(acts.loc[~acts["adopted"], "activity_no"]) == NOT_ADOPTED


@pytest.mark.parametrize("theme_no", sorted(THEME_COUNTS))
def test_theme_counts_match_the_text(catalog, theme_no):
    acts = catalog["activities"]
    theme = catalog["themes"].set_index("theme_no").loc[theme_no]
    mine = acts[acts["theme_no"] == theme_no]
    assert (int(mine["adopted"].sum()), len(mine)) == THEME_COUNTS[theme_no]
    assert (theme["stated_adopted"], theme["stated_national"]) == THEME_COUNTS[theme_no]


@pytest.mark.parametrize("group_code", sorted(GROUP_COUNTS))
def test_group_counts_match_the_text(catalog, group_code):
    acts = catalog["activities"]
    group = catalog["activity_groups"].set_index("group_code").loc[group_code]
    mine = acts[acts["group_code"] == group_code]
    assert (int(mine["adopted"].sum()), len(mine)) == GROUP_COUNTS[group_code]
    assert (group["stated_adopted"], group["stated_national"]) == GROUP_COUNTS[group_code]


def test_every_group_belongs_to_its_theme(catalog):
    for row in catalog["activity_groups"].itertuples():
        assert row.group_code.split(".")[0] == str(row.theme_no)


def test_adopted_titles_are_quoted_from_the_plan(catalog):
    text = re.sub(r"\s+", " ", (PLAN_FOLDER / "source.md").read_text(encoding="utf-8"))
    adopted = catalog["activities"][catalog["activities"]["adopted"]]
    for row in adopted.itertuples():
        assert row.title_vi and row.title_en, row.activity_no
        # Titles are copied verbatim (the text breaks a few of them across pages).
        assert row.title_vi.rstrip(".")[:60] in text, row.activity_no


def _plan_text() -> str:
    return re.sub(r"\s+", " ", (PLAN_FOLDER / "source.md").read_text(encoding="utf-8"))


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_priority_task_texts_are_quoted_from_the_plan(catalog):
    """V.3's bullets are kept word for word (whitespace normalised as for activity titles), and so
    are the deadline words and the lead lines' due words shown beside them."""
    text = _plan_text()
    for row in catalog["priority_tasks"].itertuples():
        assert row.text_vi and _ws(row.text_vi) in text, row.task_id
        assert row.summary_en, row.task_id
        if row.deadline_text_vi:
            assert _ws(row.deadline_text_vi) in text, row.task_id
    for row in catalog["activity_leads"].itertuples():
        if row.due_text_vi:
            assert _ws(row.due_text_vi) in text, row.activity_no


def test_theme_and_group_titles_are_quoted_from_the_plan(catalog):
    text = _plan_text()
    for table in ("themes", "activity_groups"):
        for title in catalog[table]["title_vi"]:
            assert _ws(title) in text, (table, title)


def test_the_source_copy_is_the_plan_text():
    """The plan folder keeps the text it encodes; where shared/ is beside us, it must be identical."""
    shared = SHARED_TEXT / "ke-hoach-tang-truong-xanh-binh-duong-2018-2020.md"
    copy = PLAN_FOLDER / "source.md"
    assert "Hoạt động số 66" in copy.read_text(encoding="utf-8")
    if shared.exists():
        assert copy.read_bytes() == shared.read_bytes()


def test_activities_17_and_18_are_two_activities_with_one_text(catalog):
    acts = catalog["activities"].set_index("activity_no")
    assert acts.loc[17, "title_vi"] == acts.loc[18, "title_vi"]
    assert acts.loc[17, "group_code"] == acts.loc[18, "group_code"] == "2.2"


def test_non_adopted_activities_have_no_invented_titles(catalog):
    acts = catalog["activities"]
    dropped = acts[~acts["adopted"]]
    assert dropped["title_vi"].isna().all()
    assert (dropped["placement"] == "inferred").all()


@pytest.mark.parametrize("department", sorted(LEADS_IN_TEXT))
def test_department_leads_match_section_v2(catalog, department):
    leads = catalog["activity_leads"]
    mine = set(leads.loc[leads["department_code"] == department, "activity_no"])
    assert mine == LEADS_IN_TEXT[department]


def test_only_51_52_53_lack_a_lead_and_a_finding_says_so(catalog):
    acts = catalog["activities"]
    led = set(catalog["activity_leads"]["activity_no"])
    adopted = set(acts.loc[acts["adopted"], "activity_no"])
    assert adopted - led == {51, 52, 53}
    subjects = ";".join(catalog["findings"]["subject"].dropna())
    assert all(f"activity:{n}" in subjects for n in (51, 52, 53))


def test_priority_tasks_of_section_v3(catalog):
    tasks = catalog["priority_tasks"]
    assert len(tasks) == 30
    assert tasks["task_id"].is_unique
    assert (tasks["deadline"].astype(str) == "2018-12-31").all()
    by_id = tasks.set_index("task_id")
    assert by_id.loc["3.2.4", "target_value"] == 1  # "ít nhất 01 lớp đào tạo"
    assert by_id.loc["3.7", "department_codes"] == "DOH;DCST"
    acts = catalog.priority_task_activities
    assert set(acts.loc[acts["task_id"] == "3.2.1", "activity_no"]) == {11, 62, 65}
    assert set(acts.loc[acts["task_id"] == "3.3.5", "activity_no"]) == {50, 63}
    assert acts.loc[acts["task_id"].isin(["3.8.4", "3.9.4"])].empty


def test_department_table_has_glossary_names(catalog):
    deps = catalog["departments"].set_index("department_code")
    assert deps.loc["DPI", "name_vi"] == "Sở Kế hoạch và Đầu tư"
    assert deps.loc["DOIT", "name_en"] == "Department of Industry and Trade"
    assert {"PPC", "DOF", "DOH", "DISTRICTS"} <= set(deps.index)


def test_reporting_rules(catalog):
    rules = {r["rule_id"]: r for r in catalog.meta["reporting_rules"]}
    assert str(rules["department-plan"]["due_date"]) == "2018-06-30"
    annual = rules["annual-report"]
    assert (annual["due_before_month"], annual["due_before_day"]) == (10, 15)
    assert (annual["year_from"], annual["year_to"]) == (2018, 2020)


def test_indicators_reference_the_catalog(catalog):
    ind = catalog["indicators"].set_index("indicator_code")
    assert ind.loc["training_courses", "target_value"] == 1
    assert ind.loc["training_courses", "target_year"] == 2018
    assert set(ind["direction"]) <= {"higher", "lower"}
    assert pd_isna(ind.loc["sustainable_enterprises", "department_code"])  # activity 51: no lead


def pd_isna(value) -> bool:
    return value is None or value != value


def test_a_broken_reference_is_refused(tmp_path):
    folder = tmp_path / PLAN_ID
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "plan" / PLAN_ID, folder)
    leads = folder / "activity_leads.csv"
    leads.write_text(leads.read_text(encoding="utf-8") + "99,NOPE,lead,,,V.2\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown"):
        load_catalog(PLAN_ID, root=tmp_path)


def test_a_second_plan_loads_side_by_side(tmp_path, db_env):
    """Another period or province is a new folder: no code change, keyed by its own plan_id."""
    src = Path(__file__).resolve().parents[1] / "data" / "plan" / PLAN_ID
    other = "binh-duong-2021-2025"
    shutil.copytree(src, tmp_path / other)
    shutil.copytree(src, tmp_path / PLAN_ID)
    meta_path = tmp_path / other / "plan.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta.update(plan_id=other, period_start=2021, period_end=2025)
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    assert available_plans(tmp_path) == [PLAN_ID, other]
    with store.connect(db_env) as con:
        for plan_id in available_plans(tmp_path):
            store.load_catalog(con, load_catalog(plan_id, root=tmp_path))
        counts = con.execute(
            "SELECT plan_id, count(*) FROM activity_catalog GROUP BY plan_id ORDER BY 1"
        ).fetchall()
    assert counts == [(PLAN_ID, 66), (other, 66)]

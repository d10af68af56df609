"""Where every fact comes from (issue 12): the plan's words versus the province's choices.

Quotes are checked against the plan text itself (data/plan/<plan>/source.md); what the plan states
is read off the text by hand (section V.3.2 is the only place that gives a figure a province could
monitor), independently of the data files.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import yaml

from greengrowth import provenance, queries, store
from greengrowth.catalog import (
    INDICATOR_BASES,
    CatalogError,
    load_catalog,
    normalise,
    parse_refs,
)
from greengrowth.queries import dashboard as q
from loaders import layout
from loaders.template import build_template
from tests.conftest import PLAN_ID

PLAN_FOLDER = Path(__file__).resolve().parents[1] / "data" / "plan" / PLAN_ID
# The plan has no indicator list; only task 3.2.4 (section V.3.2) sets a figure: "ít nhất 01 lớp".
STATED_IN_TEXT = {"training_courses": "V.3.2"}
QUOTE = re.compile(r"“([^”]+)”")
# Text in “…” that is not the plan's words, with the reason.
NOT_QUOTES = {"Số: ...": "F08 names a line the plan lacks"}
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PLAN_ID)


@pytest.fixture(scope="module")
def plan_text() -> str:
    return normalise((PLAN_FOLDER / "source.md").read_text(encoding="utf-8"))


def _copy_plan(tmp_path: Path) -> Path:
    folder = tmp_path / PLAN_ID
    shutil.copytree(PLAN_FOLDER, folder)
    return folder


def _edit_csv(path: Path, edit) -> None:
    """Rewrite a catalog CSV through `edit(rows, columns) -> (rows, columns)`."""
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows, columns = list(reader), list(reader.fieldnames or [])
    rows, columns = edit(rows, columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _set(code: str, **values: str):
    def edit(rows, columns):
        for row in rows:
            if row["indicator_code"] == code:
                row.update(values)
        return rows, columns

    return edit


# ---- indicators: stated by the plan or chosen by the province -------------------------------------


def test_every_indicator_has_a_basis_and_only_what_the_text_sets_is_stated(catalog):
    ind = catalog["indicators"].set_index("indicator_code")
    assert set(ind["basis"]) <= set(INDICATOR_BASES)
    stated = ind[ind["basis"] == "stated"]
    assert dict(zip(stated.index, stated["basis_section"], strict=True)) == STATED_IN_TEXT


def test_stated_quotes_are_word_for_word_in_their_section(catalog, plan_text):
    ind = catalog["indicators"]
    sections = {"V.3.2": "3.2. Sở Công thương chủ trì", "V.3.3": "3.3. Sở Nông nghiệp"}
    for row in ind[ind["basis"] == "stated"].itertuples():
        quote = normalise(row.basis_quote_vi)
        assert quote in plan_text, row.indicator_code
        # ... and inside the section it names: after its heading, before the next one.
        start = plan_text.index(sections[row.basis_section])
        end = plan_text.index(sections["V.3.3"]) if row.basis_section == "V.3.2" else None
        assert quote in plan_text[start:end], row.indicator_code
        assert row.target_value == 1 and "ít nhất 01 lớp" in quote


def test_chosen_indicators_say_what_they_monitor_and_who_may_change_them(catalog):
    ind = catalog["indicators"]
    chosen = ind[ind["basis"] == "chosen"]
    assert len(chosen) == len(ind) - len(STATED_IN_TEXT)
    tasks = set(catalog["priority_tasks"]["task_id"])
    activities = {str(n) for n in catalog["activities"]["activity_no"]}
    for row in chosen.itertuples():
        refs = parse_refs(row.chosen_for)
        assert refs, row.indicator_code
        for kind, ref in refs:
            assert ref in {"activity": activities, "task": tasks}[kind], (row.indicator_code, ref)
        if not pd.isna(row.activity_no):
            assert ("activity", str(row.activity_no)) in refs, row.indicator_code
        assert row.steward == "DPI"  # V.1: DPI follows and consolidates the plan's monitoring
        assert row.basis_quote_vi is None
        assert row.basis_note_vi and row.basis_note_en


def test_what_the_issue_found_about_single_indicators(catalog):
    ind = catalog["indicators"].set_index("indicator_code")
    assert "không nhắc đến số học viên" in ind.loc["trainees", "basis_note_vi"]
    assert "vượt quá" in ind.loc["ghg_inventory_tco2e", "basis_note_vi"]
    # 3.2.4's second sentence names no activity (F25): the equipment is filed under none.
    assert pd.isna(ind.loc["audit_equipment_sets", "activity_no"])
    assert parse_refs(ind.loc["audit_equipment_sets", "chosen_for"]) == [("task", "3.2.4")]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("energy_audits", basis="planned"), "basis 'planned' is not one of stated, chosen"),
        (_set("energy_audits", basis=""), "basis None is not one of stated, chosen"),
        (_set("energy_audits", chosen_for=""), "needs chosen_for"),
        (_set("energy_audits", chosen_for="activity:99"), "unknown activity '99'"),
        (_set("energy_audits", steward="NOPE"), "steward 'NOPE' is not a department"),
        (_set("energy_audits", basis_quote_vi="Kiểm toán"), "has no quote from the plan"),
        (_set("training_courses", basis_quote_vi="Tổ chức ít nhất 02 lớp"), "not word for word"),
        (_set("training_courses", basis_section=""), "needs basis_section and basis_quote_vi"),
        (_set("training_courses", retired_from="2020"), "only a chosen indicator can be retired"),
    ],
)
def test_a_bad_basis_is_refused_with_a_clear_message(tmp_path, edit, message):
    folder = _copy_plan(tmp_path)
    _edit_csv(folder / "indicators.csv", edit)
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(PLAN_ID, root=tmp_path)


def test_a_plan_folder_without_the_basis_columns_loads_with_safe_defaults(tmp_path, db_env):
    """An older or other plan folder need not have the new columns: nothing is then claimed as the
    plan's words (basis chosen, chosen_for its activity, rules' texts summaries, years inferred)."""
    folder = _copy_plan(tmp_path)
    new = {"basis", "basis_section", "basis_quote_vi", "chosen_for", "steward", "retired_from",
           "basis_note_vi", "basis_note_en"}  # fmt: skip
    _edit_csv(
        folder / "indicators.csv", lambda rows, cols: (rows, [c for c in cols if c not in new])
    )
    # Without chosen_for an indicator must name an activity; give the two that have none one.
    _edit_csv(folder / "indicators.csv", _set("solar_buoys", activity_no="19"))
    _edit_csv(folder / "indicators.csv", _set("audit_equipment_sets", activity_no="16"))
    meta = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    rule_keys = {"description_basis", "quote_vi", "quote_section", "years_basis", "basis_note_vi",
                 "basis_note_en"}  # fmt: skip
    meta["reporting_rules"] = [
        {k: v for k, v in r.items() if k not in rule_keys} for r in meta["reporting_rules"]
    ]
    (folder / "plan.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")

    catalog = load_catalog(PLAN_ID, root=tmp_path)
    ind = catalog["indicators"].set_index("indicator_code")
    assert set(ind["basis"]) == {"chosen"}
    assert ind.loc["forest_cover_pct", "chosen_for"] == "activity:23"
    assert ind["basis_quote_vi"].isna().all() and ind["retired_from"].isna().all()
    rules = {r["rule_id"]: r for r in catalog.meta["reporting_rules"]}
    assert {r["description_basis"] for r in rules.values()} == {"summary"}
    assert rules["annual-report"]["years_basis"] == "inferred"  # it has years, unstated
    assert rules["department-plan"]["years_basis"] is None  # it has none
    with store.connect(db_env) as con:
        store.load_catalog(con, catalog)
        basis = queries.run(con, "indicator_basis", plan=PLAN_ID)
    assert set(basis["basis"]) == {"chosen"} and len(basis) == len(ind)


# ---- retiring a chosen indicator ------------------------------------------------------------------


def _template_codes(con, department: str, period: int) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(con, PLAN_ID, department, period)))
    ws = wb[layout.SHEET_INDICATORS]
    return [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]


def test_retiring_a_chosen_indicator_keeps_its_history(demo_db, tmp_path):
    folder = _copy_plan(tmp_path / "plans")
    _edit_csv(folder / "indicators.csv", _set("energy_audits", retired_from="2020"))
    with store.connect(demo_db) as con:
        before = q.indicator_values(con, PLAN_ID, 2020, "energy_audits")
        assert not before.empty
        assert "energy_audits" in _template_codes(con, "DOIT", 2020)
        store.load_catalog(con, load_catalog(PLAN_ID, root=tmp_path / "plans"))
        after = q.indicator_values(con, PLAN_ID, 2020, "energy_audits")
        assert after.equals(before)  # every stored value still shown
        assert "energy_audits" in _template_codes(con, "DOIT", 2019)
        assert "energy_audits" not in _template_codes(con, "DOIT", 2020)
        assert "training_courses" in _template_codes(con, "DOIT", 2020)
        row = q.indicator_progress(con, PLAN_ID, 2020).set_index("indicator_code")
        assert row.loc["energy_audits", "retired_from"] == 2020
        basis = queries.run(con, "indicator_basis", plan=PLAN_ID)
    text = provenance.indicator_basis_text(
        basis.set_index("indicator_code", drop=False).loc["energy_audits"].to_dict(), "vi"
    )
    assert "Ngừng theo dõi từ năm 2020" in text


def test_deleting_an_indicator_with_values_is_refused_and_nothing_changes(demo_db, tmp_path):
    folder = _copy_plan(tmp_path / "plans")
    _edit_csv(
        folder / "indicators.csv",
        lambda rows, cols: ([r for r in rows if r["indicator_code"] != "energy_audits"], cols),
    )
    with store.connect(demo_db) as con:
        with pytest.raises(store.StoreError, match="retired_from"):
            store.load_catalog(con, load_catalog(PLAN_ID, root=tmp_path / "plans"))
        codes = set(queries.run(con, "plan_indicators", plan=PLAN_ID)["indicator_code"])
    assert "energy_audits" in codes


def test_an_existing_database_gets_the_new_columns(tmp_path):
    """Databases made before these columns existed are upgraded by ensure_schema in place."""
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute(
        "CREATE TABLE indicator (plan_id VARCHAR, indicator_code VARCHAR, name_vi VARCHAR, "
        "name_en VARCHAR, unit_vi VARCHAR, unit_en VARCHAR, activity_no INTEGER, "
        "department_code VARCHAR, direction VARCHAR, baseline_value DOUBLE, baseline_year INTEGER, "
        "target_value DOUBLE, target_year INTEGER, target_source VARCHAR, by_district BOOLEAN, "
        "note VARCHAR, PRIMARY KEY (plan_id, indicator_code))"
    )
    old.execute(
        "CREATE TABLE reporting_rule (plan_id VARCHAR, rule_id VARCHAR, kind VARCHAR, "
        "description_vi VARCHAR, description_en VARCHAR, due_date DATE, due_before_month INTEGER, "
        "due_before_day INTEGER, year_from INTEGER, year_to INTEGER, source_section VARCHAR, "
        "PRIMARY KEY (plan_id, rule_id))"
    )
    old.close()
    with store.connect(path) as con:
        store.load_catalog(con, load_catalog(PLAN_ID))
        basis = queries.run(con, "indicator_basis", plan=PLAN_ID)
        rules = queries.run(con, "reporting_rules", plan=PLAN_ID)
        view = con.execute(
            "SELECT basis, count(*) FROM indicator_catalog GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert view == [("chosen", len(basis) - 1), ("stated", 1)]
    assert set(basis.loc[basis["indicator_code"] == "training_courses", "basis"]) == {"stated"}
    assert set(rules["years_basis"].dropna()) == {"inferred"}


# ---- quotes that are quotes -----------------------------------------------------------------------


def _texts(catalog):
    """(where, text, vietnamese?) for every free text the catalog shows."""
    for row in catalog["findings"].itertuples():
        yield f"finding {row.finding_id}", row.text_vi, True
        yield f"finding {row.finding_id}", row.text_en, False
    for table, key in (("indicators", "indicator_code"), ("priority_tasks", "task_id"),
                       ("activities", "activity_no")):  # fmt: skip
        frame = catalog[table]
        for column in ("basis_note_vi", "basis_note_en", "note", "summary_en", "title_en"):
            if column in frame:
                for k, text in zip(frame[key], frame[column], strict=True):
                    if text:
                        yield f"{table} {k} {column}", text, column.endswith("_vi")
    for rule in catalog.meta["reporting_rules"]:
        for column in ("description_vi", "description_en", "basis_note_vi", "basis_note_en"):
            if rule.get(column):
                yield f"rule {rule['rule_id']} {column}", rule[column], column.endswith("_vi")


def test_text_in_quotation_marks_is_the_plans_words(catalog, plan_text):
    """In Vietnamese texts every “…” is verbatim from the plan; in English texts every “…” holding
    Vietnamese is (English quotation marks around an English gloss are the data's words)."""
    checked = 0
    for where, text, vietnamese in _texts(catalog):
        for quote in QUOTE.findall(text):
            if quote in NOT_QUOTES or not (vietnamese or VIETNAMESE.search(quote)):
                continue
            checked += 1
            assert normalise(quote) in plan_text, f"{where}: “{quote}” is not in the plan text"
    assert checked > 20


def test_composed_rule_text_is_marked_as_a_summary_and_inferred_years_as_inferred(
    catalog, plan_text
):
    rules = {r["rule_id"]: r for r in catalog.meta["reporting_rules"]}
    plan_rule = rules["department-plan"]
    assert plan_rule["description_basis"] == "summary"
    assert normalise(plan_rule["description_vi"]) not in plan_text  # composed: not a quote
    assert normalise(plan_rule["quote_vi"]) in plan_text
    assert "V.1" in plan_rule["source_section"]  # DPI's Q2 items are in V.1
    annual = rules["annual-report"]
    assert (annual["year_from"], annual["year_to"], annual["years_basis"]) == (
        2018,
        2020,
        "inferred",
    )
    assert "hàng năm" in annual["quote_vi"] and normalise(annual["quote_vi"]) in plan_text
    for rule in rules.values():
        if rule["description_basis"] == "quote":
            assert normalise(rule["description_vi"]) in plan_text, rule["rule_id"]


def test_a_rule_quote_that_is_not_verbatim_is_refused(tmp_path):
    folder = _copy_plan(tmp_path)
    meta = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    meta["reporting_rules"][0]["description_basis"] = "quote"  # a summary passed off as the plan's
    (folder / "plan.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="not word for word"):
        load_catalog(PLAN_ID, root=tmp_path)
    meta["reporting_rules"][0]["description_basis"] = "paraphrase"
    (folder / "plan.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="description_basis 'paraphrase' is not one of"):
        load_catalog(PLAN_ID, root=tmp_path)


# ---- findings and wording -------------------------------------------------------------------------


def test_the_three_findings_the_catalog_missed(catalog, plan_text):
    findings = catalog["findings"].set_index("finding_id")
    subjects = {f: set(s.split(";")) for f, s in findings["subject"].items()}
    # V.2 "chủ trì" vs V.3 "Tham gia": every such task's text starts with "Tham gia".
    tasks = catalog["priority_tasks"].set_index("task_id")
    take_part = {"3.3.4", "3.4.2", "3.4.3", "3.5.2", "3.8.2", "3.9.1"}
    assert all(tasks.loc[t, "text_vi"].startswith("Tham gia") for t in take_part)
    lead = next(f for f, s in subjects.items() if {f"task:{t}" for t in take_part} <= s)
    led = catalog.priority_task_activities
    acts = set(led.loc[led["task_id"].isin(take_part), "activity_no"])
    assert {f"activity:{n}" for n in acts} <= subjects[lead]
    assert acts == {31, 32, 33, 34, 35, 39}
    # 3.2.4's second sentence names no activity.
    second = [f for f, s in subjects.items() if s == {"task:3.2.4"}]
    assert second and "thuộc hoạt động số 16." in findings.loc[second[0], "text_vi"]
    # Frameworks "giai đoạn 2014 – 2020" set in 2018.
    period = {"3.3.4", "3.4.2", "3.5.2", "3.8.2", "3.9.1"}
    for t in period:
        assert re.search(r"2014 [–-] 2020", tasks.loc[t, "text_vi"]), t
    assert any(s == {f"task:{t}" for t in period} for s in subjects.values())


def test_f17_says_the_plan_names_no_indicators_and_f02_mentions_finance(catalog):
    findings = catalog["findings"].set_index("finding_id")
    assert "không nêu chỉ tiêu theo dõi nào" in findings.loc["F17", "text_vi"]
    assert "names no indicators" in findings.loc["F17", "text_en"]
    assert "hầu hết" not in findings.loc["F17", "text_vi"]
    assert "Sở Tài chính" in findings.loc["F02", "text_vi"]
    assert "Department of Finance" in findings.loc["F02", "text_en"]


def test_dcst_has_its_official_name_and_the_plans_spelling_only_in_quotes(catalog):
    official, plans = "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa – Thể thao và Du lịch"
    assert catalog["departments"].set_index("department_code").loc["DCST", "name_vi"] == official
    for where, text, _ in _texts(catalog):
        outside = QUOTE.sub("", text)
        assert plans not in outside, where
    assert plans in catalog["findings"].set_index("finding_id").loc["F02", "text_vi"]


def test_english_says_what_the_vietnamese_says(catalog):
    acts = catalog["activities"].set_index("activity_no")
    assert (
        "domestic" not in acts.loc[45, "title_en"]
        and "within the country" in acts.loc[45, "title_en"]
    )
    assert "bio-gasoline" in acts.loc[26, "title_en"] and "biofuel" not in acts.loc[26, "title_en"]
    themes = catalog["themes"].set_index("theme_no")
    assert "promoting" not in themes.loc[4, "title_en"].lower()
    summary = catalog["priority_tasks"].set_index("task_id").loc["3.6.2", "summary_en"]
    assert "3T" in summary and "save, recycle, reuse" in summary and "3R" not in summary


# ---- the words people read ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_basis_sentences(catalog, lang):
    ind = catalog["indicators"].set_index("indicator_code", drop=False)
    stated = provenance.indicator_basis_text(ind.loc["training_courses"].to_dict(), lang)
    quote = ind.loc["training_courses", "basis_quote_vi"]
    assert f"“{quote}”" in stated and "V.3.2" in stated
    chosen = provenance.indicator_basis_text(
        {**ind.loc["energy_audits"].to_dict(), f"steward_name_{lang}": "X"}, lang
    )
    expected = {
        "vi": ("Chỉ tiêu theo dõi do tỉnh chọn, kế hoạch không quy định.", "hoạt động số 15",
               "nhiệm vụ ưu tiên 3.2.3"),
        "en": ("Monitoring indicator chosen by the province; the plan does not set it.",
               "activity 15", "priority task 3.2.3"),
    }[lang]  # fmt: skip
    assert all(part in chosen for part in expected)
    assert "“" not in chosen.split(".")[0]
    unknown = provenance.indicator_basis_text({"basis": None}, lang)
    assert "python -m loaders catalog" in unknown


def test_rule_sentences_mark_summaries_and_inferred_years(catalog):
    rules = {r["rule_id"]: r for r in catalog.meta["reporting_rules"]}
    vi = provenance.rule_basis_text(rules["annual-report"], "vi")
    assert vi.startswith("Tóm tắt, không phải lời văn của kế hoạch.")
    assert "Các năm 2018–2020 là suy luận" in vi and "(mục V.4)" in vi
    en = provenance.rule_basis_text(rules["department-plan"], "en")
    assert en.startswith("Summary, not the plan's words.") and "inferred" not in en


# ---- the pages ------------------------------------------------------------------------------------


def _page(db, monkeypatch, page: str, **params: str):
    from tests.test_pages_leadership import _app

    return _app(db, monkeypatch, page, **params)


def _page_text(at) -> str:
    from tests.test_pages_leadership import _text

    return _text(at)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_indicators_page_says_which_indicators_the_plan_sets(demo_db, monkeypatch, lang):
    params = {"lang": lang} if lang == "en" else {}
    at = _page(demo_db, monkeypatch, "pages/indicators.py", indicator="training_courses", **params)
    assert not at.exception, at.exception
    with store.connect(demo_db) as con:
        basis = queries.run(con, "indicator_basis", plan=PLAN_ID)
    table = at.dataframe[0].value
    header = {"vi": "Nguồn gốc", "en": "Basis"}[lang]
    labels = dict(zip(table.iloc[:, 0], table[header], strict=True))
    names = dict(zip(basis["indicator_code"], basis[f"name_{lang}"], strict=True))
    for code, b in zip(basis["indicator_code"], basis["basis"], strict=True):
        assert labels[names[code]] == provenance.basis_label(b, lang, short=True)
    info = "\n".join(str(e.value) for e in at.info)
    quote = basis.set_index("indicator_code").loc["training_courses", "basis_quote_vi"]
    assert f"“{quote}”" in info and "V.3.2" in info
    at = _page(demo_db, monkeypatch, "pages/indicators.py", indicator="trainees", **params)
    info = "\n".join(str(e.value) for e in at.info)
    chosen = {
        "vi": "Chỉ tiêu theo dõi do tỉnh chọn, kế hoạch không quy định.",
        "en": "Monitoring indicator chosen by the province; the plan does not set it.",
    }[lang]
    steward = {"vi": "Sở Kế hoạch và Đầu tư", "en": "Department of Planning and Investment"}[lang]
    assert chosen in info and steward in info and "“" not in info


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_page_shows_basis_rules_and_the_new_findings(demo_db, monkeypatch, lang):
    params = {"lang": lang} if lang == "en" else {}
    at = _page(demo_db, monkeypatch, "pages/plan.py", **params)
    assert not at.exception, at.exception
    text = _page_text(at)
    catalog = load_catalog(PLAN_ID)
    for row in catalog["indicators"].to_dict("records"):
        assert row[f"name_{lang}"] in text
        assert provenance.indicator_basis_text(row, lang).split(".")[0] in text
    stated = catalog["indicators"].set_index("indicator_code").loc["training_courses"]
    assert f"“{stated['basis_quote_vi']}”" in text
    for rule in catalog.meta["reporting_rules"]:
        assert rule["quote_vi"] in text
    summary = {
        "vi": "Tóm tắt, không phải lời văn của kế hoạch",
        "en": "Summary, not the plan's words",
    }
    inferred = {"vi": "Các năm 2018–2020 là suy luận", "en": "The years 2018–2020 are inferred"}
    assert summary[lang] in text and inferred[lang] in text
    findings = at.dataframe[1].value
    assert {"F24", "F25", "F26"} <= set(findings.iloc[:, 0])

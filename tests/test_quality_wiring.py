"""Data-quality rules wired into uploads (issue 14): warnings on the dry run, an explanation to
commit, the data_quality_warnings view, and `python -m loaders check`."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from greengrowth import queries, store
from greengrowth.auth import Account
from loaders import layout as L
from loaders import service
from loaders.template import build_template
from tests.test_cli import cli
from tests.workbooks import fill_rows

PLAN = "binh-duong-2018-2020"
ANALYST = Account("doit1", "Cán bộ Sở Công Thương", "analyst", ("DOIT",))
WHY = "Đã kiểm tra với phòng Quản lý năng lượng: năm 2020 có chương trình kiểm toán mở rộng."


def doit_report(con, period: int, *, activity_11: tuple[str, int], values: dict) -> bytes:
    """DOIT's report: every activity complete except activity 11 as given, and indicator values."""
    wb = load_workbook(io.BytesIO(build_template(con, PLAN, "DOIT", period)))
    L.info_cells(wb[L.SHEET_INFO])["reported_on"].value = date(period, 10, 1)
    fill_rows(wb, "Hoàn thành", 100, task_status="Đang thực hiện")
    for row in wb[L.SHEET_ACTIVITIES].iter_rows(min_row=2):
        cell = L.cells(row, L.ACTIVITY_COLUMNS)
        if cell["activity_no"].value == 11:
            cell["status"].value, cell["percent_complete"].value = activity_11
    for row in wb[L.SHEET_INDICATORS].iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        if cell["indicator_code"].value in values:
            cell["value"].value = values[cell["indicator_code"].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


BASELINE = {"energy_audits": 12, "trainees": 40, "training_courses": 2}
TYPED_2020 = {"energy_audits": 1200, "trainees": 3, "training_courses": 5}


def _count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_the_issue_case_warns_asks_for_a_reason_and_forgets_corrected_causes(db_env, tmp_path):
    with store.connect(db_env) as con:
        from loaders.demo import load_all_catalogs

        load_all_catalogs(con)
        base = doit_report(con, 2019, activity_11=("Hoàn thành", 100), values=BASELINE)
        typed = doit_report(con, 2020, activity_11=("Chưa thực hiện", 0), values=TYPED_2020)
        stored = service.commit(con, ANALYST, base, "doit-2019.xlsx")
        assert stored.outcome == "accepted" and stored.warnings == []

        dry = service.check(con, ANALYST, typed, "doit-2020.xlsx")
    assert dry.outcome == "would_accept"  # warnings never refuse a report
    found = {(w.rule_id, w.warning.key[0]) for w in dry.warnings}
    assert found == {
        ("status_backwards", 11),
        ("year_on_year", "energy_audits"),
        ("trainees_at_least_courses", "trainees"),
    }
    by_rule = {w.rule_id: w for w in dry.warnings}
    back = by_rule["status_backwards"]
    assert back.sheet == L.SHEET_ACTIVITIES and back.row is not None
    assert back.column.startswith("C (")  # the column as found in this workbook
    assert back.compared_with("vi") == "năm 2019: Hoàn thành 100%"
    assert all(w.row for w in dry.warnings)  # each points at its workbook row
    # the change preview compares with the previous period too
    texts = [c.text_vi for c in dry.changes]
    assert "Hoạt động 11: năm 2019: Hoàn thành 100% -> Chưa thực hiện 0%" in texts

    # the CLI: exit 3 and nothing stored without --accept-warnings; the dry run exits 0
    path = tmp_path / "doit-2020.xlsx"
    path.write_bytes(typed)
    dry_run = cli("ingest", "--dry-run", str(path), env_db=db_env)
    assert dry_run.returncode == 0, dry_run.stdout
    refused = cli("ingest", str(path), env_db=db_env)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "status_backwards" in refused.stdout and "--accept-warnings" in refused.stdout
    assert f"[{L.SHEET_ACTIVITIES}] dòng {back.row}" in refused.stdout
    with store.connect(db_env) as con:
        assert _count(con, "SELECT count(*) FROM submission WHERE period = 2020") == 0
        assert service.commit(con, ANALYST, typed, "doit-2020.xlsx").outcome == (
            "needs_explanation"
        )
        assert _count(con, "SELECT count(*) FROM submission WHERE period = 2020") == 0

    done = cli("ingest", str(path), "--accept-warnings", WHY, env_db=db_env)
    assert done.returncode == 0, done.stdout + done.stderr
    with store.connect(db_env) as con:
        view = con.execute(
            "SELECT * FROM data_quality_warnings WHERE plan_id = ? AND period = 2020", [PLAN]
        ).df()
        assert set(view["rule"]) == {
            "status_backwards",
            "year_on_year",
            "trainees_at_least_courses",
        }
        assert set(view["explanation"]) == {WHY}
        assert view["row"].notna().all()
        assert (view["row"].sort_values().tolist()) == sorted(w.row for w in dry.warnings)
        sub = int(view["submission_id"].iloc[0])
    checked = cli("check", "--plan", PLAN, "--period", "2020", env_db=db_env)
    assert checked.returncode == 0 and "trainees_at_least_courses" in checked.stdout
    assert WHY[:30] in checked.stdout
    with store.connect(db_env) as con:
        # a correction that removes the causes: the warnings leave the view
        rows = queries.submission_rows(con, sub)
        acts = rows["activities"].copy()
        acts.loc[acts["activity_no"] == 11, ["status", "percent_complete"]] = ["completed", 100.0]
        inds = rows["indicators"].copy()
        fixed = {"energy_audits": 15.0, "trainees": 45.0, "training_courses": 3.0}
        for code, value in fixed.items():
            inds.loc[(inds["indicator_code"] == code) & (inds["year"] == 2020), "value"] = value
        fix = service.correct(con, ANALYST, sub, activities=acts, indicators=inds)
        assert fix.outcome == "accepted", fix.problems
        assert fix.warnings == []
        left = con.execute(
            "SELECT count(*) FROM data_quality_warnings WHERE period = 2020"
        ).fetchone()[0]
        assert left == 0


def test_a_correction_that_keeps_a_warning_needs_an_explanation(db_env):
    with store.connect(db_env) as con:
        from loaders.demo import load_all_catalogs

        load_all_catalogs(con)
        service.commit(
            con, ANALYST, doit_report(con, 2019, activity_11=("Hoàn thành", 100), values=BASELINE),
            "a.xlsx",
        )  # fmt: skip
        typed = doit_report(con, 2020, activity_11=("Chưa thực hiện", 0), values=TYPED_2020)
        sub = service.commit(con, ANALYST, typed, "b.xlsx", explanation=WHY).submission_id
        rows = queries.submission_rows(con, sub)
        inds = rows["indicators"].copy()
        inds.loc[inds["indicator_code"] == "energy_audits", "value"] = 15.0
        kept = service.correct(con, ANALYST, sub, indicators=inds)
        assert kept.outcome == "needs_explanation"
        assert _count(con, f"SELECT count(*) FROM submission WHERE derived_from = {sub}") == 0
        kept = service.correct(con, ANALYST, sub, indicators=inds, explanation="  vẫn đúng  ")
        assert kept.outcome == "accepted"
        view = con.execute(
            "SELECT rule, explanation FROM data_quality_warnings WHERE submission_id = ?",
            [kept.submission_id],
        ).df()
        assert set(view["rule"]) == {"status_backwards", "trainees_at_least_courses"}
        assert set(view["explanation"]) == {"vẫn đúng"}
        # a withdrawal brings the explained submission's warnings back
        service.withdraw(con, ANALYST, kept.submission_id, "nhầm")
        back = con.execute(
            "SELECT rule, explanation FROM data_quality_warnings WHERE period = 2020"
        ).df()
        assert len(back) == 3 and set(back["explanation"]) == {WHY}


@pytest.mark.parametrize("text", [None, "", "   "])
def test_an_empty_explanation_is_no_explanation(db_env, text):
    with store.connect(db_env) as con:
        from loaders.demo import load_all_catalogs

        load_all_catalogs(con)
        service.commit(
            con, ANALYST, doit_report(con, 2019, activity_11=("Hoàn thành", 100), values=BASELINE),
            "a.xlsx",
        )  # fmt: skip
        typed = doit_report(con, 2020, activity_11=("Chưa thực hiện", 0), values=TYPED_2020)
        result = service.commit(con, ANALYST, typed, "b.xlsx", explanation=text)
        assert result.outcome == "needs_explanation" and not result.ok
        assert pd.isna(result.submission_id) or result.submission_id is None


def test_a_rebuild_keeps_the_warnings_and_their_explanations(demo_db, tmp_path):
    from loaders.rebuild import rebuild

    sql = (
        'SELECT department_code, period, rule, "row", explanation FROM data_quality_warnings '
        "ORDER BY ALL"
    )
    with store.connect(demo_db) as con:
        before = con.execute(sql).fetchall()
    assert before and any(r[-1] for r in before)
    target = tmp_path / "rebuilt.duckdb"
    rebuild(demo_db, target)
    with store.connect(target) as con:
        assert con.execute(sql).fetchall() == before

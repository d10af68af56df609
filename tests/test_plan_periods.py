"""A plan folder whose plan.yaml says 2021-2030 works end to end with no code change: catalog,
template, ingest, and the leadership queries cover its ten years (issue 11: later plans, more years)."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest
import yaml
from openpyxl.workbook import Workbook

from greengrowth import queries, store
from greengrowth.catalog import PLAN_ROOT, load_catalog
from greengrowth.queries import dashboard as q
from loaders import layout as L
from loaders.ingest import ingest_bytes
from loaders.template import TemplateError, build_template
from tests.workbooks import fill

BASE = "binh-duong-2018-2020"
LATER = "tinh-thu-2021-2030"


@pytest.fixture
def later_plan(tmp_path, db_env):
    """A copy of this plan's folder, renamed and moved to 2021-2030 (plan.yaml only)."""
    root = tmp_path / "plans"
    shutil.copytree(PLAN_ROOT / BASE, root / LATER)
    meta_file = root / LATER / "plan.yaml"
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
    meta.update(plan_id=LATER, period_start=2021, period_end=2030)
    for rule in meta["reporting_rules"]:
        if rule["year_from"]:
            rule["year_from"], rule["year_to"] = 2021, 2030
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with store.connect(db_env) as con:
        store.load_catalog(con, load_catalog(LATER, root))
        store.load_catalog(con, load_catalog(BASE))
        yield con


def _reported_on(day: date):
    def edit(wb: Workbook) -> None:
        for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
            if row[0].value == "reported_on":
                row[2].value = day

    return edit


def test_later_period_loads_and_ingests(later_plan):
    con = later_plan
    plan = queries.plan(con, LATER)
    assert (plan["period_start"], plan["period_end"]) == (2021, 2030)
    data = fill(build_template(con, LATER, "DOIT", 2027), edit=_reported_on(date(2027, 10, 1)))
    result = ingest_bytes(con, data, "doit-2027.xlsx", "test", now=datetime(2027, 11, 1, 9))
    assert result.outcome == "accepted", result.problems
    assert q.latest_period(con, LATER) == 2027
    # Reporting covers every year of the new plan: one expected report per department and year.
    summary = q.reporting_summary(con, LATER, 2030, today=date(2031, 1, 1))
    assert list(summary["period"]) == list(range(2021, 2031))
    departments = len(queries.reporting_departments(con, LATER))
    assert set(summary["expected"]) == {departments}
    assert int(summary.loc[summary["period"] == 2027, "received"].iloc[0]) == 1
    statuses = q.activity_statuses(con, LATER, 2027, department="DOIT")
    assert (statuses["status"] != "not_reported").any()
    # The base plan is untouched: its data is empty, its period still ends in 2020.
    assert q.latest_period(con, BASE) is None


def test_periods_outside_a_plan_are_refused(later_plan):
    con = later_plan
    with pytest.raises(TemplateError):
        build_template(con, LATER, "DOIT", 2020)
    with pytest.raises(TemplateError):
        build_template(con, BASE, "DOIT", 2021)
    template = build_template(con, LATER, "DOIT", 2021)

    def wrong_period(wb: Workbook) -> None:
        _reported_on(date(2021, 10, 1))(wb)
        for row in wb[L.SHEET_INFO].iter_rows(min_row=2):
            if row[0].value == "period":
                row[2].value = 2031

    result = ingest_bytes(
        con, fill(template, edit=wrong_period), "x.xlsx", "test", now=datetime(2031, 11, 1)
    )
    assert result.outcome == "rejected"
    assert [p.code for p in result.problems] == ["bad_period"]

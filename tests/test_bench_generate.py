"""bench/generate.py's plan folders load as real plans (so `make bench` keeps working when the catalog
grows columns): another id and period, extra reporting units, districts and indicators."""

from __future__ import annotations

from bench.generate import run_named, write_plan_folder
from greengrowth import queries, store
from greengrowth.catalog import load_catalog
from greengrowth.queries import dashboard as q


def test_national_plan_folder(tmp_path, db_env):
    base = load_catalog("binh-duong-2018-2020")
    write_plan_folder(tmp_path, "tinh-01-2016-2025", "Tỉnh 01", 2016, 2025, extra_departments=4)
    catalog = load_catalog("tinh-01-2016-2025", tmp_path)
    assert (catalog.meta["period_start"], catalog.meta["period_end"]) == (2016, 2025)
    with store.connect(db_env) as con:
        store.load_catalog(con, base)
        base_reporting = len(queries.reporting_departments(con, base.plan_id))
        store.load_catalog(con, catalog)
        reporting = queries.reporting_departments(con, catalog.plan_id)
        assert len(reporting) == base_reporting + 4
        rule = q.annual_rule(con, catalog.plan_id)
        assert (rule["year_from"], rule["year_to"]) == (2016, 2025)
        # every adopted activity has a lead in the generated plan
        statuses = q.activity_statuses(con, catalog.plan_id, 2016)
        assert "no_lead" not in set(statuses["status"])


def test_stress_plan_folder(tmp_path, db_env):
    write_plan_folder(tmp_path, "stress-x", "T", 2011, 2030, districts=7, indicators=30)
    catalog = load_catalog("stress-x", tmp_path)
    assert len(catalog["districts"]) == 7
    assert len(catalog["indicators"]) == 30
    assert catalog["indicators"]["by_district"].all()
    with store.connect(db_env) as con:
        store.load_catalog(con, catalog)
        assert len(run_named(con, "plan_indicators", plan=catalog.plan_id)) == 30

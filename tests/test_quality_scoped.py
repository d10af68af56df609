"""The stored data-quality warnings after each write are recomputed only where the write can change
them (loaders.quality_check.refresh_after, issue 11); the result must be exactly what recomputing
the whole plan gives (loaders.quality_check.refresh), over generated reports from several departments
and periods with resubmissions, corrections and withdrawals."""

from __future__ import annotations

import io
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from greengrowth import catalog as catalog_mod
from greengrowth import queries, store
from greengrowth.auth import Account
from greengrowth.catalog import load_catalog
from greengrowth.quality import related_codes
from greengrowth.xlsx_cells import put
from loaders import layout as L
from loaders import quality_check, service
from loaders.demo import fill_workbook
from loaders.ingest import ingest_bytes, withdraw
from loaders.template import build_template

PLAN = "binh-duong-2018-2020"
ADMIN = Account("admin1", "Quản trị", "admin", ())
PROGRESS = [
    ("Hoàn thành", 100),
    ("Đang thực hiện", 10),
    ("Đang thực hiện", 90),
    ("Chưa thực hiện", 0),
    ("Chậm tiến độ", 20),
]


def _stored(con) -> pd.DataFrame:
    """The plan's stored warnings, in one order (the table is a set)."""
    frame = con.execute("SELECT * FROM quality_warning WHERE plan_id = ?", [PLAN]).df()
    return _sorted(frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=store.QUALITY_WARNING_COLUMNS)
    numbers = ["period", "submission_id", "activity_no", "year"]  # float where a column has None
    frame = frame.astype(dict.fromkeys(numbers, "Int64")).astype(object)
    frame = frame.where(pd.notna(frame), None).astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _full(con) -> pd.DataFrame:
    """What recomputing the whole plan gives (nothing written)."""
    return _sorted(quality_check.store_warnings(con, PLAN))


def _report(con, rng: random.Random, department: str, period: int, by_district) -> bytes:
    """A department's report filled as the demo does, then spoiled here and there: statuses that go
    backwards, values typed ten times too large, zeros, negative numbers, dates out of range."""
    template = build_template(con, PLAN, department, period, illustrative=True)
    data = fill_workbook(template, period, 2018, rng, date(period, 10, 1), by_district)
    wb = load_workbook(io.BytesIO(data))
    put(L.info_cells(wb[L.SHEET_INFO])["prepared_by"], f"Cán bộ {rng.random():.6f}")
    for row in wb[L.SHEET_ACTIVITIES].iter_rows(min_row=2):
        cell = L.cells(row, L.ACTIVITY_COLUMNS)
        if cell["activity_no"].value is not None and rng.random() < 0.3:
            status, percent = rng.choice(PROGRESS)
            put(cell["status"], status)
            put(cell["percent_complete"], percent)
    for row in wb[L.SHEET_TASKS].iter_rows(min_row=2):
        cell = L.cells(row, L.TASK_COLUMNS)
        if cell["task_id"].value is not None and rng.random() < 0.2:
            put(cell["status"], "Hoàn thành")
            put(cell["completed_on"], date(period, 10, 1) + timedelta(days=rng.choice([-900, 40])))
    for row in wb[L.SHEET_INDICATORS].iter_rows(min_row=2):
        cell = L.cells(row, L.INDICATOR_COLUMNS)
        value = cell["value"].value
        if isinstance(value, int | float) and rng.random() < 0.5:
            put(cell["value"], rng.choice([value * 10, value * 60, 0, 150, 250, value / 20]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# A relation across departments (DOIT's energy audits against DARD's forest area, by district),
# judged even when a value is missing: a write by one department then changes warnings that the
# other department's values carry, which only the closure over relations (related_codes) finds.
CROSS = """
  - id: audits_within_forest
    left: energy_audits
    operator: "<="
    right: forest_area_ha + 2
    importance: low
    missing_value_strategy: never_skip
    message_vi: "Kiểm thử: {left} so với {right} ({place}, năm {year})."
    message_en: "Test: {left} against {right} ({place}, {year})."
"""


@pytest.fixture
def cross_plan(tmp_path, monkeypatch) -> Path:
    """This plan's folder with one more relation, as the rules' plan folder."""
    root = tmp_path / "plans"
    shutil.copytree(catalog_mod.PLAN_ROOT / PLAN, root / PLAN)
    rules_file = root / PLAN / "quality_rules.yaml"
    text = rules_file.read_text(encoding="utf-8")
    assert "\nrelations:\n" in text
    rules_file.write_text(text.replace("\nrelations:\n", "\nrelations:\n" + CROSS.lstrip("\n"), 1),
                          encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(catalog_mod, "PLAN_ROOT", root)
    return root


@pytest.fixture
def scoped_calls(monkeypatch) -> list[str]:
    """Which path each write took: 'full' (refresh) or 'scoped' (refresh_after's own work)."""
    calls: list[str] = []
    full = quality_check.refresh
    scoped = quality_check.check_department

    def counting_full(con, plan_id):
        calls.append("full")
        return full(con, plan_id)

    def counting_scoped(*args, **kwargs):
        calls.append("scoped")
        return scoped(*args, **kwargs)

    monkeypatch.setattr(quality_check, "refresh", counting_full)
    monkeypatch.setattr(quality_check, "check_department", counting_scoped)
    quality_check._SETTLED.clear()
    return calls


def test_scoped_refresh_equals_a_full_recompute(db_env, cross_plan, scoped_calls):
    rng = random.Random(11)
    now = datetime(2021, 1, 5, 9, 0)
    with store.connect(db_env) as con:
        store.load_catalog(con, load_catalog(PLAN))
        indicators = queries.run(con, "plan_indicators", plan=PLAN)
        by_district = frozenset(indicators.loc[indicators["by_district"], "indicator_code"])
        departments = sorted(set(indicators["department_code"].dropna()))
        assert "DOIT" in departments  # its indicators carry the plan's relations
        writes: list[tuple[str, int]] = []
        stored_ids: list[int] = []
        seen_rules: set[str] = set()
        for step in range(22):
            now += timedelta(minutes=5)
            action = "upload" if step < 8 or not stored_ids else rng.choice(
                ["upload", "upload", "correct", "withdraw"]
            )  # fmt: skip
            if action == "upload":
                dept, period = rng.choice(departments), rng.choice([2018, 2019, 2020])
                data = _report(con, rng, dept, period, by_district)
                result = ingest_bytes(con, data, f"{dept}-{period}.xlsx", "kiểm thử", now=now)
                assert result.outcome == "accepted", result.problems[:3]
                stored_ids.append(result.submission_id)
            elif action == "correct":
                current = con.execute(
                    "SELECT submission_id FROM current_submissions WHERE plan_id = ?", [PLAN]
                ).df()["submission_id"]
                sid = int(rng.choice(sorted(current)))
                rows = queries.submission_rows(con, sid)
                inds = rows["indicators"].copy()
                if inds.empty:
                    continue
                pick = rng.randrange(len(inds))
                inds.loc[inds.index[pick], "value"] = float(inds["value"].iloc[pick]) * 30 + 1
                result = service.correct(con, ADMIN, sid, indicators=inds, now=now,
                                         explanation="kiểm thử")  # fmt: skip
                assert result.outcome == "accepted", result.problems[:3]
                stored_ids.append(result.submission_id)
            else:
                sid = stored_ids.pop(rng.randrange(len(stored_ids)))
                withdraw(con, sid, "kiểm thử", "nhầm tệp", now=now)
            sub = con.execute(
                "SELECT department_code, period FROM submission WHERE submission_id = ?",
                [result.submission_id if action != "withdraw" else sid],
            ).fetchone()
            writes.append((action, *sub))
            stored = _stored(con)
            pd.testing.assert_frame_equal(stored, _full(con))
            seen_rules |= set(stored["rule_id"])
    # the comparison covered every kind of rule, and the scoped path did the work after the first
    # every rule of the plan but physical_range (this plan's percentages are judged by a relation)
    rules = quality_check.rules_for(PLAN)
    assert set(rules.builtins) - {"physical_range"} | {r.rule_id for r in rules.relations} <= (
        seen_rules
    )
    assert {"upload", "withdraw", "correct"} <= {w[0] for w in writes}
    assert scoped_calls[0] == "full" and scoped_calls.count("full") == 1
    assert scoped_calls.count("scoped") == len(writes) - 1


def test_a_changed_rules_file_or_a_failed_write_recomputes_everything(db_env, scoped_calls):
    """The scoped refresh trusts the stored warnings of everything else; after the rules change
    (rules_for loads new ones) or a write that rolled back, the next write recomputes the plan."""
    rng = random.Random(3)
    with store.connect(db_env) as con:
        store.load_catalog(con, load_catalog(PLAN))
        for period in (2018, 2019):
            data = _report(con, rng, "DOIT", period, frozenset())
            ingest_bytes(con, data, "a.xlsx", "t", now=datetime(2021, 1, period - 2000))
        assert scoped_calls == ["full", "scoped"]
        quality_check._rules.cache_clear()  # what a changed rules file does (a new Rules object)
        ingest_bytes(con, _report(con, rng, "DOIT", 2020, frozenset()), "c.xlsx", "t",
                     now=datetime(2021, 2, 1))  # fmt: skip
        assert scoped_calls == ["full", "scoped", "full"]

        def fail(con):
            raise RuntimeError("refused inside the transaction")

        from loaders.ingest import prepare, store_prepared

        result = prepare(con, _report(con, rng, "DOIT", 2020, frozenset()), "d.xlsx")
        with pytest.raises(RuntimeError):
            store_prepared(con, b"x", result, "t", guard=fail)
        ingest_bytes(con, _report(con, rng, "DOIT", 2019, frozenset()), "e.xlsx", "t",
                     now=datetime(2021, 3, 1))  # fmt: skip
        assert scoped_calls == ["full", "scoped", "full", "full"]
        pd.testing.assert_frame_equal(_stored(con), _full(con))


def test_related_codes_follow_relations_transitively(catalog_con):
    rules = quality_check.rules_for(PLAN)
    assert rules is not None and rules.relations
    rel = rules.relations[0]
    first, *others = rel.codes
    assert related_codes(rules, {first}) >= set(rel.codes)
    assert related_codes(rules, set()) == set()
    lonely = next(c for c in rules.indicators if not related_codes(rules, {c}) - {c})
    assert related_codes(rules, {lonely}) == {lonely}

"""One status vocabulary: the SQL rank comes from it, and the overview's tiles cover every status."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from greengrowth import store
from greengrowth.i18n import fmt_number, strings
from greengrowth.queries import dashboard as q
from greengrowth.status import (
    STATUS_CODES,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_RANK,
    status_label,
    status_rank_sql,
)

ROOT = Path(__file__).resolve().parent.parent
PLAN_ID = "binh-duong-2018-2020"


def test_every_status_has_words_colour_and_a_place():
    assert set(STATUS_CODES) <= set(STATUS_ORDER) == set(STATUS_COLORS)
    assert set(STATUS_RANK) == set(STATUS_CODES)
    for code in STATUS_ORDER:
        assert f"status.{code}" in strings()
        assert status_label(code, "vi") != status_label(code, "en")


def test_the_sql_rank_is_generated_from_the_vocabulary():
    con = duckdb.connect()
    codes = [*STATUS_CODES, "not_reported"]
    ranked = con.execute(
        f"SELECT status, {status_rank_sql('status')} FROM unnest($codes) AS t(status)",  # noqa: S608
        {"codes": codes},
    ).fetchall()
    assert dict(ranked) == {code: STATUS_RANK.get(code, 0) for code in codes}


def test_overview_counts_add_up_to_the_adopted_activities(demo_db):
    with store.connect(demo_db, read_only=True) as con:
        for period in range(2018, 2021):
            head = q.overview_headline(con, PLAN_ID, period)
            assert sum(int(head[code]) for code in STATUS_ORDER) == head["adopted"], period


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_tiles_include_on_hold_and_add_up(demo_db, monkeypatch, lang):
    monkeypatch.setenv("GG_NO_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["period"] = "2020"
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    with store.connect(demo_db, read_only=True) as con:
        head = q.overview_headline(con, PLAN_ID, 2020)
    tiles = {m.label: m.value for m in at.metric}
    shown = {code: tiles[status_label(code, lang)] for code in STATUS_ORDER}
    assert shown == {code: fmt_number(head[code], lang) for code in STATUS_ORDER}
    assert status_label("on_hold", lang) in tiles

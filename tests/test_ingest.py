"""Ingestion: good workbooks are stored whole, bad ones are refused whole with located problems."""

from __future__ import annotations

from datetime import datetime

import pytest

from greengrowth import queries, store
from loaders import ingest as ingest_mod
from loaders import layout as L
from loaders.ingest import ingest_bytes, withdraw
from tests.workbooks import (
    BROKEN,
    fill,
    good_workbook,
    not_a_workbook,
    truncated,
    with_macros,
    zip_bomb,
)

TABLES = ["submission", "submission_event", "activity_report", "activity_spending",
          "priority_task_report", "indicator_value"]  # fmt: skip


def snapshot(con) -> dict[str, list]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def test_a_filled_template_is_stored_with_its_rows(catalog_con, db_env):
    data = good_workbook(catalog_con, percent="80%")
    result = ingest_bytes(catalog_con, data, "doit.xlsx", "tester")
    assert result.outcome == "accepted", result.problems
    rows = queries.submission_rows(catalog_con, result.submission_id)
    assert len(rows["activities"]) == 12  # DOIT leads 12 activities (V.2)
    assert set(rows["activities"]["percent_complete"]) == {80.0}
    assert len(rows["tasks"]) == 7  # tasks 3.2.1 .. 3.2.7
    sub = queries.run(catalog_con, "submission", submission=result.submission_id).iloc[0]
    assert (sub["department_code"], sub["period"], sub["uploaded_by"]) == ("DOIT", 2019, "tester")
    assert sub["status"] == "accepted" and not sub["illustrative"]
    assert store.read_original(result.sha256) == data  # the original bytes are kept


def test_dry_run_stores_nothing(catalog_con):
    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, good_workbook(catalog_con), "x.xlsx", "t", dry_run=True)
    assert result.outcome == "would_accept"
    assert len(result.changes) == 12 + 7
    assert snapshot(catalog_con) == before


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_workbook_is_refused_with_its_location(catalog_con, name):
    edit, code, sheet, row, column = BROKEN[name]
    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, good_workbook(catalog_con, edit=edit), f"{name}.xlsx", "t")
    assert result.outcome == "rejected"
    assert [p.code for p in result.problems] == [code], result.problems
    problem = result.problems[0]
    assert (problem.sheet, problem.row) == (sheet, row)
    assert problem.column.startswith(column)
    assert problem.message_vi and problem.hint_vi and problem.message_en and problem.hint_en
    assert snapshot(catalog_con) == before


def test_every_problem_is_reported_at_once(catalog_con):
    def edit(wb):
        for edit_fn in (
            BROKEN["unknown_status"][0],
            BROKEN["percent_text"][0],
            BROKEN["unknown_district"][0],
        ):
            edit_fn(wb)

    result = ingest_bytes(catalog_con, good_workbook(catalog_con, edit=edit), "x.xlsx", "t")
    assert sorted(p.code for p in result.problems) == [
        "bad_percent", "unknown_district", "unknown_status"]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda con: not_a_workbook(), "not_xlsx"),
        (lambda con: truncated(good_workbook(con)), "not_xlsx"),
        (lambda con: with_macros(good_workbook(con)), "has_macros"),
        (lambda con: zip_bomb(), "too_large_unpacked"),
        (lambda con: b"PK" + b"\0" * (11 * 1024 * 1024), "too_large"),
    ],
    ids=["text", "truncated", "macros", "zip-bomb", "oversize"],
)
def test_files_that_are_not_safe_workbooks(catalog_con, make, code):
    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, make(catalog_con), "bad.xlsx", "t")
    assert [p.code for p in result.problems] == [code]
    assert snapshot(catalog_con) == before


def test_status_words_as_people_type_them(catalog_con):
    def edit(wb):
        sheet = wb["Hoạt động"]
        words = ["hoan thanh", "  ĐANG   thực hiện ", "cham tien do", "tạm dừng",
                 "Chưa triển khai", "Đã hoàn thành"]  # fmt: skip
        percents = [100, "45,5%", 0.3, "10", None, 1]
        for i, (word, pct) in enumerate(zip(words, percents, strict=True), start=2):
            sheet[f"C{i}"], sheet[f"D{i}"] = word, pct

    result = ingest_bytes(catalog_con, good_workbook(catalog_con, edit=edit), "x.xlsx", "t")
    assert result.outcome == "accepted", result.problems
    acts = queries.submission_rows(catalog_con, result.submission_id)["activities"]
    first = acts.head(6)
    assert list(first["status"]) == ["completed", "in_progress", "delayed", "on_hold",
                                     "not_started", "completed"]  # fmt: skip
    assert list(first["percent_complete"]) == [100, 45.5, 30, 10, 0, 100]


def test_nfd_input_is_accepted(catalog_con):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Hoàn thành")
    result = ingest_bytes(
        catalog_con, good_workbook(catalog_con, status=nfd, percent=100), "x.xlsx", "t"
    )
    assert result.outcome == "accepted", result.problems


def test_same_file_twice_is_stored_once(catalog_con):
    data = good_workbook(catalog_con)
    first = ingest_bytes(catalog_con, data, "a.xlsx", "t")
    second = ingest_bytes(catalog_con, data, "a-copy.xlsx", "t")
    assert second.outcome == "duplicate" and second.submission_id == first.submission_id
    assert catalog_con.execute("SELECT count(*) FROM submission").fetchone()[0] == 1


def test_history_is_kept_and_withdrawal_restores_the_previous(catalog_con):
    old = ingest_bytes(
        catalog_con,
        good_workbook(catalog_con, percent=40),
        "v1.xlsx",
        "a",
        now=datetime(2019, 10, 1, 9),
    )
    new = ingest_bytes(
        catalog_con,
        good_workbook(catalog_con, status="Hoàn thành", percent=100),
        "v2.xlsx",
        "b",
        now=datetime(2019, 10, 2, 9),
    )
    assert new.replaces == old.submission_id
    assert new.changes[0].text_vi == "Hoạt động 11: Đang thực hiện 40% -> Hoàn thành 100%"
    current = queries.run(
        catalog_con,
        "current_submission",
        plan="binh-duong-2018-2020",
        department="DOIT",
        period=2019,
    )
    assert int(current["submission_id"].iloc[0]) == new.submission_id
    withdraw(catalog_con, new.submission_id, "b", "Nhập nhầm số liệu")
    current = queries.run(
        catalog_con,
        "current_submission",
        plan="binh-duong-2018-2020",
        department="DOIT",
        period=2019,
    )
    assert int(current["submission_id"].iloc[0]) == old.submission_id
    subs = catalog_con.execute(
        "SELECT submission_id, status, withdrawn_reason FROM submissions ORDER BY 1"
    ).fetchall()
    assert subs == [(old.submission_id, "accepted", None),
                    (new.submission_id, "withdrawn", "Nhập nhầm số liệu")]  # fmt: skip
    with pytest.raises(ValueError):
        withdraw(catalog_con, new.submission_id, "b", "again")


def test_a_crash_mid_insert_leaves_the_database_as_it_was(catalog_con, monkeypatch):
    ingest_bytes(catalog_con, good_workbook(catalog_con, percent=10), "ok.xlsx", "t")
    before = snapshot(catalog_con)
    version = store.data_version(catalog_con)
    real_insert = ingest_mod._insert

    def crash(con, *args, **kwargs):
        real_insert(con, *args, **kwargs)  # rows are written ... then the process "dies"
        raise RuntimeError("simulated crash after the rows were written")

    monkeypatch.setattr(ingest_mod, "_insert", crash)
    with pytest.raises(RuntimeError):
        ingest_bytes(catalog_con, good_workbook(catalog_con, percent=20), "crash.xlsx", "t")
    assert snapshot(catalog_con) == before
    assert store.data_version(catalog_con) == version


def _indicator_rows(rows: list[tuple]):
    """An edit that appends indicator rows (code, place, year, value), cells placed by field."""

    def edit(wb):
        sheet = wb[L.SHEET_INDICATORS]
        first = sheet.max_row + 1
        for offset, values in enumerate(rows):
            fields = dict(
                zip(["indicator_code", "district_code", "year", "value"], values, strict=True)
            )
            for field, value in fields.items():
                column = L.position(L.INDICATOR_COLUMNS, field)
                sheet.cell(row=first + offset, column=column, value=value)

    return edit


def test_indicator_rows_per_district_and_year(catalog_con):
    edit = _indicator_rows([
        ("energy_audits", "Dĩ An", 2019, 3),
        ("energy_audits", "thu dau mot", 2019, "1.234"),  # Vietnamese thousands, as "2,5" shows
        ("energy_audits", "Bến Cát", 2019, "2,5"),
    ])  # fmt: skip
    result = ingest_bytes(catalog_con, fill(good_workbook(catalog_con), edit), "i.xlsx", "t")
    assert result.outcome == "accepted", result.problems
    assert result.parsed.number_notation == "vi"
    values = queries.submission_rows(catalog_con, result.submission_id)["indicators"]
    assert sorted(zip(values["district_code"], values["value"], strict=True)) == [
        ("BC", 2.5), ("DA", 3.0), ("TDM", 1234.0)]  # fmt: skip


def test_an_ambiguous_number_is_a_problem_not_a_guess(catalog_con):
    """An officer on an English-locale computer types 0.125 and 1.234: 0.125 is read as 0.125 (a
    leading-zero group is never thousands) and decides the notation, so 1.234 is 1.234."""
    english = _indicator_rows([
        ("energy_audits", "Dĩ An", 2019, "0.125"),
        ("energy_audits", "thu dau mot", 2019, "1.234"),
    ])  # fmt: skip
    result = ingest_bytes(catalog_con, fill(good_workbook(catalog_con), english), "en.xlsx", "t")
    assert result.outcome == "accepted", result.problems
    values = queries.submission_rows(catalog_con, result.submission_id)["indicators"]
    assert sorted(zip(values["district_code"], values["value"], strict=True)) == [
        ("DA", 0.125), ("TDM", 1.234)]  # fmt: skip
    # Alone, "10.000" could be ten or ten thousand: the officer is asked to write it unambiguously.
    alone = _indicator_rows([("energy_audits", "Dĩ An", 2020 - 1, "10.000")])
    before = catalog_con.execute("SELECT count(*) FROM submission").fetchone()[0]
    data = fill(good_workbook(catalog_con, period=2019), alone, percent=60)
    refused = ingest_bytes(catalog_con, data, "mo-ho.xlsx", "t")
    assert refused.outcome == "rejected"
    assert [(p.code, p.sheet, p.value) for p in refused.problems] == [
        ("ambiguous_number", L.SHEET_INDICATORS, "10.000")
    ]
    assert "1234" in refused.problems[0].hint_vi and refused.problems[0].column.startswith("F")
    assert catalog_con.execute("SELECT count(*) FROM submission").fetchone()[0] == before


def test_the_database_can_be_rebuilt_from_the_original_files(demo_db, tmp_path):
    from loaders.rebuild import rebuild

    with store.connect(demo_db) as con:
        latest = con.execute("SELECT submission_id FROM current_submissions LIMIT 1").fetchone()[0]
        withdraw(con, latest, "tester", "kiểm tra dựng lại")
        before = con.execute(
            "SELECT department_code, period, activity_no, status, percent_complete "
            "FROM activity_status_latest ORDER BY ALL"
        ).fetchall()
    target = tmp_path / "rebuilt.duckdb"
    counts = rebuild(demo_db, target)
    assert counts["withdrawn"] == 1 and counts["submissions"] >= 29
    with store.connect(target) as con:
        after = con.execute(
            "SELECT department_code, period, activity_no, status, percent_complete "
            "FROM activity_status_latest ORDER BY ALL"
        ).fetchall()
    assert after == before


def test_a_sheet_with_too_many_rows_is_refused(catalog_con):
    from loaders.workbook import MAX_ROWS

    def edit(wb):
        ws = wb["Chỉ tiêu"]
        for i in range(MAX_ROWS - 150):  # up to row MAX_ROWS + 49
            ws.cell(row=200 + i, column=7, value="x")

    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, good_workbook(catalog_con, edit=edit), "big.xlsx", "t")
    assert [p.code for p in result.problems] == ["too_many_rows"]
    assert snapshot(catalog_con) == before


@pytest.mark.parametrize(
    ("cell", "code"), [("A400000", "too_many_rows"), ("ZZ5", "too_many_columns")]
)
def test_one_far_away_cell_is_refused_before_reading(catalog_con, cell, code):
    """A tiny file whose one cell is far away would make the reader allocate gigabytes."""
    import time

    def edit(wb):
        wb["Chỉ tiêu"][cell] = "x"

    data = good_workbook(catalog_con, edit=edit)
    assert len(data) < 50_000
    start = time.perf_counter()
    result = ingest_bytes(catalog_con, data, "far.xlsx", "t")
    assert [p.code for p in result.problems] == [code]
    assert time.perf_counter() - start < 5


def test_a_text_only_change_is_shown_in_the_preview(catalog_con):
    ingest_bytes(catalog_con, good_workbook(catalog_con, percent=40), "v1.xlsx", "a")

    def edit(wb):
        wb["Hoạt động"]["E2"] = "Đã tổ chức 2 hội thảo"

    result = ingest_bytes(
        catalog_con, good_workbook(catalog_con, percent=40, edit=edit), "v2.xlsx", "a", dry_run=True
    )
    assert [c.text_vi for c in result.changes] == [
        "Hoạt động 11: cập nhật kết quả, khó khăn hoặc kinh phí"
    ]


def test_a_withdrawn_file_can_be_uploaded_again(catalog_con):
    data = good_workbook(catalog_con)
    first = ingest_bytes(catalog_con, data, "a.xlsx", "t")
    withdraw(catalog_con, first.submission_id, "t", "nhầm")
    again = ingest_bytes(catalog_con, data, "a.xlsx", "t")
    assert again.outcome == "accepted" and again.submission_id != first.submission_id


def test_dates_are_judged_in_vietnam_time(catalog_con):
    from datetime import UTC

    from greengrowth import clock

    offset = clock.now() - datetime.now(UTC).replace(tzinfo=None)
    assert abs(offset.total_seconds() - 7 * 3600) < 60

    def edit(wb):  # "today" in Bình Dương, whatever the server's zone
        L.info_cells(wb[L.SHEET_INFO])["reported_on"].value = clock.now().date()

    result = ingest_bytes(catalog_con, good_workbook(catalog_con, edit=edit), "today.xlsx", "t")
    assert result.outcome == "accepted", result.problems


def test_a_submission_withdrawn_twice_is_listed_once(catalog_con):
    first = ingest_bytes(catalog_con, good_workbook(catalog_con), "a.xlsx", "t")
    withdraw(catalog_con, first.submission_id, "t", "lần 1")
    # Even if a second event slipped in (two servers at once), the view lists the submission once.
    catalog_con.execute(
        "INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, 'withdrawn', now(), 'x', 'lần 2')",
        [first.submission_id],
    )
    rows = catalog_con.execute("SELECT withdrawn_reason FROM submissions").fetchall()
    assert rows == [("lần 1",)]

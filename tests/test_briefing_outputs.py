"""The deck, the Word draft and the Excel workbook: opened with their own libraries, numbers compared
with the pages' queries, typed text kept as text, and rendered by LibreOffice to pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from greengrowth import store
from greengrowth.briefing.collect import collect
from greengrowth.briefing.deck import build_deck
from greengrowth.briefing.report_docx import build_report
from greengrowth.briefing.report_xlsx import build_workbook
from greengrowth.chart_style import plain_title
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import dashboard as q
from loaders.__main__ import main as cli
from tests.leadership_fixtures import (  # noqa: F401
    PLAN_ID,
    demo_con,
    empty_con,
    leadership_demo,
    leadership_empty,
)

TODAY = date(2026, 1, 1)
TITLE_2020 = "Báo cáo kết quả thực hiện Kế hoạch hành động về tăng trưởng xanh năm 2020"


def _slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _table_rows(slide) -> list[list[str]]:
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    return [[cell.text for cell in row.cells] for tbl in tables for row in list(tbl.rows)[1:]]


@pytest.fixture(scope="module")
def deck_vi(leadership_demo):  # noqa: F811
    with duckdb.connect(str(leadership_demo), read_only=True) as con:
        data = build_deck(con, PLAN_ID, 2020, "vi", today=TODAY)
        b = collect(con, PLAN_ID, 2020, "vi", today=TODAY)
    return Presentation(io.BytesIO(data)), b, data


def test_deck_is_16_9_with_title_summary_charts_and_tables(deck_vi):
    prs, b, _ = deck_vi
    assert prs.slide_width * 9 == prs.slide_height * 16
    slides = list(prs.slides)
    title = "\n".join(_slide_texts(slides[0]))
    assert b.plan["title_vi"] in title and "2020" in title
    assert fmt_date(b.data_date, "vi") in title
    assert "Dữ liệu minh họa" in title  # the sample data says so on the title slide
    summary = "\n".join(_slide_texts(slides[1]))
    for sentence in b.summary.sentences:
        assert sentence in summary
    chart_titles = [plain_title(fig) for _, fig in b.charts]
    assert len(chart_titles) == 5
    for slide, expected in zip(slides[2:7], chart_titles, strict=True):
        assert _slide_texts(slide)[0] == expected  # the finding is the slide's title
        assert sum(1 for s in slide.shapes if s.shape_type == 13) == 1  # one picture
    # Source and data date on every slide.
    footer = t("deck.footer", "vi", source=b.source, date=fmt_date(b.data_date, "vi"))
    for slide in slides:
        assert any(footer in text for text in _slide_texts(slide))


def test_deck_tables_match_the_queries(deck_vi, demo_con):  # noqa: F811
    prs, b, _ = deck_vi
    tasks = q.priority_tasks(demo_con, PLAN_ID, 2020)
    overdue = list(tasks.loc[tasks["outcome"] != "done_on_time", "task_id"])
    rows = [
        r for s in prs.slides if "Nhiệm vụ ưu tiên" in _slide_texts(s)[0] for r in _table_rows(s)
    ]
    assert [r[0] for r in rows] == overdue
    status = q.reporting_status(demo_con, PLAN_ID, 2020, today=TODAY)
    missing = status[(status["period"] == 2020) & (status["outcome"] == "missing")]
    assert not missing.empty
    rows = [
        r for s in prs.slides if "chưa gửi báo cáo" in _slide_texts(s)[0] for r in _table_rows(s)
    ]
    assert [r[0] for r in rows] == list(missing["short_vi"])  # Vietnamese names, not DOIT
    head = q.priority_headline(demo_con, PLAN_ID, 2020)
    assert len(overdue) == head["closed_later"] + head["still_open"]


def test_deck_on_an_empty_store(empty_con):  # noqa: F811
    prs = Presentation(io.BytesIO(build_deck(empty_con, PLAN_ID, 2020, "en", today=TODAY)))
    texts = [text for slide in prs.slides for text in _slide_texts(slide)]
    assert any("No department has reported for 2020 yet" in text for text in texts)
    assert not any("Illustrative" in text for text in texts)  # nothing illustrative is stored


def test_word_report_shape_and_numbers(demo_con):  # noqa: F811
    doc = Document(io.BytesIO(build_report(demo_con, PLAN_ID, 2020, "vi", today=TODAY)))
    assert doc.core_properties.title == TITLE_2020
    paragraphs = [p.text for p in doc.paragraphs]
    i = paragraphs.index("BÁO CÁO")
    assert paragraphs[i + 1] == "Kết quả thực hiện Kế hoạch hành động về tăng trưởng xanh năm 2020"
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert "PAGE" in section.footer._element.xml  # noqa: SLF001  (page numbers)
    assert len(doc.inline_shapes) == 5  # the five leadership charts
    header = doc.tables[0].rows[0].cells
    assert "TỈNH BÌNH DƯƠNG" in header[0].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    body = "\n".join(paragraphs)
    for sentence in collect(demo_con, PLAN_ID, 2020, "vi", today=TODAY).summary.sentences:
        assert sentence in body
    for heading in ("report.section.overall", "report.section.difficulties"):
        assert t(heading, "vi") in paragraphs
    assert t("report.proposals_placeholder", "vi") in paragraphs  # left for the author
    # The reporting table: one row per expected department, outcomes as on the reporting page.
    year = q.reporting_year(demo_con, PLAN_ID, 2020, TODAY)
    outcome_cells = [
        row.cells[3].text for tbl in doc.tables if tbl.rows[0].cells[-1].text == t("column.outcome", "vi")
        and len(tbl.columns) == 4 for row in list(tbl.rows)[1:]
    ]  # fmt: skip
    assert len(outcome_cells) == year["expected"]
    assert outcome_cells.count(t("reporting.on_time", "vi")) == year["on_time"]
    assert outcome_cells.count(t("reporting.missing", "vi")) == year["missing"]


def test_excel_workbook_numbers_and_print_setup(demo_con):  # noqa: F811
    wb = load_workbook(io.BytesIO(build_workbook(demo_con, PLAN_ID, 2020, "vi", today=TODAY)))
    names = [t(f"xlsx.sheet.{k}", "vi") for k in ("summary", "activities", "priorities",
                                                   "indicators", "reporting")]  # fmt: skip
    assert wb.sheetnames == names
    summary = {
        row[0].value: row[1].value for row in wb[names[0]].iter_rows(min_row=1) if row[0].value
    }
    head = q.overview_headline(demo_con, PLAN_ID, 2020)
    tasks = q.priority_headline(demo_con, PLAN_ID, 2020)
    year = q.reporting_year(demo_con, PLAN_ID, 2020, TODAY)
    assert summary[t("xlsx.fact.adopted", "vi")] == f"{head['adopted']}/{head['national']}"
    assert summary[t("xlsx.fact.completed", "vi")] == head["completed"]
    assert summary[t("xlsx.fact.delayed", "vi")] == head["delayed"]
    assert summary[t("xlsx.fact.priority_done", "vi")] == f"{tasks['done']}/{tasks['tasks']}"
    assert summary[t("xlsx.fact.on_time", "vi")] == f"{year['on_time']}/{year['expected']}"
    assert summary[t("xlsx.fact.missing", "vi")] == year["missing"]

    activities = wb[names[1]]
    reports = q.activity_reports(demo_con, PLAN_ID, 2020)
    assert activities.max_row - 1 == len(reports)
    total_col = activities.max_column
    total = sum(
        activities.cell(row=r, column=total_col).value or 0
        for r in range(2, activities.max_row + 1)
    )
    assert total == pytest.approx(
        q.activity_spending(demo_con, PLAN_ID, 2020)["amount_million_vnd"].sum()
    )
    assert len(list(wb[names[2]].iter_rows(min_row=2))) == len(
        q.priority_tasks(demo_con, PLAN_ID, 2020)
    )
    assert wb[names[3]].max_row - 1 == len(q.indicators(demo_con, PLAN_ID))
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws["A2"].alignment.wrap_text
        assert ws.column_dimensions["A"].customWidth  # widths set, not Excel's default 8.43
        assert max(d.width for d in ws.column_dimensions.values()) >= 30  # room for long text


TYPED = {
    "done_text": '=HYPERLINK("http://example.invalid/x","bấm vào đây")',
    "difficulties": "+84 thiếu kinh phí",
}
MORE = ["-5% so với kế hoạch", "@sở tài chính chưa cấp vốn"]


def test_typed_text_stays_text_in_the_workbook_and_the_report(demo_db):
    """Text that starts with =, +, - or @ comes back exactly as typed, never as a formula."""
    with store.connect(demo_db) as con:
        rows = q.activity_reports(con, PLAN_ID, 2020).head(2)
        ids = con.execute(
            "SELECT submission_id FROM current_submissions WHERE plan_id = ? AND period = 2020 "
            "AND department_code = ?",
            [PLAN_ID, rows.iloc[0]["department_code"]],
        ).fetchone()
        first, second = (int(n) for n in rows["activity_no"])
        con.execute(
            "UPDATE activity_report SET done_text = ?, difficulties = ? "
            "WHERE submission_id = ? AND activity_no = ?",
            [TYPED["done_text"], TYPED["difficulties"], ids[0], first],
        )
        con.execute(
            "UPDATE activity_report SET done_text = ?, difficulties = ? "
            "WHERE submission_id = ? AND activity_no = ?",
            [*MORE, ids[0], second],
        )
        xlsx = build_workbook(con, PLAN_ID, 2020, "vi", today=TODAY)
        docx = build_report(con, PLAN_ID, 2020, "vi", today=TODAY)
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb[t("xlsx.sheet.activities", "vi")]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in [*TYPED.values(), *MORE]:
        assert text in cells, text
        assert cells[text].data_type == "s"  # text, not a formula
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    body = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert TYPED["difficulties"] in body and MORE[1] in body


def test_cli_writes_the_three_files(demo_db, tmp_path):
    deck, docx, xlsx = tmp_path / "deck.pptx", tmp_path / "r.docx", tmp_path / "r.xlsx"
    assert (
        cli(["briefing", "--plan", PLAN_ID, "--period", "2019", "--lang", "en", "-o", str(deck)])
        == 0
    )
    assert len(Presentation(str(deck)).slides) > 7
    assert cli(["report", "--period", "2020", "--format", "docx", "-o", str(docx)]) == 0
    assert Document(str(docx)).core_properties.title == TITLE_2020
    assert cli(["report", "--period", "2020", "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert load_workbook(str(xlsx)).sheetnames[0] == t("xlsx.sheet.summary", "vi")
    assert cli(["report", "--period", "2031", "--format", "xlsx", "-o", str(xlsx)]) == 2
    assert cli(["briefing", "--plan", "nope", "--period", "2020", "-o", str(deck)]) == 2


def _render(path: Path, out: Path) -> list[Path]:
    """LibreOffice -> PDF -> one PNG per page (what a person opening the file sees)."""
    profile = out / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = out / (path.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 0
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(out / path.stem)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return sorted(out.glob(f"{path.stem}-*.png"))


def test_libreoffice_renders_the_deck_and_the_report(deck_vi, demo_con, tmp_path):  # noqa: F811
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        pytest.fail("LibreOffice or poppler is missing: run `make test`, which installs them")
    _, _, data = deck_vi
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(data)
    pages = _render(deck, tmp_path)
    assert len(pages) == len(Presentation(str(deck)).slides)
    report = tmp_path / "report.docx"
    report.write_bytes(build_report(demo_con, PLAN_ID, 2020, "vi", today=TODAY))
    assert len(_render(report, tmp_path)) >= 3


def test_every_export_says_which_indicators_the_plan_sets_and_which_the_province_chose(
    deck_vi,
    demo_con,  # noqa: F811
):
    """Issue 12: the deck, the Word draft and the workbook distinguish the plan's words from the
    province's choices, from the catalog's `basis` (not from text written here)."""
    from greengrowth import provenance, queries

    basis = queries.run(demo_con, "indicator_basis", plan=PLAN_ID)
    stated = set(basis.loc[basis["basis"] == "stated", "name_vi"])
    assert stated and len(stated) < len(basis)  # the plan sets some, the province chose the rest
    sentence = provenance.basis_sentence(basis, "vi")
    assert all(name in sentence for name in stated)
    assert str(len(basis) - len(stated)) in sentence

    deck_text = [x for slide in deck_vi[0].slides for x in _slide_texts(slide)]
    assert sentence in deck_text
    doc = Document(io.BytesIO(build_report(demo_con, PLAN_ID, 2020, "vi", today=TODAY)))
    assert sentence in [p.text for p in doc.paragraphs]

    wb = load_workbook(io.BytesIO(build_workbook(demo_con, PLAN_ID, 2020, "vi", today=TODAY)))
    sheet = wb[t("xlsx.sheet.indicators", "vi")]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if t("provenance.column.basis", "vi") in r)
    col = rows[header_at].index(t("provenance.column.basis", "vi"))
    by_code = {r[0]: r[col] for r in rows[header_at + 1 :] if r[0]}
    expected = dict(zip(basis["indicator_code"], basis["basis"], strict=True))
    assert by_code and all(
        by_code[code] == ("Kế hoạch" if expected[code] == "stated" else "Tỉnh chọn")
        for code in by_code
    )

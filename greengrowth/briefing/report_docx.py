"""The annual report draft (Word, python-docx) in the shape of a Vietnamese administrative report.

Header block (issuing body on the left, national title and motto on the right, number and date),
"BÁO CÁO" and the title, then sections: overall results, by theme, by department, the 2018
priority tasks, indicators, reporting, difficulties (verbatim from the departments' reports) and
proposals, which are left for the author. Tables and the leadership charts inside; A4, Times New
Roman 13 pt as Decree 30/2020/ND-CP asks of administrative documents, page numbers in the footer.
"""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from greengrowth import provenance
from greengrowth.briefing.collect import Briefing, collect
from greengrowth.chart_style import STATUS_ORDER, for_slide, plain_title
from greengrowth.charts import department_label
from greengrowth.export import figure_png
from greengrowth.i18n import MISSING, fmt_date, fmt_number, fmt_percent, t
from greengrowth.queries import dashboard as q

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11


def _font(run, size: float = BODY_PT, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    # Word picks the font per script: without eastAsia/cs it may show Vietnamese in another one.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # noqa: SLF001
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(doc_or_cell, text: str = "", *, bold=False, italic=False, size=BODY_PT, align=None):  # noqa: PLR0913
    para = doc_or_cell.add_paragraph()
    if align is not None:
        para.alignment = align
    if text:
        _font(para.add_run(text), size, bold=bold, italic=italic)
    return para


def _body(doc, text: str, *, italic: bool = False):
    para = _para(doc, text, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para.paragraph_format.first_line_indent = Cm(1)
    para.paragraph_format.space_after = Pt(6)
    return para


def _heading(doc, text: str) -> None:
    para = _para(doc, text, bold=True)
    para.paragraph_format.space_before = Pt(12)
    para.paragraph_format.space_after = Pt(6)
    para.paragraph_format.keep_with_next = True


def _page_number_field(paragraph) -> None:
    run = paragraph.add_run()
    _font(run, 11)
    begin, instr, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = "PAGE"
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, instr, end):
        run._r.append(part)  # noqa: SLF001


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's, so set both."""
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def _table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    if not rows:
        _body(doc, t("report.no_rows", doc.lang), italic=True)
        return
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), TABLE_PT - 1, bold=True)
    # The header row repeats on every page the table runs over.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()  # noqa: SLF001
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for i, value in enumerate(values):
            _font(cells[i].paragraphs[0].add_run(value), TABLE_PT)
    _widths(table, widths_cm)
    _para(doc, size=6)


def _figure(doc, fig, n: int) -> None:
    picture = figure_png(for_slide(fig, base_size=15), width=1000, height=520, scale=2)
    doc.add_picture(io.BytesIO(picture), width=Cm(16))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = _para(
        doc, t("report.figure", doc.lang, n=n, title=plain_title(fig)), italic=True, size=11,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )  # fmt: skip
    caption.paragraph_format.space_after = Pt(10)


def _setup(doc, b: Briefing) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run(t("report.page", b.lang) + " "), 11)
    _page_number_field(footer)
    doc.core_properties.title = (
        f"{t('report.kind', b.lang).capitalize()} "
        + t("report.title", b.lang, period=b.period)[0].lower()
        + t("report.title", b.lang, period=b.period)[1:]
    )
    doc.core_properties.language = "vi-VN" if b.lang == "vi" else "en-GB"


def _header_block(doc, b: Briefing) -> None:
    L = b.lang
    province = b.plan.get("province_en" if L == "en" else "province_vi") or ""
    table = doc.add_table(rows=1, cols=2)
    _widths(table, [6.5, 9.5])
    left, right = table.rows[0].cells
    lines_left = [
        (f"{t('report.committee', L)} {t('report.province', L, province=province.upper())}", False),
        (t("report.issuer", L), True),
        (t("report.number", L), False),
    ]
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, (text, bold) in enumerate(lines_left):
        para = left.paragraphs[0] if i == 0 else left.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(text), 12, bold=bold)
    lines_right = [
        (t("report.nation", L), True, False),
        (t("report.motto", L), True, False),
        (t("report.place_date", L, place=province, year=b.period), False, True),
    ]
    for i, (text, bold, italic) in enumerate(lines_right):
        para = right.paragraphs[0] if i == 0 else right.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(text), 12, bold=bold, italic=italic)
    _para(doc)
    _para(doc, t("report.kind", L), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc, t("report.title", L, period=b.period), bold=True, size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )  # fmt: skip
    _para(doc, t("report.draft_note", L, date=b.date_text), italic=True, size=11,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip


def _status_rows(frame: pd.DataFrame, key: str, label, lang: str) -> tuple[list[str], list]:
    """Rows of (label, count per status..., total) from a frame with `key`, status, activities."""
    shown = [s for s in STATUS_ORDER if s in set(frame["status"])]
    header = [t(f"status.{s}", lang) for s in shown] + [t("report.total", lang)]
    rows = []
    for k, part in frame.groupby(key, sort=True):
        counts = part.groupby("status")["activities"].sum()
        rows.append([label(k, part), *[fmt_number(counts.get(s, 0), lang) for s in shown],
                     fmt_number(counts.sum(), lang)])  # fmt: skip
    return header, rows


def indicator_basis_note(b: Briefing) -> str | None:
    """Which indicators the plan sets and which the province chose (catalog `basis`, issue 12)."""
    return None if b.indicator_basis.empty else provenance.basis_sentence(b.indicator_basis, b.lang)


def build_report(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str = "vi",
    today: date | None = None,
) -> bytes:
    """The Word draft of one plan year's report, as .docx bytes."""
    b = collect(con, plan_id, period, lang, today)
    L = lang
    doc = Document()
    doc.lang = L  # read by the table helper for its "none" text
    _setup(doc, b)
    _header_block(doc, b)
    figs = dict(b.charts)
    n = 0

    def figure(key: str) -> None:
        nonlocal n
        n += 1
        _figure(doc, figs[key], n)

    # The plan text gives no document number (finding F08): name it by its date instead.
    document = b.plan.get("document_no") or t(
        "report.issued_on", L, date=fmt_date(b.plan.get("issued_on"), L)
    )
    _body(doc, t("report.basis", L, plan=b.plan_title, document=document, period=period))
    if b.illustrative:
        _body(doc, t("common.illustrative_data", L), italic=True)

    _heading(doc, t("report.section.overall", L))
    for sentence in b.summary.sentences:
        _body(doc, sentence)

    _heading(doc, t("report.section.themes", L))
    themes = q.progress_by_theme(con, plan_id=plan_id, period=period)
    title_col = "title_en" if L == "en" else "title_vi"
    if not themes.empty:
        header, rows = _status_rows(
            themes, "theme_no",
            lambda k, part: f"{k}. {part[title_col].iloc[0]}", L,
        )  # fmt: skip
        rest = (16.0 - 3.6) / len(header)  # the page's 16 cm: the theme's name, then counts
        _table(doc, [t("common.theme", L), *header], rows, [3.6] + [rest] * len(header))
    figure("progress-by-theme")

    _heading(doc, t("report.section.departments", L))
    summary = q.department_summary(con, plan_id=plan_id, period=period, today=today)
    rows = [
        [
            department_label(r.department_code, r.acronym, r.short_vi, L),
            fmt_number(r.activities_led, L),
            fmt_percent(r.share_complete, L),
            fmt_number(r.delayed_activities, L),
            fmt_number(r.open_tasks, L),
            t(f"reporting.{r.this_year_outcome}", L) if isinstance(r.this_year_outcome, str)
            else MISSING,
        ]
        for r in summary.itertuples()
    ]  # fmt: skip
    _table(
        doc,
        [t(k, L) for k in ("column.department", "column.activities_led", "column.share_complete",
                           "column.delayed_activities", "column.open_tasks",
                           "column.this_year_outcome")],
        rows, [3.6, 2.2, 2.4, 2.4, 2.4, 3.0],
    )  # fmt: skip
    figure("progress-by-department")

    _heading(doc, t("report.section.priorities", L))
    rows = [
        [
            r.task_id, (r.departments if L == "en" else r.departments_vi) or MISSING,
            t(f"status.{r.status}", L), t(f"priority.{r.outcome}", L),
            str(int(r.closed_in)) if pd.notna(r.closed_in) else MISSING,
            (r.summary_en if L == "en" else r.text_vi) or "",
        ]
        for r in b.overdue_tasks.itertuples()
    ]  # fmt: skip
    _body(doc, t("deck.overdue_title", L, count=len(rows)) + ":")
    _table(
        doc,
        [t(k, L) for k in ("column.task", "column.departments", "column.status_now",
                           "column.outcome", "column.closed_in", "column.task_text")],
        rows, [1.3, 2.4, 2.2, 2.2, 1.6, 6.3],
    )  # fmt: skip
    figure("priority-outcomes")

    _heading(doc, t("report.section.indicators", L))
    table = q.indicator_progress(con, plan_id=plan_id, period=period)
    sfx = "en" if L == "en" else "vi"
    rows = [
        [
            getattr(r, f"name_{sfx}") or "", getattr(r, f"unit_{sfx}") or "",
            fmt_number(r.current_value, L, 0 if pd.isna(r.current_value)
                       or float(r.current_value).is_integer() else 2),
            str(int(r.current_year)) if pd.notna(r.current_year) else MISSING,
            fmt_number(r.target_value, L, 2) if pd.notna(r.target_value) else MISSING,
            t(f"progress.{r.status}", L) if isinstance(r.status, str) else MISSING,
        ]
        for r in table.itertuples()
    ]  # fmt: skip
    _table(
        doc,
        [t(k, L) for k in ("xlsx.col.indicator", "xlsx.col.unit", "xlsx.col.value",
                           "xlsx.col.value_year", "xlsx.col.target", "xlsx.col.judgement")],
        rows, [5.5, 2.2, 2.0, 1.6, 2.0, 2.7],
    )  # fmt: skip
    note = indicator_basis_note(b)
    if note:
        _body(doc, note)
    figure("indicator-overview")

    _heading(doc, t("report.section.reporting", L))
    _body(doc, b.summary.sentences[-2] if b.illustrative else b.summary.sentences[-1])
    year = b.reporting[b.reporting["period"] == period].sort_values("department_code")
    rows = [
        [
            department_label(r.department_code, r.acronym, r.short_vi, L),
            fmt_date(r.due_before, L), fmt_date(r.received_on, L),
            t(f"reporting.{r.outcome}", L),
        ]
        for r in year.itertuples()
    ]  # fmt: skip
    _table(
        doc,
        [t(k, L) for k in ("column.department", "column.due_before", "column.received_on",
                           "column.outcome")],
        rows, [5.0, 3.5, 3.5, 4.0],
    )  # fmt: skip
    figure("reporting-by-year")

    _heading(doc, t("report.section.difficulties", L))
    reports = q.activity_reports(con, plan_id=plan_id, period=period)
    said = reports[reports["difficulties"].fillna("").str.strip() != ""]
    if said.empty:
        _body(doc, t("report.difficulties_none", L, period=period))
    else:
        _body(doc, t("report.difficulties_intro", L))
        for r in said.itertuples():
            who = department_label(r.department_code, r.acronym, r.short_vi, L)
            para = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            para.paragraph_format.left_indent = Cm(0.5)
            _font(para.add_run(f"- {who}, {t('column.activity_no', L).lower()} {r.activity_no}: "),
                  bold=True)  # fmt: skip
            _font(para.add_run(r.difficulties))

    _heading(doc, t("report.section.proposals", L))
    _body(doc, t("report.proposals_placeholder", L), italic=True)

    _para(doc)
    sign = doc.add_table(rows=1, cols=2)
    _widths(sign, [8, 8])
    left, right = sign.rows[0].cells
    _font(left.paragraphs[0].add_run(t("report.recipients", L)), 12, bold=True, italic=True)
    for line in t("report.recipients_list", L).split("\n"):
        _font(left.add_paragraph().add_run(line), 11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run(t("report.signer", L)), 13, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

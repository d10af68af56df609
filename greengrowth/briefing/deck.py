"""The meeting deck (PowerPoint, 16:9, python-pptx): title, summary, one slide per leadership chart
with its finding as the slide title, and the tables leaders ask for (priority tasks not done by
their deadline, departments without a report). Source and data date at the foot of every slide."""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from greengrowth import provenance
from greengrowth.briefing.collect import Briefing, collect
from greengrowth.chart_style import for_slide, plain_title
from greengrowth.charts import department_label
from greengrowth.export import figure_png
from greengrowth.i18n import MISSING, fmt_date, t

# Arial is on every PowerPoint machine and has every Vietnamese diacritic; LibreOffice shows it
# with the metric-compatible Liberation Sans.
FONT = "Arial"
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # PowerPoint's own 16:9 (13.33 x 7.5 in)
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(1.0)
BODY_TOP = Inches(1.4)
FOOTER_TOP = Inches(7.0)
DARK, MUTED, GREEN, WARN = (
    RGBColor(0x22, 0x22, 0x22),
    RGBColor(0x66, 0x66, 0x66),
    RGBColor(0x00, 0x6B, 0x4F),
    RGBColor(0xB3, 0x3F, 0x00),
)
TABLE_ROWS_PER_SLIDE = 6
TASK_TEXT_CHARS = 170  # a slide shows the start of a task's text; the report has all of it
# Chart pictures: the body box at about 93 px per inch (so 18 px text reads as ~14 pt on the
# slide), drawn at 2x for a sharp projection.
CHART_BOX = (Inches(12.33), Inches(5.5))
CHART_PX = (1150, 513)


def _text(slide, left, top, width, height, text, *, size, bold=False, color=DARK, align=None):  # noqa: PLR0913
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
        run.font.color.rgb = color
    return box


def _slide(prs: Presentation, b: Briefing, title: str | None, *, title_size: int = 26):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: every box placed here
    if title:
        size = title_size if len(title) <= 80 else title_size - 4
        _text(
            slide, MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, TITLE_HEIGHT, title,
            size=size, bold=True, color=GREEN,
        )  # fmt: skip
    footer = b.footer
    if b.illustrative:
        footer += " · " + t("common.illustrative_data", b.lang)
    _text(slide, MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN, Inches(0.4), footer, size=11, color=MUTED)
    return slide


def _title_slide(prs: Presentation, b: Briefing) -> None:
    slide = _slide(prs, b, None)
    province = b.plan.get("province_en" if b.lang == "en" else "province_vi") or ""
    _text(slide, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(0.6), province.upper(),
          size=20, bold=True, color=MUTED)  # fmt: skip
    _text(
        slide, MARGIN, Inches(1.9), WIDTH - 2 * MARGIN, Inches(2.2),
        t("deck.title", b.lang, plan=b.plan_title), size=36, bold=True, color=GREEN,
    )  # fmt: skip
    _text(
        slide, MARGIN, Inches(4.2), WIDTH - 2 * MARGIN, Inches(0.6),
        t("deck.subtitle", b.lang, period=b.period, date=b.date_text), size=22,
    )  # fmt: skip
    if b.illustrative:  # sample data must never pass for real, least of all on a projected slide
        _text(
            slide, MARGIN, Inches(5.2), WIDTH - 2 * MARGIN, Inches(1.0),
            t("common.illustrative_banner", b.lang).lstrip("⚠️ ").strip(),
            size=18, bold=True, color=WARN,
        )  # fmt: skip


def _summary_slide(prs: Presentation, b: Briefing) -> None:
    slide = _slide(prs, b, t("deck.summary_title", b.lang, period=b.period))
    size = _fitting_size(b.summary.sentences, Inches(5.4), WIDTH - 2 * MARGIN)
    box = slide.shapes.add_textbox(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(5.4))
    frame = box.text_frame
    frame.word_wrap = True
    for i, sentence in enumerate(b.summary.sentences):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_after = Pt(10)
        run = para.add_run()
        run.text = sentence
        run.font.name, run.font.size = FONT, Pt(size)
        run.font.color.rgb = DARK


def _fitting_size(paragraphs: list[str], height: int, width: int) -> int:
    """The largest font size at which the paragraphs fill the box without running out of it
    (an estimate: a character is about half the size wide, a line 1.2 sizes high)."""
    for size in (24, 22, 20, 18, 16, 14, 12):
        per_line = int(width / 12700 / (0.52 * size))  # EMU -> points
        lines = sum(-(-len(p) // per_line) for p in paragraphs)
        needed = lines * 1.2 * size + len(paragraphs) * 10  # + space after each paragraph
        if needed <= height / 12700:
            return size
    return 11


def _shorten(text: str, limit: int = TASK_TEXT_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _chart_slide(prs: Presentation, b: Briefing, fig, note: str | None = None) -> None:
    slide = _slide(prs, b, plain_title(fig))
    picture = figure_png(for_slide(fig), width=CHART_PX[0], height=CHART_PX[1], scale=2)
    slide.shapes.add_picture(io.BytesIO(picture), MARGIN, BODY_TOP, *CHART_BOX)
    if note:  # under the chart, above the footer
        top = BODY_TOP + CHART_BOX[1]
        _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, FOOTER_TOP - top, note, size=12, color=MUTED)


def _table_slides(  # noqa: PLR0913
    prs: Presentation,
    b: Briefing,
    title: str,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    empty: str,
) -> None:
    pages = [rows[i : i + TABLE_ROWS_PER_SLIDE] for i in range(0, len(rows), TABLE_ROWS_PER_SLIDE)]
    if not pages:
        slide = _slide(prs, b, title)
        _text(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(1), empty, size=20)
        return
    for n, page in enumerate(pages, start=1):
        shown = f"{title} ({n}/{len(pages)})" if len(pages) > 1 else title
        slide = _slide(prs, b, shown)
        shape = slide.shapes.add_table(
            len(page) + 1, len(header), MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(0.4)
        )
        table = shape.table
        total = sum(widths)
        for i, w in enumerate(widths):
            table.columns[i].width = Emu(int((WIDTH - 2 * MARGIN) * w / total))
        for r, values in enumerate([header, *page]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.text_frame.paragraphs[0].add_run()
                run.text = value
                run.font.name, run.font.size, run.font.bold = FONT, Pt(12), r == 0
                cell.margin_top = cell.margin_bottom = Inches(0.04)


def _overdue_rows(b: Briefing) -> list[list[str]]:
    L = b.lang
    rows = []
    for r in b.overdue_tasks.itertuples():
        departments = r.departments if L == "en" else r.departments_vi
        text = _shorten((r.summary_en if L == "en" else r.text_vi) or "")
        closed = str(int(r.closed_in)) if pd.notna(r.closed_in) else MISSING
        rows.append([
            r.task_id, departments or MISSING, t(f"status.{r.status}", L),
            t(f"priority.{r.outcome}", L), closed, text or "",
        ])  # fmt: skip
    return rows


def _missing_rows(b: Briefing) -> list[list[str]]:
    L = b.lang
    received = b.reporting.dropna(subset=["received_on"])
    rows = []
    for r in b.missing_reports.itertuples():
        last = received[received["department_code"] == r.department_code]
        last_text = (
            f"{int(last['period'].max())} ({fmt_date(last['received_on'].max(), L)})"
            if not last.empty
            else MISSING
        )
        name = department_label(r.department_code, r.acronym, r.short_vi, L)
        full = r.name_en if L == "en" else r.name_vi
        rows.append([name, full, fmt_date(r.due_before, L), last_text])
    return rows


def build_deck(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str = "vi",
    today: date | None = None,
) -> bytes:
    """The .pptx of one plan year in `lang`, as bytes."""
    return deck_from(collect(con, plan_id, period, lang, today))


def deck_from(b: Briefing) -> bytes:
    L = b.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = t("deck.title", L, plan=b.plan_title)
    prs.core_properties.language = "vi-VN" if L == "vi" else "en-GB"
    _title_slide(prs, b)
    _summary_slide(prs, b)
    for key, fig in b.charts:
        # Indicators: say which the plan sets and which the province chose (issue 12).
        note = None
        if key == "indicator-overview" and not b.indicator_basis.empty:
            note = provenance.basis_sentence(b.indicator_basis, L)
        _chart_slide(prs, b, fig, note)
    overdue = _overdue_rows(b)
    _table_slides(
        prs, b, t("deck.overdue_title", L, count=len(overdue)),
        [t(k, L) for k in ("column.task", "column.departments", "column.status_now",
                           "column.outcome", "column.closed_in", "column.task_text")],
        overdue, [0.7, 1.6, 1.3, 1.4, 0.9, 6.0], t("deck.overdue_none", L),
    )  # fmt: skip
    missing = _missing_rows(b)
    _table_slides(
        prs, b, t("deck.missing_title", L, period=b.period, count=len(missing)),
        [t(k, L) for k in ("column.department", "column.department_full", "column.due_before",
                           "column.last_report")],
        missing, [1.6, 4.0, 1.6, 2.2], t("deck.missing_none", L, period=b.period),
    )  # fmt: skip
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

"""What every page gets once per run: the document's language and title, and one style sheet for
phones, print and contrast.

Streamlit always says `<html lang="en">` and gives every page the same `<title>`; a screen reader
then reads Vietnamese with an English voice. The style sheet makes the pages usable at 390 px
(nothing wider than the screen, the overview's first chart on the first screen, 44 px tap targets)
and printable on A4 (no sidebar, no buttons, charts scaled to the page, none split across pages).
"""

from __future__ import annotations

import json

import streamlit as st

from greengrowth.i18n import t

# Where the overview's blocks go on a phone (CSS order inside the main column): the first chart
# right after the heading and banner, then the headline numbers, the summary, the other charts.
PHONE_ORDER = {
    "ov_first_chart": 1,
    "ov_headline": 2,
    "ov_summary": 3,
    "ov_rest": 4,
}
PICKERS_KEY = "gg_pickers"  # the main-area expander holding the plan, period and page filters
META_KEY = "gg_page_meta"  # the hidden container of the language/title script

# A4 minus the @page margins (2 x 12 mm), in CSS px (96 per inch), less room for borders and a
# caption: every chart is scaled to fit this box, so none is clipped or split across sheets.
PRINT_WIDTH_PX = 680
PRINT_HEIGHT_PX = 940

# A keyed container is drawn inside a layout wrapper: that wrapper is the flex item to order/hide.
_ORDER_CSS = "\n".join(
    f'  [data-testid="stLayoutWrapper"]:has(> .st-key-{key}) {{ order: {n}; }}'
    for key, n in PHONE_ORDER.items()
)

_CSS = f"""
<style>
/* Contrast (WCAG AA, 4.5:1): captions (#828180 on white: 3.88:1; 2.71:1 with a help icon) and the selected button of a
   segmented control such as the language switch (#0072b2 on #dfebf0: 4.26:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {{ color: #5c5b5a !important;
  opacity: 1 !important; }}
[data-testid="stButtonGroup"] button[data-selected="true"],
[data-testid="stButtonGroup"] button[data-selected="true"] p {{ color: #004f7c !important; }}
/* Streamlit's own toolbar over a chart (fullscreen, data view): the page already gives the numbers
   (the chart-data expander) and the picture (the PNG button), and on a phone it covered text. */
[data-testid="stPlotlyChart"] [data-testid="stElementToolbar"] {{ display: none; }}
/* A number's label wraps instead of ending in "…" (four numbers side by side at tablet width). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }}
.st-key-{META_KEY}, [data-testid="stLayoutWrapper"]:has(> .st-key-{META_KEY}) {{
  display: none !important; }}

/* Phones: nothing wider than the screen, the first chart early, 44 px tap targets. */
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem;
    padding-top: 3.5rem; }}
  [data-testid="stMainBlockContainer"] h1 {{ font-size: 1.6rem; line-height: 1.25;
    padding-top: 0.25rem; padding-bottom: 0.25rem; }}
  [data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 {{
    font-size: 1.2rem; }}
{_ORDER_CSS}
  /* headline and status numbers: a compact grid instead of one tile per screen line */
  .st-key-ov_headline [data-testid="stHorizontalBlock"] {{ flex-direction: row !important;
    flex-wrap: wrap !important; gap: 0.5rem !important; }}
  .st-key-ov_headline [data-testid="stColumn"] {{ flex: 1 1 calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; width: auto !important; }}
  .st-key-ov_status [data-testid="stColumn"] {{ flex: 1 1 calc(33% - 0.5rem) !important;
    min-width: calc(33% - 0.5rem) !important; }}
  .st-key-ov_headline [data-testid="stMetric"] {{ padding: 0.4rem 0.5rem; }}
  .st-key-ov_headline [data-testid="stMetricValue"] > div {{ font-size: 1.4rem; }}
  .st-key-ov_headline [data-testid="stMetricLabel"] p {{ font-size: 0.8rem; }}
  .st-key-ov_headline [data-testid="stMetricLabel"], .st-key-ov_headline [data-testid="stMetricLabel"] * {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
  [data-testid="stDataFrame"], [data-testid="stPlotlyChart"] {{ max-width: 100%; }}
}}
@media (max-width: 640px), (pointer: coarse) {{
  [data-testid="stMainBlockContainer"] button, [data-testid="stSidebar"] button,
  [data-testid="stPageLink"] a, [data-testid="stSidebarNav"] a,
  [data-testid="stExpander"] summary, [data-testid="stPopover"] button {{
    min-height: 44px; }}
  [data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] a {{
    display: inline-block; min-height: 44px; line-height: 44px; }}
}}

/* Print (A4): the page's content only, charts scaled to the paper, none split across pages. */
@page {{ size: A4; margin: 12mm; }}
@media print {{
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stSidebarCollapseButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stBottom"],
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stPageLink"],
  [data-testid="stExpander"], [data-testid="stPopover"], [data-testid="stElementToolbar"],
  [data-testid="stCodeCopyButton"], .modebar-container, .st-key-{PICKERS_KEY} {{
    display: none !important; }}
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    height: auto !important; overflow: visible !important; position: static !important; }}
  [data-testid="stMainBlockContainer"] {{ max-width: 100% !important; width: 100% !important;
    padding: 0 !important; }}
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]),
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stAlert"] {{
    break-inside: avoid; page-break-inside: avoid; }}
  [data-testid="stPlotlyChart"] {{ overflow: visible !important; }}
  /* --gg-print-zoom: set per chart block by the script below (the paper's box / drawn size); the
     block itself is zoomed: Streamlit gives it the chart's height */
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {{
    zoom: var(--gg-print-zoom, 1); }}
  [data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2,
  [data-testid="stMainBlockContainer"] h3 {{ break-after: avoid; page-break-after: avoid; }}
}}
</style>
"""

_SCRIPT = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  doc.documentElement.lang = %(lang)s;
  doc.title = %(title)s;
  const win = doc.defaultView || window;
  if (win.__ggLayout) return;
  win.__ggLayout = true;
  // Plotly draws at the screen's width; printing needs each chart scaled to the paper.
  const fit = () => {
    if (win.matchMedia('print').matches) return;  // measure the screen's drawing, not the paper's
    doc.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((el) => {
      const svg = el.querySelector('.main-svg');
      if (!svg) return;
      const box = svg.getBoundingClientRect();
      const block = el.closest('[data-testid="stElementContainer"]') || el;
      const now = parseFloat(getComputedStyle(block).zoom) || 1;
      const fits = Math.min(1, %(width)d * now / box.width, %(height)d * now / box.height);
      const zoom = fits < 1 ? fits.toFixed(3) : '1';
      if (block.style.getPropertyValue('--gg-print-zoom') !== zoom) {
        block.style.setProperty('--gg-print-zoom', zoom);
      }
    });
  };
  win.setInterval(fit, 1000);
  win.addEventListener('beforeprint', fit);
  fit();
})();
</script>
"""


def page_meta(lang: str, page_title: str) -> None:
    """Once per run, after st.navigation: `<html lang>` follows the language switch, the document
    title names the page ("Theo chủ đề · Tăng trưởng xanh Bình Dương"), and the style sheet."""
    title = f"{page_title} · {t('layout.site_name', lang)}"
    st.set_page_config(page_title=title)
    st.html(_CSS)  # style only: Streamlit puts it in the event container, no gap on the page
    script = _SCRIPT % {
        "lang": json.dumps(lang),
        "title": json.dumps(title, ensure_ascii=False),
        "width": PRINT_WIDTH_PX,
        "height": PRINT_HEIGHT_PX,
    }
    with st.container(key=META_KEY):  # hidden by the style sheet: no visible gap
        st.html(script, unsafe_allow_javascript=True)

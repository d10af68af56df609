"""Mẫu báo cáo / Templates: pick department and period, download the prefilled workbook.

The workbook is the very one `python -m loaders template` writes; it records plan, department and
period itself, so the upload page needs no further choices. Open to everyone.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from greengrowth.i18n import t
from greengrowth.queries import catalog as catalog_queries
from loaders.service import own_departments
from loaders.template import TemplateError, build_template
from ui.chrome import analyst_page, plan_picker
from ui.data import load

ctx = analyst_page("templates.heading", "templates.intro")
L = ctx.lang

picked = plan_picker(L)
if picked is None:
    st.stop()
plan_id, plan, _ = picked
periods = list(range(int(plan["period_start"]), int(plan["period_end"]) + 1))
departments = load(catalog_queries.reporting_departments, plan_id=plan_id)
names = dict(
    zip(
        departments["department_code"],
        departments["name_en" if L == "en" else "name_vi"],
        strict=True,
    )
)
codes = list(departments["department_code"])
mine = own_departments(ctx.user, codes)

left, right = st.columns(2)
department = left.selectbox(
    t("templates.department", L),
    codes,
    index=codes.index(mine[0]) if mine else 0,
    format_func=lambda code: f"{code} — {names[code]}",
    key="templates_department",
)
this_year = min(max(date.today().year, periods[0]), periods[-1])
period = right.selectbox(
    t("templates.period", L), periods, index=periods.index(this_year), key="templates_period"
)

scope = load(catalog_queries.department_scope, plan_id=plan_id, department_code=department)
st.markdown(
    t(
        "templates.contents",
        L,
        department=names[department],
        period=period,
        activities=len(scope["activities"]),
        tasks=len(scope["tasks"]),
        indicators=len(scope["indicators"]),
    )
)
try:
    workbook = load(build_template, plan_id=plan_id, department_code=department, period=int(period))
except TemplateError:  # a catalog problem must not show a traceback to a department
    st.error(t("templates.error", L))
    st.stop()
st.download_button(
    t("templates.download", L),
    data=workbook,
    file_name=f"mau-bao-cao_{department}_{period}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="templates_download",
    type="primary",
    icon=":material/download:",
    on_click="ignore",
)
st.markdown(t("templates.next_steps", L))
st.page_link("pages/upload.py", label=t("templates.go_upload", L), icon=":material/upload_file:")

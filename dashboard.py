"""Green Growth Tracker: the Streamlit entry point. Run with `make run` (or `streamlit run dashboard.py`)."""

from __future__ import annotations

import streamlit as st

from greengrowth.i18n import t
from ui.data import ensure_database
from ui.state import language_switch

st.set_page_config(page_title="Tăng trưởng xanh Bình Dương", page_icon="🌿", layout="wide")
ensure_database()
lang = language_switch()

pages = {
    t("nav.section.leadership", lang): [
        st.Page(
            "pages/overview.py",
            title=t("page.overview", lang),
            icon=":material/dashboard:",
            default=True,
            url_path="overview",
        ),
    ],
}
st.navigation(pages).run()

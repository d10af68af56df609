"""Green Growth Tracker: the Streamlit entry point. Run with `make run` (or `streamlit run dashboard.py`)."""

from __future__ import annotations

import logging

import streamlit as st

from greengrowth.i18n import t
from greengrowth.store import StoreError
from ui.auth import sidebar_account
from ui.data import ensure_database
from ui.layout import page_meta
from ui.state import language_switch

# A Material icon, not an emoji: Streamlit compiles its whole emoji catalogue (~0.25 s) to check one.
st.set_page_config(
    page_title="Tăng trưởng xanh Bình Dương", page_icon=":material/eco:", layout="wide"
)
lang = language_switch()
sidebar_account(lang)


# URL paths are Vietnamese slugs that differ from the file names in pages/: Streamlit would otherwise
# run a pages/ file on its own (without this script) when its file name is typed in the address bar.
URL_PATHS = {
    "overview": "tong-quan",
    "by_theme": "theo-chu-de",
    "by_department": "theo-so-nganh",
    "priorities": "uu-tien-2018",
    "indicators": "chi-tieu",
    "reporting": "bao-cao",
    "plan": "ke-hoach",
    "templates": "mau-bao-cao",
    "upload": "tai-len",
    "history": "lich-su-nop",
    "review": "duyet-bao-cao",
    "value_history": "lich-su-so-lieu",
    "data_quality": "chat-luong-du-lieu",
}


def page(path: str, key: str, icon: str, *, default: bool = False) -> st.Page:
    # The default page is served at "/", but its url_path must still be unique.
    url_path = f"{URL_PATHS[key]}-home" if default else URL_PATHS[key]
    return st.Page(
        path, title=t(f"page.{key}", lang), icon=icon, url_path=url_path, default=default
    )


pages = {
    t("nav.section.leadership", lang): [
        page("pages/overview.py", "overview", ":material/dashboard:", default=True),
        # Streamlit serves the default page only at "/": its own url_path answers "Page not
        # found". This hidden twin makes /tong-quan (the README's address) open the overview too.
        st.Page(
            "pages/overview.py",
            title=t("page.overview", lang),
            url_path=URL_PATHS["overview"],
            visibility="hidden",
        ),
        page("pages/by_theme.py", "by_theme", ":material/account_tree:"),
        page("pages/by_department.py", "by_department", ":material/apartment:"),
        page("pages/priorities.py", "priorities", ":material/flag:"),
        page("pages/indicators.py", "indicators", ":material/monitoring:"),
        page("pages/reporting.py", "reporting", ":material/fact_check:"),
        page("pages/data_quality.py", "data_quality", ":material/rule:"),
        page("pages/plan.py", "plan", ":material/menu_book:"),
    ],
    t("nav.section.analyst", lang): [
        page("pages/templates.py", "templates", ":material/download:"),
        page("pages/upload.py", "upload", ":material/upload_file:"),
        page("pages/history.py", "history", ":material/history:"),
        page("pages/review.py", "review", ":material/verified:"),
        page("pages/value_history.py", "value_history", ":material/manage_history:"),
    ],
}
# st.navigation comes before anything that can fail: if the script stopped earlier, Streamlit would
# fall back to listing the files in pages/ by their file names.
current = st.navigation(pages, expanded=True)  # every page listed, none behind "View more"
page_meta(lang, current.title)  # <html lang>, the page's own title, the phone and print style
try:
    ensure_database()
except StoreError:
    logging.getLogger(__name__).exception("database unavailable")
    st.error(t("common.store_unavailable", lang))
    st.stop()
current.run()

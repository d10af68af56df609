"""Language and filters that live in the URL (st.query_params), so a copied link opens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from greengrowth.i18n import LANGS, t


def lang() -> str:
    """The UI language from ?lang=, Vietnamese by default."""
    value = st.query_params.get("lang", "vi")
    return value if value in LANGS else "vi"


def language_switch() -> str:
    """A sidebar switch between Vietnamese and English, kept in ?lang=."""
    current = lang()
    choice = st.sidebar.segmented_control(
        t("common.language", current),
        options=list(LANGS),
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        default=current,
        key="lang_switch",
    )
    choice = choice or current
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()
    if choice == "vi" and "lang" in st.query_params:
        del st.query_params["lang"]
    return choice


def url_select(
    param: str,
    label: str,
    options: Sequence,
    default,
    *,
    format_func: Callable = str,
    container=None,
    cast: Callable = str,
):
    """A selectbox whose value is read from and written to ?param=, falling back to `default`."""
    options = list(options)
    if not options:
        return None
    raw = st.query_params.get(param)
    try:
        current = cast(raw) if raw is not None else default
    except (TypeError, ValueError):
        current = default
    if current not in options:
        current = default if default in options else options[0]
    where = container or st.sidebar
    value = where.selectbox(
        label, options, index=options.index(current), format_func=format_func, key=f"url_{param}"
    )
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)
    return value

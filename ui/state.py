"""Language and filters that live in the URL (st.query_params), so a copied link opens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from greengrowth.i18n import LANGS, t

_LANG_KEY = "_ui_lang"


def lang() -> str:
    """The UI language from ?lang=, else the one chosen earlier in this session; Vietnamese first.

    Streamlit's page navigation drops the query string, so the session remembers the choice and
    language_switch puts it back into the URL (a copied link still opens in the same language).
    """
    value = st.query_params.get("lang") or st.session_state.get(_LANG_KEY) or "vi"
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
    st.session_state[_LANG_KEY] = choice
    if choice == "en" and st.query_params.get("lang") != "en":
        st.query_params["lang"] = "en"
    if choice != current:
        st.query_params["lang"] = choice
        st.rerun()
    if choice == "vi" and "lang" in st.query_params:
        del st.query_params["lang"]
    return choice


def url_value(param: str, options: Sequence, default, *, cast: Callable = str):
    """What url_select will show for ?param= (before its widget is drawn), e.g. for a label: the
    widget's value when it was just changed (the URL catches up when it is drawn), else the URL."""
    options = list(options)
    if not options:
        return None
    picked = st.session_state.get(f"url_{param}")
    if picked is not None and picked in options:
        return picked
    return _from_url(param, options, default, cast)


def _from_url(param: str, options: list, default, cast: Callable):
    raw = st.query_params.get(param)
    try:
        current = cast(raw) if raw is not None else default
    except (TypeError, ValueError):
        current = default
    if current not in options:
        current = default if default in options else options[0]
    return current


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
    current = _from_url(param, options, default, cast)
    where = container or st.sidebar
    value = where.selectbox(
        label, options, index=options.index(current), format_func=format_func, key=f"url_{param}"
    )
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)
    return value


APPROVED_PARAM = "approved"


def approved_only() -> bool:
    """The leadership pages' "approved figures only" switch, kept in the URL as ?approved=1."""
    return st.query_params.get(APPROVED_PARAM) == "1"

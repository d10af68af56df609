"""Streamlit glue for data quality on the leadership pages: the marker on figures that rest on a
value with an unexplained high-importance warning, and links to a submission in the history page."""

from __future__ import annotations

import streamlit as st

from greengrowth.i18n import t
from greengrowth.queries import quality as qq
from ui.data import load

HISTORY_SLUG = "lich-su-nop"  # dashboard.URL_PATHS["history"]


def history_url(submission_id: int, lang: str) -> str:
    """A relative link that opens the history page on one submission (it reads ?submission=)."""
    suffix = "&lang=en" if lang == "en" else ""
    return f"{HISTORY_SLUG}?submission={int(submission_id)}{suffix}"


def flag_values(ctx, indicator_code: str | None = None) -> None:
    """A caption under a figure when values it shows carry an unexplained high-importance warning
    (one indicator, or any indicator when None), with a link to the data-quality page."""
    flagged = load(qq.flagged_values, plan_id=ctx.plan_id)
    flagged = flagged[flagged["period"] <= ctx.period]
    if indicator_code is not None:
        flagged = flagged[flagged["indicator_code"] == indicator_code]
    if flagged.empty:
        return
    years = ", ".join(str(int(y)) for y in sorted(set(flagged["year"])))
    key = "quality.marker.indicator" if indicator_code else "quality.marker.overview"
    st.warning(
        t(
            key,
            ctx.lang,
            n=len(flagged),
            years=years,
            indicators=flagged["indicator_code"].nunique(),
        ),
        icon=":material/report:",
    )
    st.page_link(
        "pages/data_quality.py",
        label=t("quality.marker.link", ctx.lang),
        icon=":material/rule:",
        query_params={"lang": "en"} if ctx.lang == "en" else {},
    )

"""One table for validation problems, shared by the upload page and corrections in the history page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from greengrowth.i18n import t
from loaders.problems import Problem


def problems_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Sheet, row, column, value, message and how to fix it, in the reader's language."""
    frame = pd.DataFrame(
        [
            {
                t("upload.col.sheet", lang): p.sheet,
                t("upload.col.row", lang): p.row,
                t("upload.col.column", lang): p.column,
                t("upload.col.value", lang): p.value,
                t("upload.col.message", lang): p.message(lang),
                t("upload.col.hint", lang): p.hint(lang),
            }
            for p in problems
        ]
    )
    if not frame.empty:
        frame[t("upload.col.row", lang)] = frame[t("upload.col.row", lang)].astype("Int64")
    return frame


def show_problems(problems: list[Problem], lang: str) -> None:
    """The table, with room for the message and the hint (the columns people read)."""
    st.dataframe(
        problems_table(problems, lang),
        hide_index=True,
        width="stretch",
        column_config={
            t("upload.col.message", lang): st.column_config.TextColumn(width="large"),
            t("upload.col.hint", lang): st.column_config.TextColumn(width="large"),
        },
    )

"""The analyst pages' tables and texts in the reader's language: pure functions over query results.

Pages only render; everything that shapes a frame or picks words for the history and upload pages
lives here, where it is tested without Streamlit.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from greengrowth.i18n import fmt_date, t
from greengrowth.text import literal

if TYPE_CHECKING:  # the leadership pages use these tables without importing the ingest path
    from loaders.ingest import IngestResult

ALL = "*"
ROW_KINDS = ("activities", "tasks", "indicators", "spending")


def when(ts, lang: str) -> str:
    """Date and time of an event, or empty."""
    return "" if ts is None or pd.isna(ts) else f"{fmt_date(ts, lang)} {ts:%H:%M}"


def changes_table(result: IngestResult, lang: str) -> pd.DataFrame:
    """What a workbook would change: kind and sentence, one row per change."""
    return pd.DataFrame(
        {
            t("upload.col.kind", lang): [t(f"upload.kind.{c.kind}", lang) for c in result.changes],
            t("upload.col.change", lang): [c.text(lang) for c in result.changes],
        }
    )


def repeated_reports(results: list[IngestResult]) -> list[tuple[str, int]]:
    """(department, period) pairs that more than one of the files reports: the last one stored wins."""
    slots = Counter((r.parsed.department_code, r.parsed.period) for r in results if r.parsed)
    return sorted(slot for slot, n in slots.items() if n > 1)


def history_choices(history: pd.DataFrame) -> tuple[list[str], list[object]]:
    """The department and period filter choices (ALL first), from the history itself."""
    departments = [ALL, *sorted(history["department_code"].unique())]
    periods = [ALL, *sorted(history["period"].unique(), reverse=True)]
    return departments, periods


def filter_history(history: pd.DataFrame, department: str, period: object) -> pd.DataFrame:
    shown = history
    if department != ALL:
        shown = shown[shown["department_code"] == department]
    if period != ALL:
        shown = shown[shown["period"] == period]
    return shown


def history_table(shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The submissions list with translated headers, times and states."""
    return pd.DataFrame(
        {
            t("history.col.id", lang): shown["submission_id"],
            t("history.col.when", lang): [when(ts, lang) for ts in shown["uploaded_at"]],
            t("history.col.who", lang): shown["uploaded_by"],
            t("history.col.file", lang): shown["file_name"],
            t("history.col.department", lang): shown["department_code"],
            t("history.col.period", lang): shown["period"],
            t("history.col.rows", lang): shown["n_rows"],
            t("history.col.state", lang): [t(f"history.state.{s}", lang) for s in shown["state"]],
            t("history.col.derived_from", lang): [
                "" if pd.isna(d) else str(int(d)) for d in shown["derived_from"]
            ],
        }
    )


def pick_labels(shown: pd.DataFrame, lang: str) -> dict[int, str]:
    """submission id -> the label the submission picker shows."""
    return {
        int(r.submission_id): t(
            "history.pick_label",
            lang,
            id=int(r.submission_id),
            department=r.department_code,
            period=int(r.period),
            file=r.file_name,
        )
        for r in shown.itertuples()
    }


def submission_row(shown: pd.DataFrame, submission_id: int) -> dict:
    return shown[shown["submission_id"] == submission_id].iloc[0].to_dict()


def submission_facts(row: dict, lang: str) -> list[str]:
    """What the detail section says about one submission (a row of submission_history)."""
    state = t(f"history.state.{row['state']}", lang)
    facts = [
        t("history.fact.state", lang, state=state),
        t(
            "history.fact.uploaded",
            lang,
            who=literal(row["uploaded_by"]),
            when=when(row["uploaded_at"], lang),
        ),
        t(
            "history.fact.report",
            lang,
            department=row["department_code"],
            period=int(row["period"]),
        ),
        t("history.fact.reported_on", lang, date=fmt_date(row["reported_on"], lang)),
        t(
            "history.fact.rows",
            lang,
            activities=int(row["n_activity_rows"]),
            tasks=int(row["n_task_rows"]),
            indicators=int(row["n_indicator_rows"]),
        ),
    ]
    if not pd.isna(row["derived_from"]):
        facts.append(t("history.fact.derived_from", lang, id=int(row["derived_from"])))
    if row["state"] == "withdrawn":
        facts.append(
            t(
                "history.fact.withdrawn",
                lang,
                who=literal(row["withdrawn_by"]),
                when=when(row["withdrawn_at"], lang),
                reason=literal(row["withdrawn_reason"]),
            )
        )
    if row["illustrative"]:
        facts.append(t("history.fact.illustrative", lang))
    return facts


def readable_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A submission's rows with headers and statuses in the reader's language; empty shows empty."""
    frame = frame.copy()
    if "status" in frame:
        frame["status"] = ["" if pd.isna(s) else t(f"status.{s}", lang) for s in frame["status"]]
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = [fmt_date(v, lang) for v in frame[column]]
        elif frame[column].dtype == object:
            frame[column] = frame[column].fillna("")
    return frame.rename(columns=lambda c: t(f"history.field.{c}", lang))


def editable_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A submission's rows as the correction editor wants them (dates as dates)."""
    if "completed_on" in frame:
        return frame.assign(completed_on=pd.to_datetime(frame["completed_on"]).dt.date)
    return frame


def event_lines(events: pd.DataFrame, lang: str) -> list[str]:
    """One line per event (Markdown): when, what, who, and the reason if any, typed text literal."""
    lines = []
    for e in events.itertuples():
        reason = "" if e.reason is None or pd.isna(e.reason) else f": {literal(e.reason)}"
        event = t(f"history.event.{e.event}", lang)
        lines.append(f"{when(e.event_at, lang)} — {event} — {literal(e.actor)}{reason}")
    return lines


# ---- data-quality warnings (issue 14) ------------------------------------------------------------


def warnings_table(warnings: list, lang: str) -> pd.DataFrame:
    """An upload's data-quality warnings (loaders.quality_check.ReportWarning): sheet, row, column,
    value, what it was compared with, rule, importance and why, in the reader's language."""
    frame = pd.DataFrame(
        [
            {
                t("quality.col.sheet", lang): w.sheet,
                t("quality.col.sheet_row", lang): w.row,
                t("quality.col.column", lang): w.column,
                t("quality.col.value", lang): w.value(lang),
                t("quality.col.compared_with", lang): w.compared_with(lang),
                t("quality.col.rule", lang): w.rule_id,
                t("quality.col.importance", lang): t(f"quality.importance.{w.importance}", lang),
                t("quality.col.message", lang): w.message(lang),
            }
            for w in warnings
        ],
        columns=[
            t(f"quality.col.{c}", lang)
            for c in (
                "sheet",
                "sheet_row",
                "column",
                "value",
                "compared_with",
                "rule",
                "importance",
                "message",
            )
        ],  # fmt: skip
    )
    frame[t("quality.col.sheet_row", lang)] = frame[t("quality.col.sheet_row", lang)].astype(
        "Int64"
    )
    return frame


def stored_warnings_table(frame: pd.DataFrame, lang: str, titles: dict[str, str]) -> pd.DataFrame:
    """Rows of data_quality_warnings for reading: department, year, submission, where, value,
    compared with, rule (its title), importance, why and the explanation given."""
    en = lang == "en"
    return pd.DataFrame(
        {
            t("quality.col.department", lang): frame["department_code"],
            t("quality.col.period", lang): frame["period"],
            t("quality.col.submission", lang): frame["submission_id"],
            t("quality.col.sheet", lang): frame["sheet"],
            t("quality.col.sheet_row", lang): frame["row"].astype("Int64"),
            t("quality.col.value", lang): frame["value_en" if en else "value"],
            t("quality.col.compared_with", lang): frame[
                "compared_with_en" if en else "compared_with"
            ],
            t("quality.col.rule", lang): [titles.get(r, r) for r in frame["rule"]],
            t("quality.col.importance", lang): [
                t(f"quality.importance.{i}", lang) for i in frame["importance"]
            ],
            t("quality.col.message", lang): frame["message_en" if en else "message_vi"],
            t("quality.col.explanation", lang): frame["explanation"].fillna(""),
        }
    )


def warning_facts(warnings: pd.DataFrame, explanation: str | None, lang: str) -> list[str]:
    """What the history page adds about one submission: its explanation and current warnings."""
    facts = []
    if explanation:
        facts.append(t("quality.history.fact.explanation", lang, text=literal(explanation)))
    if not warnings.empty:
        unexplained = int(warnings["explanation"].isna().sum())
        facts.append(
            t("quality.history.fact.warnings", lang, n=len(warnings), unexplained=unexplained)
        )
    return facts

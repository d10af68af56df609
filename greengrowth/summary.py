"""A written summary of one plan year that a DPI officer can paste into a report as it is.

No language model: sentences are templates from strings_briefing.yaml, filled with the figures of
the same named queries the pages show (queries.dashboard), so the text and the pages can never say
two numbers for one fact. The rules decide which sentence fits (nothing delayed, nothing missing,
no report yet) and name the worst cases: the departments with delayed activities, the priority
tasks still open, the departments that have not reported. Numbers, dates and lists are written the
reader's way by Babel (vi "18 hoạt động (33%)", "15/10/2020", "A, B và C").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
from babel.lists import format_list

from greengrowth.charts import department_label
from greengrowth.i18n import fmt_date, fmt_number, fmt_percent, t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as q


@dataclass(frozen=True)
class Summary:
    """The paragraph, its sentences, and the figures it states (for tests and the exports)."""

    text: str
    sentences: list[str]
    facts: dict = field(default_factory=dict)


def _when(value: object) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _join(items: list[str], lang: str) -> str:
    return format_list(items, locale=lang) if items else ""


def _names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """department_code -> how a document in `lang` names it."""
    return {
        r.department_code: department_label(r.department_code, r.acronym, r.short_vi, lang)
        for r in frame.itertuples()
    }


def period_data_date(
    con: duckdb.DuckDBPyConnection, plan_id: str, period: int, head: dict | None = None
) -> date | None:
    """The newest report date behind a period's activity figures; else the store's newest."""
    head = head or q.overview_headline(con, plan_id=plan_id, period=period)
    found = _when(head.get("data_date"))
    return found or _when(q.data_date(con, plan_id=plan_id).get("data_date"))


def facts(
    con: duckdb.DuckDBPyConnection, plan_id: str, period: int, today: date | None = None
) -> dict:
    """Every figure the summary states, straight from the pages' queries."""
    head = q.overview_headline(con, plan_id=plan_id, period=period)
    tasks = q.priority_headline(con, plan_id=plan_id, period=period)
    year = q.reporting_year(con, plan_id=plan_id, period=period, today=today)
    statuses = q.activity_period_status(con, plan_id=plan_id, period=period)
    task_rows = q.priority_tasks(con, plan_id=plan_id, period=period)
    reports = q.reporting_status(con, plan_id=plan_id, period=period, today=today)
    reports = reports[reports["period"] == period]
    return {
        "head": head,
        "tasks": tasks,
        "year": year,
        "rule": q.annual_rule(con, plan_id=plan_id),
        "delayed": statuses[statuses["status"] == "delayed"],
        "open_tasks": task_rows[task_rows["outcome"].isin(["open", "not_reported"])],
        "late": reports[reports["outcome"] == "late"],
        "missing": reports[reports["outcome"] == "missing"],
        "departments": catalog_queries.reporting_departments(con, plan_id=plan_id),
        "data_date": period_data_date(con, plan_id, period, head),
        "illustrative": bool(q.data_date(con, plan_id=plan_id).get("illustrative")),
    }


def _activities_sentence(f: dict, period: int, lang: str) -> str:
    head = f["head"]
    names = _names(f["departments"], lang)
    delayed = f["delayed"]
    if delayed.empty:
        delayed_part = t("summary.delayed_none", lang)
    else:
        where = []
        # Worst first: the department with the most delayed activities leads the list.
        counts = delayed.groupby("department_code")["activity_no"].count()
        order = sorted(counts.index, key=lambda c: (-counts[c], c))
        for code in order:
            part = delayed[delayed["department_code"] == code]
            numbers = _join([str(int(n)) for n in sorted(part["activity_no"])], lang)
            dept = names.get(code, str(code))
            where.append(t("summary.delayed_where", lang, department=dept, activities=numbers))
        delayed_part = t(
            "summary.delayed", lang, delayed=fmt_number(len(delayed), lang), where="; ".join(where)
        )
    adopted, completed = int(head["adopted"]), int(head["completed"])
    if completed:
        share = fmt_percent(100 * completed / adopted if adopted else None, lang)
        completed_part = t(
            "summary.completed", lang, completed=fmt_number(completed, lang), share=share
        )
    else:
        completed_part = t("summary.completed_none", lang)
    text = t(
        "summary.activities",
        lang,
        date=fmt_date(f["data_date"], lang),
        adopted=fmt_number(adopted, lang),
        national=fmt_number(head["national"], lang),
        completed_part=completed_part,
        delayed_part=delayed_part,
    )
    if int(head["not_reported"]):
        text += t("summary.not_reported", lang, count=fmt_number(head["not_reported"], lang))
    if int(head["no_lead"]):
        text += t("summary.no_lead", lang, count=fmt_number(head["no_lead"], lang))
    return text + "."


def _priority_sentence(f: dict, lang: str) -> str:
    tasks = f["tasks"]
    names = _names(f["departments"], lang)
    text = t(
        "summary.priority",
        lang,
        done=fmt_number(tasks["done"], lang),
        tasks=fmt_number(tasks["tasks"], lang),
        on_time=fmt_number(tasks["done_on_time"], lang),
        later=fmt_number(tasks["closed_later"], lang),
        deadline=fmt_date(tasks["deadline"], lang),
    )
    open_tasks = f["open_tasks"]
    if open_tasks.empty:
        return text + t("summary.priority_all_done", lang)
    listed = [
        t(
            "summary.task",
            lang,
            task=row.task_id,
            departments=", ".join(names.get(c, c) for c in row.department_codes),
        )
        for row in open_tasks.itertuples()
    ]
    return text + t(
        "summary.priority_open",
        lang,
        open=fmt_number(tasks["still_open"], lang),
        tasks=_join(listed, lang),
    )


def _reporting_sentence(f: dict, period: int, lang: str) -> str:
    year, rule = f["year"], f["rule"]
    names = _names(f["departments"], lang)
    if rule is None:
        text = t(
            "summary.reporting_no_rule",
            lang,
            period=period,
            received=fmt_number(year["received_undated"], lang),
            expected=fmt_number(year["expected"], lang),
        )
    else:
        due = date(period, int(rule["due_before_month"]), int(rule["due_before_day"]))
        text = t(
            "summary.reporting",
            lang,
            period=period,
            on_time=fmt_number(year["on_time"], lang),
            expected=fmt_number(year["expected"], lang),
            due=fmt_date(due, lang),
        )
    if int(year["late"]):
        late = _join([names.get(c, c) for c in f["late"]["department_code"]], lang)
        text += t(
            "summary.reporting_late", lang, late=fmt_number(year["late"], lang), departments=late
        )
    if int(year["missing"]):
        missing = _join([names.get(c, c) for c in f["missing"]["department_code"]], lang)
        return text + t(
            "summary.reporting_missing",
            lang,
            missing=fmt_number(year["missing"], lang),
            departments=missing,
        )
    if int(year["not_due"]):
        return text + t(
            "summary.reporting_not_due", lang, not_due=fmt_number(year["not_due"], lang)
        )
    return text + t("summary.reporting_none_missing", lang)


def build_summary(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str,
    today: date | None = None,
) -> Summary:
    """The summary of `period` in `lang`; plain words when no department has reported yet."""
    f = facts(con, plan_id, period, today)
    head = f["head"]
    reported = int(head["adopted"]) - int(head["not_reported"]) - int(head["no_lead"])
    if reported <= 0:
        first = t(
            "summary.no_reports",
            lang,
            period=period,
            adopted=fmt_number(head["adopted"], lang),
            national=fmt_number(head["national"], lang),
            tasks=fmt_number(f["tasks"]["tasks"], lang),
        )
        sentences = [first, _reporting_sentence(f, period, lang)]
    else:
        sentences = [
            _activities_sentence(f, period, lang),
            _priority_sentence(f, lang),
            _reporting_sentence(f, period, lang),
        ]
    if f["illustrative"]:
        sentences.append(t("summary.illustrative", lang))
    return Summary(text=" ".join(sentences), sentences=sentences, facts=f)


def summary_text(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str,
    today: date | None = None,
) -> str:
    """Just the paragraph (what the overview shows and caches)."""
    return build_summary(con, plan_id, period, lang, today).text

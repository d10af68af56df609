"""Everything a deck or a report shows for one plan year, read once from the pages' queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from greengrowth import charts, queries
from greengrowth.i18n import fmt_date, t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as q
from greengrowth.summary import Summary, build_summary


@dataclass
class Briefing:
    """One plan year, in one language: the summary, the leadership charts and the tables."""

    plan_id: str
    plan: dict
    period: int
    lang: str
    data_date: date | None
    illustrative: bool
    source: str
    summary: Summary
    charts: list[tuple[str, go.Figure]]  # (key, figure) in the order the pages show them
    overdue_tasks: pd.DataFrame  # priority tasks not done by their deadline (open or later)
    missing_reports: pd.DataFrame  # departments without a report for `period`
    reporting: pd.DataFrame  # reporting_status up to `period`
    indicator_basis: pd.DataFrame  # the query `indicator_basis`: the plan's or the province's

    @property
    def plan_title(self) -> str:
        return self.plan["title_en" if self.lang == "en" else "title_vi"]

    @property
    def date_text(self) -> str:
        return fmt_date(self.data_date, self.lang)

    @property
    def footer(self) -> str:
        return t("deck.footer", self.lang, source=self.source, date=self.date_text)


def _day(value: object) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def leadership_charts(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str,
    data_date: date | None,
    today: date | None = None,
) -> list[tuple[str, go.Figure]]:
    """The leadership pages' charts for one period, built by the pages' own chart functions."""
    kw = {"lang": lang, "source": t("common.source_store", lang), "data_date": data_date}
    return [
        (
            "progress-by-theme",
            charts.progress_by_theme(
                q.progress_by_theme(con, plan_id=plan_id, period=period), period=period, **kw
            ),
        ),
        (
            "progress-by-department",
            charts.progress_by_department(
                q.department_status_counts(con, plan_id=plan_id, period=period),
                period=period,
                **kw,
            ),
        ),
        (
            "priority-outcomes",
            charts.priority_outcomes(
                q.priority_outcomes_by_department(con, plan_id=plan_id, period=period),
                period=period,
                **kw,
            ),
        ),
        (
            "indicator-overview",
            charts.indicator_overview(
                q.indicator_progress(con, plan_id=plan_id, period=period), period=period, **kw
            ),
        ),
        (
            "reporting-by-year",
            charts.reporting_by_year(
                q.reporting_summary(con, plan_id=plan_id, period=period, today=today), **kw
            ),
        ),
    ]


def collect(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    period: int,
    lang: str,
    today: date | None = None,
) -> Briefing:
    """Read one plan year for a deck or a report. Raises ValueError for an unknown plan."""
    plan = catalog_queries.plan(con, plan_id)
    if plan is None:
        raise ValueError(f"unknown plan {plan_id!r}")
    if not int(plan["period_start"]) <= period <= int(plan["period_end"]):
        raise ValueError(
            f"period {period} is outside the plan ({plan['period_start']}-{plan['period_end']})"
        )
    info = q.data_date(con, plan_id=plan_id)
    data_date = _day(info.get("data_date"))
    tasks = q.priority_tasks(con, plan_id=plan_id, period=period)
    reporting = q.reporting_status(con, plan_id=plan_id, period=period, today=today)
    missing = reporting[(reporting["period"] == period) & (reporting["outcome"] == "missing")]
    return Briefing(
        plan_id=plan_id,
        plan=plan,
        period=period,
        lang=lang,
        data_date=data_date,
        illustrative=bool(info.get("illustrative")),
        source=t("common.source_store", lang),
        summary=build_summary(con, plan_id, period, lang, today=today),
        charts=leadership_charts(con, plan_id, period, lang, data_date, today),
        overdue_tasks=tasks[tasks["outcome"] != "done_on_time"].reset_index(drop=True),
        missing_reports=missing.reset_index(drop=True),
        reporting=reporting,
        indicator_basis=queries.run(con, "indicator_basis", plan=plan_id),
    )

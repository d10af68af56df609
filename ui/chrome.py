"""What every page shares: the plan and period pickers, the illustrative-data banner, chart output."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from greengrowth import clock, queries
from greengrowth.auth import Account
from greengrowth.i18n import MISSING, fmt_date, fmt_number, fmt_percent, t
from greengrowth.queries import catalog as catalog_queries
from greengrowth.queries import dashboard as dashboard_queries
from greengrowth.queries import scale as scale_queries
from ui import briefing
from ui.auth import current_user, require_analyst
from ui.chart_view import show_chart  # noqa: F401 (pages import it from here)
from ui.cycle import approval_note
from ui.data import load
from ui.layout import PICKERS_KEY
from ui.state import lang, url_select, url_value


@dataclass(frozen=True)
class Context:
    """What a page needs to know: language, plan, period, and the data's date and nature."""

    lang: str
    plan_id: str
    plan: dict
    period: int
    data_date: date | None
    illustrative: bool
    today: date  # only to tell a report not yet due from a missing one; never to pick the period
    approved_only: bool = False  # the reporting cycle's switch (?approved=1): approved figures only
    pickers: Any = field(default=None, compare=False)  # where the page's filters go (an expander)

    @property
    def source(self) -> str:
        return t("common.source_store", self.lang)

    @property
    def plan_source(self) -> str:
        """Footnote source for charts drawn from the plan text itself (the catalog)."""
        return t("common.source_plan", self.lang)


def plan_picker(lang: str, container=None) -> tuple[str, dict, int | None] | None:
    """Plan picker kept in ?plan= (in the sidebar unless `container`); defaults to the first plan
    that has data.

    Returns (plan_id, plan row, latest period with data or None), or None with a message when no
    plan is loaded.
    """
    found = _plans(lang)
    if found is None:
        return None
    plans, titles, default_plan, latest = found
    plan_id = url_select(
        "plan",
        t("common.plan", lang),
        list(plans["plan_id"]),
        default_plan,
        format_func=lambda pid: titles[pid],
        container=container,
    )
    return plan_id, load(catalog_queries.plan, plan_id=plan_id), latest.get(plan_id)


def _plans(lang: str):
    """The loaded plans, their titles, the default plan and every plan's latest period; None
    (with a message) when no plan is loaded."""
    plans = load(queries.run, "plans")
    if plans.empty:
        st.error(t("common.no_plan", lang))
        return None
    title_col = "title_en" if lang == "en" else "title_vi"
    titles = dict(zip(plans["plan_id"], plans[title_col], strict=True))
    # One query for every plan's latest period (63 plans: 4.6 ms instead of 63 queries, 0.6 s).
    latest = load(scale_queries.latest_periods)
    with_data = [pid for pid in plans["plan_id"] if latest.get(pid) is not None]
    default_plan = with_data[0] if with_data else plans["plan_id"].iloc[0]
    return plans, titles, default_plan, latest


def _periods(plan: dict) -> list[int]:
    return list(range(int(plan["period_start"]), int(plan["period_end"]) + 1))


def _pickers_box(lang: str):
    """The main-area expander that holds the plan, period and page filters, labelled with the
    period and plan shown (a phone reader need not find the sidebar button to change them)."""
    found = _plans(lang)
    if found is None:
        return None
    plans, titles, default_plan, latest = found
    plan_id = url_value("plan", list(plans["plan_id"]), default_plan)
    periods = _periods(load(catalog_queries.plan, plan_id=plan_id))
    period = url_value("period", periods, latest.get(plan_id) or periods[-1], cast=int)
    label = t(
        "layout.pickers",
        lang,
        period_label=t("common.period", lang),
        period=period,
        plan=titles[plan_id],
    )
    return st.expander(label, icon=":material/tune:", key=PICKERS_KEY)


def plan_and_period(lang: str) -> Context | None:
    """Plan and reporting period pickers (in the URL; in an expander on top of the page, which
    also holds the page's own filters: ctx.pickers); defaults follow the data."""
    box = _pickers_box(lang)
    if box is None:
        return None
    picked = plan_picker(lang, container=box)
    if picked is None:
        return None
    plan_id, plan, latest_period = picked
    periods = _periods(plan)
    default_period = latest_period or periods[-1]
    period = url_select(
        "period", t("common.period", lang), periods, default_period, cast=int, container=box
    )
    info = load(dashboard_queries.data_date, plan_id=plan_id)
    data_date = info.get("data_date")
    data_date = None if data_date is None or data_date != data_date else data_date.date()
    return Context(
        lang=lang,
        plan_id=plan_id,
        plan=plan,
        period=int(period),
        data_date=data_date,
        illustrative=bool(info.get("illustrative")),
        today=clock.now().date(),
        pickers=box,
    )


def leadership_page(heading_key: str) -> Context:
    """What every leadership page starts with: language, plan and period pickers, the heading
    (its text may use {period}) and the illustrative-data banner. Stops the page when no plan."""
    ctx = plan_and_period(lang())
    if ctx is None:
        st.stop()
    briefing.apply()  # ?briefing=1: screenshot-ready (no sidebar, no buttons, larger text)
    briefing.mode_link(ctx.lang)
    st.title(t(heading_key, ctx.lang, period=ctx.period))
    illustrative_banner(ctx)
    ctx = replace(ctx, approved_only=approval_note(ctx.plan_id, ctx.period, ctx.lang))
    return ctx


@dataclass(frozen=True)
class AnalystContext:
    """What an analyst page needs to know: the reader's language and who is signed in (or None)."""

    lang: str
    user: Account | None


def analyst_page(
    heading_key: str, intro_key: str | None = None, *, sign_in_required: bool = False
) -> AnalystContext:
    """What every analyst page starts with: language, heading, the signed-in account (or, when
    `sign_in_required`, the sign-in form and a stop for a visitor) and the introduction."""
    L = lang()
    st.title(t(heading_key, L))
    user = require_analyst(L) if sign_in_required else current_user()
    if intro_key:
        st.markdown(t(intro_key, L))
    return AnalystContext(L, user)


def illustrative_banner(ctx: Context) -> None:
    """Sample data must never pass for real: say so on every page that shows it."""
    if ctx.illustrative:
        st.warning(t("common.illustrative_banner", ctx.lang))


ALL = "all"


def theme_filter(ctx: Context, container=None) -> int | None:
    """Theme picker kept in ?theme= (None = all themes)."""
    themes = load(catalog_queries.themes, plan_id=ctx.plan_id)
    col = "title_en" if ctx.lang == "en" else "title_vi"
    names = {int(r.theme_no): f"{r.theme_no}. {getattr(r, col)}" for r in themes.itertuples()}
    names_all = {ALL: t("common.all_themes", ctx.lang)} | {str(k): v for k, v in names.items()}
    value = url_select(
        "theme",
        t("common.theme", ctx.lang),
        list(names_all),
        ALL,
        format_func=lambda k: names_all[k],
        container=container or ctx.pickers,
    )
    return None if value in (None, ALL) else int(value)


def department_filter(ctx: Context, container=None, *, allow_all: bool = True) -> str | None:
    """Department picker kept in ?dept= (None = all departments)."""
    depts = load(catalog_queries.reporting_departments, plan_id=ctx.plan_id)
    # English: "DOIT – Department of ..."; Vietnamese documents never use the English acronym.
    names = {
        r.department_code: f"{r.acronym} – {r.name_en}" if ctx.lang == "en" else r.name_vi
        for r in depts.itertuples()
    }
    if allow_all:
        names = {ALL: t("common.all_departments", ctx.lang)} | names
    if not names:
        return None
    value = url_select(
        "dept",
        t("common.department", ctx.lang),
        list(names),
        next(iter(names)),
        format_func=lambda k: names[k],
        container=container or ctx.pickers,
    )
    return None if value in (None, ALL) else value


def finding_link(ctx: Context, finding_id: str) -> None:
    """A link to the plan page, filtered to one finding (e.g. F01: activities without a lead)."""
    params = {"q": finding_id} | ({"lang": ctx.lang} if ctx.lang != "vi" else {})
    st.page_link(
        "pages/plan.py",
        label=t("common.see_finding", ctx.lang, finding=finding_id),
        icon=":material/menu_book:",
        query_params=params,
    )


def _cell(value, kind: str, lang: str) -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return MISSING
    if kind == "year":
        return str(int(value))
    if kind == "int":
        return fmt_number(value, lang)
    if kind == "number":
        whole = float(value).is_integer() or abs(float(value)) >= 100
        return fmt_number(value, lang, 0 if whole else 2)
    if kind == "percent":
        return fmt_percent(value, lang)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "bool":
        return t("common.yes" if value else "common.no", lang)
    if kind in ("status", "reporting", "priority", "progress", "trend", "finding_kind"):
        return t(f"{kind}.{value}", lang)
    return str(value)


def show_table(
    frame: pd.DataFrame, columns: dict[str, tuple[str, str]], lang: str, *, key: str | None = None
) -> None:
    """A read-only table with translated headers and vi/en number and date formats.

    `columns` maps a frame column to (strings key of its header, kind): text, int, number,
    percent, date, bool, status, reporting, priority or progress. Formatting only: no numbers
    are computed here. `key`: the column that matters most (status, share complete); it comes
    right after the row's name, so a phone shows both without scrolling sideways.
    """
    if key is not None and key != next(iter(columns)):
        first, *rest = columns
        columns = {first: columns[first], key: columns[key]} | {
            c: columns[c] for c in rest if c != key
        }
    headers = [t(label, lang) for label, _ in columns.values()]
    if len(set(headers)) != len(headers):  # two equal headers would silently drop a column
        raise ValueError(f"duplicate table headers: {headers}")
    shown = pd.DataFrame(
        {
            t(label, lang): [_cell(v, kind, lang) for v in frame[col]]
            for col, (label, kind) in columns.items()
        }
    )
    # Show every row up to 30 (a leader's screenshot should not hide rows behind a scrollbar);
    # longer tables scroll inside a fixed height (an "auto" height painted blank in a tab).
    height = 38 + 35 * min(len(shown), 30) if len(shown) else "auto"
    # Not pinned: Streamlit draws a pinned column in grey like an index (about 3.5:1 contrast);
    # name and key column are the first two, within a phone's width without scrolling.
    st.dataframe(shown, hide_index=True, width="stretch", height=height)

"""The data-quality page's figures (WHO Data Quality Review dimensions the plan's data supports),
shaped from query results with pandas; no Streamlit, tested on their own.

Completeness: reports received / expected (the reporting rule) and, per received report, activities
given a status / activities the department leads. Timeliness: reports before the deadline (the
reporting queries). Consistency: the data-quality warnings, by rule and importance, explained or not.
"""

from __future__ import annotations

import pandas as pd

from greengrowth.quality import IMPORTANCE

NO_RULES = pd.DataFrame(columns=["rule_id", "kind", "importance", "title_vi", "title_en"])


def completeness(
    reporting: pd.DataFrame, activities: pd.DataFrame, period: int, department: str | None = None
) -> pd.DataFrame:
    """One row per expected department for `period`: received (bool), outcome, activities led and
    with a status, and the share of activities with a status (None when no report arrived)."""
    rows = reporting[reporting["period"] == period]
    if department:
        rows = rows[rows["department_code"] == department]
    acts = activities[activities["period"] == period][
        ["department_code", "activities_led", "with_status"]
    ]
    out = rows[["department_code", "acronym", "name_vi", "name_en", "outcome", "submission_id"]]
    out = out.merge(acts, on="department_code", how="left")
    out["received"] = out["submission_id"].notna()
    led = out["activities_led"].astype("Float64")
    out["share_with_status"] = (100 * out["with_status"].astype("Float64") / led).where(led > 0)
    return out.sort_values("department_code").reset_index(drop=True)


def headline(complete: pd.DataFrame, warnings: pd.DataFrame) -> dict[str, int]:
    """The page's tiles: reports received of expected, on time, activities with a status of those
    led (received reports), warnings and how many of the high ones have no explanation."""
    received = complete[complete["received"]]
    return {
        "expected": len(complete),
        "received": len(received),
        "on_time": int((complete["outcome"] == "on_time").sum()),
        "activities_led": int(received["activities_led"].fillna(0).sum()),
        "with_status": int(received["with_status"].fillna(0).sum()),
        "warnings": len(warnings),
        "unexplained_high": int(
            ((warnings["importance"] == "high") & warnings["explanation"].isna()).sum()
        )
        if not warnings.empty
        else 0,
    }


def warnings_in_scope(
    warnings: pd.DataFrame, period: int, department: str | None = None
) -> pd.DataFrame:
    """The stored warnings of reports up to `period` (and of one department, if chosen)."""
    shown = warnings[warnings["period"] <= period]
    if department:
        shown = shown[shown["department_code"] == department]
    return shown.reset_index(drop=True)


def by_rule(warnings: pd.DataFrame, titles: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per rule (its title in `lang`): importance, warnings explained and unexplained; rules that
    found nothing are left out; most unexplained first, then by importance."""
    if warnings.empty:
        return pd.DataFrame(columns=["rule", "title", "importance", "explained", "unexplained"])
    counts = (
        warnings.assign(explained=warnings["explanation"].notna())
        .groupby(["rule", "importance"])["explained"]
        .agg(explained="sum", total="count")
        .reset_index()
    )
    counts["unexplained"] = counts["total"] - counts["explained"]
    names = dict(zip(titles["rule_id"], titles["title_en" if lang == "en" else "title_vi"],
                     strict=True))  # fmt: skip
    counts["title"] = [names.get(r) or r for r in counts["rule"]]
    counts["rank"] = [IMPORTANCE.index(i) if i in IMPORTANCE else 9 for i in counts["importance"]]
    counts = counts.sort_values(["unexplained", "rank", "total"], ascending=[False, True, False])
    return counts[["rule", "title", "importance", "explained", "unexplained"]].reset_index(
        drop=True
    )

"""Is an indicator on track? The rule, as pure functions (no database, no Streamlit).

The rule follows Open SDG's progress status (sdg-build `progress_measure`), adapted to a plan whose
targets are few:

1. Base: the catalog's baseline (value and year) if the plan gives one, otherwise the first year
   reported. Current: the latest year reported.
2. No target in the plan -> ``no_target``. We say so; we never invent a target (finding F17: the
   plan names no indicators; the province chose most of them for monitoring, and only task 3.2.4
   gives a figure).
3. The target is already reached in the direction that counts (``higher``: current >= target;
   ``lower``: current <= target) -> ``achieved``.
4. The target year has passed (current year >= target year) and the target is not reached ->
   ``off_track``.
5. Fewer than two years of data (current year == base year) -> ``insufficient_data``.
6. Otherwise compare the actual annual rate of change since the base year with the rate needed to
   go from the base to the target by the target year: ``ratio = actual / needed``. Rates are
   compound annual growth rates (Open SDG's CAGR) when base, current and target are all positive,
   and linear change per year otherwise (a CAGR is undefined for zero or negative values). Because
   both rates carry the sign of the direction, the ratio is positive only when the indicator moves
   the right way.
   ratio >= 0.95 -> ``on_track``; 0.5 <= ratio < 0.95 -> ``needs_attention``; ratio < 0.5 (including
   moving the wrong way) -> ``off_track``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

ON_TRACK, NEEDS_ATTENTION = 0.95, 0.5


@dataclass(frozen=True)
class Progress:
    """The judgement and the figures behind it, so a page can show its working."""

    status: str
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    actual_rate: float | None = None
    needed_rate: float | None = None
    ratio: float | None = None


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x != x  # noqa: PLR0124


def annual_rate(start: float, end: float, years: float, *, compound: bool) -> float:
    """Change per year from `start` to `end` over `years`: CAGR, or linear units per year."""
    if years <= 0:
        raise ValueError("years must be positive")
    if compound:
        return (end / start) ** (1 / years) - 1
    return (end - start) / years


def reached(value: float, target: float, direction: str) -> bool:
    """Whether `value` meets `target` in the direction that counts ('higher' or 'lower')."""
    return value <= target if direction == "lower" else value >= target


def progress_status(
    series: Iterable[tuple[int, float]],
    *,
    direction: str = "higher",
    target_value: float | None = None,
    target_year: int | None = None,
    baseline_value: float | None = None,
    baseline_year: int | None = None,
) -> Progress:
    """Judge one indicator from its (year, value) series; see the module docstring for the rule."""
    points = sorted((int(y), float(v)) for y, v in series if not _missing(v) and not _missing(y))
    if _missing(target_value) or _missing(target_year):
        if not points:
            return Progress("no_target")
        year, value = points[-1]
        return Progress("no_target", current_year=year, current_value=value)
    if not points:
        return Progress("no_data")
    target_value, target_year = float(target_value), int(target_year)
    if not _missing(baseline_value) and not _missing(baseline_year):
        base_year, base_value = int(baseline_year), float(baseline_value)
    else:
        base_year, base_value = points[0]
    current_year, current_value = points[-1]
    known = {
        "base_year": base_year,
        "base_value": base_value,
        "current_year": current_year,
        "current_value": current_value,
    }
    if reached(current_value, target_value, direction):
        return Progress("achieved", **known)
    if current_year >= target_year:
        return Progress("off_track", **known)
    if current_year <= base_year or target_year <= base_year:
        return Progress("insufficient_data", **known)
    compound = base_value > 0 and current_value > 0 and target_value > 0
    actual = annual_rate(base_value, current_value, current_year - base_year, compound=compound)
    needed = annual_rate(base_value, target_value, target_year - base_year, compound=compound)
    if needed == 0:  # base already equals the target but the current value slipped away
        return Progress("off_track", **known, actual_rate=actual, needed_rate=needed)
    ratio = actual / needed
    if ratio >= ON_TRACK:
        status = "on_track"
    elif ratio >= NEEDS_ATTENTION:
        status = "needs_attention"
    else:
        status = "off_track"
    return Progress(status, **known, actual_rate=actual, needed_rate=needed, ratio=ratio)


def trend(series: Iterable[tuple[int, float]], direction: str) -> str:
    """Did the latest year move the way the plan wants, compared with the year before?

    Shown beside the judgement for every indicator, so that the many indicators without a target
    (finding F17) still say something: ``improving``, ``worsening``, ``unchanged`` or
    ``insufficient_data`` (fewer than two years).
    """
    points = sorted((int(y), float(v)) for y, v in series if not _missing(v))
    if len(points) < 2:
        return "insufficient_data"
    (_, before), (_, after) = points[-2], points[-1]
    if math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12):
        return "unchanged"
    better = after > before if direction != "lower" else after < before
    return "improving" if better else "worsening"


def judge_indicators(indicators, values):
    """One row per indicator: its latest value and the judgement (pandas in, pandas out).

    `indicators` is the catalog (queries.dashboard.indicators); `values` the province-wide series
    (queries.dashboard.indicator_values).
    """
    import pandas as pd

    rows = []
    for ind in indicators.itertuples(index=False):
        part = values[values["indicator_code"] == ind.indicator_code]
        result = progress_status(
            zip(part["year"], part["value"], strict=True),
            direction=ind.direction or "higher",
            target_value=ind.target_value,
            target_year=ind.target_year,
            baseline_value=ind.baseline_value,
            baseline_year=ind.baseline_year,
        )
        direction = ind.direction or "higher"
        rows.append({
            "indicator_code": ind.indicator_code, **result.__dict__,
            "trend": trend(zip(part["year"], part["value"], strict=True), direction),
        })  # fmt: skip
    columns = ["indicator_code", *Progress.__dataclass_fields__, "trend"]
    return pd.DataFrame(rows, columns=columns)


def indicator_table(indicators, values):
    """The catalog rows with each indicator's judgement beside them (one row per indicator)."""
    return indicators.merge(judge_indicators(indicators, values), on="indicator_code", how="left")

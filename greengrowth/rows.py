"""What a submission reports, one dataclass per row type; field names are the database's column names.

The template layout (loaders.layout) names the field each column fills, validation builds these rows,
and the store inserts them by name: one spelling from the template to the database, no renaming and
no column lists repeated elsewhere.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from datetime import date
from typing import ClassVar


@dataclass(frozen=True)
class ActivityStatus:
    TABLE: ClassVar[str] = "activity_report"
    KEY: ClassVar[tuple[str, ...]] = ("activity_no",)

    activity_no: int
    status: str
    percent_complete: float | None = None
    done_text: str | None = None
    difficulties: str | None = None


@dataclass(frozen=True)
class ActivitySpending:
    TABLE: ClassVar[str] = "activity_spending"
    KEY: ClassVar[tuple[str, ...]] = ("activity_no", "funding_source")

    activity_no: int
    funding_source: str
    amount_million_vnd: float


@dataclass(frozen=True)
class TaskStatus:
    TABLE: ClassVar[str] = "priority_task_report"
    KEY: ClassVar[tuple[str, ...]] = ("task_id",)

    task_id: str
    status: str
    achieved_value: float | None = None
    completed_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class IndicatorValue:
    TABLE: ClassVar[str] = "indicator_value"
    KEY: ClassVar[tuple[str, ...]] = ("indicator_code", "district_code", "year")

    indicator_code: str
    district_code: str | None
    year: int
    value: float
    note: str | None = None


ROW_TYPES = (ActivityStatus, ActivitySpending, TaskStatus, IndicatorValue)


def field_names(row_type: type) -> list[str]:
    """The columns a row type fills, in declaration order."""
    return [f.name for f in fields(row_type)]


def values(row: object) -> tuple:
    """A row's values in field order (for comparing rows)."""
    return astuple(row)

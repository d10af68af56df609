"""The time as the province sees it. Servers often run in UTC; a report dated today in Bình Dương
must not be refused as "in the future" before 07:00, and upload times are shown as local times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PROVINCE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """Local wall-clock time in Vietnam, without tzinfo (stored as DuckDB TIMESTAMP)."""
    return datetime.now(PROVINCE_TZ).replace(tzinfo=None)

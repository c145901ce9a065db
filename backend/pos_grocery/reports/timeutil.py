"""Business days and local hours in the store's time zone, computed from the UTC text every table stores."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pos_grocery.clock import iso_utc

# A UTC quarter-hour bucket of an ISO time `YYYY-MM-DDTHH:MM...`: `YYYY-MM-DDTHH:` + 0..3. Every real time zone
# offset is a multiple of 15 minutes, so a bucket lies inside one local hour whatever the zone (+05:30, +05:45).
QUARTER_SQL = "substr({col}, 1, 14) || (CAST(substr({col}, 15, 2) AS INTEGER) / 15)"


def quarter_sql(col: str) -> str:
    """The SQL expression of a column's UTC quarter-hour bucket."""
    return QUARTER_SQL.format(col=col)


@functools.lru_cache(maxsize=4096)
def local_hour(bucket: str, tz: ZoneInfo) -> int:
    """The store's local hour (0-23) of a UTC quarter-hour bucket."""
    moment = datetime.fromisoformat(bucket[:13] + ":00:00+00:00") + timedelta(minutes=15 * int(bucket[14:]))
    return moment.astimezone(tz).hour


def day_bounds(day: date, tz: ZoneInfo) -> tuple[str, str]:
    """[start, end) of a business day as stored UTC text (local midnight to the next, DST-aware)."""
    start = datetime.combine(day, time(0), tz).astimezone(UTC).timestamp()
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC).timestamp()
    return iso_utc(start), iso_utc(end)


def today(now: float, tz: ZoneInfo) -> date:
    """The business day of an instant."""
    return datetime.fromtimestamp(now, tz).date()

"""UTC timestamps as ISO 8601 text with Z (how every table stores time) and back."""

from __future__ import annotations

import functools
from datetime import UTC, datetime


@functools.lru_cache(maxsize=256)  # a sale stamps the same instant on ~8 rows and its answer
def iso_utc(ts: float) -> str:
    """Epoch seconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (fixed width, so text order is time order)."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> float:
    """An RFC 3339 timestamp (Z or offset) as epoch seconds; ValueError when it is not one."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("timestamp needs a time zone (Z or an offset)")
    return moment.timestamp()

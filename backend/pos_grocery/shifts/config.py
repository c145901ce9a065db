"""Shift and report settings read from the environment (merged into Settings; docs/CONFIGURATION.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_grocery.envvars import integer as _int
from pos_grocery.envvars import text as _env
from pos_grocery.errors import ConfigError

DEFAULT_DENOMINATIONS = "500000,200000,100000,50000,10000,5000,2000,1000,500,200,100"
"""Sri Lankan rupee notes (5000 … 20) and coins (10, 5, 2, 1) in minor units (cents)."""


def _denominations(env: Mapping[str, str]) -> tuple[int, ...]:
    """CASH_DENOMINATIONS: comma-separated notes and coins in minor units, distinct, stored largest first."""
    raw = _env(env, "CASH_DENOMINATIONS", DEFAULT_DENOMINATIONS) or DEFAULT_DENOMINATIONS
    try:
        values = [int(part) for part in raw.replace(" ", "").split(",") if part]
    except ValueError:
        raise ConfigError("CASH_DENOMINATIONS", f"must be whole minor units separated by commas, got {raw!r}") from None
    if not values or len(values) > 40 or any(v < 1 or v > 10**12 for v in values) or len(set(values)) != len(values):
        raise ConfigError("CASH_DENOMINATIONS", f"needs 1-40 distinct amounts between 1 and 10^12, got {raw!r}")
    return tuple(sorted(values, reverse=True))


def shift_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """CASH_MOVEMENT_CASHIER_LIMIT, REPORT_MAX_RANGE_DAYS and CASH_DENOMINATIONS."""
    return {
        "cash_movement_cashier_limit": _int(env, "CASH_MOVEMENT_CASHIER_LIMIT", 500_000, 0, 10**13),
        "report_max_range_days": _int(env, "REPORT_MAX_RANGE_DAYS", 400, 1, 3660),
        "cash_denominations": _denominations(env),
    }

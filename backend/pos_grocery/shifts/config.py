"""Shift and report settings read from the environment (merged into Settings; docs/CONFIGURATION.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_grocery.envvars import integer as _int


def shift_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """CASH_MOVEMENT_CASHIER_LIMIT and REPORT_MAX_RANGE_DAYS."""
    return {
        "cash_movement_cashier_limit": _int(env, "CASH_MOVEMENT_CASHIER_LIMIT", 500_000, 0, 10**13),
        "report_max_range_days": _int(env, "REPORT_MAX_RANGE_DAYS", 400, 1, 3660),
    }

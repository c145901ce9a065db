"""Inventory settings read from the environment (merged into Settings; docs/CONFIGURATION.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_grocery.envvars import boolean as _bool
from pos_grocery.envvars import integer as _int


def inventory_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """STOCK_ALLOW_NEGATIVE, STOCK_ADJUST_APPROVAL_THRESHOLD, NEAR_EXPIRY_DAYS, validated."""
    return {
        "stock_allow_negative": _bool(env, "STOCK_ALLOW_NEGATIVE", True),
        "stock_adjust_approval_threshold": _int(env, "STOCK_ADJUST_APPROVAL_THRESHOLD", 100_000, 0, 10**15),
        "near_expiry_days": _int(env, "NEAR_EXPIRY_DAYS", 30, 1, 3650),
    }

"""Checkout settings read from the environment (merged into Settings); no heavy imports: start-up reads them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pos_grocery.envvars import boolean as _bool
from pos_grocery.envvars import integer as _int
from pos_grocery.envvars import text as _env
from pos_grocery.errors import ConfigError

TAX_ROUNDING_MODES = ("half_up", "half_even", "down")





def _timezone(env: Mapping[str, str]) -> str:
    """STORE_TIMEZONE must name an IANA zone (business days are counted in it)."""
    name = _env(env, "STORE_TIMEZONE", "Asia/Colombo") or "Asia/Colombo"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "STORE_TIMEZONE", f"unknown time zone {name!r}; use an IANA name such as Asia/Colombo"
        ) from None
    return name


def checkout_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """STORE_* / TAX_* / CASH_ROUNDING_* / holds / approval thresholds, validated (docs/CONFIGURATION.md)."""
    store_code = _env(env, "STORE_CODE", "MAIN") or "MAIN"
    if not re.fullmatch(r"[A-Za-z0-9]{1,12}", store_code):
        raise ConfigError(
            "STORE_CODE", f"must be 1-12 letters or digits (it is printed in receipt numbers), got {store_code!r}"
        )
    rounding = _env(env, "TAX_ROUNDING", "half_up").lower() or "half_up"
    if rounding not in TAX_ROUNDING_MODES:
        raise ConfigError("TAX_ROUNDING", f"must be one of {', '.join(TAX_ROUNDING_MODES)}, got {rounding!r}")
    return {
        "store_code": store_code.upper(),
        "store_name": _env(env, "STORE_NAME", "POS Grocery") or "POS Grocery",
        "store_address": _env(env, "STORE_ADDRESS", ""),
        "store_timezone": _timezone(env),
        "receipt_footer": _env(env, "RECEIPT_FOOTER", ""),
        "tax_inclusive": _bool(env, "TAX_INCLUSIVE", True),
        "tax_rounding": rounding,
        "cash_rounding_increment": _int(env, "CASH_ROUNDING_INCREMENT", 0, 0, 100_000),
        "max_held_sales": _int(env, "MAX_HELD_SALES", 10, 1, 1000),
        "hold_expiry_hours": _int(env, "HOLD_EXPIRY_HOURS", 12, 1, 24 * 7),
        "refund_manager_threshold": _int(env, "REFUND_MANAGER_THRESHOLD", 500_000, 0, 10**15),
        "discount_manager_threshold_bp": _int(env, "DISCOUNT_MANAGER_THRESHOLD_BP", 1000, 0, 10_000),
        "discount_manager_threshold_amount": _int(env, "DISCOUNT_MANAGER_THRESHOLD_AMOUNT", 100_000, 0, 10**15),
        "idempotency_retention_hours": _int(env, "IDEMPOTENCY_RETENTION_HOURS", 48, 24, 24 * 365),
    }

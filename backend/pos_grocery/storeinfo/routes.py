"""`GET /api/settings`: the non-secret store settings the lane and the back office read instead of constants.

Read-only (the values come from the environment, docs/CONFIGURATION.md); any signed-in user holding
`settings.read` (cashier, manager, admin, auditor) may read them. Nothing secret is ever included.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get

from pos_grocery.auth.guard import requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import runtime_of
from pos_grocery.money import MINOR_DECIMALS
from pos_grocery.receipts.models import LANGUAGES
from pos_grocery.settings import Settings


class DiscountThreshold(msgspec.Struct, rename="camel", kw_only=True):
    """A manual discount taking off more than either limit needs a manager (0: any discount does)."""

    percent_bp: int
    amount: int


class StoreSettings(msgspec.Struct, rename="camel", kw_only=True):
    """`GET /api/settings`: money in minor units, percentages in basis points."""

    store_code: str
    store_name: str
    currency: str
    minor_digits: int
    cash_rounding_increment: int
    tax_inclusive: bool
    discount_manager_threshold: DiscountThreshold
    refund_manager_threshold: int
    cash_movement_cashier_limit: int
    denominations: list[int]
    store_timezone: str
    receipt_languages: list[str]


def store_settings(s: Settings) -> StoreSettings:
    """The public view of the settings."""
    return StoreSettings(
        store_code=s.store_code,
        store_name=s.store_name,
        currency=s.currency,
        minor_digits=MINOR_DECIMALS,
        cash_rounding_increment=s.cash_rounding_increment,
        tax_inclusive=s.tax_inclusive,
        discount_manager_threshold=DiscountThreshold(
            percent_bp=s.discount_manager_threshold_bp, amount=s.discount_manager_threshold_amount
        ),
        refund_manager_threshold=s.refund_manager_threshold,
        cash_movement_cashier_limit=s.cash_movement_cashier_limit,
        denominations=list(s.cash_denominations),
        store_timezone=s.store_timezone,
        receipt_languages=list(LANGUAGES),
    )


@get("/api/settings", guards=[requires(P.SETTINGS_READ)], tags=["settings"], summary="Store settings (read-only)")
async def get_settings(request: Request[Any, Any, Any]) -> StoreSettings:
    """Currency, rounding, tax convention, approval thresholds, Z denominations, time zone, receipt languages."""
    return store_settings(runtime_of(request).settings)

"""Checkout settings as one value (built once per Settings), the business day and time helpers."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pos_grocery.auth.identity import Identity
from pos_grocery.barcodes import BarcodeConfig
from pos_grocery.catalog.config import build_barcode_config
from pos_grocery.errors import ValidationFailed
from pos_grocery.money import Rounding
from pos_grocery.pricing import ApprovalThreshold, PricingConfig
from pos_grocery.settings import Settings


@dataclass(frozen=True, slots=True)
class Checkout:
    """What checkout rules need from the store settings."""

    store_code: str
    store_lines: tuple[str, ...]
    footer_lines: tuple[str, ...]
    tz: ZoneInfo
    pricing: PricingConfig
    cash_increment: int
    discount_threshold: ApprovalThreshold
    refund_threshold: int
    max_held: int
    hold_seconds: float
    retention_hours: int
    currency: str
    barcodes: BarcodeConfig

    @property
    def rounding(self) -> Rounding:
        """The tax rounding mode (also used for refunds, so a refund mirrors its sale)."""
        return self.pricing.tax_rounding


@functools.lru_cache(maxsize=16)
def checkout_of(settings: Settings) -> Checkout:
    """The checkout view of a Settings value (cached: every sale asks for it)."""
    store_lines = (settings.store_name, *_lines(settings.store_address))
    return Checkout(
        store_code=settings.store_code,
        store_lines=store_lines,
        footer_lines=_lines(settings.receipt_footer),
        tz=ZoneInfo(settings.store_timezone),
        pricing=PricingConfig(prices_include_tax=settings.tax_inclusive, tax_rounding=Rounding(settings.tax_rounding)),
        cash_increment=settings.cash_rounding_increment,
        discount_threshold=ApprovalThreshold(
            percent_bp=settings.discount_manager_threshold_bp, amount=settings.discount_manager_threshold_amount
        ),
        refund_threshold=settings.refund_manager_threshold,
        max_held=settings.max_held_sales,
        hold_seconds=settings.hold_expiry_hours * 3600.0,
        retention_hours=settings.idempotency_retention_hours,
        currency=settings.currency,
        barcodes=build_barcode_config(
            settings.barcode_variable_layouts, settings.barcode_internal_prefixes, settings.barcode_internal_ranges
        ),
    )


def _lines(text: str) -> tuple[str, ...]:
    """A setting holding several receipt lines separated by '|'."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def business_date(ts: float, tz: ZoneInfo) -> str:
    """The store's local calendar day of an instant, as YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, tz).date().isoformat()


def utc_at(ts: float) -> datetime:
    """An aware UTC datetime (what the pricing engine compares rule windows with)."""
    return datetime.fromtimestamp(ts, UTC)


def lane_of(caller: Identity) -> tuple[int, str]:
    """The terminal of the caller's session (a sale belongs to a lane)."""
    if caller.terminal_id is None or caller.terminal_name is None:
        raise ValidationFailed("Sales are made at a terminal: sign in with a PIN at a lane.", "TERMINAL_REQUIRED")
    return caller.terminal_id, caller.terminal_name

"""The device-neutral receipt document: what a sale prints, before any printer dialect is chosen."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

Language = Literal["en", "si", "ta"]
LANGUAGES: tuple[Language, ...] = ("en", "si", "ta")


class AppliedPromotion(msgspec.Struct, frozen=True, kw_only=True):
    """A promotion the pricing engine applied to a line; amount is the saving (positive minor units)."""

    text: str
    amount: int


class ReceiptLine(msgspec.Struct, frozen=True, kw_only=True):
    """One sold item: quantity in thousandths, prices and amount in minor units."""

    name: str
    qty: int
    unit: str
    unit_price: int
    amount: int
    promotions: tuple[AppliedPromotion, ...] = ()


class BillAdjustment(msgspec.Struct, frozen=True, kw_only=True):
    """A bill-level discount or charge; negative amounts reduce the bill."""

    text: str
    amount: int


class TaxSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Tax collected at one rate (basis points) on a taxable base."""

    rate_bp: int
    base: int
    tax: int


class Tender(msgspec.Struct, frozen=True, kw_only=True):
    """One payment: method (cash, card, wallet, account), amount and an optional reference."""

    method: str
    amount: int
    reference: str = ""


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a printed receipt shows; money in integer minor units, quantities in thousandths."""

    store_lines: tuple[str, ...]
    terminal: str
    cashier: str
    receipt_no: str
    business_date: dt.date
    issued_at: dt.datetime
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    total: int
    language: Language = "en"
    adjustments: tuple[BillAdjustment, ...] = ()
    taxes: tuple[TaxSummary, ...] = ()
    cash_rounding: int = 0
    tenders: tuple[Tender, ...] = ()
    change: int = 0
    footer_lines: tuple[str, ...] = ()
    copy: bool = False
    currency: str = "LKR"
    qr: str = ""
    title: str = ""  # e.g. "REFUND": printed bold under the store lines (sale receipts have none)


def format_money(amount: int, digits: int = 2) -> str:
    """Format minor units as a decimal string without floats: 1234 -> '12.34', -5 -> '-0.05'."""
    sign = "-" if amount < 0 else ""
    units, minor = divmod(abs(amount), 10**digits)
    if digits == 0:
        return f"{sign}{units}"
    return f"{sign}{units}.{minor:0{digits}d}"


def format_qty(qty: int) -> str:
    """Format a quantity in thousandths: 2000 -> '2', 1250 -> '1.250'."""
    sign = "-" if qty < 0 else ""
    whole, frac = divmod(abs(qty), 1000)
    return f"{sign}{whole}" if frac == 0 else f"{sign}{whole}.{frac:03d}"


def format_rate(rate_bp: int) -> str:
    """Format a tax rate in basis points: 1800 -> '18%', 825 -> '8.25%'."""
    whole, frac = divmod(rate_bp, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"

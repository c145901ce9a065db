"""Exact conversions of wire decimals (quantities, percentages, major-unit amounts) to integers; never rounds."""

from __future__ import annotations

from decimal import Decimal

from pos_grocery.errors import ValidationFailed
from pos_grocery.money import parse_minor, parse_percent_bp

MAX_QTY = 1_000_000_000
"""Largest quantity in thousandths (one million units or kg)."""


def thousandths(value: Decimal, field: str) -> int:
    """A positive quantity with at most 3 decimals as integer thousandths; 400 INVALID_QUANTITY otherwise."""
    qty = _scaled_3(value)
    if qty is None or not 0 < qty <= MAX_QTY:
        raise ValidationFailed(
            f"{field} must be more than 0 and at most 1000000, with at most 3 decimals (got {value}).",
            "INVALID_QUANTITY",
            field=field,
        )
    return qty


def _scaled_3(value: Decimal) -> int | None:
    """value * 1000 for at most 3 decimals and at most 10 integer digits, else None.

    Both bounds are checked on the exponent before any arithmetic, so the result has at most 13 digits and no
    Decimal context rounding can touch it (a 31-digit `1.000...01` is refused, not rounded to 1).
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -3 or value.adjusted() > 9:
        return None
    return int(value.scaleb(3))


def percent_bp(value: Decimal, field: str) -> int:
    """A percentage 0 < p <= 100 with at most 2 decimals as basis points; 400 INVALID_PERCENT otherwise."""
    try:
        bp = parse_percent_bp(value)
    except (ValueError, TypeError):
        bp = 0
    if not 0 < bp <= 10_000:
        raise ValidationFailed(
            f"{field} must be more than 0 and at most 100, with at most 2 decimals (got {value}).",
            "INVALID_PERCENT",
            field=field,
        )
    return bp


def major_to_minor(value: Decimal, field: str) -> int:
    """A non-negative major-unit amount ('10.00') as minor units, parsed exactly; 400 INVALID_AMOUNT otherwise."""
    try:
        amount = parse_minor(value)
    except (ValueError, TypeError):
        amount = -1
    if not 0 <= amount <= 10**13:
        raise ValidationFailed(
            f"{field} must be an amount of at least 0 with at most 2 decimals (got {value}).",
            "INVALID_AMOUNT",
            field=field,
        )
    return amount

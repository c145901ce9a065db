"""Integer money and quantity arithmetic: exact rounding, parsing, allocation and tax primitives.

Amounts are integers in minor units (cents); quantities are integers in thousandths (grams for kg items);
rates are integers in basis points (1 bp = 0.01 %, 10000 bp = 100 %). Floats are refused everywhere:
every division goes through `div_round`, which is exact for integers of any size.

Public API:
    Rounding                                   half_up (default) | half_even | down
    div_round(numerator, denominator, mode)    exact integer division with one declared rounding
    line_amount(unit_price_minor, qty_thousandths, mode)
    percent_of(amount, rate_bp, mode)          amount * rate / 10000
    tax_from_gross(gross, rate_bp, mode)       tax contained in a tax-inclusive amount
    tax_from_net(net, rate_bp, mode)           tax to add to a tax-exclusive amount
    prorate(amount, part, whole, mode)         amount * part / whole
    allocate(total, weights)                   largest-remainder split that sums exactly
    round_to_increment(amount, increment, mode) cash rounding (100 = 1.00, 5 = 0.05)
    parse_minor / parse_thousandths / parse_percent_bp / parse_scaled   exact decimal parsing
    format_minor / format_thousandths / format_percent_bp              receipt text

Negative numbers round symmetrically: the magnitude is rounded and the sign put back, so
`div_round(-n, d) == -div_round(n, d)` in every mode. "half up" therefore means "half away from zero"
(-2.5 -> -3) and "down" means "toward zero" (-2.7 -> -2). A refund mirrors its sale to the minor unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

BP_SCALE = 10_000
"""Basis points in 100 %."""

QTY_SCALE = 1_000
"""Thousandths in one unit (one kg, one piece)."""

MINOR_DECIMALS = 2
"""Decimals of the minor unit (cents); LKR, USD, EUR all use 2."""

INT64_MAX = 2**63 - 1
"""SQLite stores 64-bit integers: anything parsed from the outside must fit."""

_DECIMAL_TEXT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")

_MAX_DIGITS = 30
"""More integer digits than this cannot fit in 64 bits at any scale; refused before any big-int work."""


class Rounding(StrEnum):
    """How a division that does not come out even is rounded (applied to the magnitude)."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"


def _require_int(name: str, value: object) -> int:
    """Refuse floats (and anything else that is not an int) before they reach money arithmetic."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


def div_round(numerator: int, denominator: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Divide two integers exactly and round the quotient with `mode`, symmetrically around zero."""
    # `type(x) is int` is the common case and a quick test; anything else gets the full check (bools refused).
    if type(numerator) is not int:
        _require_int("numerator", numerator)
    if type(denominator) is not int:
        _require_int("denominator", denominator)
    if denominator == 0:
        raise ZeroDivisionError("div_round: denominator is zero")
    negative = (numerator < 0) != (denominator < 0)
    divisor = abs(denominator)
    quotient, remainder = divmod(abs(numerator), divisor)
    twice = 2 * remainder
    if mode is not Rounding.DOWN and (
        twice > divisor or (twice == divisor and (mode is Rounding.HALF_UP or quotient % 2 == 1))
    ):
        quotient += 1
    return -quotient if negative else quotient


def line_amount(unit_price_minor: int, qty_thousandths: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Amount of `qty_thousandths` at `unit_price_minor` per unit: round(price * qty / 1000)."""
    return div_round(unit_price_minor * qty_thousandths, QTY_SCALE, mode)


def percent_of(amount: int, rate_bp: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """`rate_bp` basis points of `amount`, rounded once."""
    return div_round(amount * rate_bp, BP_SCALE, mode)


def tax_from_gross(gross: int, rate_bp: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Tax contained in a tax-inclusive amount: round(gross * rate / (10000 + rate))."""
    _require_non_negative("rate_bp", rate_bp)
    return div_round(gross * rate_bp, BP_SCALE + rate_bp, mode)


def tax_from_net(net: int, rate_bp: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Tax to add to a tax-exclusive amount: round(net * rate / 10000)."""
    _require_non_negative("rate_bp", rate_bp)
    return div_round(net * rate_bp, BP_SCALE, mode)


def prorate(amount: int, part: int, whole: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Share of `amount` for `part` out of `whole`: round(amount * part / whole)."""
    return div_round(amount * part, whole, mode)


def _require_non_negative(name: str, value: int) -> None:
    """Rates, weights and increments are never negative; a negative one is a data error."""
    if type(value) is int and value >= 0:  # the common case, checked quickly
        return
    if _require_int(name, value) < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` pro rata with the largest remainder method; the parts sum to `total`."""
    _require_int("total", total)
    for weight in weights:
        _require_non_negative("weight", weight)
    whole = sum(weights)
    if whole == 0:
        if total == 0:
            return [0] * len(weights)
        raise ValueError("allocate: cannot split a non-zero total over zero weights")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    parts = [magnitude * weight // whole for weight in weights]
    remainders = [magnitude * weight % whole for weight in weights]
    left = magnitude - sum(parts)
    # The units lost to flooring go to the largest remainders; equal remainders go to the earlier index,
    # so the split depends only on the order the caller chose (line id order in the pricing engine).
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in order[:left]:
        parts[index] += 1
    return [sign * part for part in parts]


def round_to_increment(amount: int, increment: int, mode: Rounding = Rounding.HALF_UP) -> int:
    """Round `amount` to a multiple of `increment` (cash rounding: 5 = 0.05, 100 = 1.00)."""
    _require_int("increment", increment)
    if increment <= 0:
        raise ValueError(f"increment must be positive, got {increment}")
    return div_round(amount, increment, mode) * increment


def _pow10(exponent: int) -> int:
    """10**exponent as an int (typeshed types int ** int as Any because of negative exponents)."""
    if exponent < 0:
        raise ValueError(f"negative scale {exponent}")
    return int(10**exponent)


def parse_scaled(value: str | Decimal | int, decimals: int, *, what: str = "value") -> int:
    """Parse a decimal string/Decimal/int into an integer scaled by 10**decimals; never rounds."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        kind = type(value).__name__
        raise TypeError(f"{what}: expected str, Decimal or int, got {kind} (floats are inexact)")
    if isinstance(value, int):
        result = value * _pow10(decimals)
    elif isinstance(value, Decimal):
        result = _scale_decimal(value, decimals, what)
    else:
        result = _scale_text(value, decimals, what)
    if abs(result) > INT64_MAX:
        raise ValueError(f"{what} {value!s} is out of range")
    return result


def _scale_text(text: str, decimals: int, what: str) -> int:
    """Scale a plain decimal string ('-12.5', '.5', '3.') by digits, with no float in between."""
    match = _DECIMAL_TEXT.fullmatch(text.strip())
    if match is None or (not match.group(2) and not match.group(3)):
        raise ValueError(f"{what} {text!r} is not a decimal number")
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if len(fraction) > decimals:
        raise ValueError(f"{what} {text!r} has {len(fraction)} decimals; at most {decimals} allowed")
    if len(whole.lstrip("0")) > _MAX_DIGITS:
        raise ValueError(f"{what} {text!r} is out of range")
    magnitude = int((whole or "0") + fraction.ljust(decimals, "0"))
    return -magnitude if sign == "-" else magnitude


def _scale_decimal(value: Decimal, decimals: int, what: str) -> int:
    """Scale a finite Decimal by its digit tuple (no context rounding); its exponent counts the decimals."""
    if not value.is_finite():
        raise ValueError(f"{what} {value} is not a finite number")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite Decimals always have an int exponent
    if -exponent > decimals:
        raise ValueError(f"{what} {value} has {-exponent} decimals; at most {decimals} allowed")
    if len(digits) + exponent > _MAX_DIGITS:
        raise ValueError(f"{what} {value} is out of range")
    magnitude = int("".join(map(str, digits)) or "0") * _pow10(exponent + decimals)
    return -magnitude if sign else magnitude


def parse_minor(value: str | Decimal | int, decimals: int = MINOR_DECIMALS) -> int:
    """Parse a major-unit amount ('10.50') into minor units (1050); more decimals is a ValueError."""
    return parse_scaled(value, decimals, what="amount")


def parse_thousandths(value: str | Decimal | int) -> int:
    """Parse a quantity ('1.25') into thousandths (1250); more than 3 decimals is a ValueError."""
    return parse_scaled(value, 3, what="quantity")


def parse_percent_bp(value: str | Decimal | int) -> int:
    """Parse a percentage ('12.5') into basis points (1250); more than 2 decimals is a ValueError."""
    return parse_scaled(value, 2, what="percent")


def _format_scaled(value: int, decimals: int) -> tuple[str, str, str]:
    """Split a scaled integer into sign, whole digits and fraction digits."""
    digits = str(abs(_require_int("value", value))).rjust(decimals + 1, "0")
    cut = len(digits) - decimals
    return ("-" if value < 0 else ""), digits[:cut], digits[cut:]


def format_minor(amount: int, decimals: int = MINOR_DECIMALS) -> str:
    """Minor units as receipt text: 1050 -> '10.50', -5 -> '-0.05'."""
    sign, whole, fraction = _format_scaled(amount, decimals)
    return f"{sign}{whole}.{fraction}" if decimals else f"{sign}{whole}"


def format_thousandths(qty: int) -> str:
    """Thousandths without trailing zeros: 3000 -> '3', 1250 -> '1.25'."""
    sign, whole, fraction = _format_scaled(qty, 3)
    fraction = fraction.rstrip("0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def format_percent_bp(rate_bp: int) -> str:
    """Basis points as a percentage without trailing zeros: 1250 -> '12.5', 1000 -> '10'."""
    sign, whole, fraction = _format_scaled(rate_bp, 2)
    fraction = fraction.rstrip("0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"

"""Parsing one CSV cell: money in major units, quantities, flags, ages, codes; RowError names the column."""

from __future__ import annotations

import re

from pos_grocery.catalog.rules import Rules, classify_code
from pos_grocery.errors import ValidationFailed
from pos_grocery.money import format_minor, format_thousandths, parse_scaled, parse_thousandths

TRUE = ("true", "yes", "y", "1")
FALSE = ("false", "no", "n", "0")
SKU_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
PLU_RE = re.compile(r"[0-9]{4,5}")
# What a spreadsheet makes of a long number it was allowed to treat as one: 4.79123E+12.
EXPONENT_RE = re.compile(r"[0-9.]+[eE]\+?[0-9]+")
CODE_SEPARATORS = re.compile(r"[|\s]+")


class RowError(Exception):
    """One cell (or row) cannot be used: the row is rejected with this reason."""

    def __init__(self, column: str | None, code: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.code = code
        self.reason = reason


def text(value: str, column: str, max_length: int, required: bool = False) -> str:
    """A trimmed text cell within its length (Sinhala/Tamil kept exactly as written)."""
    cleaned = value.strip()
    if required and not cleaned:
        raise RowError(column, "REQUIRED", f"{column} is required")
    if len(cleaned) > max_length:
        raise RowError(column, "TOO_LONG", f"{column} has {len(cleaned)} characters; at most {max_length}")
    return cleaned


def money(value: str, column: str, digits: int, rules: Rules, required: bool = False) -> int | None:
    """An amount in major units ('450.00') as minor units; empty is None; bounded by PRICE_MAX_MINOR."""
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise RowError(column, "REQUIRED", f"{column} is required")
        return None
    if cleaned.startswith("-"):
        raise RowError(column, "NEGATIVE_PRICE", f"{column} {cleaned} is negative")
    try:
        amount = parse_scaled(cleaned, digits, what=column)
    except ValueError as exc:
        raise RowError(column, "INVALID_MONEY", f"{exc} (write it like 1250.50, no thousands separator)") from None
    if amount > rules.price_max:
        raise RowError(column, "PRICE_OUT_OF_RANGE",
                       f"{column} {cleaned} is above the sanity bound {format_minor(rules.price_max, digits)}")
    return amount


def quantity(value: str, column: str) -> int:
    """A quantity with at most 3 decimals as thousandths; empty is 0."""
    cleaned = value.strip()
    if not cleaned:
        return 0
    try:
        amount = parse_thousandths(cleaned)
    except ValueError as exc:
        raise RowError(column, "INVALID_QUANTITY", str(exc)) from None
    if not 0 <= amount <= 10**12:
        raise RowError(column, "INVALID_QUANTITY", f"{column} {cleaned} must be between 0 and 1000000000")
    return amount


def flag(value: str, column: str, default: bool) -> bool:
    """true/false, yes/no, 1/0 (any case); empty is the default."""
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise RowError(column, "INVALID_FLAG", f"{column} must be true or false, not {value.strip()!r}")


def age(value: str, column: str) -> int | None:
    """A minimum age 1-99; empty means not age-restricted."""
    cleaned = value.strip()
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()) or not 1 <= int(cleaned) <= 99:
        raise RowError(column, "INVALID_AGE", f"{column} must be a whole number of years from 1 to 99")
    return int(cleaned)


def sku(value: str, column: str = "sku") -> str:
    """A SKU: letters, digits and . _ / - (up to 64), starting with a letter or digit."""
    cleaned = value.strip()
    if not cleaned:
        raise RowError(column, "REQUIRED", "sku is required")
    if SKU_RE.fullmatch(cleaned) is None:
        raise RowError(column, "INVALID_SKU", f"SKU {cleaned!r} may only use letters, digits and . _ / - (max 64)")
    return cleaned


def plu(value: str, column: str = "plu") -> str | None:
    """A 4- or 5-digit PLU; empty is none."""
    cleaned = value.strip()
    if not cleaned:
        return None
    if PLU_RE.fullmatch(cleaned) is None:
        raise RowError(column, "INVALID_PLU", f"PLU {cleaned!r} must be 4 or 5 digits")
    return cleaned


def codes(value: str, rules: Rules, column: str = "barcodes") -> list[tuple[str, str]]:
    """Barcodes separated by | or spaces, each checked and in canonical form."""
    found: list[tuple[str, str]] = []
    for part in (p for p in CODE_SEPARATORS.split(value.strip()) if p):
        if EXPONENT_RE.fullmatch(part):
            raise RowError(column, "BARCODE_MANGLED",
                           f"{part} looks like a barcode a spreadsheet turned into a number; format the column as text")
        try:
            found.append(classify_code(part, rules, column))
        except ValidationFailed as exc:
            raise RowError(column, exc.code, exc.detail) from None
    return found


def major(amount: int | None, digits: int) -> str:
    """Minor units as a CSV cell in major units ('' for None)."""
    return "" if amount is None else format_minor(amount, digits)


def decimal_text(thousandths: int) -> str:
    """Thousandths as a plain decimal without trailing zeros ('2.5')."""
    return format_thousandths(thousandths)

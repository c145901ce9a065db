"""Catalog settings read from the environment (merged into Settings) and the barcode config built from them."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pos_grocery.envvars import integer as _int
from pos_grocery.envvars import text as _env
from pos_grocery.errors import ConfigError

if TYPE_CHECKING:
    from pos_grocery.barcodes import BarcodeConfig

# Same text as pos_grocery.barcodes.DEFAULT_LAYOUT_SPEC (a test holds them equal): settings are read before
# the API listens, and importing the barcode module (msgspec) there would cost ~25 ms of the start-up SLA.
DEFAULT_LAYOUT_SPEC = "20-24:item5,weight5;25-29:item5,check,price4;02:item5,price5"

DEFAULT_PRICE_MAX_MINOR = 100_000_000
DEFAULT_IMPORT_MAX_ROWS = 200_000
# ISO 4217 minor-unit digits for the currencies that do not use two (CSV files show major units).
_MINOR_DIGITS = {"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3, "JPY": 0, "KRW": 0,
                 "VND": 0, "CLP": 0, "ISK": 0, "PYG": 0, "UGX": 0, "XAF": 0, "XOF": 0}


def minor_digits(currency: str) -> int:
    """Digits after the decimal point in the currency's major unit."""
    return _MINOR_DIGITS.get(currency, 2)




def catalog_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """BARCODE_* / PRICE_MAX_MINOR / CURRENCY / IMPORT_MAX_ROWS, validated (docs/CONFIGURATION.md)."""
    layouts = _env(env, "BARCODE_VARIABLE_LAYOUTS", DEFAULT_LAYOUT_SPEC)
    prefixes = _env(env, "BARCODE_INTERNAL_PREFIXES", "")
    ranges = _env(env, "BARCODE_INTERNAL_RANGES", "")
    if (layouts, prefixes, ranges) != (DEFAULT_LAYOUT_SPEC, "", ""):
        _check_barcode_settings(layouts, prefixes, ranges)
    currency = _env(env, "CURRENCY", "LKR").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ConfigError("CURRENCY", f"must be an ISO 4217 code such as LKR, got {currency!r}")
    return {
        "barcode_variable_layouts": layouts,
        "barcode_internal_prefixes": prefixes,
        "barcode_internal_ranges": ranges,
        "price_max_minor": _int(env, "PRICE_MAX_MINOR", DEFAULT_PRICE_MAX_MINOR, 1, 10**15),
        "currency": currency,
        "import_max_rows": _int(env, "IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS, 1, 10_000_000),
    }


def _check_barcode_settings(layouts: str, prefixes: str, ranges: str) -> None:
    """Parse non-default barcode settings now, so a bad one stops start-up naming the variable."""
    from pos_grocery.barcodes import parse_internal_prefixes, parse_internal_ranges, parse_layouts

    for name, parse, value in (("BARCODE_VARIABLE_LAYOUTS", parse_layouts, layouts),
                               ("BARCODE_INTERNAL_PREFIXES", parse_internal_prefixes, prefixes),
                               ("BARCODE_INTERNAL_RANGES", parse_internal_ranges, ranges)):
        try:
            parse(value)
        except ValueError as exc:
            raise ConfigError(name, str(exc)) from None
    try:
        build_barcode_config(layouts, prefixes, ranges)
    except ValueError as exc:
        name = "BARCODE_INTERNAL_PREFIXES" if "internal" in str(exc) else "BARCODE_VARIABLE_LAYOUTS"
        raise ConfigError(name, str(exc)) from None


@functools.lru_cache(maxsize=8)
def build_barcode_config(layouts: str, prefixes: str, ranges: str) -> BarcodeConfig:
    """The barcode module's config for these setting strings (cached: the scan path calls it per request)."""
    from pos_grocery.barcodes import BarcodeConfig, parse_internal_prefixes, parse_internal_ranges, parse_layouts

    return BarcodeConfig(
        layouts=parse_layouts(layouts),
        internal_prefixes=parse_internal_prefixes(prefixes),
        internal_ranges=parse_internal_ranges(ranges),
    )

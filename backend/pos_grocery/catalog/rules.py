"""Catalog rules shared by the API and CSV imports: prices, quantities, codes, references."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import apsw

from pos_grocery.barcodes import BarcodeConfig, BarcodeError, BarcodeKind, classify, compress_upca
from pos_grocery.catalog.config import build_barcode_config
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Conflict, ValidationFailed
from pos_grocery.money import format_minor, parse_thousandths
from pos_grocery.settings import Settings

PRICE_FIELDS = ("price_retail", "price_wholesale", "price_credit", "price_other", "cost")
# The same amounts as the API names them (error `field` pointers and messages).
PRICE_API_FIELDS = ("prices.retail", "prices.wholesale", "prices.credit", "prices.other", "cost")
MASS_UNITS = ("kg", "g")
MAX_QUANTITY = 10**12  # thousandths
REFERENCES = (("category_id", "categories", "UNKNOWN_CATEGORY", "category"),
              ("tax_class_id", "tax_classes", "UNKNOWN_TAX_CLASS", "tax class"),
              ("supplier_id", "suppliers", "UNKNOWN_SUPPLIER", "supplier"))


@dataclass(frozen=True, slots=True)
class Rules:
    """What catalog rules need from the store settings, as one value."""

    currency: str
    price_max: int
    barcodes: BarcodeConfig
    clock: Callable[[], float]

    @classmethod
    def of(cls, settings: Settings, clock: Callable[[], float]) -> Rules:
        """Rules for these settings (the barcode config is parsed once and cached)."""
        config = build_barcode_config(settings.barcode_variable_layouts, settings.barcode_internal_prefixes,
                                      settings.barcode_internal_ranges)
        return cls(currency=settings.currency, price_max=settings.price_max_minor, barcodes=config, clock=clock)

    def now(self) -> str:
        """The current time as stored (ISO-8601 UTC with Z)."""
        return iso_utc(self.clock())


def check_price(value: int | None, field: str, rules: Rules) -> None:
    """Refuse an amount above the store's sanity bound (PRICE_MAX_MINOR); negatives never reach here."""
    if value is not None and value > rules.price_max:
        raise ValidationFailed(
            f"{field} {format_minor(value)} is above the largest amount allowed, {format_minor(rules.price_max)} "
            "(PRICE_MAX_MINOR).",
            "PRICE_OUT_OF_RANGE", field=field,
        )


def thousandths(value: Decimal | str, field: str) -> int:
    """A quantity with at most 3 decimals as integer thousandths; more decimals are refused, never rounded."""
    try:
        scaled = parse_thousandths(value)
    except (ValueError, InvalidOperation) as exc:
        raise ValidationFailed(f"{field}: {exc}", "INVALID_QUANTITY", field=field) from None
    if not 0 <= scaled <= MAX_QUANTITY:
        raise ValidationFailed(f"{field} must be between 0 and 1000000000.", "INVALID_QUANTITY", field=field)
    return scaled


def check_unit(unit: str, weighed: bool) -> None:
    """A weighed product is sold by mass: its unit is kg or g."""
    if weighed and unit not in MASS_UNITS:
        raise ValidationFailed(f"a weighed product needs unit kg or g, not {unit!r}.", "WEIGHED_NEEDS_MASS_UNIT",
                               field="unit")


def classify_code(text: str, rules: Rules, field: str = "barcodes") -> tuple[str, str]:
    """(canonical code, kind) of a barcode to store on a product; BARCODE_* 400s for unusable codes."""
    try:
        scanned = classify(text, rules.barcodes)
    except BarcodeError as exc:
        raise ValidationFailed(f"barcode {text!r}: {exc.message}", str(exc.code), field=field) from None
    if scanned.kind is BarcodeKind.VARIABLE_MEASURE:
        raise ValidationFailed(
            f"{text} is a variable-measure (scale) code: give the product the PLU {scanned.lookup_key} instead.",
            "BARCODE_VARIABLE_MEASURE", field=field)
    if scanned.kind is BarcodeKind.PLU:
        raise ValidationFailed(f"{text} is a PLU: put it in the plu field.", "BARCODE_IS_PLU", field=field)
    if "/" in scanned.normalized:
        # The scan route takes the code as one path segment (GET /api/products/barcode/{code}).
        raise ValidationFailed(f"code {text!r}: a stored code cannot contain '/'.", "BARCODE_CHARACTERS",
                               field=field)
    return scanned.normalized, scanned.kind.value


def display_code(code: str, kind: str) -> str:
    """A stored code the way it was entered and is printed: UPC-A 12 digits, EAN-8 8, UPC-E 8, else as stored."""
    if kind == "upca" and len(code) == 13:
        return code[1:]
    if kind == "ean8" and len(code) == 13:
        return code[5:]
    if kind == "upce" and len(code) == 13:
        return compress_upca(code[1:]) or code[1:]
    return code


def product_codes(barcodes: Sequence[str], plu: str | None, rules: Rules) -> list[tuple[str, str]]:
    """Every code of a product in canonical form, duplicates (e.g. a UPC-E and its UPC-A) refused."""
    codes = [classify_code(text, rules) for text in barcodes]
    if plu is not None:
        codes.append((plu, "plu"))
    seen: set[str] = set()
    for code, _kind in codes:
        if code in seen:
            raise ValidationFailed(f"code {code} is listed twice (in some form).", "BARCODE_DUPLICATE",
                                   field="barcodes")
        seen.add(code)
    return codes


def check_codes_free(conn: apsw.Connection, codes: Sequence[tuple[str, str]], product_id: int | None) -> None:
    """409 BARCODE_TAKEN when another product holds one of the codes (naming that product)."""
    for code, kind in codes:
        row = fetch_one(conn, "SELECT p.id, p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id "
                              "WHERE b.code = ?", (code,))
        if row is not None and row[0] != product_id:
            what = "PLU" if kind == "plu" else "barcode"
            raise Conflict(f"{what} {code} already belongs to product {row[1]} (id {row[0]}).", "BARCODE_TAKEN",
                           field="plu" if kind == "plu" else "barcodes")


def check_sku_free(conn: apsw.Connection, sku: str, product_id: int | None) -> None:
    """409 SKU_TAKEN when another live product has this SKU (case-insensitive)."""
    row = fetch_one(conn, "SELECT id FROM products WHERE sku = ? AND deleted_at IS NULL", (sku,))
    if row is not None and row[0] != product_id:
        raise Conflict(f"SKU {sku} already belongs to product id {row[0]}.", "SKU_TAKEN", field="sku")


def check_references(conn: apsw.Connection, refs: dict[str, int | None]) -> None:
    """400 UNKNOWN_CATEGORY / UNKNOWN_TAX_CLASS / UNKNOWN_SUPPLIER for ids that name no live row."""
    for field, table, code, label in REFERENCES:
        ref_id = refs.get(field)
        if ref_id is None:
            continue
        row = fetch_one(conn, f"SELECT 1 FROM {table} WHERE id = ? AND deleted_at IS NULL", (ref_id,))
        if row is None:
            raise ValidationFailed(f"there is no {label} with id {ref_id}.", code, field=_camel(field))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)

"""From a cart request to the pricing engine's answer: products, barcodes, quantities, tier, discounts, rules."""

from __future__ import annotations

from dataclasses import dataclass

import apsw
import msgspec

from pos_grocery.barcodes import BarcodeError, BarcodeKind, classify
from pos_grocery.catalog import queries as catalog_queries
from pos_grocery.catalog.service import scan_codes
from pos_grocery.clock import iso_utc
from pos_grocery.errors import ValidationFailed
from pos_grocery.money import line_amount
from pos_grocery.pricing import (
    DiscountType,
    ManualDiscount,
    PricedSale,
    PriceTier,
    SaleLine,
    TierPrices,
    price_sale,
)
from pos_grocery.promotions.queries import live_rules
from pos_grocery.sales import queries as q
from pos_grocery.sales.context import Checkout, utc_at
from pos_grocery.sales.models import CartIn, DiscountIn, LineIn
from pos_grocery.sales.queries import CustomerInfo, ProductInfo
from pos_grocery.sales.values import percent_bp, thousandths


class CartLine(msgspec.Struct, frozen=True):
    """A validated cart line (quantities in thousandths, money in minor units; a Struct: one per line, cheap)."""

    line_no: int
    product: ProductInfo
    qty: int
    scanned_code: str | None = None
    embedded_price: int | None = None
    price_override: int | None = None
    discount: ManualDiscount | None = None


@dataclass(frozen=True, slots=True)
class PricedCart:
    """A cart and its price: what quotes show, holds keep and sales commit."""

    lines: list[CartLine]
    tier: PriceTier
    customer: CustomerInfo | None
    bill_discount: ManualDiscount | None
    priced: PricedSale


@dataclass(frozen=True, slots=True)
class PriceLock:
    """A held sale's locked prices: tier prices per product and the time its promotions were evaluated at."""

    prices: dict[int, TierPrices]
    at: float


def manual_discount(data: DiscountIn, field: str) -> ManualDiscount:
    """A wire discount as the engine's; exactly one of percent and amount."""
    if (data.percent is None) == (data.amount is None):
        raise ValidationFailed("A discount needs exactly one of percent and amount.", "INVALID_DISCOUNT", field=field)
    if data.percent is not None:
        return ManualDiscount(
            type=DiscountType.PERCENT, value=percent_bp(data.percent, field + ".percent"), reason=data.reason.strip()
        )
    assert data.amount is not None
    return ManualDiscount(type=DiscountType.AMOUNT, value=data.amount, reason=data.reason.strip())


def _product(found: dict[int, ProductInfo], line: LineIn, field: str) -> ProductInfo:
    product = found.get(line.product_id)
    if product is None:
        raise ValidationFailed(
            f"There is no product with id {line.product_id}.", "UNKNOWN_PRODUCT", field=field + ".productId"
        )
    if not product.sellable:
        raise ValidationFailed(
            f"Product {line.product_id} is not for sale (inactive or archived).",
            "PRODUCT_INACTIVE",
            field=field + ".productId",
        )
    return product


def _scanned(conn: apsw.Connection, ck: Checkout, line: LineIn, field: str) -> tuple[int | None, int | None]:
    """(weight in grams, embedded price) of a scanned code that must belong to the line's product."""
    assert line.scanned_code is not None
    try:
        scanned = classify(line.scanned_code, ck.barcodes)
    except BarcodeError as exc:
        raise ValidationFailed(exc.message, str(exc.code), field=field + ".scannedCode") from None
    row = catalog_queries.by_code(conn, scan_codes(scanned))
    if row is None or int(row[0]) != line.product_id:
        raise ValidationFailed(
            f"The code {scanned.normalized} is not a code of product {line.product_id}.",
            "BARCODE_PRODUCT_MISMATCH",
            field=field + ".scannedCode",
        )
    if scanned.kind is not BarcodeKind.VARIABLE_MEASURE:
        return None, None
    return scanned.weight_g, scanned.price_minor


def _quantity(line: LineIn, weight_g: int | None, field: str) -> int:
    """The line's quantity: the label's weight, else the sent quantity (one piece for a price label)."""
    sent = None if line.quantity is None else thousandths(line.quantity, field + ".quantity")
    if weight_g is not None:
        if weight_g <= 0:
            raise ValidationFailed("The scale label carries no weight.", "INVALID_QUANTITY", field=field)
        if sent is not None and sent != weight_g:
            raise ValidationFailed(
                f"quantity {line.quantity} differs from the label's weight {weight_g / 1000}.",
                "QUANTITY_MISMATCH",
                field=field + ".quantity",
            )
        return weight_g
    if sent is None:
        if line.scanned_code is not None:
            return 1000
        raise ValidationFailed("quantity is required.", "INVALID_QUANTITY", field=field + ".quantity")
    return sent


def cart_line(conn: apsw.Connection, ck: Checkout, found: dict[int, ProductInfo], line: LineIn, no: int) -> CartLine:
    """Validate one request line."""
    field = f"lines[{no - 1}]"
    product = _product(found, line, field)
    weight_g, embedded = _scanned(conn, ck, line, field) if line.scanned_code is not None else (None, None)
    qty = _quantity(line, weight_g, field)
    if product.unit == "pc" and not product.weighed and qty % 1000:
        raise ValidationFailed(
            f"Product {product.id} is sold in whole pieces.", "FRACTIONAL_QUANTITY", field=field + ".quantity"
        )
    if embedded is not None and embedded <= 0:
        raise ValidationFailed("The price label carries no price.", "INVALID_AMOUNT", field=field + ".scannedCode")
    discount = None if line.discount is None else manual_discount(line.discount, field + ".discount")
    return CartLine(no, product, qty, line.scanned_code, embedded, line.price_override, discount)


def resolve_customer(conn: apsw.Connection, customer_id: int | None) -> CustomerInfo | None:
    """The sale's customer (400 UNKNOWN_CUSTOMER / CUSTOMER_INACTIVE)."""
    if customer_id is None:
        return None
    found = q.customer(conn, customer_id)
    if found is None:
        raise ValidationFailed(f"There is no customer with id {customer_id}.", "UNKNOWN_CUSTOMER", field="customerId")
    if not found.active:
        raise ValidationFailed(f"Customer {customer_id} is inactive.", "CUSTOMER_INACTIVE", field="customerId")
    return found


def engine_line(line: CartLine, lock: PriceLock | None) -> SaleLine:
    """The engine's line: a price override or label price fixes the amount; a lock restores old tier prices."""
    product = line.product
    prices = product.prices
    if lock is not None and product.id in lock.prices:
        prices = lock.prices[product.id]
    fixed = line.embedded_price
    if line.price_override is not None:
        fixed = line_amount(line.price_override, line.qty)
    return SaleLine(
        line_id=line.line_no,
        product_id=product.id,
        category_id=product.category_id,
        qty=line.qty,
        prices=prices,
        tax_rate_bp=product.tax_rate_bp,
        weighed=product.weighed,
        embedded_price=fixed,
        unit=product.unit,
        manual_discount=line.discount,
    )


def price_cart(
    conn: apsw.Connection, ck: Checkout, data: CartIn, now: float, lock: PriceLock | None = None
) -> PricedCart:
    """Validate and price a cart (no writes)."""
    found = q.products(conn, [line.product_id for line in data.lines])
    lines = [cart_line(conn, ck, found, line, no) for no, line in enumerate(data.lines, start=1)]
    customer = resolve_customer(conn, data.customer_id)
    tier = PriceTier(data.price_tier or (customer.type if customer else "retail"))
    bill = None if data.bill_discount is None else manual_discount(data.bill_discount, "billDiscount")
    at = now if lock is None else lock.at
    rules = live_rules(conn, iso_utc(at))
    try:
        priced = price_sale(
            [engine_line(line, lock) for line in lines],
            tier=tier,
            at=utc_at(at),
            rules=rules,
            bill_discount=bill,
            config=ck.pricing,
        )
    except ValueError as exc:
        raise ValidationFailed(f"The cart cannot be priced: {exc}", "PRICING_FAILED") from None
    return PricedCart(lines, tier, customer, bill, priced)

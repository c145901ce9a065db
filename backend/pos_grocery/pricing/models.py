"""Pricing inputs, rules and results: frozen msgspec Structs, snake_case in Python, camelCase on the wire.

Units: money in integer minor units, quantities in integer thousandths (1000 = one piece or one kg),
rates and percentages in basis points (10000 = 100 %). Datetimes are timezone-aware.
Rules are a tagged union on the field `kind` (`msgspec.convert(row, Rule)` picks the class).
Invariants are checked in `__post_init__`, so a bad rule fails when it is built or decoded, not mid-sale.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from pos_grocery.money import BP_SCALE, Rounding


class PriceTier(StrEnum):
    """The price list a sale uses; a customer's type chooses it."""

    RETAIL = "retail"
    WHOLESALE = "wholesale"
    CREDIT = "credit"
    OTHER = "other"


class DiscountType(StrEnum):
    """How a manual discount's value is read."""

    PERCENT = "percent"
    AMOUNT = "amount"


class AdjustmentKind(StrEnum):
    """What changed a line or the bill; receipts and reports group by it."""

    QUANTITY_BREAK = "quantity_break"
    DISCOUNT = "discount"
    MULTIBUY = "multibuy"
    BUY_X_GET_Y = "buy_x_get_y"
    MIX_MATCH = "mix_match"
    MANUAL_LINE = "manual_line"
    MANUAL_BILL = "manual_bill"


class _Frozen(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Base of every pricing Struct: immutable, keyword-only, camelCase on the wire."""


def _check(condition: bool, message: str) -> None:
    """Raise ValueError (msgspec turns it into a ValidationError while decoding)."""
    if not condition:
        raise ValueError(message)


def _check_aware(name: str, value: datetime | None) -> None:
    """Naive datetimes cannot be compared with aware ones; refuse them up front."""
    _check(value is None or value.utcoffset() is not None, f"{name} must be timezone-aware")


class TierPrices(_Frozen, frozen=True, kw_only=True):
    """A product's unit prices per tier; a missing non-retail price falls back to retail."""

    retail: int
    wholesale: int | None = None
    credit: int | None = None
    other: int | None = None

    def __post_init__(self) -> None:
        """Prices are never negative."""
        # One expression, no loop or call: 20 of these are built per sale (one per product line).
        if (
            (self.retail is not None and self.retail < 0)
            or (self.wholesale is not None and self.wholesale < 0)
            or (self.credit is not None and self.credit < 0)
            or (self.other is not None and self.other < 0)
        ):
            raise ValueError("prices must not be negative")

    def for_tier(self, tier: PriceTier) -> int:
        """Unit price for `tier`, falling back to retail."""
        if tier == PriceTier.RETAIL:
            return self.retail
        if tier == PriceTier.WHOLESALE:
            price = self.wholesale
        elif tier == PriceTier.CREDIT:
            price = self.credit
        elif tier == PriceTier.OTHER:
            price = self.other
        else:
            raise KeyError(tier)
        return self.retail if price is None else price


class ManualDiscount(_Frozen, frozen=True, kw_only=True):
    """A cashier's line or bill discount: percent (bp) or amount (minor units), with a reason."""

    type: DiscountType
    value: int
    reason: str = ""

    def __post_init__(self) -> None:
        """Percent 0..100 %, amount non-negative."""
        _check(self.value >= 0, "discount value must not be negative")
        _check(self.type is DiscountType.AMOUNT or self.value <= BP_SCALE, "percent discount above 100 %")


class SaleLine(_Frozen, frozen=True, kw_only=True):
    """One cart line as the checkout hands it to the engine."""

    line_id: int
    product_id: int
    category_id: int | None = None
    qty: int
    prices: TierPrices
    tax_rate_bp: int = 0
    weighed: bool = False
    # From a GS1 variable-measure barcode: fixes the line amount (no tier, break or promotion).
    embedded_price: int | None = None
    # Receipt text only ("kg", "pc", "l"); empty means "kg" for weighed lines, else "pc".
    unit: str = ""
    manual_discount: ManualDiscount | None = None

    def __post_init__(self) -> None:
        """Quantity is non-zero, rate and embedded price non-negative."""
        # Plain ifs, not _check: the messages are only formatted when they are needed (20 lines per sale).
        if self.qty == 0:
            raise ValueError(f"line {self.line_id}: quantity must not be zero")
        if self.tax_rate_bp < 0:
            raise ValueError(f"line {self.line_id}: tax rate must not be negative")
        if self.embedded_price is not None and self.embedded_price < 0:
            raise ValueError(f"line {self.line_id}: embedded price must not be negative")

    @property
    def unit_label(self) -> str:
        """Unit name for receipt texts."""
        return self.unit or ("kg" if self.weighed else "pc")


class _Rule(_Frozen, frozen=True, kw_only=True, tag_field="kind"):
    """Fields every rule has: id (also the tie-breaker), receipt label and date window [from, to)."""

    rule_id: int
    label: str = ""
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def __post_init__(self) -> None:
        """Window bounds are aware and ordered."""
        _check_aware("valid_from", self.valid_from)
        _check_aware("valid_to", self.valid_to)
        if self.valid_from is not None and self.valid_to is not None:
            ordered = self.valid_from < self.valid_to
            _check(ordered, f"rule {self.rule_id}: valid_from must be before valid_to")

    def active_at(self, at: datetime) -> bool:
        """True when `at` is in [valid_from, valid_to): inclusive from, exclusive to."""
        starts = self.valid_from is None or self.valid_from <= at
        return starts and (self.valid_to is None or at < self.valid_to)


class _ScopedRule(_Rule, frozen=True, kw_only=True):
    """A promotion over listed products and/or categories (a line matches either list)."""

    product_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        """A promotion must name what it applies to."""
        super().__post_init__()
        _check(bool(self.product_ids or self.category_ids), f"rule {self.rule_id}: no products or categories")

    def covers(self, product_id: int, category_id: int | None) -> bool:
        """True when the product or its category is in scope."""
        in_category = category_id is not None and category_id in self.category_ids
        return in_category or product_id in self.product_ids


class QuantityBreak(_Rule, frozen=True, kw_only=True, tag="quantity_break"):
    """Unit price `unit_price` for every unit once the sale holds at least `min_qty` of the product."""

    product_id: int
    min_qty: int
    unit_price: int
    tiers: tuple[PriceTier, ...] = ()  # empty: every tier

    def __post_init__(self) -> None:
        """Threshold positive, price non-negative."""
        super().__post_init__()
        _check(self.min_qty > 0, f"rule {self.rule_id}: min_qty must be positive")
        _check(self.unit_price >= 0, f"rule {self.rule_id}: unit_price must not be negative")


class DiscountRule(_ScopedRule, frozen=True, kw_only=True, tag="discount"):
    """Percent (bp) or amount per unit/kg off, optionally capped by quantity and/or amount per sale."""

    percent_bp: int | None = None
    amount_per_unit: int | None = None
    max_qty: int | None = None
    max_amount: int | None = None

    def __post_init__(self) -> None:
        """Exactly one of percent/amount; caps positive."""
        super().__post_init__()
        _check(
            (self.percent_bp is None) != (self.amount_per_unit is None),
            f"rule {self.rule_id}: set exactly one of percent_bp and amount_per_unit",
        )
        _check(0 <= (self.percent_bp or 0) <= BP_SCALE, f"rule {self.rule_id}: percent_bp must be 0..10000")
        _check((self.amount_per_unit or 0) >= 0, f"rule {self.rule_id}: amount_per_unit must not be negative")
        for cap in (self.max_qty, self.max_amount):
            _check(cap is None or cap > 0, f"rule {self.rule_id}: caps must be positive")


class MultibuyRule(_ScopedRule, frozen=True, kw_only=True, tag="multibuy"):
    """`count` items from the scope for `price`, applied as many times as fits."""

    count: int
    price: int

    def __post_init__(self) -> None:
        """At least two items per bundle, price non-negative."""
        super().__post_init__()
        _check(self.count >= 2, f"rule {self.rule_id}: count must be at least 2")
        _check(self.price >= 0, f"rule {self.rule_id}: price must not be negative")


class BuyXGetYRule(_ScopedRule, frozen=True, kw_only=True, tag="buy_x_get_y"):
    """Buy `buy` of the same product, get `get` more at `percent_bp` off (10000 = free)."""

    buy: int
    get: int
    percent_bp: int = BP_SCALE

    def __post_init__(self) -> None:
        """Positive counts, percent 1..100 %."""
        super().__post_init__()
        _check(self.buy >= 1 and self.get >= 1, f"rule {self.rule_id}: buy and get must be positive")
        _check(0 < self.percent_bp <= BP_SCALE, f"rule {self.rule_id}: percent_bp must be 1..10000")


class MixMatchRule(_ScopedRule, frozen=True, kw_only=True, tag="mix_match"):
    """Every `count` items from the group, the cheapest is free."""

    count: int

    def __post_init__(self) -> None:
        """A bundle needs at least two items."""
        super().__post_init__()
        _check(self.count >= 2, f"rule {self.rule_id}: count must be at least 2")


PromotionRule = DiscountRule | MultibuyRule | BuyXGetYRule | MixMatchRule
Rule = QuantityBreak | DiscountRule | MultibuyRule | BuyXGetYRule | MixMatchRule


class PricingConfig(_Frozen, frozen=True, kw_only=True):
    """Store settings the engine needs: price convention and tax rounding."""

    prices_include_tax: bool = True
    tax_rounding: Rounding = Rounding.HALF_UP


class Adjustment(_Frozen, frozen=True, kw_only=True):
    """One change to a line or the bill: signed amount (negative lowers what the customer pays)."""

    kind: AdjustmentKind
    rule_id: int | None
    amount: int
    text: str
    reason: str | None = None


class PricedLine(_Frozen, frozen=True, kw_only=True):
    """A line after pricing. net = base + sum(adjustments) + bill_discount; total = what the customer pays."""

    line_id: int
    product_id: int
    qty: int
    unit_price: int | None  # tier price used; None for embedded-price lines
    base_amount: int
    adjustments: tuple[Adjustment, ...]
    bill_discount: int  # this line's share of the bill discount (signed, <= 0 on sale lines)
    net_amount: int  # after all discounts, in the store's price convention
    tax_rate_bp: int
    tax_amount: int
    taxable_amount: int  # net of tax
    total_amount: int  # including tax


class TaxSummaryLine(_Frozen, frozen=True, kw_only=True):
    """Per-rate sums of the per-line figures."""

    rate_bp: int
    taxable_amount: int
    tax_amount: int
    total_amount: int


class Totals(_Frozen, frozen=True, kw_only=True):
    """Sale totals; every field is the sum of the same field over the lines."""

    base_amount: int
    line_discount: int  # sum of line adjustments (signed)
    bill_discount: int  # signed
    net_amount: int
    taxable_amount: int
    tax_amount: int
    total_amount: int


class PricedSale(_Frozen, frozen=True, kw_only=True):
    """The engine's answer: lines in input order, bill adjustments, tax summary by rate, totals."""

    lines: tuple[PricedLine, ...]
    bill_adjustments: tuple[Adjustment, ...]
    tax_summary: tuple[TaxSummaryLine, ...]
    totals: Totals


class ApprovalThreshold(_Frozen, frozen=True, kw_only=True):
    """Manual discounts above either limit need a manager; None means no limit on that axis."""

    percent_bp: int | None = None
    amount: int | None = None


class SoldLine(_Frozen, frozen=True, kw_only=True):
    """What a sold line cost the customer (from its PricedLine): quantity, total paid, tax in it."""

    qty: int
    total_amount: int
    tax_amount: int

    def __post_init__(self) -> None:
        """Only sale lines (positive quantity) can be returned."""
        _check(self.qty > 0, "a returnable line has a positive quantity")


class Refund(_Frozen, frozen=True, kw_only=True):
    """Money back for a (partial) return: total including tax, the tax in it, and the difference."""

    total_amount: int
    tax_amount: int
    taxable_amount: int


class CashRounding(_Frozen, frozen=True, kw_only=True):
    """Cash tender rounding: the due amount, what is collected, and the difference as its own line."""

    amount: int
    rounded: int
    adjustment: int

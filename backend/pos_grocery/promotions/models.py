"""Wire shapes of stored pricing rules: a tagged union on `kind`, quantities as decimals, money in minor units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Id = Annotated[int, Meta(ge=1, le=2**53)]
Money = Annotated[int, Meta(ge=0, le=10**13, description="Minor units (cents) of the store currency")]
PositiveMoney = Annotated[int, Meta(ge=1, le=10**13, description="Minor units (cents), at least 1")]
Quantity = Annotated[Decimal, Meta(description="Positive, at most 3 decimals (decimal)")]
Percent = Annotated[Decimal, Meta(description="Percent, 0 < p <= 100, at most 2 decimals (decimal)")]
Count = Annotated[int, Meta(ge=1, le=1000)]
Label = Annotated[str, Meta(max_length=100)]
Ids = Annotated[list[Id], Meta(max_length=1000)]
Tier = Literal["retail", "wholesale", "credit", "other"]
Kind = Literal["quantity_break", "discount", "multibuy", "buy_x_get_y", "mix_match"]


class _RuleIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True, tag_field="kind"):
    """Fields of every rule: receipt label, date window [validFrom, validTo) in RFC 3339, active flag."""

    label: Label = ""
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    active: bool = True


class _ScopedIn(_RuleIn, kw_only=True):
    """A promotion over products and/or categories (a line matches either list)."""

    product_ids: Ids = msgspec.field(default_factory=list)
    category_ids: Ids = msgspec.field(default_factory=list)


class QuantityBreakIn(_RuleIn, kw_only=True, tag="quantity_break"):
    """Unit price `unitPrice` for every unit once the sale holds at least `minQuantity` of the product."""

    product_id: Id
    min_quantity: Quantity
    unit_price: Money
    tiers: Annotated[list[Tier], Meta(max_length=4)] = msgspec.field(default_factory=list)


class DiscountRuleIn(_ScopedIn, kw_only=True, tag="discount"):
    """Percent or amount per unit/kg off, optionally capped by quantity and/or amount per sale."""

    percent: Percent | None = None
    amount_per_unit: PositiveMoney | None = None
    max_quantity: Quantity | None = None
    max_amount: PositiveMoney | None = None


class MultibuyIn(_ScopedIn, kw_only=True, tag="multibuy"):
    """`count` items from the scope for `price`."""

    count: Count
    price: Money


class BuyXGetYIn(_ScopedIn, kw_only=True, tag="buy_x_get_y"):
    """Buy `buy` of a product, get `get` more at `percent` off (100 = free)."""

    buy: Count
    get: Count
    percent: Percent = Decimal(100)


class MixMatchIn(_ScopedIn, kw_only=True, tag="mix_match"):
    """Every `count` items from the group, the cheapest is free."""

    count: Count


RuleIn = QuantityBreakIn | DiscountRuleIn | MultibuyIn | BuyXGetYIn | MixMatchIn


class RuleOut(msgspec.Struct, rename="camel", kw_only=True):
    """A stored rule."""

    id: int
    kind: Kind
    rule: RuleIn
    created_at: str
    updated_at: str


class RulePage(msgspec.Struct, rename="camel", kw_only=True):
    """A page of rules by id."""

    items: list[RuleOut]
    next_cursor: str | None

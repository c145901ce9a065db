"""Wire shapes of the catalog (camelCase JSON): products, barcodes, categories, tax classes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from pos_grocery.wire import In, Out

Id = Annotated[int, Meta(ge=1, le=2**53)]
# Bounds any 64-bit-safe amount; the store's sanity bound (PRICE_MAX_MINOR) is checked by the service.
Money = Annotated[int, Meta(ge=0, le=10**15, description="Minor units (cents) of the store currency")]
Quantity = Annotated[Decimal, Meta(description="A quantity, 0 or more, with at most 3 decimals")]
Sku = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
NameEn = Annotated[str, Meta(min_length=1, max_length=200)]
NameOther = Annotated[str, Meta(max_length=200)]
Code = Annotated[str, Meta(min_length=1, max_length=48)]
Plu = Annotated[str, Meta(pattern=r"^[0-9]{4,5}$", description="4 or 5 digits (produce)")]
Age = Annotated[int, Meta(ge=1, le=99)]
Unit = Literal["pc", "kg", "g", "l", "ml"]
Tier = Literal["retail", "wholesale", "credit", "other"]
TIERS: tuple[Tier, ...] = ("retail", "wholesale", "credit", "other")
UNITS: tuple[Unit, ...] = ("pc", "kg", "g", "l", "ml")


class Names(In):
    """A product's names; Sinhala and Tamil are optional."""

    en: NameEn
    si: NameOther | None = None
    ta: NameOther | None = None


class PricesIn(In):
    """Tier prices in minor units; an empty tier falls back to retail."""

    retail: Money
    wholesale: Money | None = None
    credit: Money | None = None
    other: Money | None = None


class PricesPatch(In):
    """Tier prices in a PATCH: tiers present change, null makes a tier fall back to retail, absent ones stay."""

    retail: Money | UnsetType = UNSET
    wholesale: Money | None | UnsetType = UNSET
    credit: Money | None | UnsetType = UNSET
    other: Money | None | UnsetType = UNSET


class ProductCreate(In):
    """`POST /api/products`."""

    sku: Sku
    names: Names
    prices: PricesIn
    unit: Unit = "pc"
    category_id: Id | None = None
    tax_class_id: Id | None = None
    supplier_id: Id | None = None
    cost: Money | None = None
    reorder_level: Quantity = Decimal(0)
    weighed: bool = False
    min_age: Age | None = None
    active: bool = True
    plu: Plu | None = None
    barcodes: Annotated[list[Code], Meta(max_length=20)] = msgspec.field(default_factory=list)


class ProductPatch(In):
    """`PATCH /api/products/{id}`: only the fields present change; null clears an optional field."""

    sku: Sku | UnsetType = UNSET
    names: Names | UnsetType = UNSET
    prices: PricesPatch | UnsetType = UNSET
    unit: Unit | UnsetType = UNSET
    category_id: Id | None | UnsetType = UNSET
    tax_class_id: Id | None | UnsetType = UNSET
    supplier_id: Id | None | UnsetType = UNSET
    cost: Money | None | UnsetType = UNSET
    reorder_level: Quantity | UnsetType = UNSET
    weighed: bool | UnsetType = UNSET
    min_age: Age | None | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    plu: Plu | None | UnsetType = UNSET
    barcodes: Annotated[list[Code], Meta(max_length=20)] | UnsetType = UNSET


MAX_PRICE_CHANGES = 500


class PriceChange(In):
    """One product's new prices in `POST /api/products/price-changes` (the `prices` of a PATCH)."""

    product_id: Id
    prices: PricesPatch


class PriceChangesIn(In):
    """`POST /api/products/price-changes`: 1 to 500 changes, each product at most once, all or nothing."""

    changes: Annotated[list[PriceChange], Meta(min_length=1, max_length=MAX_PRICE_CHANGES)]


class NamesOut(Out):
    """Names as stored (null when a language has none)."""

    en: str
    si: str | None
    ta: str | None


class PricesOut(Out):
    """The effective price of every tier (a tier without its own price shows retail)."""

    retail: int
    wholesale: int
    credit: int
    other: int


class BarcodeOut(Out):
    """One stored code: canonical form (13 digits for EAN/UPC), what it was entered as, and as printed."""

    code: str
    kind: str
    display: str


class Product(Out):
    """A product as the lane and the back office see it."""

    id: int
    sku: str
    names: NamesOut
    unit: str
    category_id: int | None
    tax_class_id: int | None
    supplier_id: int | None
    prices: PricesOut
    # Tiers that have no price of their own and show the retail price.
    prices_from_retail: list[str]
    cost: int | None
    reorder_level: float
    weighed: bool
    age_restricted: bool
    min_age: int | None
    active: bool
    plu: str | None
    barcodes: list[BarcodeOut]
    currency: str
    created_at: str
    updated_at: str
    archived_at: str | None


class PriceChangesOut(Out):
    """The answer to a price change batch: how many products' prices changed, and every product as it is now."""

    changed: int
    products: list[Product]


class ScanOut(Out):
    """What was scanned: the code as read, its kind, and any weight or price it carried."""

    code: str
    kind: str
    normalized: str
    lookup_key: str
    weight_g: int | None = None
    price_minor: int | None = None


class ScanMatch(Product):
    """`GET /api/products/barcode/{code}`: the product plus what the scan carried."""

    scan: ScanOut


class ProductPage(Out):
    """A page of products."""

    items: list[Product]
    next_cursor: str | None


class Deleted(Out):
    """The answer to a DELETE: `deleted` (gone) or `archived` (kept because other records refer to it)."""

    id: int
    outcome: Literal["deleted", "archived"]


class CategoryIn(In):
    """`POST /api/categories`, `PATCH /api/categories/{id}`."""

    name: Annotated[str, Meta(min_length=1, max_length=100)]


class Category(Out):
    """A product category."""

    id: int
    name: str
    created_at: str
    updated_at: str


class CategoryPage(Out):
    """A page of categories."""

    items: list[Category]
    next_cursor: str | None


class TaxClassIn(In):
    """`POST /api/tax-classes`."""

    name: Annotated[str, Meta(min_length=1, max_length=100)]
    rate_bp: Annotated[int, Meta(ge=0, le=10000, description="Rate in basis points (1800 = 18%)")]


class TaxClassPatch(In):
    """`PATCH /api/tax-classes/{id}`."""

    name: Annotated[str, Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    rate_bp: Annotated[int, Meta(ge=0, le=10000)] | UnsetType = UNSET


class TaxClass(Out):
    """A tax class and its rate in basis points."""

    id: int
    name: str
    rate_bp: int
    created_at: str
    updated_at: str


class TaxClassPage(Out):
    """A page of tax classes."""

    items: list[TaxClass]
    next_cursor: str | None

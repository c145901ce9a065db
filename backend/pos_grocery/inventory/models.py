"""Wire shapes of the inventory API (camelCase JSON; quantities as exact decimals, money in minor units)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from msgspec import Meta

from pos_grocery.pagination import MAX_ID
from pos_grocery.wire import In
from pos_grocery.wire import Out as Base

Id = Annotated[int, Meta(ge=1, le=MAX_ID)]
Money = Annotated[int, Meta(ge=0, le=10**13)]
# msgspec cannot bound a Decimal: the service checks the sign, at most 3 decimals and the bound.
Quantity = Annotated[Decimal, Meta(description="At most 3 decimals (kg to the gram), magnitude <= 1000000 (decimal)")]
Reason = Annotated[str, Meta(min_length=1, max_length=200)]
Note = Annotated[str, Meta(max_length=1000)]
Pin = Annotated[str, Meta(min_length=4, max_length=6, pattern=r"^[0-9]+$")]
Day = Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
AdjustKind = Literal["adjustment", "write_off", "waste"]
MovementKind = Literal[
    "sale", "return", "void", "write_off", "waste", "adjustment", "receipt", "stocktake", "transfer_in", "transfer_out"
]


# --- stock ---------------------------------------------------------------------------------------------------


class StockItem(Base, kw_only=True):
    """A product's stock: on hand, reorder level, moving-average cost and value at that cost."""

    product_id: int
    sku: str
    name: str
    unit: str
    on_hand: float
    reorder_level: float
    unit_cost: int | None
    value: int | None
    low: bool
    negative: bool
    updated_at: str | None


class StockPage(Base, kw_only=True):
    """A page of stock items."""

    items: list[StockItem]
    next_cursor: str | None
    currency: str


class Movement(Base, kw_only=True):
    """One ledger row: signed quantity (negative leaves the shelf), the document it belongs to."""

    id: int
    product_id: int
    kind: str
    quantity: float
    ref_type: str | None
    ref_id: int | None
    unit_cost: int | None
    created_at: str


class MovementPage(Base, kw_only=True):
    """A product's movements, newest first; onHand is the stock now."""

    product_id: int
    on_hand: float
    items: list[Movement]
    next_cursor: str | None


class ValuationGroup(Base, kw_only=True):
    """Valuation of one category (or of products without one)."""

    category_id: int | None
    category: str | None
    products: int
    value: int


class Valuation(Base, kw_only=True):
    """Stock value at moving-average cost (docs/INVENTORY.md "Valuation")."""

    value: int
    products: int
    products_without_cost: int
    negative_products: int
    by_category: list[ValuationGroup]
    currency: str
    formula: str


# --- adjustments ---------------------------------------------------------------------------------------------


class AdjustLine(In, kw_only=True):
    """A product and a quantity: signed for `adjustment`, the amount removed for write_off/waste."""

    product_id: Id
    quantity: Quantity


class AdjustmentCreate(In, kw_only=True):
    """`POST /api/stock-adjustments`."""

    kind: AdjustKind
    reason: Reason
    note: Note = ""
    lines: Annotated[list[AdjustLine], Meta(min_length=1, max_length=500)]
    manager_pin: Pin | None = None


class AdjustmentLineOut(Base, kw_only=True):
    """One line of an adjustment as written."""

    product_id: int
    quantity: float
    unit_cost: int | None
    on_hand: float


class AdjustmentOut(Base, kw_only=True):
    """A written adjustment."""

    id: int
    kind: str
    reason: str
    note: str
    created_by: int | None
    approved_by: int | None
    created_at: str
    lines: list[AdjustmentLineOut]
    loss_value: int


# --- alerts and reordering -----------------------------------------------------------------------------------


class LowStockItem(Base, kw_only=True):
    """A product at or below its reorder level (or below zero)."""

    product_id: int
    sku: str
    name: str
    on_hand: float
    reorder_level: float
    negative: bool
    supplier_id: int | None


class LowStockPage(Base, kw_only=True):
    """Low-stock alerts."""

    items: list[LowStockItem]
    next_cursor: str | None


class ReorderLine(Base, kw_only=True):
    """Suggested quantity: up to twice the reorder level (docs/INVENTORY.md)."""

    product_id: int
    sku: str
    name: str
    on_hand: float
    reorder_level: float
    suggested_quantity: float
    unit_cost: int | None
    estimated_cost: int | None


class ReorderGroup(Base, kw_only=True):
    """Suggestions for one preferred supplier (supplierId null: products without one)."""

    supplier_id: int | None
    supplier: str | None
    lines: list[ReorderLine]
    estimated_cost: int


class ReorderSuggestions(Base, kw_only=True):
    """Reorder suggestions grouped by preferred supplier."""

    groups: list[ReorderGroup]
    currency: str


class ExpiryItem(Base, kw_only=True):
    """A received batch expiring within the window, with its estimated quantity left (first in, first out)."""

    batch_id: int
    product_id: int
    sku: str
    name: str
    batch: str | None
    expiry: str
    days_left: int
    received: float
    estimated_remaining: float
    grn_id: int


class ExpiryPage(Base, kw_only=True):
    """Near-expiry batches, soonest first."""

    items: list[ExpiryItem]
    days: int


# --- labels --------------------------------------------------------------------------------------------------


class LabelsIn(In, kw_only=True):
    """`POST /api/labels`: products (each `copies` times) or every line of a posted GRN (one per unit piece)."""

    kind: Literal["shelf", "barcode"] = "shelf"
    product_ids: Annotated[list[Id], Meta(max_length=500)] | None = None
    grn_id: Id | None = None
    language: Literal["en", "si", "ta"] = "en"
    preset: Literal["a4", "roll"] = "a4"
    symbology: Literal["auto", "ean13", "code128"] = "auto"
    copies: Annotated[int, Meta(ge=1, le=100)] = 1

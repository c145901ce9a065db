"""Wire shapes of goods received notes and stocktakes (camelCase JSON; see models.py for the shared types)."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from pos_grocery.inventory.models import Day, Id, Money, Note, Pin, Quantity, Reason
from pos_grocery.wire import In
from pos_grocery.wire import Out as Base

# --- goods received ------------------------------------------------------------------------------------------


class GrnLineIn(In, kw_only=True):
    """One received line: quantity > 0, unit cost and MRP in minor units, optional batch and expiry."""

    product_id: Id
    quantity: Quantity
    unit_cost: Money
    mrp: Money | None = None
    batch: Annotated[str, Meta(max_length=60)] | None = None
    expiry: Day | None = None


class GrnCreate(In, kw_only=True):
    """`POST /api/grns` (a draft) and `PUT /api/grns/{id}` (replace a draft)."""

    supplier_id: Id
    reference: Annotated[str, Meta(max_length=100)] = ""
    freight: Money = 0
    other_costs: Money = 0
    note: Note = ""
    lines: Annotated[list[GrnLineIn], Meta(min_length=1, max_length=1000)]


class GrnVoid(In, kw_only=True):
    """`POST /api/grns/{id}/void`."""

    reason: Reason


class GrnLineOut(Base, kw_only=True):
    """A GRN line; landedUnitCost (unit cost + share of freight and other costs) once posted or previewed."""

    line_no: int
    product_id: int
    sku: str
    name: str
    quantity: float
    unit_cost: int
    mrp: int | None
    batch: str | None
    expiry: str | None
    line_value: int
    extra_cost: int
    landed_unit_cost: int


class GrnOut(Base, kw_only=True):
    """A goods received note."""

    id: int
    supplier_id: int
    supplier: str
    reference: str
    status: Literal["draft", "posted", "void"]
    freight: int
    other_costs: int
    note: str
    goods_value: int
    total_cost: int
    lines: list[GrnLineOut]
    created_by: int | None
    created_at: str
    posted_at: str | None
    posted_by: int | None
    voided_at: str | None
    void_reason: str | None
    currency: str


class GrnSummary(Base, kw_only=True):
    """A GRN in a list."""

    id: int
    supplier_id: int
    supplier: str
    reference: str
    status: str
    lines: int
    created_at: str
    posted_at: str | None


class GrnPage(Base, kw_only=True):
    """A page of GRNs, newest first."""

    items: list[GrnSummary]
    next_cursor: str | None


# --- stocktake -----------------------------------------------------------------------------------------------


class StocktakeCreate(In, kw_only=True):
    """`POST /api/stocktakes`: everything, or one category."""

    scope: Literal["full", "category"] = "full"
    category_id: Id | None = None
    note: Note = ""


class CountIn(In, kw_only=True):
    """A count: a scanned barcode (quantity > 0, default 1) or a product id (quantity may be negative to correct)."""

    barcode: Annotated[str, Meta(min_length=1, max_length=48)] | None = None
    product_id: Id | None = None
    quantity: Quantity | None = None


class CountOut(Base, kw_only=True):
    """A recorded count and the product's total so far in this stocktake (every counter together)."""

    id: int
    stocktake_id: int
    product_id: int
    name: str
    quantity: float
    total_counted: float


class ExceptionOut(Base, kw_only=True):
    """A scan that matched no product of the stocktake (kept for the manager to resolve)."""

    id: int
    code: str
    product_id: int | None
    reason: str
    quantity: float
    counted_by: int | None
    created_at: str


class ExceptionPage(Base, kw_only=True):
    """A stocktake's exception list."""

    items: list[ExceptionOut]
    next_cursor: str | None


class VarianceOut(Base, kw_only=True):
    """Counted against the ledger when the count started; value at moving-average cost."""

    product_id: int
    sku: str
    name: str
    expected: float
    counted: float
    variance: float
    unit_cost: int | None
    variance_value: int | None


class VariancePage(Base, kw_only=True):
    """Variances of counted products."""

    items: list[VarianceOut]
    next_cursor: str | None


class StocktakeOut(Base, kw_only=True):
    """A stocktake session."""

    id: int
    scope: str
    category_id: int | None
    status: Literal["open", "finalised", "cancelled"]
    start_movement_id: int
    note: str
    created_by: int | None
    created_at: str
    closed_at: str | None
    closed_by: int | None
    approved_by: int | None
    counted_products: int
    count_entries: int
    exceptions: int


class StocktakePage(Base, kw_only=True):
    """A page of stocktakes, newest first."""

    items: list[StocktakeOut]
    next_cursor: str | None


class FinaliseIn(In, kw_only=True):
    """`POST /api/stocktakes/{id}/finalise`: a manager PIN when losses pass the threshold."""

    manager_pin: Pin | None = None


class FinaliseOut(Base, kw_only=True):
    """What finalising wrote."""

    stocktake: StocktakeOut
    adjusted_products: int
    gain_value: int
    loss_value: int


class CancelIn(In, kw_only=True):
    """`POST /api/stocktakes/{id}/cancel`."""

    reason: Reason

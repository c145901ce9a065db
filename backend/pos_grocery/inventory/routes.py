"""`/api/stock`, `/api/stock-adjustments`, `/api/inventory/*` (alerts, valuation) and `/api/labels`: thin handlers."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter

from pos_grocery import idempotency
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.errors import ValidationFailed
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.inventory import adjust, alerts, stock
from pos_grocery.inventory import models as m
from pos_grocery.inventory.label_source import label_items
from pos_grocery.inventory.labels import render_pages, to_pdf
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor

AnyRequest = Request[Any, Any, Any]
ProductId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
KeyHeader = Annotated[
    str | None,
    HeaderParameter(name=idempotency.HEADER, max_length=64,
                    description="Client-generated UUID; a retry sends the same"),
]
MAX_LABELS = 2000


class StockController(Controller):
    """Stock on hand, a product's movements, valuation."""

    path = "/api/stock"
    tags = ["inventory"]  # noqa: RUF012

    @get("/", guards=[requires(P.INVENTORY_READ)], summary="Stock on hand per product")
    async def list_stock(
        self,
        request: AnyRequest,
        category_id: Annotated[int | None, QueryParameter(name="categoryId", ge=1, le=MAX_ID)] = None,
        supplier_id: Annotated[int | None, QueryParameter(name="supplierId", ge=1, le=MAX_ID)] = None,
        low: Annotated[bool, QueryParameter(description="Only products at or below their reorder level")] = False,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> m.StockPage:
        """Live products by id with on hand, reorder level, moving-average cost and value."""
        rt = runtime_of(request)
        filters = {"category_id": category_id, "supplier_id": supplier_id, "low": low}
        return stock.list_stock(rt.db.reader, filters, decode_cursor(cursor), limit, rt.settings.currency)

    @get("/valuation", guards=[requires(P.INVENTORY_READ)], summary="Stock value at moving-average cost")
    async def valuation(self, request: AnyRequest) -> m.Valuation:
        """Total and per category; negative stock counts 0; products without a cost are counted, not valued."""
        rt = runtime_of(request)
        currency = rt.settings.currency
        return await rt.db.run_in_thread(lambda conn: stock.valuation(conn, currency))

    @get("/{product_id:int}", guards=[requires(P.INVENTORY_READ)], summary="One product's stock")
    async def get_stock(self, request: AnyRequest, product_id: ProductId) -> m.StockItem:
        """On hand, reorder level, cost and value."""
        return stock.get_stock(runtime_of(request).db.reader, product_id)

    @get("/{product_id:int}/movements", guards=[requires(P.INVENTORY_READ)], summary="A product's movements")
    async def movements(self, request: AnyRequest, product_id: ProductId, limit: Limit = DEFAULT_LIMIT,
                        cursor: Cursor = None) -> m.MovementPage:
        """Newest first, every kind (sale, return, void, receipt, adjustment, write_off, waste, stocktake)."""
        before = decode_cursor(cursor)
        return await runtime_of(request).db.run_in_thread(
            lambda conn: stock.movements(conn, product_id, before, limit))


class AdjustmentsController(Controller):
    """Adjustments (signed, with a reason), write-offs and waste."""

    path = "/api/stock-adjustments"
    tags = ["inventory"]  # noqa: RUF012

    @post("/", guards=[requires(P.INVENTORY_ADJUST)], status_code=201, summary="Adjust, write off or waste stock")
    async def create(self, request: AnyRequest, data: JSONBody[m.AdjustmentCreate],
                     idempotency_key: KeyHeader = None) -> Response[m.AdjustmentOut]:
        """Exactly once per Idempotency-Key; a loss above STOCK_ADJUST_APPROVAL_THRESHOLD needs managerPin."""
        key = idempotency.parse_key(idempotency_key)
        assert key is not None
        body = await exact(request, m.AdjustmentCreate)
        out, status = await adjust.create(runtime_of(request), identity_of(request), body, key,
                                          request_id_of(request))
        return Response(out, status_code=status)

    @get("/{adjustment_id:int}", guards=[requires(P.INVENTORY_READ)], summary="One adjustment")
    async def get_adjustment(self, request: AnyRequest, adjustment_id: RowId) -> m.AdjustmentOut:
        """An adjustment with its lines."""
        return adjust.get(runtime_of(request), adjustment_id)


class InventoryController(Controller):
    """Low-stock alerts, reorder suggestions, near-expiry batches."""

    path = "/api/inventory"
    tags = ["inventory"]  # noqa: RUF012

    @get("/low-stock", guards=[requires(P.INVENTORY_READ)], summary="Low-stock and negative-stock alerts")
    async def low_stock(self, request: AnyRequest, limit: Limit = DEFAULT_LIMIT,
                        cursor: Cursor = None) -> m.LowStockPage:
        """At or below the reorder level (when one is set), or below zero."""
        rt = runtime_of(request)
        after = decode_cursor(cursor)
        return await rt.db.run_in_thread(lambda conn: alerts.low_stock(conn, after, limit))

    @get("/reorder-suggestions", guards=[requires(P.INVENTORY_READ)], summary="Reorder suggestions by supplier")
    async def reorder(self, request: AnyRequest) -> m.ReorderSuggestions:
        """Low-stock products grouped by preferred supplier, ordered up to twice the reorder level."""
        rt = runtime_of(request)
        currency = rt.settings.currency
        return await rt.db.run_in_thread(lambda conn: alerts.reorder(conn, currency))

    @get("/near-expiry", guards=[requires(P.INVENTORY_READ)], summary="Batches near (or past) expiry")
    async def near_expiry(
        self,
        request: AnyRequest,
        days: Annotated[int | None, QueryParameter(ge=0, le=3650, description="Default NEAR_EXPIRY_DAYS")] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> m.ExpiryPage:
        """Soonest first, with the quantity estimated left of each batch (first in, first out)."""
        rt = runtime_of(request)
        window = rt.settings.near_expiry_days if days is None else days
        tz, now = rt.settings.store_timezone, rt.clock()
        return await rt.db.run_in_thread(lambda conn: alerts.near_expiry(conn, tz, now, window, limit))


class LabelsController(Controller):
    """Shelf and barcode labels as a PDF."""

    path = "/api/labels"
    tags = ["inventory"]  # noqa: RUF012

    @post("/", guards=[requires(P.LABELS_PRINT)], status_code=200, media_type="application/pdf",
          summary="Shelf or barcode labels (PDF)")
    async def labels(self, request: AnyRequest, data: JSONBody[m.LabelsIn]) -> Response[bytes]:
        """For productIds or a posted GRN; A4 sheet (3 x 7) or roll (50 x 30 mm); EAN-13 or Code 128."""
        rt = runtime_of(request)
        currency = rt.settings.currency

        def render(conn: Any) -> bytes:
            items = label_items(conn, data, currency)
            if len(items) > MAX_LABELS:
                raise ValidationFailed(f"{len(items)} labels asked for; at most {MAX_LABELS} per request.",
                                       "TOO_MANY_LABELS")
            try:
                return to_pdf(render_pages(items, data.kind, data.preset, data.symbology))
            except ValueError as exc:
                raise ValidationFailed(f"{exc}; use symbology auto or code128.", "LABEL_SYMBOLOGY",
                                       field="symbology") from None

        pdf = await rt.db.run_in_thread(render)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="labels.pdf"'})


def inventory_routers() -> list[Any]:
    """Every inventory controller."""
    from pos_grocery.inventory.doc_routes import GrnsController, StocktakesController

    return [StockController, AdjustmentsController, InventoryController, LabelsController, GrnsController,
            StocktakesController]

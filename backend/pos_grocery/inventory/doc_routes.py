"""`/api/grns` (goods received) and `/api/stocktakes`: thin handlers over inventory/grn.py and stocktake.py."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody, QueryParameter

from pos_grocery import idempotency
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.inventory import doc_models as m
from pos_grocery.inventory import grn, stocktake
from pos_grocery.inventory.routes import AnyRequest, Cursor, KeyHeader, Limit, RowId
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, decode_cursor


class GrnsController(Controller):
    """Goods received notes: draft, post (manager, exactly once), void."""

    path = "/api/grns"
    tags = ["inventory"]  # noqa: RUF012

    @post("/", guards=[requires(P.GOODS_RECEIVE)], status_code=201, summary="Create a draft GRN")
    async def create(self, request: AnyRequest, data: JSONBody[m.GrnCreate]) -> m.GrnOut:
        """Lines with quantity > 0, unit cost, MRP, batch, expiry; nothing moves until it is posted."""
        body = await exact(request, m.GrnCreate)
        return grn.create(runtime_of(request), identity_of(request), body, request_id_of(request))

    @get("/", guards=[requires(P.INVENTORY_READ)], summary="List GRNs")
    async def list_grns(
        self,
        request: AnyRequest,
        status: Annotated[Literal["draft", "posted", "void"] | None, QueryParameter()] = None,
        supplier_id: Annotated[int | None, QueryParameter(name="supplierId", ge=1, le=MAX_ID)] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> m.GrnPage:
        """Newest first."""
        return grn.list_grns(runtime_of(request).db.reader, status, supplier_id, decode_cursor(cursor), limit)

    @get("/{grn_id:int}", guards=[requires(P.INVENTORY_READ)], summary="One GRN")
    async def get_grn(self, request: AnyRequest, grn_id: RowId) -> m.GrnOut:
        """With landed costs per line (freight and other costs spread by value)."""
        rt = runtime_of(request)
        return grn.get(rt.db.reader, grn_id, rt.settings.currency)

    @put("/{grn_id:int}", guards=[requires(P.GOODS_RECEIVE)], summary="Replace a draft GRN")
    async def replace(self, request: AnyRequest, grn_id: RowId, data: JSONBody[m.GrnCreate]) -> m.GrnOut:
        """Only drafts change (409 GRN_NOT_DRAFT / GRN_VOID)."""
        body = await exact(request, m.GrnCreate)
        return grn.replace(runtime_of(request), identity_of(request), grn_id, body, request_id_of(request))

    @post("/{grn_id:int}/post", guards=[requires(P.GOODS_RECEIVE)], status_code=200, summary="Post a GRN")
    async def post_grn(self, request: AnyRequest, grn_id: RowId,
                       idempotency_key: KeyHeader = None) -> Response[m.GrnOut]:
        """Receipt movements, batches and moving-average costs in one transaction, once per Idempotency-Key."""
        key = idempotency.parse_key(idempotency_key)
        assert key is not None
        out, status = grn.post_grn(runtime_of(request), identity_of(request), grn_id, key, request_id_of(request))
        return Response(out, status_code=status)

    @post("/{grn_id:int}/void", guards=[requires(P.GOODS_RECEIVE)], status_code=200, summary="Void a draft GRN")
    async def void(self, request: AnyRequest, grn_id: RowId, data: JSONBody[m.GrnVoid]) -> m.GrnOut:
        """A posted GRN is corrected with a stock adjustment instead (409 GRN_NOT_DRAFT)."""
        return grn.void(runtime_of(request), identity_of(request), grn_id, data, request_id_of(request))


class StocktakesController(Controller):
    """Stocktake sessions: counts from several counters, variance, finalise (manager)."""

    path = "/api/stocktakes"
    tags = ["inventory"]  # noqa: RUF012

    @post("/", guards=[requires(P.STOCKTAKE_MANAGE)], status_code=201, summary="Start a stocktake")
    async def start(self, request: AnyRequest, data: JSONBody[m.StocktakeCreate]) -> m.StocktakeOut:
        """Full or one category; variance is measured against the ledger as it is now."""
        return stocktake.start(runtime_of(request), identity_of(request), data, request_id_of(request))

    @get("/", guards=[requires(P.STOCKTAKE_COUNT)], summary="List stocktakes")
    async def list_stocktakes(
        self,
        request: AnyRequest,
        status: Annotated[Literal["open", "finalised", "cancelled"] | None, QueryParameter()] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> m.StocktakePage:
        """Newest first."""
        return stocktake.list_stocktakes(runtime_of(request).db.reader, status, decode_cursor(cursor), limit)

    @get("/{stocktake_id:int}", guards=[requires(P.STOCKTAKE_COUNT)], summary="One stocktake")
    async def get_stocktake(self, request: AnyRequest, stocktake_id: RowId) -> m.StocktakeOut:
        """Status and counts so far."""
        return stocktake.get(runtime_of(request).db.reader, stocktake_id)

    @post("/{stocktake_id:int}/counts", guards=[requires(P.STOCKTAKE_COUNT)], status_code=201,
          summary="Count a product (scan or typed)")
    async def count(self, request: AnyRequest, stocktake_id: RowId, data: JSONBody[m.CountIn]) -> m.CountOut:
        """Adds to the product's count; an unknown code is kept on the exception list (404 UNKNOWN_BARCODE)."""
        body = await exact(request, m.CountIn)
        return stocktake.count(runtime_of(request), identity_of(request), stocktake_id, body,
                               request_id_of(request))

    @get("/{stocktake_id:int}/exceptions", guards=[requires(P.STOCKTAKE_COUNT)],
         summary="Counts that matched no product of the stocktake")
    async def exceptions(self, request: AnyRequest, stocktake_id: RowId, limit: Limit = DEFAULT_LIMIT,
                         cursor: Cursor = None) -> m.ExceptionPage:
        """Unknown codes and products outside the stocktake's category, oldest first."""
        return stocktake.exceptions(runtime_of(request).db.reader, stocktake_id, decode_cursor(cursor), limit)

    @get("/{stocktake_id:int}/variances", guards=[requires(P.STOCKTAKE_MANAGE)], summary="Variance per product")
    async def variances(self, request: AnyRequest, stocktake_id: RowId, limit: Limit = DEFAULT_LIMIT,
                        cursor: Cursor = None) -> m.VariancePage:
        """Counted minus the ledger when the count started (sales during the count are not variance)."""
        after = decode_cursor(cursor)
        return await runtime_of(request).db.run_in_thread(
            lambda conn: stocktake.variances(conn, stocktake_id, after, limit))

    @post("/{stocktake_id:int}/finalise", guards=[requires(P.STOCKTAKE_MANAGE)], status_code=200,
          summary="Finalise a stocktake (manager)")
    async def finalise(self, request: AnyRequest, stocktake_id: RowId, data: JSONBody[m.FinaliseIn],
                       idempotency_key: KeyHeader = None) -> Response[m.FinaliseOut]:
        """Writes the variance movements once; losses above STOCK_ADJUST_APPROVAL_THRESHOLD need managerPin."""
        key = idempotency.parse_key(idempotency_key)
        assert key is not None
        out, status = await stocktake.finalise(runtime_of(request), identity_of(request), stocktake_id, data, key,
                                               request_id_of(request))
        return Response(out, status_code=status)

    @post("/{stocktake_id:int}/cancel", guards=[requires(P.STOCKTAKE_MANAGE)], status_code=200,
          summary="Cancel a stocktake")
    async def cancel(self, request: AnyRequest, stocktake_id: RowId, data: JSONBody[m.CancelIn]) -> m.StocktakeOut:
        """Closes it without touching stock."""
        return stocktake.cancel(runtime_of(request), identity_of(request), stocktake_id, data,
                                request_id_of(request))

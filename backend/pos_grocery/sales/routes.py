"""`/api/sales` and `/api/held-sales`: thin handlers over the checkout services."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter

from pos_grocery import idempotency
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import P
from pos_grocery.devices.api_models import SaleCompleted
from pos_grocery.devices.checkout import after_sale, sale_with_devices
from pos_grocery.devices.pole import show_idle, show_quote, show_sale
from pos_grocery.devices.printing import gateway_of
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.runtime import Runtime
from pos_grocery.sales import holds, receipt, service, voids
from pos_grocery.sales.committer import GroupCommitter
from pos_grocery.sales.models import (
    DiscardIn,
    HeldSaleOut,
    HeldSalePage,
    HoldIn,
    QuoteIn,
    QuoteOut,
    ReceiptOut,
    SaleCreate,
    SaleOut,
    SalePage,
    VoidIn,
)

AnyRequest = Request[Any, Any, Any]
SaleId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
HeldId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
KeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name=idempotency.HEADER, max_length=64, description="Client-generated UUID; a retry sends the same"
    ),
]


def committer_of(request: AnyRequest) -> GroupCommitter:
    """The process's sale committer (made on first use, kept on the app state)."""
    return committer_in(request.app.state, runtime_of(request))


def committer_in(state: Any, rt: Runtime) -> GroupCommitter:
    """The sale committer kept on an app state (made on first use)."""
    found = state.get("sale_committer")
    if not isinstance(found, GroupCommitter):
        found = GroupCommitter(rt.db)
        state["sale_committer"] = found
    return found


async def complete_sale(
    rt: Runtime, state: Any, caller: Identity, body: SaleCreate, key: str, request_id: str | None
) -> tuple[SaleCompleted, int]:
    """What `POST /api/sales` does once authenticated and decoded: the sale exactly once, then its receipt.

    Shared by the route and the fast path (`sales/fast.py`), so both always do the same.
    """
    committer = committer_in(state, rt)
    out, status = await service.create_sale(rt, caller, body, key, request_id, committer)
    show_sale(state, rt, out)  # committed: the customer display (never waits, never fails the sale)
    done = await after_sale(rt, gateway_of(state), out, key, committer.submit)
    return done, status


class SalesController(Controller):
    """Complete, quote, read, void and print sales."""

    path = "/api/sales"
    tags = ["sales"]  # noqa: RUF012

    @post("/", guards=[requires(P.SALES_CREATE)], status_code=201, summary="Complete a sale (exactly once)")
    async def create_sale(
        self, request: AnyRequest, data: JSONBody[SaleCreate], idempotency_key: KeyHeader = None
    ) -> Response[SaleCompleted]:
        """One transaction: sale, lines, tenders, stock, balances, audit. A retry with the same key replays it.

        After the commit: the receipt prints and a cash sale opens the drawer, once per key (docs/DEVICES.md).
        """
        key = idempotency.parse_key(idempotency_key)
        assert key is not None
        body = await exact(request, SaleCreate)
        rt, caller = runtime_of(request), identity_of(request)
        done, status = await complete_sale(rt, request.app.state, caller, body, key, request_id_of(request))
        return Response(done, status_code=status)

    @post("/quote", guards=[requires(P.SALES_CREATE)], status_code=200, summary="Price a cart (nothing is saved)")
    async def quote(self, request: AnyRequest, data: JSONBody[QuoteIn]) -> QuoteOut:
        """Promotions, tax and totals for the lane, including the cash-rounded amount.

        The lane's customer display then shows the last added/changed line and the total (docs/DEVICES.md).
        """
        rt = runtime_of(request)
        out = service.quote(rt, await exact(request, QuoteIn))
        show_quote(request.app.state, rt, identity_of(request).terminal_id, out)
        return out

    @get("/", guards=[requires(P.SALES_READ)], summary="List sales or find one by receipt number")
    async def list_sales(
        self,
        request: AnyRequest,
        receipt_number: Annotated[str | None, QueryParameter(name="receiptNumber", max_length=64)] = None,
        terminal_id: Annotated[int | None, QueryParameter(name="terminalId", ge=1, le=MAX_ID)] = None,
        business_date: Annotated[
            str | None, QueryParameter(name="businessDate", pattern=r"^\d{4}-\d{2}-\d{2}$")
        ] = None,
        status: Annotated[Literal["completed", "voided"] | None, QueryParameter()] = None,
        customer_id: Annotated[int | None, QueryParameter(name="customerId", ge=1, le=MAX_ID)] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> SalePage:
        """Newest first; `receiptNumber` answers at most one sale."""
        filters = {
            "receipt_number": receipt_number,
            "terminal_id": terminal_id,
            "business_date": business_date,
            "status": status,
            "customer_id": customer_id,
        }
        return service.list_sales(runtime_of(request), filters, decode_cursor(cursor), limit)

    @get("/{sale_id:int}", guards=[requires(P.SALES_READ)], summary="One sale")
    async def get_sale(self, request: AnyRequest, sale_id: SaleId) -> SaleCompleted:
        """A sale with lines, adjustments, tax summary and tenders, and its receipt's print status."""
        rt = runtime_of(request)
        return sale_with_devices(rt, gateway_of(request.app.state), service.get_sale(rt, sale_id))

    @get("/{sale_id:int}/receipt", guards=[requires(P.RECEIPTS_REPRINT)], summary="The sale's receipt")
    async def get_receipt(
        self,
        request: AnyRequest,
        sale_id: SaleId,
        width: Annotated[Literal[58, 80], QueryParameter()] = 80,
        format: Annotated[Literal["text", "json", "both"], QueryParameter()] = "text",  # noqa: A002
    ) -> ReceiptOut:
        """The original the first time; every later request is a reprint, marked COPY and counted."""
        caller = identity_of(request)
        doc, reprints = receipt.issue_receipt(runtime_of(request), sale_id, caller.actor, request_id_of(request))
        return receipt.receipt_out(sale_id, doc, reprints, width, format)

    @post(
        "/{sale_id:int}/void",
        guards=[requires(P.SALES_VOID, approvable=True)],
        status_code=200,
        summary="Void a completed sale (manager)",
    )
    async def void_sale(self, request: AnyRequest, sale_id: SaleId, data: JSONBody[VoidIn]) -> SaleOut:
        """Same business day only; reverses stock, tenders and the customer's balance in one transaction."""
        caller = identity_of(request)
        return await voids.void_sale(runtime_of(request), caller, sale_id, data, request_id_of(request))


class HeldSalesController(Controller):
    """Park a cart, list and resume parked carts on any terminal, discard one (manager)."""

    path = "/api/held-sales"
    tags = ["sales"]  # noqa: RUF012

    @post("/", guards=[requires(P.SALES_HOLD)], status_code=201, summary="Hold (park) a cart")
    async def hold(self, request: AnyRequest, data: JSONBody[HoldIn]) -> HeldSaleOut:
        """At most MAX_HELD_SALES per terminal; expires after HOLD_EXPIRY_HOURS."""
        body = await exact(request, HoldIn)
        rt, caller = runtime_of(request), identity_of(request)
        held = holds.hold(rt, caller, body, request_id_of(request))
        show_idle(request.app.state, rt, caller.terminal_id)  # the lane's cart is empty again
        return held

    @get("/", guards=[requires(P.SALES_HOLD)], summary="List held sales")
    async def list_held(
        self,
        request: AnyRequest,
        terminal_id: Annotated[int | None, QueryParameter(name="terminalId", ge=1, le=MAX_ID)] = None,
        status: Annotated[Literal["held", "resumed", "completed", "discarded"] | None, QueryParameter()] = "held",
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> HeldSalePage:
        """Held sales of every terminal by id (expired ones say so)."""
        return holds.list_held(runtime_of(request), terminal_id, status, decode_cursor(cursor), limit)

    @get("/{held_id:int}", guards=[requires(P.SALES_HOLD)], summary="One held sale")
    async def get_held(self, request: AnyRequest, held_id: HeldId) -> HeldSaleOut:
        """A held sale with its cart."""
        return holds.get_held(runtime_of(request), held_id)

    @post("/{held_id:int}/resume", guards=[requires(P.SALES_HOLD)], status_code=200, summary="Resume a held sale")
    async def resume(self, request: AnyRequest, held_id: HeldId) -> HeldSaleOut:
        """The cart and its price now (or the locked price); complete it with `heldSaleId` on the sale."""
        return holds.resume(runtime_of(request), identity_of(request), held_id, request_id_of(request))

    @post(
        "/{held_id:int}/discard",
        guards=[requires(P.SALES_VOID, approvable=True)],
        status_code=200,
        summary="Discard a held sale (manager)",
    )
    async def discard(self, request: AnyRequest, held_id: HeldId, data: JSONBody[DiscardIn]) -> HeldSaleOut:
        """Needs a manager (their PIN as managerPin) and a reason."""
        caller = identity_of(request)
        return await holds.discard(runtime_of(request), caller, held_id, data, request_id_of(request))


def checkout_routers() -> list[Any]:
    """Every checkout controller (sales, holds, returns, refunds, promotions)."""
    from pos_grocery.promotions.routes import PromotionsController
    from pos_grocery.returns.routes import RefundsController, ReturnsController

    return [SalesController, HeldSalesController, ReturnsController, RefundsController, PromotionsController]

"""`/api/returns` (the lane's returns) and `/api/refunds/create` (the runbook's drill call)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter

from pos_grocery import idempotency
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.devices.api_models import ReturnCompleted
from pos_grocery.devices.checkout import after_return
from pos_grocery.devices.printing import gateway_of
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.returns import read, runbook, service
from pos_grocery.returns.models import LookupOut, ReturnCreate, ReturnOut, ReturnPage, RunbookRefund

AnyRequest = Request[Any, Any, Any]
KeyHeader = Annotated[
    str | None,
    HeaderParameter(name=idempotency.HEADER, max_length=64, description="Client-generated UUID; a retry repeats it"),
]


class ReturnsController(Controller):
    """Look a sale up by receipt number, return lines of it (or without receipt), read returns."""

    path = "/api/returns"
    tags = ["returns"]  # noqa: RUF012

    @post("/", guards=[requires(P.RETURNS_CREATE)], status_code=201, summary="Return items and refund (exactly once)")
    async def create_return(
        self, request: AnyRequest, data: JSONBody[ReturnCreate], idempotency_key: KeyHeader = None
    ) -> Response[ReturnCompleted]:
        """Refund at the price actually paid; a manager approves above the threshold and without a receipt.

        Then the refund slip prints and a cash refund opens the drawer, once per key (docs/DEVICES.md).
        """
        key = idempotency.parse_key(idempotency_key)
        body = await exact(request, ReturnCreate)
        req = service.Request(body, key, idempotency.body_hash(service.SCOPE, body))
        rt, caller = runtime_of(request), identity_of(request)
        out, status = await service.create_return(rt, caller, req, request_id_of(request))
        done = await after_return(rt, gateway_of(request.app.state), out, key, caller)
        return Response(done, status_code=status)

    @get("/lookup", guards=[requires(P.RETURNS_CREATE)], summary="Find a sale by receipt number for a return")
    async def lookup(
        self,
        request: AnyRequest,
        receipt_number: Annotated[str, QueryParameter(name="receiptNumber", min_length=1, max_length=64)],
    ) -> LookupOut:
        """The sale's lines with what each may still return and refund."""
        return read.lookup(runtime_of(request), receipt_number)

    @get("/", guards=[requires(P.SALES_READ)], summary="List returns")
    async def list_returns(
        self,
        request: AnyRequest,
        sale_id: Annotated[int | None, QueryParameter(name="saleId", ge=1, le=MAX_ID)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> ReturnPage:
        """Newest first."""
        return read.list_returns(runtime_of(request), sale_id, decode_cursor(cursor), limit)

    @get("/{return_id:int}", guards=[requires(P.SALES_READ)], summary="One return")
    async def get_return(
        self, request: AnyRequest, return_id: Annotated[int, PathParameter(ge=1, le=MAX_ID)]
    ) -> ReturnOut:
        """A return with its lines and refund."""
        return read.get_return(runtime_of(request), return_id)


class RefundsController(Controller):
    """The runbook's refund call, kept exactly (its body and path)."""

    path = "/api/refunds"
    tags = ["returns"]  # noqa: RUF012

    @post("/create", guards=[requires(P.RETURNS_CREATE)], status_code=201, summary="Refund (runbook drill call)")
    async def create_refund(
        self, request: AnyRequest, data: JSONBody[RunbookRefund], idempotency_key: KeyHeader = None
    ) -> Response[ReturnCompleted]:
        """orderId = receipt number or sale id; unitPrice in major units; 404 SALE_NOT_FOUND for an unknown order."""
        key = idempotency.parse_key(idempotency_key, required=False)
        body = await exact(request, RunbookRefund)
        rt, caller = runtime_of(request), identity_of(request)
        data_in = runbook.to_return(rt.db.reader, body)
        req = service.Request(data_in, key, idempotency.body_hash("refunds.create", body), "refunds.create", "runbook")
        out, status = await service.create_return(rt, caller, req, request_id_of(request))
        done = await after_return(rt, gateway_of(request.app.state), out, key, caller)
        return Response(done, status_code=status)

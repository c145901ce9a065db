"""`/api/shifts`: open, read, cash movements, no-sale, X report, Z close and reprint (thin handlers)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import HeaderParameter, JSONBody, PathParameter, QueryParameter

from pos_grocery import idempotency
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.shifts import service, zreport
from pos_grocery.shifts.models import (
    CashMovementIn,
    CashMovementOut,
    NoSaleIn,
    NoSaleOut,
    ShiftCloseIn,
    ShiftOpen,
    ShiftOut,
    ShiftPage,
    ShiftReport,
    ZReportOut,
    ZReprintIn,
)

AnyRequest = Request[Any, Any, Any]
ShiftId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
KeyHeader = Annotated[
    str | None,
    HeaderParameter(name=idempotency.HEADER, max_length=64, description="Client-generated UUID; a retry repeats it"),
]


class ShiftsController(Controller):
    """Shifts of the terminals and their cash."""

    path = "/api/shifts"
    tags = ["shifts"]  # noqa: RUF012

    @post("/", guards=[requires(P.SHIFTS_OPEN)], status_code=201, summary="Open a shift with a float")
    async def open_shift(self, request: AnyRequest, data: JSONBody[ShiftOpen]) -> ShiftOut:
        """On the caller's terminal (or `terminalId` from the back office); one open shift per terminal."""
        return service.open_shift(runtime_of(request), identity_of(request), data, request_id_of(request))

    @get("/", guards=[requires(P.REPORTS_X)], summary="List shifts")
    async def list_shifts(
        self,
        request: AnyRequest,
        terminal_id: Annotated[int | None, QueryParameter(name="terminalId", ge=1, le=MAX_ID)] = None,
        status: Annotated[Literal["open", "closed"] | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> ShiftPage:
        """Newest first."""
        filters = {"terminal_id": terminal_id, "status": status}
        return service.list_shifts(runtime_of(request), identity_of(request), filters, decode_cursor(cursor), limit)

    @get("/current", guards=[requires(P.REPORTS_X)], summary="The open shift of the caller's terminal")
    async def current(self, request: AnyRequest) -> ShiftOut:
        """404 SHIFT_NOT_OPEN when the lane has no open shift (the lane then asks for a float)."""
        return service.current_shift(runtime_of(request), identity_of(request))

    @get("/{shift_id:int}", guards=[requires(P.REPORTS_X)], summary="One shift")
    async def get_shift(self, request: AnyRequest, shift_id: ShiftId) -> ShiftOut:
        """A shift with its closing figures once closed (the count and variance need reports.read)."""
        return service.for_caller(service.get_shift(runtime_of(request), shift_id), identity_of(request))

    @post("/{shift_id:int}/movements", guards=[requires(P.SHIFTS_CASH)], status_code=201,
          summary="Cash in, cash out, drop, pickup or petty cash")
    async def add_movement(
        self, request: AnyRequest, shift_id: ShiftId, data: JSONBody[CashMovementIn], idempotency_key: KeyHeader = None
    ) -> Response[CashMovementOut]:
        """amount > 0 with a reason; a pickup or an amount over the cashier limit needs a manager (managerPin)."""
        key = idempotency.parse_key(idempotency_key, required=False)
        body = await exact(request, CashMovementIn)
        out = await service.add_movement(runtime_of(request), identity_of(request), shift_id, body, key,
                                         request_id_of(request))
        return Response(out, status_code=201)

    @post("/{shift_id:int}/no-sale", guards=[requires(P.DRAWER_OPEN, approvable=True)], status_code=201,
          summary="Open the drawer without a sale (reason, audited)")
    async def no_sale(self, request: AnyRequest, shift_id: ShiftId, data: JSONBody[NoSaleIn]) -> NoSaleOut:
        """At the shift's own lane; a cashier needs a manager's PIN; counted on the Z."""
        body = await exact(request, NoSaleIn)
        return await service.no_sale(runtime_of(request), identity_of(request), shift_id, body,
                                     request_id_of(request))

    @get("/{shift_id:int}/x", guards=[requires(P.REPORTS_X)], summary="X report (read-only snapshot)")
    async def x_report(self, request: AnyRequest, shift_id: ShiftId) -> ShiftReport:
        """The figures a Z would show now; nothing is stored or closed."""
        return await service.x_report(runtime_of(request), identity_of(request), shift_id)

    @post("/{shift_id:int}/close", guards=[requires(P.SHIFTS_Z_CLOSE, approvable=True)], status_code=201,
          summary="Z report: close the shift with the declared cash")
    async def close(self, request: AnyRequest, shift_id: ShiftId, data: JSONBody[ShiftCloseIn]) -> ZReportOut:
        """Declared cash as a total and/or by denomination; variance; the Z is stored once, numbered."""
        body = await exact(request, ShiftCloseIn)
        return await zreport.close_shift(runtime_of(request), identity_of(request), shift_id, body,
                                         request_id_of(request))

    @get("/{shift_id:int}/z", guards=[requires(P.REPORTS_READ)], summary="Reprint the Z report (COPY)")
    async def z_report(self, request: AnyRequest, shift_id: ShiftId) -> ZReportOut:
        """The stored document as issued, marked COPY; reprints are counted and journalled."""
        return zreport.reprint(runtime_of(request), identity_of(request), shift_id, request_id_of(request))

    @post("/{shift_id:int}/z/reprint", guards=[requires(P.REPORTS_READ, approvable=True)], status_code=200,
          summary="Reprint the Z report (COPY) from a lane, with a manager's PIN")
    async def z_reprint(self, request: AnyRequest, shift_id: ShiftId, data: JSONBody[ZReprintIn]) -> ZReportOut:
        """As `GET /z`; a cashier sends a manager's `managerPin` (the approver is journalled with the reprint)."""
        body = await exact(request, ZReprintIn)
        return await zreport.reprint_approved(runtime_of(request), identity_of(request), shift_id, body.manager_pin,
                                              request_id_of(request))

"""`/api/terminals`: register and maintain lanes."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.terminals import service
from pos_grocery.terminals.models import Terminal, TerminalCreate, TerminalPage, TerminalPatch

AnyRequest = Request[Any, Any, Any]
TerminalId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
ActiveFilter = Annotated[bool | None, QueryParameter()]


class TerminalsController(Controller):
    """Terminals are deactivated, never deleted (receipts keep their name)."""

    path = "/api/terminals"
    tags = ["terminals"]  # noqa: RUF012

    @get("/", guards=[requires(P.TERMINALS_READ)], summary="List terminals")
    async def list_terminals(
        self, request: AnyRequest, active: ActiveFilter = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> TerminalPage:
        """Terminals by id with their last-seen time and PIN-pad lock."""
        return service.list_page(runtime_of(request), active, decode_cursor(cursor), limit)

    @post("/", guards=[requires(P.TERMINALS_MANAGE)], status_code=201, summary="Register a terminal")
    async def create_terminal(self, request: AnyRequest, data: JSONBody[TerminalCreate]) -> Terminal:
        """A lane name (unique, any letter case), its store code and device-service URL."""
        caller = identity_of(request)
        return service.create(runtime_of(request), data, caller.actor, request_id_of(request))

    @get("/{terminal_id:int}", guards=[requires(P.TERMINALS_READ)], summary="One terminal")
    async def get_terminal(self, request: AnyRequest, terminal_id: TerminalId) -> Terminal:
        """A terminal by id."""
        return service.get(runtime_of(request), terminal_id)

    @patch("/{terminal_id:int}", guards=[requires(P.TERMINALS_MANAGE)], summary="Change a terminal")
    async def update_terminal(
        self, request: AnyRequest, terminal_id: TerminalId, data: JSONBody[TerminalPatch]
    ) -> Terminal:
        """Store code, device-service URL or active flag (deactivating ends its use at once)."""
        caller = identity_of(request)
        return service.update(runtime_of(request), terminal_id, data, caller.actor, request_id_of(request))

    @post(
        "/{terminal_id:int}/unlock",
        guards=[requires(P.LOCKS_CLEAR)],
        status_code=200,
        summary="Clear a lane's PIN-pad lock",
    )
    async def unlock_terminal(self, request: AnyRequest, terminal_id: TerminalId) -> Terminal:
        """Lift the lock that wrong PINs put on the lane."""
        caller = identity_of(request)
        return service.unlock(runtime_of(request), terminal_id, caller.actor, request_id_of(request))

"""Small helpers shared by every route module (no business rules here)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.params import PathParameter, QueryParameter

from pos_grocery.pagination import MAX_ID, MAX_LIMIT
from pos_grocery.runtime import Runtime

AnyRequest = Request[Any, Any, Any]
# Parameters every list or by-id route takes (API-CONVENTIONS: bounded integers, `limit` + opaque `cursor`).
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
ActiveFilter = Annotated[bool | None, QueryParameter()]


def runtime_of(request: Request[Any, Any, Any]) -> Runtime:
    """The process runtime stored on the app state."""
    rt: Runtime = request.app.state["runtime"]
    return rt


def request_id_of(request: Request[Any, Any, Any]) -> str | None:
    """The request id set by the request-context middleware."""
    value = request.scope.get("state", {}).get("request_id")
    return str(value) if value is not None else None

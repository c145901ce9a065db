"""Small helpers shared by every route module (no business rules here)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from pos_grocery.runtime import Runtime


def runtime_of(request: Request[Any, Any, Any]) -> Runtime:
    """The process runtime stored on the app state."""
    rt: Runtime = request.app.state["runtime"]
    return rt


def request_id_of(request: Request[Any, Any, Any]) -> str | None:
    """The request id set by the request-context middleware."""
    value = request.scope.get("state", {}).get("request_id")
    return str(value) if value is not None else None

"""Outer ASGI layer: request id, one access log line, and the request metrics (route template labels)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from pos_grocery.metrics import Metrics

Scope = dict[str, Any]
MAX_REQUEST_ID = 128
UNMATCHED = "unmatched"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def request_id_for(scope: Scope) -> str:
    """Take a sane X-Request-ID from the client, or make one."""
    given = _header(scope, b"x-request-id")
    if given and len(given) <= MAX_REQUEST_ID and given.isprintable() and " " not in given:
        return given
    return uuid.uuid4().hex


class RequestContext:
    """Wraps the Litestar app; everything here is per request and cheap."""

    def __init__(self, app: Any, metrics: Metrics, access_log: bool = True) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log
        from loguru import logger

        self.logger = logger

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_for(scope)
        scope.setdefault("state", {})["request_id"] = rid
        began = time.perf_counter()
        status = [500]
        rid_header = (b"x-request-id", rid.encode("latin-1"))

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", ()), rid_header]
            await send(message)

        try:
            with self.logger.contextualize(requestId=rid):
                await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status[0], time.perf_counter() - began, rid)

    def _record(self, scope: Scope, status: int, elapsed: float, rid: str) -> None:
        route = scope.get("path_template") or UNMATCHED
        labels = (scope["method"], route, str(status))
        self.metrics.request_duration.labels(*labels).observe(elapsed)
        self.metrics.requests_total.labels(*labels).inc()
        if self.access_log:
            self._log(scope, status, elapsed, rid)

    def _log(self, scope: Scope, status: int, elapsed: float, rid: str) -> None:
        client = scope.get("client")
        ip = _header(scope, b"x-real-ip") or (client[0] if client else None)
        query = scope.get("query_string", b"")
        url = scope["path"] + (("?" + query.decode("latin-1")) if query else "")
        level = "ERROR" if status >= 500 else ("WARNING" if status >= 400 else "INFO")
        self.logger.bind(
            requestId=rid, method=scope["method"], url=url, ip=ip, statusCode=status,
            responseTime=round(elapsed * 1000, 3),
        ).log(level, "request completed")

"""The scan fast path: `GET /api/products/barcode/{code}` answered without Litestar when everything is fine.

Why (docs/adr/0002-scan-fast-path.md, docs/PERFORMANCE.md): a lane's scan is the hottest request and the
issue asks for at least 70 % of a plain JSON route's requests/s. Through Litestar the route measured ~38 %:
its two guards copy the handler object per call (~12 µs each), routing, signature parsing and the response
objects add ~60 µs more. Here the same checks run in ~50 µs: the session is resolved by the identity
feature's own function, the permission is the route's (catalog.read), the lookup is the catalog service's,
and the body is the handler's Struct encoded by msgspec, byte for byte what Litestar sends.

Only the plain success is answered here. Anything else (no or bad token, a session needing its last-seen
write, a missing permission, an unknown or invalid code, a CORS request, HEAD) goes to Litestar unchanged,
which produces the one problem+json answer, audits the denial and so on. So this layer can make the route
faster, never different.
"""

from __future__ import annotations

from typing import Any

import msgspec

from pos_grocery.auth.permissions import P
from pos_grocery.auth.sessions import SessionTimes, resolve
from pos_grocery.catalog.rules import Rules
from pos_grocery.catalog.service import lookup_barcode
from pos_grocery.errors import DomainError
from pos_grocery.runtime import Runtime

PREFIX = "/api/products/barcode/"
TEMPLATE = "/api/products/barcode/{code}"  # as Litestar sets it for the route: metrics keep one label
MAX_CODE = 64  # the route's own bound on the code's length
HEADERS_OUT = [(b"content-type", b"application/json")]


class ScanFastPath:
    """ASGI layer in front of the Litestar app (inside the request-context layer: ids, metrics, logs)."""

    def __init__(self, app: Any, rt: Runtime) -> None:
        self.app = app
        self.rt = rt
        self.rules = Rules.of(rt.settings, rt.clock)
        self.times = SessionTimes.from_settings(rt.settings)
        self.encode = msgspec.json.Encoder().encode

    def __getattr__(self, name: str) -> Any:
        """Anything else is the wrapped app's (routes, openapi_schema, state: for introspection and tests)."""
        return getattr(self.app, name)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve a successful scan lookup, or hand the request to Litestar."""
        body = self._answer(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        if body is None:
            await self.app(scope, receive, send)
            return
        scope["path_template"] = TEMPLATE
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*HEADERS_OUT, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _answer(self, scope: dict[str, Any]) -> bytes | None:
        """The 200 body, or None for anything Litestar must handle."""
        path: str = scope["path"]
        if not path.startswith(PREFIX):
            return None
        code = path[len(PREFIX):]
        if not code or len(code) > MAX_CODE or "/" in code or scope.get("query_string"):
            return None
        token = _bearer(scope["headers"])
        if token is None:
            return None
        try:
            resolved = resolve(self.rt.db.reader, token, self.rt.clock(), self.times, False)
            if resolved.needs_touch or not resolved.identity.can(P.CATALOG_READ):
                return None
            return self.encode(lookup_barcode(self.rt.db.reader, self.rules, code))
        except DomainError:
            return None


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The bearer token, when the request has one and is not a CORS request (CORS answers need Litestar)."""
    token: str | None = None
    seen = False
    for name, value in headers:
        if name == b"origin":
            return None
        if name == b"authorization" and not seen:  # the first one counts, as for Litestar's guard
            seen = True
            scheme, _, rest = value.decode("latin-1").strip().partition(" ")
            token = rest.strip() if scheme.lower() == "bearer" and rest.strip() else None
    return token

"""The sale fast path: `POST /api/sales` answered without Litestar's per-request machinery when that is safe.

Why (docs/PERFORMANCE.md "Checkout", ADR 0003): at 500 sales/s the one API worker must stay well below
saturation. Through Litestar a sale cost ≈ 0.2–0.3 ms of CPU more than the checkout itself: the app-level and
route guards (each on a copy of the handler), routing, signature parsing, the body decoded twice (Litestar's
generic parse for `data`, then `jsonbody.exact` for the value used), the response objects and the exception
middleware. Here the same checks run with the same functions: the session is resolved by
`auth.sessions.resolve`, the permission is the route's (`sales.create`), the Idempotency-Key is parsed by
`idempotency.parse_key`, the body is decoded into `SaleCreate` by msgspec as `jsonbody.exact` does, and the
rest is `routes.complete_sale` — the very function the Litestar handler calls (the sale exactly once on the
shared `GroupCommitter`, then the receipt and drawer). The answer is its Struct encoded by msgspec: byte for
byte what the Litestar route sends (`tests/api/test_sales_fast.py` pins it).

Only a request that cannot cause a side effect before its transaction is taken here: a bearer token that
`resolve` accepts without needing its last-seen write, a role with `sales.create`, a JSON body within
MAX_BODY_BYTES, no query string, and a sale that needs no manager approval (no `managerPin`, no price
override, no manual discount: the approval step journals and counts wrong PINs). A browser sends `Origin` with
every POST, so a request with one is served too, its CORS headers added by Litestar's own CORS layer code with
the app's config (preflight OPTIONS requests go to Litestar).
Anything else goes to Litestar unchanged. When `complete_sale` raises anything — a validation error, a
conflict, an error inside the sale's own savepoint (rolled back: no receipt number, no idempotency key kept) —
the request is handed to Litestar with the body replayed, which runs it again and answers with the one
problem+json mapping. Before the commit nothing was written, so the second run decides alone; after it (the
receipt step), the second run replays the stored sale by its key and the receipt step is once-per-key. So
this layer can make the route faster, never different.

Keep in step with the route: whatever `POST /api/sales` does belongs in `routes.complete_sale` (or, for checks
on the request itself, in both the handler and `_answer` here, or the case handed to Litestar).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.middleware._internal.cors import CORSMiddleware

from pos_grocery import idempotency
from pos_grocery.auth.permissions import P
from pos_grocery.auth.sessions import SessionTimes, resolve
from pos_grocery.runtime import Runtime
from pos_grocery.sales.models import SaleCreate
from pos_grocery.sales.routes import complete_sale

PATH = "/api/sales"
TEMPLATE = "/api/sales"  # the route's path template as Litestar sets it (metrics keep one label)
MAX_KEY = 64  # the route's bound on the Idempotency-Key header
JSON = b"application/json"
WANTED = frozenset({b"authorization", b"idempotency-key", b"content-type", b"origin", b"cookie"})
HEADERS_OUT = [(b"content-type", b"application/json")]

Scope = dict[str, Any]


class SaleFastPath:
    """ASGI layer in front of the Litestar app (inside the request-context layer: ids, metrics, logs)."""

    def __init__(self, app: Any, rt: Runtime) -> None:
        self.app = app
        self.rt = rt
        self.times = SessionTimes.from_settings(rt.settings)
        self.max_body = rt.settings.max_body_bytes
        self.decoder = msgspec.json.Decoder(SaleCreate)
        self.encode = msgspec.json.Encoder().encode
        config = getattr(app, "cors_config", None)
        self.cors = None if config is None else CORSMiddleware(app=app, config=config)

    def __getattr__(self, name: str) -> Any:
        """Anything else is the wrapped app's (routes, openapi_schema, state: for introspection and tests)."""
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Serve a sale that can only succeed or fail without side effects, else hand it to Litestar."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        head = _headers(scope)
        if head is None or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        messages, raw = await _read(receive, self.max_body)
        answer = None if raw is None else await self._answer(scope, head[0], head[1], raw)
        if answer is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        status, body = answer
        scope["path_template"] = TEMPLATE
        if head[2] is not None and self.cors is not None:  # the headers Litestar's CORS layer adds, by its own code
            send = self.cors.send_wrapper(send=send, origin=head[2], has_cookie=head[3])
        await send({"type": "http.response.start", "status": status,
                    "headers": [*HEADERS_OUT, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, token: str, key_header: str, raw: bytes) -> tuple[int, bytes] | None:
        """(status, body) of a completed (or replayed) sale, or None for anything Litestar must handle."""
        try:
            resolved = resolve(self.rt.db.reader, token, self.rt.clock(), self.times, False)
            caller = resolved.identity
            if resolved.needs_touch or not caller.can(P.SALES_CREATE):
                return None
            key = idempotency.parse_key(key_header)
            data = self.decoder.decode(raw)
            if not _no_approval(data):
                return None
            request_id = scope.get("state", {}).get("request_id")
            rid = None if request_id is None else str(request_id)
            done, status = await complete_sale(self.rt, self.app.state, caller, data, str(key), rid)
            return status, self.encode(done)
        except Exception:  # Litestar runs it again (see the module docstring) and answers with the problem document
            return None


def _no_approval(data: SaleCreate) -> bool:
    """True when the sale cannot need a manager's approval (approval steps journal, so they stay in Litestar)."""
    if data.manager_pin is not None or data.bill_discount is not None:
        return False
    return all(line.price_override is None and line.discount is None for line in data.lines)


def _headers(scope: Scope) -> tuple[str, str, str | None, bool] | None:
    """(bearer token, Idempotency-Key, Origin, has a cookie) when the request qualifies, else None.

    Not for a missing or repeated token, key, content type or origin, a key longer than the route allows, or a
    body not declared as JSON.
    """
    seen: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in WANTED:
            if name in seen and name != b"cookie":
                return None
            seen[name] = bytes(value)
    scheme, _, rest = seen.get(b"authorization", b"").decode("latin-1").strip().partition(" ")
    token = rest.strip()
    key = seen.get(b"idempotency-key")
    ctype = seen.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if scheme.lower() != "bearer" or not token or key is None or len(key) > MAX_KEY or ctype != JSON:
        return None
    origin = seen.get(b"origin")
    return token, key.decode("latin-1"), None if origin is None else origin.decode("latin-1"), b"cookie" in seen


async def _read(receive: Any, limit: int) -> tuple[list[dict[str, Any]], bytes | None]:
    """The messages received and the whole body, or None as the body when it is not all there within `limit`."""
    messages: list[dict[str, Any]] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunk = message.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(chunks)


def _replay(messages: list[dict[str, Any]], receive: Any) -> Any:
    """A `receive` that gives Litestar the messages already read, then the rest of the original stream."""
    pending = list(messages)

    async def again() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return again

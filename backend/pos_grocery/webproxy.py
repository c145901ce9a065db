"""Same-origin access to the API for the SPA when no nginx is in front (`make run`, a one-PC shop).

nginx (ops/nginx) routes `/api/` and `/health` to the API directly; without it, `pos-grocery web` forwards
those paths to API_UPSTREAM so the browser talks to one origin and needs no CORS. The web process serves a
handful of lanes, so a blocking urllib call on a worker thread is enough (and handles chunked bodies).
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from typing import Any

PROXIED_PREFIXES = ("/api/", "/health", "/schema/")
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                        "proxy-authorization", "proxy-authenticate", "host", "content-length"})
TIMEOUT_SECONDS = 10.0  # the runbook's nginx proxy_read_timeout
UPSTREAM_DOWN = (b'{"type":"urn:pos-grocery:problem:upstream-unavailable","title":"Bad gateway","status":502,'
                 b'"detail":"The POS API is not reachable.","code":"UPSTREAM_UNAVAILABLE"}')

Headers = list[tuple[bytes, bytes]]


def is_proxied(path: str) -> bool:
    """True for the paths the API owns."""
    return path == "/health" or path.startswith(PROXIED_PREFIXES)


async def _read_body(receive: Any) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _forward(upstream: str, method: str, target: str, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
    request = urllib.request.Request(upstream + target, data=body or None, method=method)
    for key, value in headers:
        name = key.decode("latin-1")
        if name.lower() not in HOP_BY_HOP:
            request.add_header(name, value.decode("latin-1"))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - fixed upstream
            return response.status, _clean(response.getheaders()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _clean(error.headers.items()), error.read()
    except OSError:
        return 502, [(b"content-type", b"application/problem+json")], UPSTREAM_DOWN


def _clean(pairs: Any) -> Headers:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs if k.lower() not in HOP_BY_HOP]


async def proxy(upstream: str, scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Forward one HTTP request to the API and relay its answer."""
    body = await _read_body(receive)
    query = scope.get("query_string", b"").decode("latin-1")
    target = scope["path"] + (f"?{query}" if query else "")
    client = scope.get("client")
    headers: Headers = [*scope.get("headers", ()), (b"x-real-ip", (client[0] if client else "").encode())]
    status, out_headers, out_body = await asyncio.to_thread(_forward, upstream, scope["method"], target, headers, body)
    out_headers.append((b"content-length", str(len(out_body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": out_headers})
    await send({"type": "http.response.body", "body": out_body})

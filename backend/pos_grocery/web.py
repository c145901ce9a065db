"""The static SPA server (`pos-grocery web`, port 8080): hashed assets cached for a year, index.html no-cache,
SPA fallback to index.html, and the runbook's security headers. A bare ASGI app: nothing Node at run time.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import Any

# The runbook's nginx security headers, also sent by the web process itself.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; font-src 'self'; connect-src 'self'"),
)
IMMUTABLE = b"public, max-age=31536000, immutable"
NO_CACHE = b"no-cache"
DENIED_PARTS = (".", "data", "logs")
FALLBACK_PAGE = b"<!doctype html><html><head><meta charset=utf-8><title>POS Grocery</title></head>" \
    b"<body><h1>POS Grocery</h1><p>The frontend is not built yet: run <code>make build</code>.</p></body></html>"


class StaticSite:
    """Serve files from a folder with SPA fallback; forward API paths when an upstream is set."""

    def __init__(self, root: Path, api_upstream: str = "") -> None:
        self.root = root.resolve()
        self.api_upstream = api_upstream.rstrip("/")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """One ASGI call (lifespan is acknowledged, HTTP is served)."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if self.api_upstream:
            from pos_grocery.webproxy import is_proxied, proxy

            if is_proxied(scope["path"]):
                await proxy(self.api_upstream, scope, receive, send)
                return
        status, headers, body = self.respond(scope["method"], scope["path"])
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    def respond(self, method: str, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Status, headers and body for a GET/HEAD of a path."""
        if method not in ("GET", "HEAD"):
            return self._plain(405, b"method not allowed", [(b"allow", b"GET, HEAD")])
        parts = [p for p in path.split("/") if p]
        if any(p.startswith(".") or p in DENIED_PARTS[1:] for p in parts) or ".." in parts:
            return self._plain(404, b"not found")
        target = (self.root / "/".join(parts)).resolve() if parts else self.root / "index.html"
        if not str(target).startswith(str(self.root)):
            return self._plain(404, b"not found")
        if target.is_file() and target.name != "index.html":
            return self._file(target, IMMUTABLE if parts and parts[0] == "assets" else NO_CACHE)
        if parts and parts[0] == "assets":
            return self._plain(404, b"not found")
        index = self.root / "index.html"
        if index.is_file():
            return self._file(index, NO_CACHE)
        return 200, self._headers(b"text/html; charset=utf-8", NO_CACHE, len(FALLBACK_PAGE)), FALLBACK_PAGE

    def _file(self, path: Path, cache: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return 200, self._headers(kind.encode(), cache, len(body)), body

    def _plain(self, status: int, body: bytes,
               extra: list[tuple[bytes, bytes]] | None = None) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        headers = self._headers(b"text/plain; charset=utf-8", NO_CACHE, len(body)) + (extra or [])
        return status, headers, body

    @staticmethod
    def _headers(kind: bytes, cache: bytes, length: int) -> list[tuple[bytes, bytes]]:
        return [(b"content-type", kind), (b"cache-control", cache), (b"content-length", str(length).encode()),
                *SECURITY_HEADERS]


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create() -> StaticSite:
    """granian factory for the web process."""
    from pos_grocery.settings import load_settings

    settings = load_settings()
    return StaticSite(Path(os.path.expanduser(settings.frontend_dist)), settings.api_upstream)

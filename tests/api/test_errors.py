"""Every error is RFC 9457 problem+json with a stable code and the request id; bad input is never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import msgspec
import pytest
from litestar import post
from litestar.params import JSONBody
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.auth.guard import PUBLIC_OPT
from pos_grocery.errors import Conflict
from pos_grocery.runtime import Runtime, open_runtime
from pos_grocery.settings import Settings
from tests.conftest import make_settings


class Item(msgspec.Struct, rename="camel"):
    """A body with typed, bounded fields."""

    product_id: Annotated[int, msgspec.Meta(ge=1, le=2**53)]
    name: str


@post("/api/_probe/items", sync_to_thread=False, opt=PUBLIC_OPT)
def echo(data: JSONBody[Item]) -> Item:
    """Echo the item; a name of 'dup' raises a domain conflict."""
    if data.name == "dup":
        raise Conflict("Item already exists.", "ITEM_EXISTS")
    return data


@post("/api/_probe/boom", sync_to_thread=False, opt=PUBLIC_OPT)
def boom() -> None:
    """Fail unexpectedly."""
    raise RuntimeError("secret stack detail /etc/passwd")


@pytest.fixture
def probe(tmp_path: object) -> Iterator[TestClient]:  # type: ignore[type-arg]
    from pathlib import Path

    settings: Settings = make_settings(Path(str(tmp_path)), MAX_BODY_BYTES="2048",
                                       CORS_ORIGINS="https://lane.example")
    rt: Runtime = open_runtime(settings)
    app = create_app(rt, access_log=False, extra_handlers=[echo, boom])
    with TestClient(app=app, raise_server_exceptions=False) as c:  # type: ignore[arg-type]
        yield c
    rt.db.close()


def _problem(r: object, status: int, code: str) -> dict[str, object]:
    from httpx import Response

    assert isinstance(r, Response)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = r.json()
    assert body["code"] == code and body["status"] == status
    assert body["requestId"] == r.headers["x-request-id"]
    assert {"type", "title", "detail"} <= body.keys()
    return body


def test_unknown_route(probe: TestClient) -> None:  # type: ignore[type-arg]
    _problem(probe.get("/api/nowhere"), 404, "ROUTE_NOT_FOUND")


def test_wrong_method(probe: TestClient) -> None:  # type: ignore[type-arg]
    _problem(probe.delete("/api/health/live"), 405, "METHOD_NOT_ALLOWED")


def test_malformed_json(probe: TestClient) -> None:  # type: ignore[type-arg]
    r = probe.post("/api/_probe/items", content=b'{"productId": 1,', headers={"content-type": "application/json"})
    body = _problem(r, 400, "MALFORMED_REQUEST")
    assert "truncated" in str(body["detail"])
    empty = _problem(probe.post("/api/_probe/items", content=b"", headers={"content-type": "application/json"}),
                     400, "VALIDATION_FAILED")
    assert "required" in str(empty["errors"])


def test_wrong_types_name_the_field(probe: TestClient) -> None:  # type: ignore[type-arg]
    body = _problem(probe.post("/api/_probe/items", json={"productId": "x", "name": "a"}), 400, "VALIDATION_FAILED")
    assert body["errors"]
    assert probe.post("/api/_probe/items", json={"productId": 2**63, "name": "a"}).status_code == 400


def test_domain_error_keeps_its_code(probe: TestClient) -> None:  # type: ignore[type-arg]
    _problem(probe.post("/api/_probe/items", json={"productId": 1, "name": "dup"}), 409, "ITEM_EXISTS")


def test_oversized_body(probe: TestClient) -> None:  # type: ignore[type-arg]
    big = b'{"productId": 1, "name": "' + b"x" * 5000 + b'"}'
    _problem(probe.post("/api/_probe/items", content=big, headers={"content-type": "application/json"}),
             413, "PAYLOAD_TOO_LARGE")


def test_unexpected_error_has_no_trace(probe: TestClient) -> None:  # type: ignore[type-arg]
    body = _problem(probe.post("/api/_probe/boom"), 500, "INTERNAL_ERROR")
    assert "passwd" not in str(body) and "Traceback" not in str(body)


def test_request_id_is_taken_from_the_client(probe: TestClient) -> None:  # type: ignore[type-arg]
    r = probe.get("/api/nowhere", headers={"X-Request-ID": "lane-1-0042"})
    assert r.headers["x-request-id"] == "lane-1-0042" and r.json()["requestId"] == "lane-1-0042"
    assert probe.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"] != (
        "bad id with spaces")


def test_cors_allows_exactly_the_configured_origins(probe: TestClient) -> None:  # type: ignore[type-arg]
    ok = probe.get("/health", headers={"Origin": "https://lane.example"})
    assert ok.headers.get("access-control-allow-origin") == "https://lane.example"
    other = probe.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    pre = probe.options("/api/_probe/items", headers={
        "Origin": "https://lane.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,idempotency-key"})
    assert pre.status_code in (200, 204)
    bad_pre = probe.options("/api/_probe/items", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert bad_pre.status_code == 400 or "access-control-allow-origin" not in bad_pre.headers

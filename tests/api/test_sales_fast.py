"""The sale fast path (sales/fast.py) answers exactly what the Litestar route answers, writes exactly the same,
and hands every case it does not take to Litestar."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app, create_litestar
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.metrics import create_metrics
from pos_grocery.middleware import RequestContext
from pos_grocery.runtime import open_runtime
from pos_grocery.sales.fast import SaleFastPath
from tests.checkout_helpers import Shop, card, cash, line, make_shop
from tests.conftest import make_settings

AUDIT = "SELECT action, entity, entity_id, details FROM audit_events WHERE action != 'user.created' ORDER BY id"


class Counting:
    """Wraps the Litestar app and counts the requests that reach it (to see which path answered)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def shops(tmp_path: Path) -> Iterator[tuple[Shop, Shop, Counting]]:
    """Two identical stores: one served with the fast path, one by Litestar alone (and the counter under both)."""
    opened = []
    try:
        fast_rt = open_runtime(make_settings(tmp_path / "fast"))
        slow_rt = open_runtime(make_settings(tmp_path / "slow"))
        opened = [fast_rt, slow_rt]
        metrics = create_metrics()
        counting = Counting(create_litestar(fast_rt, metrics))
        fast_app = RequestContext(SaleFastPath(counting, fast_rt), metrics, access_log=False)
        slow_metrics = create_metrics()
        slow_app = RequestContext(create_litestar(slow_rt, slow_metrics), slow_metrics, access_log=False)
        with TestClient(app=fast_app) as fast_client, TestClient(app=slow_app) as slow_client:  # type: ignore[type-var]
            yield make_shop(fast_rt, fast_client), make_shop(slow_rt, slow_client), counting
    finally:
        for rt in opened:
            rt.db.close()


def _same(fast: Shop, slow: Shop, body: Any, key: str | None = None, **headers: str) -> tuple[Any, Any]:
    """Send one request to both stores; the answers must be the same (byte for byte on success)."""
    key = key or str(uuid.uuid4())
    sent: list[Any] = []
    for shop in (fast, slow):
        hdrs = {**shop.headers, "Idempotency-Key": key, **headers}
        hdrs = {k: v for k, v in hdrs.items() if v}
        if isinstance(body, bytes):
            hdrs = {"Content-Type": "application/json", **hdrs}
            sent.append(shop.client.post("/api/sales", content=body, headers=hdrs))
        else:
            sent.append(shop.client.post("/api/sales", json=body, headers=hdrs))
    a, b = sent
    assert a.status_code == b.status_code, (a.text, b.text)
    if a.status_code < 400:
        # The two stores' cashiers have different generated names; everything else is byte for byte the same.
        names = [fetch_value(s.rt.db.reader, "SELECT display_name FROM users WHERE id = ?", (s.cashier.id,))
                 for s in (fast, slow)]
        assert a.content == b.content.replace(names[1].encode(), names[0].encode())
        for name in ("content-type", "access-control-allow-origin", "access-control-expose-headers", "vary"):
            assert a.headers.get(name) == b.headers.get(name), name
        assert int(a.headers["content-length"]) == len(a.content)
    else:
        assert a.json()["code"] == b.json()["code"]  # problem bodies carry each request's own id
    return a, b


def _state(shop: Shop) -> Any:
    conn = shop.rt.db.reader
    return (shop.counts(), fetch_all(conn, AUDIT),
            fetch_all(conn, "SELECT receipt_no, total_amount, shift_id FROM sales ORDER BY id"),
            fetch_all(conn, "SELECT product_id, on_hand FROM stock_levels ORDER BY product_id"))


def test_sales_answer_and_write_the_same_with_and_without_the_fast_path(shops: tuple[Shop, Shop, Counting]) -> None:
    fast, slow, counting = shops
    plain = {"lines": [line(1, 2), line(2, "0.755"), line(6, 1.25)], "tenders": [card(50000), cash(100000)]}
    before = counting.calls
    key = str(uuid.uuid4())
    first, _ = _same(fast, slow, plain, key)
    assert first.status_code == 201 and counting.calls == before  # the fast path answered
    again, _ = _same(fast, slow, plain, key)  # replay: the same bytes again
    assert again.content == first.content and counting.calls == before
    _same(fast, slow, {"lines": [line(8)], "tenders": [cash(15000)], "language": "si"})
    assert counting.calls == before
    assert _state(fast) == _state(slow)


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ({"lines": [line(99)], "tenders": [cash(1000)]}, {}, 400),  # unknown product
        ({"lines": [line(1)], "tenders": [cash(100)]}, {}, 400),  # tenders short
        ({"lines": [line(1, "1.0001")], "tenders": [cash(45000)]}, {}, 400),  # 4 decimals
        ({"lines": [line(5)], "tenders": [cash(30000)]}, {}, 400),  # age check missing
        ({"lines": [line(1)], "tenders": [{"method": "card", "amount": 45000}]}, {}, 400),  # no reference
        ({"lines": [line(1)], "tenders": [cash(45000)], "extra": 1}, {}, 400),  # unknown field
        ({"lines": [line(1, "abc")], "tenders": [cash(45000)]}, {}, 400),
        (b'{"lines": [', {}, 400),  # malformed JSON
        ({"lines": [line(1, 3)], "customerId": 2, "tenders": [{"method": "customer_account", "amount": 135000}]},
         {}, 409),  # fails inside its savepoint: nothing kept, no receipt number used
        ({"lines": [line(1, discount={"percent": 50})], "tenders": [cash(22500)]}, {}, 400),  # no reason
        ({"lines": [line(1, discount={"percent": 50, "reason": "dented"})], "tenders": [cash(22500)]}, {}, 403),
        ({"lines": [line(1, priceOverride=100)], "tenders": [cash(100)]}, {}, 403),
        ({"lines": [line(1)], "tenders": [cash(45000)], "managerPin": "0000"}, {}, 201),  # PIN given: Litestar
        ({"lines": [line(1)], "tenders": [cash(45000)]}, {"Idempotency-Key": "nope"}, 400),
        ({"lines": [line(1)], "tenders": [cash(45000)]}, {"Idempotency-Key": ""}, 400),
        ({"lines": [line(1)], "tenders": [cash(45000)]}, {"Authorization": ""}, 401),
        ({"lines": [line(1)], "tenders": [cash(45000)]}, {"Authorization": "Bearer pgs_nope"}, 401),
    ],
)
def test_every_other_case_is_answered_by_litestar_alike(
    shops: tuple[Shop, Shop, Counting], body: Any, headers: dict[str, str], status: int
) -> None:
    fast, slow, _counting = shops
    answer, _ = _same(fast, slow, body, **headers)
    assert answer.status_code == status, answer.text
    _same(fast, slow, {"lines": [line(8)], "tenders": [cash(15000)]})  # the next sale takes the next number
    assert _state(fast) == _state(slow)  # same rows, same journal (no denial or approval recorded twice)


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://elsewhere.example"])
def test_browser_sales_with_an_origin_take_the_fast_path_with_litestars_cors_headers(
    shops: tuple[Shop, Shop, Counting], origin: str
) -> None:
    fast, slow, counting = shops
    before = counting.calls
    sale, _ = _same(fast, slow, {"lines": [line(1)], "tenders": [cash(45000)]}, Origin=origin)
    assert sale.status_code == 201 and counting.calls == before
    allowed = sale.headers.get("access-control-allow-origin")
    assert allowed == (origin if origin == "http://localhost:5173" else None)
    assert sale.headers["access-control-expose-headers"] == "X-Request-ID"
    assert _state(fast) == _state(slow)


def test_same_key_other_body_and_wrong_role_go_to_litestar(shops: tuple[Shop, Shop, Counting]) -> None:
    fast, slow, counting = shops
    key = str(uuid.uuid4())
    _same(fast, slow, {"lines": [line(1)], "tenders": [cash(45000)]}, key)
    before = counting.calls
    conflict, _ = _same(fast, slow, {"lines": [line(1, 2)], "tenders": [cash(90000)]}, key)
    assert conflict.status_code == 409 and conflict.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert counting.calls == before + 1
    assert _state(fast) == _state(slow)


def test_the_served_app_has_the_fast_path(tmp_path: Path) -> None:
    rt = open_runtime(make_settings(tmp_path))
    try:
        app = create_app(rt, access_log=False)
        assert isinstance(app.app, SaleFastPath)
        assert app.app.state["runtime"] is rt  # the wrapped app's state reaches through (committer, gateway)
    finally:
        rt.db.close()

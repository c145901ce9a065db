"""Held sales: limit per terminal, expiry, resume anywhere with prices re-evaluated (or locked), manager discard."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.runtime import Runtime
from tests.checkout_helpers import T0, Shop, cash, line, make_shop, open_shop, problem


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def hold(shop: Shop, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return shop.client.post("/api/held-sales", json=body, headers=headers or shop.headers)


def set_price(shop: Shop, product_id: int, price: int) -> None:
    with shop.rt.db.write() as conn:
        conn.execute("UPDATE products SET price_retail = ? WHERE id = ?", (price, product_id))


def test_hold_resume_on_another_terminal_and_complete(shop: Shop) -> None:
    held = hold(shop, {"lines": [line(1, 2)], "note": "blue bag"})
    assert held.status_code == 201, held.text
    body = held.json()
    assert body["status"] == "held" and body["quote"]["totals"]["totalAmount"] == 90000 and body["lineCount"] == 1
    set_price(shop, 1, 50000)
    lane2 = shop.sign_in(shop.cashier, "LANE-2")
    resumed = shop.client.post(f"/api/held-sales/{body['id']}/resume", headers=lane2).json()
    assert resumed["status"] == "resumed" and resumed["quote"]["totals"]["totalAmount"] == 100000  # re-evaluated
    sale = shop.ok_sale({**resumed["cart"], "heldSaleId": body["id"], "tenders": [cash(100000)]}, headers=lane2)
    assert sale["heldSaleId"] == body["id"] and sale["terminal"] == "LANE-2"
    done = shop.client.get(f"/api/held-sales/{body['id']}", headers=shop.headers).json()
    assert done["status"] == "completed"
    again = shop.sale({**resumed["cart"], "heldSaleId": body["id"], "tenders": [cash(100000)]}, headers=lane2)
    problem(again, 409, "HOLD_NOT_ACTIVE")


def test_price_lock_keeps_the_held_price(shop: Shop) -> None:
    body = hold(shop, {"lines": [line(1)], "priceLock": True}).json()
    set_price(shop, 1, 50000)
    resumed = shop.client.post(f"/api/held-sales/{body['id']}/resume", headers=shop.headers).json()
    assert resumed["priceLocked"] is True and resumed["quote"]["totals"]["totalAmount"] == 45000
    sale = shop.ok_sale({"lines": [line(1)], "heldSaleId": body["id"], "tenders": [cash(45000)]})
    assert sale["totals"]["totalAmount"] == 45000


def test_hold_limit_per_terminal(tmp_path: Any) -> None:
    with open_shop(tmp_path, MAX_HELD_SALES="2") as shop:
        for _ in range(2):
            assert hold(shop, {"lines": [line(8)]}).status_code == 201
        problem(hold(shop, {"lines": [line(8)]}), 409, "HOLD_LIMIT_REACHED")
        assert hold(shop, {"lines": [line(8)]}, headers=shop.sign_in(shop.cashier, "LANE-2")).status_code == 201
        assert shop.count("held_sales") == 3


def test_expired_hold_is_stale(shop: Shop) -> None:
    body = hold(shop, {"lines": [line(1)]}).json()
    shop.rt.clock = lambda: T0 + 12 * 3600 + 1
    headers = shop.sign_in(shop.cashier)
    listed = shop.client.get("/api/held-sales", headers=headers).json()
    assert listed["items"][0]["expired"] is True
    problem(shop.client.post(f"/api/held-sales/{body['id']}/resume", headers=headers), 409, "HOLD_EXPIRED")
    before = shop.counts()
    problem(
        shop.sale({"lines": [line(1)], "heldSaleId": body["id"], "tenders": [cash(45000)]}, headers=headers),
        409,
        "HOLD_EXPIRED",
    )
    assert shop.counts() == before


def test_discarding_a_hold_needs_a_manager(shop: Shop) -> None:
    body = hold(shop, {"lines": [line(1)]}).json()
    url = f"/api/held-sales/{body['id']}/discard"
    problem(shop.client.post(url, json={"reason": "left"}, headers=shop.headers), 403, "MANAGER_APPROVAL_REQUIRED")
    ok = shop.client.post(url, json={"reason": "left", "managerPin": shop.manager.pin}, headers=shop.headers)
    assert ok.status_code == 200 and ok.json()["status"] == "discarded"
    problem(
        shop.client.post(url, json={"reason": "left", "managerPin": shop.manager.pin}, headers=shop.headers),
        409,
        "HOLD_NOT_ACTIVE",
    )
    problem(shop.client.get("/api/held-sales/999", headers=shop.headers), 404, "HELD_SALE_NOT_FOUND")

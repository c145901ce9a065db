"""Every promotion type end to end: stored through /api/promotions, applied by quotes and sales, printed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.runtime import Runtime
from tests.checkout_helpers import Shop, cash, line, make_shop, problem


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def add_rule(shop: Shop, rule: dict[str, Any]) -> dict[str, Any]:
    response = shop.client.post("/api/promotions", json=rule, headers=shop.sign_in(shop.manager))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def sell(shop: Shop, lines: list[dict[str, Any]]) -> dict[str, Any]:
    quote = shop.client.post("/api/sales/quote", json={"lines": lines}, headers=shop.headers).json()
    sale = shop.ok_sale({"lines": lines, "tenders": [cash(quote["totals"]["totalAmount"])]})
    assert sale["totals"] == {**quote["totals"]} and sale["lines"] == quote["lines"]
    return sale


def receipt_text(shop: Shop, sale_id: int) -> str:
    text: str = shop.client.get(f"/api/sales/{sale_id}/receipt?width=80", headers=shop.headers).json()["text"]
    return text


def test_quantity_break(shop: Shop) -> None:
    rule = add_rule(
        shop, {"kind": "quantity_break", "label": "Rice", "productId": 7, "minQuantity": 5, "unitPrice": 18000}
    )
    sale = sell(shop, [line(7, 5)])
    adjustment = sale["lines"][0]["adjustments"][0]
    assert adjustment == {
        "kind": "quantity_break",
        "ruleId": rule["id"],
        "amount": -10000,
        "text": "Rice 5+ kg @ 180.00/kg",
        "reason": None,
    }
    assert sale["totals"]["totalAmount"] == 90000 and sale["lines"][0]["unitPrice"] == 18000
    assert sell(shop, [line(7, 4)])["totals"]["totalAmount"] == 80000


def test_discount_with_a_quantity_cap(shop: Shop) -> None:
    add_rule(shop, {"kind": "discount", "label": "Sugar", "productIds": [2], "amountPerUnit": 1000, "maxQuantity": 3})
    sale = sell(shop, [line(2, 4)])
    assert sale["lines"][0]["adjustments"][0]["amount"] == -3000
    assert sale["totals"]["totalAmount"] == 97000
    assert "Sugar 10.00/kg off (max 3 kg)" in receipt_text(shop, sale["id"])


def test_multibuy(shop: Shop) -> None:
    add_rule(shop, {"kind": "multibuy", "label": "Bread", "productIds": [8], "count": 3, "price": 40000})
    sale = sell(shop, [line(8, 4)])
    assert sale["totals"]["totalAmount"] == 55000  # 3 for 400.00 + 150.00
    assert "Bread 3 for 400.00" in receipt_text(shop, sale["id"])


def test_buy_x_get_y(shop: Shop) -> None:
    add_rule(shop, {"kind": "buy_x_get_y", "label": "Milk", "productIds": [1], "buy": 2, "get": 1})
    sale = sell(shop, [line(1, 3)])
    assert sale["totals"]["totalAmount"] == 90000
    assert sale["lines"][0]["adjustments"][0]["kind"] == "buy_x_get_y"


def test_mix_and_match_cheapest_free(shop: Shop) -> None:
    add_rule(shop, {"kind": "mix_match", "label": "Soap", "categoryIds": [3], "count": 3})
    sale = sell(shop, [line(3, 2), line(4, 1)])
    assert sale["totals"]["totalAmount"] == 22000  # 2 x 100.00 + 120.00, the cheapest unit free
    assert "Soap 3 for 2, cheapest free" in receipt_text(shop, sale["id"])


def test_manual_line_and_bill_discounts(shop: Shop) -> None:
    body = {
        "lines": [line(1, 2, discount={"amount": 1000, "reason": "dent"}), line(8)],
        "billDiscount": {"percent": 5, "reason": "regular"},
    }
    quote = shop.client.post("/api/sales/quote", json=body, headers=shop.headers).json()
    # (900.00 - 10.00) + 150.00 = 1040.00; 5 % of it = 52.00 split pro rata over the two lines
    assert quote["billAdjustments"][0]["amount"] == -5200 and quote["totals"]["totalAmount"] == 98800
    assert sum(line["billDiscount"] for line in quote["lines"]) == -5200
    sale = shop.ok_sale({**body, "tenders": [cash(98800)]})
    assert sale["billAdjustments"] == quote["billAdjustments"]
    assert "Bill discount 5%" in receipt_text(shop, sale["id"])


def test_rule_windows_crud_and_permissions(shop: Shop) -> None:
    future = add_rule(shop, {"kind": "discount", "productIds": [8], "percent": 50, "validFrom": "2030-01-01T00:00:00Z"})
    assert sell(shop, [line(8)])["totals"]["totalAmount"] == 15000
    manager = shop.sign_in(shop.manager)
    url = f"/api/promotions/{future['id']}"
    changed = shop.client.put(url, json={"kind": "discount", "productIds": [8], "percent": 50}, headers=manager)
    assert changed.status_code == 200 and changed.json()["rule"]["percent"] == "50"
    assert sell(shop, [line(8)])["totals"]["totalAmount"] == 7500
    listed = shop.client.get("/api/promotions?kind=discount", headers=shop.headers).json()
    assert [r["id"] for r in listed["items"]] == [future["id"]]
    assert shop.client.delete(url, headers=manager).status_code == 204
    problem(shop.client.get(url, headers=shop.headers), 404, "RULE_NOT_FOUND")
    assert sell(shop, [line(8)])["totals"]["totalAmount"] == 15000
    cashier_try = shop.client.post(
        "/api/promotions", json={"kind": "mix_match", "categoryIds": [3], "count": 2}, headers=shop.headers
    )
    problem(cashier_try, 403, "FORBIDDEN")
    problem(
        shop.client.post(
            "/api/promotions", json={"kind": "multibuy", "productIds": [999], "count": 2, "price": 1}, headers=manager
        ),
        400,
        "UNKNOWN_PRODUCT",
    )
    problem(
        shop.client.post("/api/promotions", json={"kind": "multibuy", "count": 2, "price": 1}, headers=manager),
        400,
        "INVALID_RULE",
    )

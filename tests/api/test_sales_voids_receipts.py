"""Voiding completed sales (reversals in one transaction) and receipts (58/80 mm text, COPY on reprints)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.receipts.layout import display_width
from pos_grocery.runtime import Runtime
from tests.checkout_helpers import T0, Shop, cash, line, make_shop, open_shop, problem


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def balance(shop: Shop, customer_id: int) -> int:
    return int(fetch_value(shop.rt.db.reader, "SELECT balance FROM customers WHERE id = ?", (customer_id,)))


def test_void_reverses_stock_tenders_and_balance(shop: Shop) -> None:
    sale = shop.ok_sale(
        {
            "lines": [line(1, 2), line(3)],
            "customerId": 2,
            "tenders": [{"method": "customer_account", "amount": 50000}, cash(50000)],
        }
    )
    assert balance(shop, 2) == 50000 and shop.stock(1) == -2000
    url = f"/api/sales/{sale['id']}/void"
    problem(
        shop.client.post(url, json={"reason": "wrong customer"}, headers=shop.headers), 403, "MANAGER_APPROVAL_REQUIRED"
    )
    voided = shop.client.post(
        url, json={"reason": "wrong customer", "managerPin": shop.manager.pin}, headers=shop.headers
    )
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["status"] == "voided" and body["voidReason"] == "wrong customer" and body["voidedAt"]
    assert balance(shop, 2) == 0 and shop.stock(1) == 0 and shop.stock(3) == 0
    kinds = fetch_all(shop.rt.db.reader, "SELECT kind, sum(qty) FROM stock_movements GROUP BY kind ORDER BY kind")
    assert kinds == [("sale", -3000), ("void", 3000)]
    problem(
        shop.client.post(url, json={"reason": "again", "managerPin": shop.manager.pin}, headers=shop.headers),
        409,
        "SALE_ALREADY_VOIDED",
    )
    assert fetch_value(shop.rt.db.reader, "SELECT count(*) FROM audit_events WHERE action = 'sales.voided'") == 1


def test_void_only_on_the_same_business_day(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})
    shop.rt.clock = lambda: T0 + 86_400
    manager = shop.sign_in(shop.manager)
    problem(
        shop.client.post(f"/api/sales/{sale['id']}/void", json={"reason": "late"}, headers=manager),
        409,
        "VOID_WINDOW_CLOSED",
    )


def test_manager_voids_without_a_pin(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})
    response = shop.client.post(
        f"/api/sales/{sale['id']}/void", json={"reason": "test"}, headers=shop.sign_in(shop.manager)
    )
    assert response.status_code == 200 and response.json()["status"] == "voided"


def test_receipt_text_widths_language_and_copies(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(100000)], "language": "si"})
    url = f"/api/sales/{sale['id']}/receipt"
    first = shop.client.get(url + "?width=58&format=both", headers=shop.headers).json()
    assert first["copy"] is False and first["reprintCount"] == 0
    text = first["text"]
    assert all(display_width(row) <= 32 for row in text.splitlines())
    assert "කිරි" in text and "MAIN-LANE-1-20260314-0001" in text and "COPY" not in text
    assert first["document"]["receipt_no"] == first["barcodeValue"] == sale["receiptNumber"]
    assert first["document"]["change"] == 10000
    second = shop.client.get(url, headers=shop.headers).json()
    assert second["copy"] is True and second["reprintCount"] == 1 and "*** COPY ***" in second["text"]
    assert all(display_width(row) <= 48 for row in second["text"].splitlines())
    third = shop.client.get(url + "?format=json", headers=shop.headers).json()
    assert third["reprintCount"] == 2 and third["text"] is None and third["document"]["copy"] is True
    assert fetch_value(shop.rt.db.reader, "SELECT reprint_count FROM sales WHERE id = ?", (sale["id"],)) == 2
    actions = fetch_value(shop.rt.db.reader, "SELECT count(*) FROM audit_events WHERE action = 'receipts.reprinted'")
    assert actions == 2
    bad = shop.client.get(url + "?width=70", headers=shop.headers)
    assert bad.status_code == 400


def test_receipt_shows_tax_summary_rounding_and_tenders(tmp_path: Any) -> None:
    with open_shop(
        tmp_path,
        CASH_ROUNDING_INCREMENT="100",
        STORE_NAME="Kade Grocery",
        STORE_ADDRESS="12 Galle Road|Colombo 3",
        RECEIPT_FOOTER="No returns without receipt",
    ) as shop:
        sale = shop.ok_sale(
            {
                "lines": [line(1), line(2, 0.333)],
                "tenders": [{"method": "card", "amount": 20000, "reference": "AUTH 77"}, cash(40000)],
            }
        )
        text = shop.client.get(f"/api/sales/{sale['id']}/receipt", headers=shop.headers).json()["text"]
        for expected in (
            "Kade Grocery",
            "12 Galle Road",
            "Tax 18% on",
            "Rounding",
            "Card",
            "Ref: AUTH 77",
            "Change",
            "No returns without receipt",
            "Thank you",
        ):
            assert expected in text, expected

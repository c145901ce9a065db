"""Completing sales over HTTP: totals, tenders, stock, receipt numbers, idempotent replays."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_user
from tests.checkout_helpers import Shop, card, cash, line, make_shop, open_shop, problem


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def test_cash_sale_records_everything_in_one_go(shop: Shop) -> None:
    body = {"lines": [line(1, 2), line(2, 0.755)], "tenders": [cash(120000)]}
    sale = shop.ok_sale(body)
    # Milk 2 x 450.00 (VAT 18 % inclusive) + sugar 0.755 kg x 250.00 = 900.00 + 188.75
    assert sale["totals"]["totalAmount"] == 108875 and sale["totals"]["amountDue"] == 108875
    assert sale["change"] == 11125 and sale["tenders"] == [
        {"method": "cash", "amount": 108875, "tendered": 120000, "change": 11125, "reference": None}
    ]
    assert sale["taxSummary"] == [
        {"rateBp": 0, "taxableAmount": 18875, "taxAmount": 0, "totalAmount": 18875},
        {"rateBp": 1800, "taxableAmount": 76271, "taxAmount": 13729, "totalAmount": 90000},
    ]
    assert sale["receiptNumber"] == "MAIN-LANE-1-20260314-0001" == sale["barcodeValue"]
    assert sale["lines"][1]["quantity"] == 0.755 and sale["currency"] == "LKR"
    assert shop.stock(1) == -2000 and shop.stock(2) == -755
    moves = fetch_all(shop.rt.db.reader, "SELECT product_id, qty, kind, ref_type, unit_cost FROM stock_movements")
    assert moves == [(1, -2000, "sale", "sale", 30000), (2, -755, "sale", "sale", 18000)]
    assert (
        fetch_value(shop.rt.db.reader, "SELECT action FROM audit_events ORDER BY id DESC LIMIT 1") == "sales.completed"
    )
    assert shop.client.get(f"/api/sales/{sale['id']}", headers=shop.headers).json() == sale


def test_same_key_replays_and_other_body_conflicts(shop: Shop) -> None:
    key = str(uuid.uuid4())
    body = {"lines": [line(1)], "tenders": [cash(45000)]}
    first = shop.sale(body, key=key)
    again = shop.sale(body, key=key)
    assert first.status_code == again.status_code == 201 and first.content == again.content
    assert shop.count("sales") == 1
    problem(
        shop.sale({**body, "lines": [line(1, 2)], "tenders": [cash(90000)]}, key=key), 409, "IDEMPOTENCY_KEY_REUSED"
    )
    problem(shop.client.post("/api/sales", json=body, headers=shop.headers), 400, "IDEMPOTENCY_KEY_MISSING")
    problem(shop.sale(body, key="not-a-uuid"), 400, "IDEMPOTENCY_KEY_INVALID")
    assert shop.count("sales") == 1


def test_split_tender_card_wallet_and_cash(shop: Shop) -> None:
    body = {
        "lines": [line(1, 3)],
        "tenders": [
            card(50000),
            {"method": "wallet", "amount": 40000, "reference": "QR-9"},
            cash(40000, tendered=50000),
        ],
    }
    sale = shop.ok_sale(body)
    assert [t["amount"] for t in sale["tenders"]] == [50000, 40000, 45000]
    assert sale["change"] == 5000 and sum(t["amount"] for t in sale["tenders"]) == sale["totals"]["amountDue"]


def test_change_only_from_cash(shop: Shop) -> None:
    before = shop.counts()
    problem(shop.sale({"lines": [line(1)], "tenders": [card(50000)]}), 400, "TENDER_EXCEEDS_TOTAL")
    problem(shop.sale({"lines": [line(1)], "tenders": [card(40000)]}), 400, "TENDERS_SHORT")
    problem(
        shop.sale({"lines": [line(1)], "tenders": [{"method": "card", "amount": 45000}]}),
        400,
        "TENDER_REFERENCE_REQUIRED",
    )
    problem(shop.sale({"lines": [line(1)], "tenders": [cash(45000, tendered=40000)]}), 400, "INVALID_TENDER")
    assert shop.counts() == before


def test_customer_account_within_credit_limit(shop: Shop) -> None:
    account = {"method": "customer_account", "amount": 45000}
    problem(shop.sale({"lines": [line(1)], "tenders": [account]}), 400, "CUSTOMER_REQUIRED")
    sale = shop.ok_sale({"lines": [line(1)], "customerId": 2, "tenders": [account]})
    assert sale["customerId"] == 2 and sale["priceTier"] == "credit"
    assert fetch_value(shop.rt.db.reader, "SELECT balance FROM customers WHERE id = 2") == 45000
    sales = shop.count("sales")
    problem(
        shop.sale({"lines": [line(1, 2)], "customerId": 2, "tenders": [{**account, "amount": 90000}]}),
        409,
        "CREDIT_LIMIT_EXCEEDED",
    )
    assert shop.count("sales") == sales
    assert fetch_value(shop.rt.db.reader, "SELECT balance FROM customers WHERE id = 2") == 45000


def test_customer_tier_prices_the_sale(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(1)], "customerId": 1, "tenders": [cash(42000)]})
    assert sale["priceTier"] == "wholesale" and sale["totals"]["totalAmount"] == 42000
    retail = shop.ok_sale({"lines": [line(1)], "customerId": 1, "priceTier": "retail", "tenders": [cash(45000)]})
    assert retail["totals"]["totalAmount"] == 45000


def test_receipt_numbers_are_gap_free_and_a_failed_sale_takes_none(shop: Shop) -> None:
    numbers = [shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})["receiptNumber"]]
    # Fails inside the transaction (credit limit is checked there): the counter rolls back with it.
    over = {"lines": [line(1, 3)], "customerId": 2, "tenders": [{"method": "customer_account", "amount": 135000}]}
    problem(shop.sale(over), 409, "CREDIT_LIMIT_EXCEEDED")
    numbers.append(shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})["receiptNumber"])
    other = shop.sign_in(shop.cashier, "LANE-2")
    numbers.append(shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]}, headers=other)["receiptNumber"])
    shop.rt.clock = lambda: 1_773_460_800.0 + 86_400
    numbers.append(
        shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]}, headers=shop.sign_in(shop.cashier))[
            "receiptNumber"
        ]
    )
    assert numbers == [
        "MAIN-LANE-1-20260314-0001",
        "MAIN-LANE-1-20260314-0002",
        "MAIN-LANE-2-20260314-0001",
        "MAIN-LANE-1-20260315-0001",
    ]


def test_business_day_is_the_store_timezone(shop: Shop) -> None:
    shop.rt.clock = lambda: 1_773_430_200.0  # 2026-03-13 19:30 UTC = 2026-03-14 01:00 in Colombo
    sale = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]}, headers=shop.sign_in(shop.cashier))
    assert sale["businessDate"] == "2026-03-14" and sale["createdAt"] == "2026-03-13T19:30:00.000Z"


def test_sale_lists_and_receipt_lookup(shop: Shop) -> None:
    first = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})
    second = shop.ok_sale({"lines": [line(3)], "tenders": [cash(10000)]})
    page = shop.client.get("/api/sales?limit=1", headers=shop.headers).json()
    assert [s["id"] for s in page["items"]] == [second["id"]] and page["nextCursor"]
    rest = shop.client.get(f"/api/sales?limit=1&cursor={page['nextCursor']}", headers=shop.headers).json()
    assert [s["id"] for s in rest["items"]] == [first["id"]]
    found = shop.client.get("/api/sales?receiptNumber=main-lane-1-20260314-0001", headers=shop.headers).json()
    assert [s["id"] for s in found["items"]] == [first["id"]]
    problem(shop.client.get("/api/sales/999", headers=shop.headers), 404, "SALE_NOT_FOUND")


def test_sales_need_a_terminal_and_the_permission(shop: Shop) -> None:
    auditor = shop.sign_in(add_user(shop.rt, "auditor"))
    problem(shop.sale({"lines": [line(8)], "tenders": [cash(15000)]}, headers=auditor), 403, "FORBIDDEN")
    problem(shop.client.post("/api/sales", json={}), 401, "UNAUTHORIZED")


@pytest.fixture
def exclusive_shop(tmp_path: Path) -> Iterator[Shop]:
    with open_shop(tmp_path, TAX_INCLUSIVE="false", CASH_ROUNDING_INCREMENT="500") as shop:
        yield shop


def test_tax_exclusive_prices_and_cash_rounding_line(exclusive_shop: Shop) -> None:
    shop = exclusive_shop
    quote = shop.client.post("/api/sales/quote", json={"lines": [line(1), line(3)]}, headers=shop.headers).json()
    # 450.00 + 100.00 net, 18 % on top per line: 81.00 + 18.00 -> 649.00; cash rounds to 5.00 -> 650.00
    assert quote["totals"]["taxAmount"] == 9900 and quote["totals"]["totalAmount"] == 64900
    assert quote["amountDueCash"] == 65000 and quote["pricesIncludeTax"] is False
    sale = shop.ok_sale({"lines": [line(1), line(3)], "tenders": [cash(70000)]})
    assert sale["totals"]["cashRounding"] == 100 and sale["totals"]["amountDue"] == 65000 and sale["change"] == 5000
    by_card = shop.ok_sale({"lines": [line(1), line(3)], "tenders": [card(64900)]})
    assert by_card["totals"]["cashRounding"] == 0 and by_card["totals"]["amountDue"] == 64900
    split = shop.ok_sale({"lines": [line(1), line(3)], "tenders": [card(30000), cash(35000)]})
    # the cash part 349.00 rounds to 350.00 (increment 5.00): the rounding line only touches cash
    assert split["totals"]["cashRounding"] == 100 and split["tenders"][1]["amount"] == 35000

"""Returns and refunds: lookup, valuation at the price paid, limits, approvals, store credit, the runbook call."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from tests.checkout_helpers import Shop, cash, line, make_shop, open_shop, problem

RUNBOOK_BODY = {
    "orderId": "test",
    "items": [{"productId": "1", "quantity": 1, "unitPrice": 10.00}],
    "refundReason": "Test refund",
    "paymentMethod": "cash",
    "managerPin": "1234",
}


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def give_back(shop: Shop, body: dict[str, Any], key: str | None = None, headers: dict[str, str] | None = None) -> Any:
    hdrs = {**(headers or shop.headers), "Idempotency-Key": key or str(uuid.uuid4())}
    return shop.client.post("/api/returns", json=body, headers=hdrs)


def ret_line(line_no: int, quantity: float | str, reason: str = "customer_change", **kw: Any) -> dict[str, Any]:
    return {"lineNo": line_no, "quantity": quantity, "reason": reason, **kw}


def test_partial_returns_add_up_to_exactly_what_was_paid(shop: Shop) -> None:
    # 3 milk with a 10 % discount and a bill discount: 1215.00 less 7.77 -> paid per line is not a round number
    sale = shop.ok_sale(
        {
            "lines": [line(1, 3, discount={"percent": 10}), line(8)],
            "billDiscount": {"amount": 777},
            "tenders": [cash(200000)],
        }
    )
    paid = sale["lines"][0]["totalAmount"]
    lookup = shop.client.get(f"/api/returns/lookup?receiptNumber={sale['receiptNumber']}", headers=shop.headers)
    assert lookup.json()["lines"][0]["returnableQuantity"] == 3.0
    refunds = []
    for _ in range(3):
        response = give_back(shop, {"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1)]})
        assert response.status_code == 201, response.text
        refunds.append(response.json()["totalAmount"])
    assert sum(refunds) == paid and len(set(refunds)) > 1  # the pennies land on different returns, none leak
    problem(
        give_back(shop, {"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1)]}),
        409,
        "RETURN_EXCEEDS_SOLD",
    )
    tax = fetch_value(
        shop.rt.db.reader, "SELECT refunded_tax FROM sale_lines WHERE sale_id = ? AND line_no = 1", (sale["id"],)
    )
    assert tax == sale["lines"][0]["taxAmount"]
    assert shop.stock(1) == 0


def test_return_by_receipt_number_with_write_off_and_store_credit(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(2, 2)], "tenders": [cash(50000)]})
    body = {
        "receiptNumber": sale["receiptNumber"].lower(),
        "refundMethod": "store_credit",
        "lines": [ret_line(1, 0.5, "damaged", disposition="write_off")],
    }
    out = give_back(shop, body).json()
    assert out["totalAmount"] == 12500 and out["storeCreditCode"].startswith("SC")
    assert out["lines"][0]["disposition"] == "write_off" and shop.stock(2) == -2000
    moves = fetch_all(shop.rt.db.reader, "SELECT kind, qty FROM stock_movements WHERE ref_type = 'return'")
    assert moves == [("return", 500), ("write_off", -500)]
    # the voucher pays for a later sale, and cannot pay twice
    spend = {"method": "store_credit", "amount": 12500, "reference": out["storeCreditCode"]}
    shop.ok_sale({"lines": [line(2, 0.5)], "tenders": [spend]})
    problem(shop.sale({"lines": [line(2, 0.5)], "tenders": [spend]}), 409, "STORE_CREDIT_INSUFFICIENT")


def test_refund_above_threshold_and_without_receipt_need_a_manager(tmp_path: Any) -> None:
    with open_shop(tmp_path, REFUND_MANAGER_THRESHOLD="50000") as shop:
        sale = shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
        small = give_back(shop, {"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1)]})
        assert small.status_code == 201 and small.json()["approvedBy"] is None
        sale2 = shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
        big = {"saleId": sale2["id"], "refundMethod": "cash", "lines": [ret_line(1, 2)]}
        problem(give_back(shop, big), 403, "MANAGER_APPROVAL_REQUIRED")
        approved = give_back(shop, {**big, "managerPin": shop.manager.pin}).json()
        assert approved["approvedBy"] == shop.manager.id and approved["totalAmount"] == 90000
        no_receipt = {"refundMethod": "cash", "lines": [{"productId": 8, "quantity": 1, "reason": "other"}]}
        problem(give_back(shop, no_receipt), 403, "MANAGER_APPROVAL_REQUIRED")
        ok = give_back(shop, {**no_receipt, "managerPin": shop.manager.pin}).json()
        assert ok["saleId"] is None and ok["totalAmount"] == 15000


def test_returns_are_idempotent(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
    key = str(uuid.uuid4())
    body = {"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1)]}
    first, again = give_back(shop, body, key), give_back(shop, body, key)
    assert first.status_code == again.status_code == 201 and first.content == again.content
    assert shop.count("returns") == 1
    problem(give_back(shop, {**body, "lines": [ret_line(1, 2)]}, key), 409, "IDEMPOTENCY_KEY_REUSED")
    problem(shop.client.post("/api/returns", json=body, headers=shop.headers), 400, "IDEMPOTENCY_KEY_MISSING")


def test_bad_returns_write_nothing(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
    voided = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15000)]})
    shop.client.post(f"/api/sales/{voided['id']}/void", json={"reason": "x"}, headers=shop.sign_in(shop.manager))
    before = shop.counts()
    cases = [
        ({"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 3)]}, 409, "RETURN_EXCEEDS_SOLD"),
        (
            {"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1), ret_line(1, 1.5)]},
            409,
            "RETURN_EXCEEDS_SOLD",
        ),
        ({"saleId": voided["id"], "refundMethod": "cash", "lines": [ret_line(1, 1)]}, 409, "SALE_VOIDED"),
        ({"saleId": 999, "refundMethod": "cash", "lines": [ret_line(1, 1)]}, 404, "SALE_NOT_FOUND"),
        ({"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(9, 1)]}, 400, "UNKNOWN_SALE_LINE"),
        ({"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 0)]}, 400, "INVALID_QUANTITY"),
        ({"saleId": sale["id"], "refundMethod": "cash", "lines": [ret_line(1, 1, "bored")]}, 400, "VALIDATION_FAILED"),
        (
            {"saleId": sale["id"], "refundMethod": "customer_account", "lines": [ret_line(1, 1)]},
            400,
            "CUSTOMER_REQUIRED",
        ),
    ]
    for body, status, code in cases:
        problem(give_back(shop, body), status, code)
    assert shop.counts() == before


def test_runbook_refund_call(shop: Shop) -> None:
    problem(shop.client.post("/api/refunds/create", json=RUNBOOK_BODY, headers=shop.headers), 404, "SALE_NOT_FOUND")
    problem(shop.client.post("/api/refunds/create", json=RUNBOOK_BODY), 401, "UNAUTHORIZED")
    sale = shop.ok_sale({"lines": [line(8, 2)], "tenders": [cash(30000)]})
    body = {
        **RUNBOOK_BODY,
        "orderId": sale["receiptNumber"],
        "items": [{"productId": "8", "quantity": 1, "unitPrice": 150.00}],
    }
    done = shop.client.post("/api/refunds/create", json=body, headers=shop.headers)
    assert done.status_code == 201, done.text
    out = done.json()
    assert out["totalAmount"] == 15000 and out["refundMethod"] == "cash" and out["note"] == "Test refund"
    assert out["lines"] == [
        {
            "productId": 8,
            "name": "Bread",
            "quantity": 1.0,
            "totalAmount": 15000,
            "taxAmount": 0,
            "reason": "other",
            "disposition": "restock",
            "lineNo": 1,
        }
    ]
    by_id = {**body, "orderId": str(sale["id"]), "items": [{"productId": "8", "quantity": 1, "unitPrice": 15}]}
    problem(shop.client.post("/api/refunds/create", json=by_id, headers=shop.headers), 400, "REFUND_PRICE_MISMATCH")
    by_id["items"][0]["unitPrice"] = 150.0
    assert shop.client.post("/api/refunds/create", json=by_id, headers=shop.headers).status_code == 201
    problem(shop.client.post("/api/refunds/create", json=by_id, headers=shop.headers), 409, "RETURN_EXCEEDS_SOLD")
    assert fetch_value(shop.rt.db.reader, "SELECT count(*) FROM returns WHERE source = 'runbook'") == 2

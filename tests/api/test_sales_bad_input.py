"""Bad sale input: every case a 4xx with a stable code, and nothing written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.runtime import Runtime
from tests.checkout_helpers import Shop, card, cash, line, make_shop, open_shop, problem


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """One store for the cases that must write nothing (each checks that it did not)."""
    with open_shop(tmp_path_factory.mktemp("bad")) as shop:
        yield shop


CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("unknown product", {"lines": [line(999)], "tenders": [cash(100)]}, 400, "UNKNOWN_PRODUCT"),
    ("zero quantity", {"lines": [line(1, 0)], "tenders": [cash(45000)]}, 400, "INVALID_QUANTITY"),
    ("negative quantity", {"lines": [line(1, -1)], "tenders": [cash(45000)]}, 400, "INVALID_QUANTITY"),
    ("four decimals", {"lines": [line(2, "0.7555")], "tenders": [cash(45000)]}, 400, "INVALID_QUANTITY"),
    ("huge quantity", {"lines": [line(1, "1e30")], "tenders": [cash(45000)]}, 400, "INVALID_QUANTITY"),
    ("fraction of a piece", {"lines": [line(1, 0.5)], "tenders": [cash(22500)]}, 400, "FRACTIONAL_QUANTITY"),
    ("short tenders", {"lines": [line(1)], "tenders": [cash(40000)]}, 400, "TENDERS_SHORT"),
    ("no tenders", {"lines": [line(1)], "tenders": []}, 400, "TENDERS_SHORT"),
    (
        "card without reference",
        {"lines": [line(1)], "tenders": [{"method": "card", "amount": 45000}]},
        400,
        "TENDER_REFERENCE_REQUIRED",
    ),
    ("overflow amount", {"lines": [line(1)], "tenders": [cash(2**70)]}, 400, "VALIDATION_FAILED"),
    ("overflow product id", {"lines": [line(2**64)], "tenders": [cash(1)]}, 400, "VALIDATION_FAILED"),
    ("no lines", {"lines": [], "tenders": [cash(1)]}, 400, "VALIDATION_FAILED"),
    (
        "unknown field",
        {"lines": [line(1)], "tenders": [cash(45000)], "discountEverything": True},
        400,
        "VALIDATION_FAILED",
    ),
    ("unknown customer", {"lines": [line(1)], "customerId": 77, "tenders": [cash(45000)]}, 400, "UNKNOWN_CUSTOMER"),
    (
        "unknown store credit",
        {"lines": [line(1)], "tenders": [{"method": "store_credit", "amount": 45000, "reference": "SCNOPE"}]},
        400,
        "UNKNOWN_STORE_CREDIT",
    ),
    ("age check missing", {"lines": [line(5)], "tenders": [cash(30000)]}, 400, "AGE_CONFIRMATION_REQUIRED"),
    (
        "underage",
        {
            "lines": [line(5)],
            "tenders": [cash(30000)],
            "ageConfirmations": [{"method": "date_of_birth", "dateOfBirth": "2006-01-01"}],
        },
        400,
        "CUSTOMER_UNDERAGE",
    ),
    (
        "barcode of another product",
        {"lines": [line(2, 1, scannedCode="4006381333931")], "tenders": [cash(25000)]},
        400,
        "BARCODE_PRODUCT_MISMATCH",
    ),
    (
        "bad check digit",
        {"lines": [line(1, 1, scannedCode="4006381333932")], "tenders": [cash(45000)]},
        400,
        "BARCODE_CHECK_DIGIT",
    ),
    (
        "discount with percent and amount",
        {"lines": [line(1, 1, discount={"percent": 5, "amount": 100})], "tenders": [cash(45000)]},
        400,
        "INVALID_DISCOUNT",
    ),
    ("unknown held sale", {"lines": [line(1)], "heldSaleId": 42, "tenders": [cash(45000)]}, 404, "HELD_SALE_NOT_FOUND"),
]


@pytest.mark.parametrize(("case", "body", "status", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_sale_input_writes_nothing(shared: Shop, case: str, body: dict[str, Any], status: int, code: str) -> None:
    before = shared.counts()
    problem(shared.sale(body), status, code)
    assert shared.counts() == before, case


def test_a_long_decimal_number_is_refused_not_rounded(shop: Shop) -> None:
    # As a JSON number (not a string): a float on the way would round it to 1.0 and sell 1 kg.
    raw = (
        b'{"lines": [{"productId": 2, "quantity": 1.0000000000000000001}], '
        b'"tenders": [{"method": "cash", "amount": 25000}]}'
    )
    headers = {**shop.headers, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
    problem(shop.client.post("/api/sales", content=raw, headers=headers), 400, "INVALID_QUANTITY")
    assert shop.count("sales") == 0


def test_malformed_json_writes_nothing(shop: Shop) -> None:
    before = shop.counts()
    headers = {**shop.headers, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
    response = shop.client.post("/api/sales", content=b'{"lines": [', headers=headers)
    assert response.status_code == 400
    assert shop.counts() == before


def test_age_check_and_scale_label_pass(shop: Shop) -> None:
    checked = shop.ok_sale(
        {"lines": [line(5)], "tenders": [cash(30000)], "ageConfirmations": [{"method": "checked", "productId": 5}]}
    )
    assert checked["lines"][0]["productId"] == 5
    # Scale label 20 04011 01250 c: bananas (PLU 4011), 1.250 kg at 300.00/kg
    from pos_grocery.barcodes import DEFAULT_LAYOUTS, make_variable_measure

    label = make_variable_measure(DEFAULT_LAYOUTS[0], "04011", 1250)
    weighed = shop.ok_sale({"lines": [{"productId": 6, "scannedCode": label}], "tenders": [cash(37500)]})
    assert weighed["lines"][0]["quantity"] == 1.25 and weighed["totals"]["totalAmount"] == 37500
    problem(shop.sale({"lines": [line(6, 2, scannedCode=label)], "tenders": [cash(60000)]}), 400, "QUANTITY_MISMATCH")


def test_price_override_needs_a_manager(shop: Shop) -> None:
    body = {"lines": [line(1, 1, priceOverride=40000)], "tenders": [card(40000)]}
    problem(shop.sale(body), 403, "MANAGER_APPROVAL_REQUIRED")
    problem(shop.sale({**body, "managerPin": "000000"}), 403, "MANAGER_PIN_INVALID")
    assert shop.count("sales") == 0
    sale = shop.ok_sale({**body, "managerPin": shop.manager.pin})
    assert sale["lines"][0]["unitPrice"] == 40000 and sale["lines"][0]["priceOverridden"] is True
    assert sale["totals"]["totalAmount"] == 40000


def test_large_discounts_need_a_reason_and_a_manager(shop: Shop) -> None:
    small = shop.ok_sale({"lines": [line(1, 1, discount={"percent": 5})], "tenders": [cash(42750)]})
    assert small["lines"][0]["adjustments"][0]["kind"] == "manual_line"
    big = {"lines": [line(1, 1, discount={"percent": 20})], "tenders": [cash(36000)]}
    problem(shop.sale(big), 400, "DISCOUNT_REASON_REQUIRED")
    big["lines"][0]["discount"]["reason"] = "damaged box"
    problem(shop.sale(big), 403, "MANAGER_APPROVAL_REQUIRED")
    sale = shop.ok_sale({**big, "managerPin": shop.manager.pin})
    assert sale["lines"][0]["adjustments"] == [
        {"kind": "manual_line", "ruleId": None, "amount": -9000, "text": "Discount 20%", "reason": "damaged box"}
    ]
    bill = {"lines": [line(1, 2)], "billDiscount": {"amount": 200000, "reason": "x"}, "tenders": [cash(90000)]}
    problem(shop.sale(bill), 403, "MANAGER_APPROVAL_REQUIRED")


def test_voided_lines_are_recorded_and_audited(shop: Shop) -> None:
    sale = shop.ok_sale(
        {
            "lines": [line(1)],
            "tenders": [cash(45000)],
            "voidedLines": [{"productId": 3, "quantity": 2, "reason": "customer changed mind"}],
        }
    )
    from pos_grocery.db.connection import fetch_all

    voids = fetch_all(shop.rt.db.reader, "SELECT sale_id, product_id, qty, reason FROM sale_line_voids")
    assert voids == [(sale["id"], 3, 2000, "customer changed mind")]
    actions = fetch_all(shop.rt.db.reader, "SELECT action FROM audit_events WHERE entity = 'sale' ORDER BY id")
    assert [a[0] for a in actions] == ["sales.completed", "sales.line_voided"]

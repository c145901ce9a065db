"""`GET /api/settings` (the non-secret store settings) and a cashier's Z reprint with a manager's PIN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.db.connection import fetch_all
from pos_grocery.errors import ConfigError
from pos_grocery.runtime import Runtime, open_runtime
from pos_grocery.settings import Settings
from tests.auth_helpers import add_user, bearer, issue_token
from tests.checkout_helpers import Shop, line, make_shop, problem
from tests.conftest import make_settings
from tests.shift_helpers import ok, post

LKR = [500_000, 200_000, 100_000, 50_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100]


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def test_every_role_reads_the_defaults(runtime: Runtime, client: TestClient[Any]) -> None:
    for role in ("cashier", "manager", "admin", "auditor"):
        user = add_user(runtime, role, username=f"set-{role}")
        got = client.get("/api/settings", headers=bearer(issue_token(runtime, user.id)))
        assert got.status_code == 200, got.text
        assert got.json() == {
            "storeCode": "MAIN", "storeName": runtime.settings.store_name, "currency": "LKR", "minorDigits": 2,
            "cashRoundingIncrement": 0, "taxInclusive": True,
            "discountManagerThreshold": {"percentBp": 1000, "amount": 100_000},
            "refundManagerThreshold": 500_000, "cashMovementCashierLimit": 500_000, "denominations": LKR,
            "storeTimezone": "Asia/Colombo", "receiptLanguages": ["en", "si", "ta"],
        }
    assert client.get("/api/settings").status_code == 401


def test_the_values_come_from_the_environment(tmp_path: Path) -> None:
    env = {"CURRENCY": "LKR", "CASH_ROUNDING_INCREMENT": "50", "TAX_INCLUSIVE": "false",
           "DISCOUNT_MANAGER_THRESHOLD_BP": "500", "DISCOUNT_MANAGER_THRESHOLD_AMOUNT": "2000",
           "CASH_DENOMINATIONS": "100, 5000,1000", "STORE_TIMEZONE": "Asia/Kolkata"}
    rt = open_runtime(make_settings(tmp_path, **env))
    try:
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[arg-type]
            body = client.get("/api/settings", headers=bearer(issue_token(rt, add_user(rt, "cashier").id))).json()
    finally:
        rt.db.close()
    assert body["cashRoundingIncrement"] == 50 and body["taxInclusive"] is False
    assert body["discountManagerThreshold"] == {"percentBp": 500, "amount": 2000}
    assert body["denominations"] == [5000, 1000, 100] and body["storeTimezone"] == "Asia/Kolkata"


@pytest.mark.parametrize("raw", ["", "abc", "0", "100,100", "-5"])
def test_bad_denominations_are_refused_at_start_up(tmp_path: Path, raw: str) -> None:
    if raw == "":
        assert make_settings(tmp_path, CASH_DENOMINATIONS="").cash_denominations == tuple(LKR)
        return
    with pytest.raises(ConfigError, match="CASH_DENOMINATIONS"):
        make_settings(tmp_path, CASH_DENOMINATIONS=raw)


def test_a_cashier_reprints_a_z_with_a_manager_pin(shop: Shop) -> None:
    cashier = shop.sign_in(shop.cashier, "LANE-3")
    manager = shop.sign_in(shop.manager, "LANE-3")
    sid = int(ok(post(shop, "/api/shifts", {"openingFloat": 10_000}, cashier))["id"])
    z = ok(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 10_000, "managerPin": shop.manager.pin}, cashier))
    # the GET needs reports.read, which a cashier does not hold
    problem(shop.client.get(f"/api/shifts/{sid}/z", headers=cashier), 403, "FORBIDDEN")
    problem(post(shop, f"/api/shifts/{sid}/z/reprint", {}, cashier), 403, "MANAGER_APPROVAL_REQUIRED")
    problem(post(shop, f"/api/shifts/{sid}/z/reprint", {"managerPin": "000000"}, cashier), 403,
            "MANAGER_PIN_INVALID")
    copy = ok(post(shop, f"/api/shifts/{sid}/z/reprint", {"managerPin": shop.manager.pin}, cashier), 200)
    assert copy["copy"] is True and copy["zNumber"] == z["zNumber"] and copy["reprintCount"] == 1
    assert copy["sha256"] == z["sha256"] and "COPY" in copy["text"]
    # a manager needs no PIN; unknown shifts and open shifts answer as the GET does
    assert ok(post(shop, f"/api/shifts/{sid}/z/reprint", {}, manager), 200)["reprintCount"] == 2
    problem(post(shop, "/api/shifts/999999/z/reprint", {"managerPin": shop.manager.pin}, cashier), 404,
            "SHIFT_NOT_FOUND")
    problem(post(shop, f"/api/shifts/{sid}/z/reprint", {"managerPin": 1234}, cashier), 400, "VALIDATION_FAILED")
    events = fetch_all(shop.rt.db.reader,
                       "SELECT actor_id, approver_id FROM audit_events WHERE action = 'shifts.z_reprinted' "
                       "ORDER BY id")
    assert [tuple(e) for e in events] == [(shop.cashier.id, shop.manager.id), (shop.manager.id, None)]


def test_the_settings_object_has_the_field(settings: Settings) -> None:
    assert settings.cash_denominations == tuple(LKR)


def test_a_customer_shows_the_balance_owed_read_only(shop: Shop) -> None:
    cashier = shop.sign_in(shop.cashier, "LANE-3")
    ok(post(shop, "/api/shifts", {"openingFloat": 0}, cashier))
    before = ok(shop.client.get("/api/customers/2", headers=cashier), 200)["balance"]
    on_account = [{"method": "customer_account", "amount": 40_000}]
    shop.ok_sale({"lines": [line(7, 2)], "customerId": 2, "tenders": on_account}, headers=cashier)
    assert ok(shop.client.get("/api/customers/2", headers=cashier), 200)["balance"] == before + 40_000
    # the balance is not writable
    manager = shop.sign_in(shop.manager)
    problem(shop.client.patch("/api/customers/2", json={"balance": 0}, headers=manager), 400, "VALIDATION_FAILED")

"""Shifts end to end: a full day (every tender, refund, void, cash moves, no-sale, X, Z) reconciled independently."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import apsw
import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_user, bearer, issue_token
from tests.checkout_helpers import Shop, card, cash, line, make_shop, problem
from tests.shift_helpers import compare, ok, post, rebuild

TZ = ZoneInfo("Asia/Colombo")


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def lane3(shop: Shop, opening_float: int = 500_000) -> tuple[dict[str, str], int]:
    """The cashier signed in at LANE-3 with a shift opened there (returns headers and the shift id)."""
    headers = shop.sign_in(shop.cashier, "LANE-3")
    shift = ok(post(shop, "/api/shifts", {"openingFloat": opening_float, "note": "morning"}, headers))
    assert shift["status"] == "open" and shift["terminal"] == "LANE-3" and shift["openingFloat"] == opening_float
    return headers, int(shift["id"])


def sell(shop: Shop, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    return shop.ok_sale(body, headers=headers)


def test_full_day_reconciles_to_the_cent(shop: Shop) -> None:
    headers, sid = lane3(shop)
    manager = shop.sign_in(shop.manager, "LANE-3")
    pin = shop.manager.pin
    add = post(shop, "/api/promotions", {"kind": "discount", "label": "Bread", "productIds": [8], "percent": 10},
               shop.sign_in(shop.manager))
    assert add.status_code == 201, add.text
    s1 = sell(shop, headers, {"lines": [line(1, 2), line(8)], "tenders": [cash(200_000, 200_000)]})
    s2 = sell(shop, headers, {"lines": [line(2, 1.5)], "tenders": [card(37_500)]})
    s3 = sell(shop, headers, {"lines": [line(3), line(4)], "tenders": [{"method": "wallet", "amount": 22_000,
                                                                       "reference": "QR1"}]})
    sell(shop, headers, {"lines": [line(7, 2)], "customerId": 2,
                         "tenders": [{"method": "customer_account", "amount": 40_000}]})
    sell(shop, headers, {"lines": [line(1), line(8, 3)], "billDiscount": {"amount": 500},
                         "tenders": [cash(30_000), card(60_000)]})
    # store credit from a refund, spent as a tender
    credit = ok(post(shop, "/api/returns", {"saleId": s3["id"], "refundMethod": "store_credit",
                                            "lines": [{"lineNo": 2, "quantity": 1, "reason": "damaged",
                                                       "disposition": "write_off"}]}, headers, key=True))
    sell(shop, headers, {"lines": [line(4)], "tenders": [{"method": "store_credit", "amount": 12_000,
                                                          "reference": credit["storeCreditCode"]}]})
    # a cash refund and a void
    ok(post(shop, "/api/returns", {"saleId": s1["id"], "refundMethod": "cash",
                                   "lines": [{"lineNo": 1, "quantity": 1, "reason": "customer_change"}]},
            headers, key=True))
    victim = sell(shop, headers, {"lines": [line(5)], "ageConfirmations": [{"method": "checked"}],
                                  "tenders": [cash(50_000)]})
    voided = post(shop, f"/api/sales/{victim['id']}/void", {"reason": "wrong item", "managerPin": pin}, headers)
    assert voided.status_code == 200, voided.text
    for kind, amount, extra in (("cash_in", 10_000, {}), ("cash_out", 2_500, {}), ("drop", 100_000, {}),
                                ("petty", 1_200, {}), ("pickup", 50_000, {"managerPin": pin})):
        moved = ok(post(shop, f"/api/shifts/{sid}/movements",
                        {"kind": kind, "amount": amount, "reason": f"{kind} test", **extra}, headers, key=True))
        assert moved["kind"] == kind and moved["amount"] == amount and moved["shiftId"] == sid
    no_sale = ok(post(shop, f"/api/shifts/{sid}/no-sale", {"reason": "change for the till", "managerPin": pin},
                      headers))
    assert no_sale["drawer"] == "not_connected" and no_sale["approvedBy"] == shop.manager.id

    x = ok(shop.client.get(f"/api/shifts/{sid}/x", headers=headers), 200)
    assert x["kind"] == "x" and x["zNumber"] is None and x["cash"]["declared"] is None
    raw = rebuild(shop.rt.db.reader, sid, TZ)
    compare(x, raw)
    assert {t["method"] for t in x["tenders"]} == {"cash", "card", "wallet", "customer_account", "store_credit"}
    assert x["voids"]["count"] == 1 and x["noSales"] == 1 and x["refundTotal"]["count"] == 2
    assert any(d["kind"] != "manual" and d["ruleId"] for d in x["discounts"])

    declared = raw["expected"] - 150  # 1.50 short
    notes = [{"value": 500_000, "count": declared // 500_000}, {"value": 1, "count": declared % 500_000}]
    z = ok(post(shop, f"/api/shifts/{sid}/close", {"denominations": notes, "note": "counted twice"}, manager))
    doc = z["report"]
    assert z["copy"] is False and z["zNumber"] == 1 and "COPY" not in z["text"] and "Z REPORT #1" in z["text"]
    assert doc["kind"] == "z" and doc["cash"]["declared"] == declared and doc["cash"]["variance"] == -150
    compare(doc, rebuild(shop.rt.db.reader, sid, TZ))
    closed = ok(shop.client.get(f"/api/shifts/{sid}", headers=manager), 200)
    assert closed["status"] == "closed" and closed["variance"] == -150 and closed["zNumber"] == 1
    assert closed["expectedCash"] == raw["expected"] and closed["declaredCash"] == declared

    # immutable: reprints are the stored document, marked COPY and counted; SQL cannot change it
    again = ok(shop.client.get(f"/api/shifts/{sid}/z", headers=manager), 200)
    assert again["copy"] is True and again["reprintCount"] == 1 and again["report"] == doc
    assert again["text"].startswith(" " * 10 + "*** COPY ***") or "*** COPY ***" in again["text"]
    assert ok(shop.client.get(f"/api/shifts/{sid}/z", headers=manager), 200)["reprintCount"] == 2
    with pytest.raises(apsw.ConstraintError), shop.rt.db.write() as conn:
        conn.execute("UPDATE z_reports SET document = '{}' WHERE shift_id = ?", (sid,))
    with pytest.raises(apsw.ConstraintError), shop.rt.db.write() as conn:
        conn.execute("UPDATE shifts SET declared_cash = 0 WHERE id = ?", (sid,))
    actions = {r[0] for r in fetch_all(shop.rt.db.reader, "SELECT action FROM audit_events WHERE entity = 'shift'")}
    assert {"shifts.opened", "shifts.cash_movement", "shifts.no_sale", "shifts.z_closed",
            "shifts.z_reprinted"} <= actions

    # nothing lands in the closed shift
    problem(shop.sale({"lines": [line(8)], "tenders": [cash(15_000)]}, headers=headers), 409, "SHIFT_NOT_OPEN")
    problem(post(shop, f"/api/sales/{s2['id']}/void", {"reason": "late", "managerPin": pin}, headers), 409,
            "SHIFT_CLOSED")
    problem(post(shop, f"/api/shifts/{sid}/movements", {"kind": "cash_in", "amount": 1, "reason": "x"}, headers),
            409, "SHIFT_CLOSED")
    problem(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 0}, manager), 409, "SHIFT_CLOSED")


def test_open_rules_and_bad_input(shop: Shop) -> None:
    headers = shop.sign_in(shop.cashier, "LANE-3")
    problem(post(shop, "/api/shifts", {"openingFloat": -1}, headers), 400, "VALIDATION_FAILED")
    problem(post(shop, "/api/shifts", {"openingFloat": 1, "extra": 1}, headers), 400, "VALIDATION_FAILED")
    problem(shop.client.get("/api/shifts/current", headers=headers), 404, "SHIFT_NOT_OPEN")
    problem(shop.sale({"lines": [line(8)], "tenders": [cash(15_000)]}, headers=headers), 409, "SHIFT_NOT_OPEN")
    first = ok(post(shop, "/api/shifts", {"openingFloat": 0}, headers))
    assert ok(shop.client.get("/api/shifts/current", headers=headers), 200)["id"] == first["id"]
    problem(post(shop, "/api/shifts", {"openingFloat": 0}, headers), 409, "SHIFT_ALREADY_OPEN")
    problem(post(shop, "/api/shifts", {"openingFloat": 0, "terminalId": shop.lane}, headers), 409,
            "SHIFT_TERMINAL_MISMATCH")
    office = bearer(issue_token(shop.rt, shop.manager.id, None, "password"))
    problem(post(shop, "/api/shifts", {"openingFloat": 0}, office), 400, "TERMINAL_REQUIRED")
    problem(post(shop, "/api/shifts", {"openingFloat": 0, "terminalId": 999}, office), 404, "TERMINAL_NOT_FOUND")
    sid = first["id"]
    for bad in ({"kind": "cash_in", "amount": 0, "reason": "x"}, {"kind": "cash_in", "amount": -5, "reason": "x"},
                {"kind": "float", "amount": 5, "reason": "x"}, {"kind": "cash_in", "amount": 5, "reason": ""},
                {"kind": "cash_in", "amount": 5}):
        problem(post(shop, f"/api/shifts/{sid}/movements", bad, headers), 400, "VALIDATION_FAILED")
    problem(post(shop, f"/api/shifts/{sid}/movements", {"kind": "cash_in", "amount": 5, "reason": "   "}, headers),
            400, "VALIDATION_FAILED")
    problem(post(shop, f"/api/shifts/{sid}/movements", {"kind": "pickup", "amount": 5, "reason": "bank"}, headers),
            403, "MANAGER_APPROVAL_REQUIRED")
    big = {"kind": "cash_out", "amount": 500_001, "reason": "supplier"}
    problem(post(shop, f"/api/shifts/{sid}/movements", big, headers), 403, "MANAGER_APPROVAL_REQUIRED")
    ok(post(shop, f"/api/shifts/{sid}/movements", {**big, "managerPin": shop.manager.pin}, headers))
    ok(post(shop, f"/api/shifts/{sid}/movements", {"kind": "drop", "amount": 900_000, "reason": "safe"}, headers))
    problem(post(shop, "/api/shifts/999/movements", {"kind": "drop", "amount": 1, "reason": "x"}, headers), 404,
            "SHIFT_NOT_FOUND")
    problem(post(shop, f"/api/shifts/{sid}/no-sale", {"reason": "peek"}, headers), 403, "MANAGER_APPROVAL_REQUIRED")
    problem(post(shop, f"/api/shifts/{sid}/no-sale", {"reason": ""}, headers), 400, "VALIDATION_FAILED")
    # another terminal's shift: a lane acts only on its own
    lane1_shift = ok(shop.client.get("/api/shifts/current", headers=shop.headers), 200)["id"]
    problem(post(shop, f"/api/shifts/{lane1_shift}/movements", {"kind": "drop", "amount": 1, "reason": "x"},
                 headers), 409, "SHIFT_TERMINAL_MISMATCH")
    manager3 = shop.sign_in(shop.manager, "LANE-3")
    problem(post(shop, f"/api/shifts/{lane1_shift}/close", {"declaredCash": 0}, manager3), 409,
            "SHIFT_TERMINAL_MISMATCH")
    problem(shop.client.get(f"/api/shifts/{lane1_shift}/x", headers=headers), 409, "SHIFT_TERMINAL_MISMATCH")
    problem(post(shop, f"/api/shifts/{lane1_shift}/no-sale", {"reason": "x", "managerPin": shop.manager.pin},
                 office), 409, "SHIFT_TERMINAL_MISMATCH")
    # closing: a declared amount is needed and must agree with the denominations
    problem(post(shop, f"/api/shifts/{sid}/close", {}, manager3), 400, "DECLARED_CASH_REQUIRED")
    problem(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": -1}, manager3), 400, "VALIDATION_FAILED")
    notes = [{"value": 100, "count": 2}]
    problem(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 201, "denominations": notes}, manager3), 400,
            "DECLARED_CASH_MISMATCH")
    problem(post(shop, f"/api/shifts/{sid}/close", {"denominations": notes + notes}, manager3), 400,
            "DUPLICATE_DENOMINATION")
    problem(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 0}, headers), 403, "MANAGER_APPROVAL_REQUIRED")
    problem(shop.client.get(f"/api/shifts/{sid}/z", headers=manager3), 404, "Z_REPORT_NOT_FOUND")
    z = ok(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 0, "managerPin": shop.manager.pin}, headers))
    assert z["report"]["cash"]["expected"] == -500_001 - 900_000 and z["report"]["cash"]["variance"] == 1_400_001
    problem(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 0}, manager3), 409, "SHIFT_CLOSED")
    problem(shop.client.get(f"/api/shifts/{sid}/z", headers=headers), 403, "FORBIDDEN")  # cashiers do not reprint
    # a new shift may open after the Z; Z numbers continue
    ok(post(shop, "/api/shifts", {"openingFloat": 100}, headers))
    listed = ok(shop.client.get("/api/shifts?terminalId=3&limit=1", headers=manager3), 200)
    assert len(listed["items"]) == 1 and listed["nextCursor"]
    more = ok(shop.client.get(f"/api/shifts?terminalId=3&cursor={listed['nextCursor']}", headers=manager3), 200)
    assert [s["status"] for s in more["items"]] == ["closed"]
    assert ok(shop.client.get("/api/shifts?status=open", headers=manager3), 200)["items"][0]["status"] == "open"
    problem(shop.client.get("/api/shifts/12345", headers=manager3), 404, "SHIFT_NOT_FOUND")


def test_cash_refund_needs_a_shift_other_refunds_do_not(shop: Shop) -> None:
    sale = shop.ok_sale({"lines": [line(8), line(8, 2)], "tenders": [cash(45_000)]})
    shift = ok(shop.client.get("/api/shifts/current", headers=shop.headers), 200)
    manager = shop.sign_in(shop.manager)
    ok(post(shop, f"/api/shifts/{shift['id']}/close", {"declaredCash": 45_000}, manager))
    problem(post(shop, f"/api/sales/{sale['id']}/void", {"reason": "x", "managerPin": shop.manager.pin},
                 shop.headers), 409, "SHIFT_CLOSED")
    body = {"saleId": sale["id"], "refundMethod": "cash", "lines": [{"lineNo": 1, "quantity": 1,
                                                                      "reason": "expired"}]}
    problem(post(shop, "/api/returns", body, shop.headers, key=True), 409, "SHIFT_NOT_OPEN")
    assert fetch_value(shop.rt.db.reader, "SELECT count(*) FROM returns") == 0
    card_refund = ok(post(shop, "/api/returns", {**body, "refundMethod": "card", "reference": "R1"}, shop.headers,
                          key=True))
    assert fetch_value(shop.rt.db.reader, "SELECT shift_id FROM returns WHERE id = ?", (card_refund["id"],)) is None


def test_every_sale_is_stamped_with_its_shift(shop: Shop) -> None:
    s1 = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15_000)]})
    other = shop.sign_in(shop.cashier, "LANE-2")
    s2 = shop.ok_sale({"lines": [line(8)], "tenders": [cash(15_000)]}, headers=other)
    rows: dict[int, int] = dict(fetch_all(shop.rt.db.reader, "SELECT s.id, sh.terminal_id FROM sales s JOIN shifts sh "
                                             "ON sh.id = s.shift_id"))
    assert rows[s1["id"]] == s1["terminalId"] and rows[s2["id"]] == s2["terminalId"] != s1["terminalId"]


def test_permissions(shop: Shop) -> None:
    auditor = bearer(issue_token(shop.rt, add_user(shop.rt, "auditor").id, None, "password"))
    shift_id = ok(shop.client.get("/api/shifts/current", headers=shop.headers), 200)["id"]
    ok(shop.client.get(f"/api/shifts/{shift_id}/x", headers=auditor), 200)
    ok(shop.client.get("/api/shifts", headers=auditor), 200)
    problem(post(shop, "/api/shifts", {"openingFloat": 0, "terminalId": 3}, auditor), 403, "FORBIDDEN")
    problem(post(shop, f"/api/shifts/{shift_id}/movements", {"kind": "drop", "amount": 1, "reason": "x"}, auditor),
            403, "FORBIDDEN")
    problem(post(shop, f"/api/shifts/{shift_id}/close", {"declaredCash": 0}, auditor), 403, "FORBIDDEN")
    problem(post(shop, f"/api/shifts/{shift_id}/no-sale", {"reason": "x"}, auditor), 403, "FORBIDDEN")
    ok(shop.client.get(f"/api/shifts/{shift_id}/x", headers=shop.headers), 200)  # the cashier's own lane
    manager = shop.sign_in(shop.manager)
    ok(post(shop, f"/api/shifts/{shift_id}/close", {"declaredCash": 100}, manager))
    seen = ok(shop.client.get(f"/api/shifts/{shift_id}", headers=shop.headers), 200)  # cashiers: no variance
    assert seen["status"] == "closed" and seen["variance"] is None and seen["declaredCash"] is None
    listed = ok(shop.client.get("/api/shifts", headers=shop.headers), 200)["items"]
    assert all(s["variance"] is None for s in listed if s["status"] == "closed")
    assert ok(shop.client.get(f"/api/shifts/{shift_id}", headers=auditor), 200)["variance"] == 100


@pytest.mark.parametrize(("zone", "opened", "closed", "day"), [
    ("Asia/Colombo", "2026-11-29 05:00", "2026-11-29 05:15", "2026-11-29"),
    ("America/New_York", "2026-11-28 18:30", "2026-11-28 18:45", "2026-11-28"),
])
def test_z_text_shows_store_local_times(tmp_path: Any, zone: str, opened: str, closed: str, day: str) -> None:
    """A shift opened and sold in at 23:30 UTC: the printed Z shows the store's wall clock and names the zone
    once; the JSON report keeps RFC 3339 UTC."""
    from tests.checkout_helpers import open_shop

    with open_shop(tmp_path, STORE_TIMEZONE=zone) as shop:
        at = 1_795_908_600.0  # 2026-11-28T23:30:00Z
        shop.rt.clock = lambda: at
        headers, sid = lane3(shop)
        sell(shop, headers, {"lines": [line(8)], "tenders": [cash(15_000)]})
        at += 15 * 60
        manager = shop.sign_in(shop.manager, "LANE-3")
        z = ok(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": 515_000}, manager))
        text = z["text"]
        rows = {row[:20].strip(): row[20:].strip() for row in text.splitlines()}
        assert rows["Time zone"] == zone and text.count(zone) == 1
        assert rows["Opened"] == opened and rows["Closed"] == closed
        assert "T23:30" not in text and "Z\n" not in text
        assert z["report"]["openedAt"] == "2026-11-28T23:30:00.000Z" and z["report"]["closedAt"].endswith("Z")
        assert z["report"]["businessDate"] == day
        copy = ok(shop.client.get(f"/api/shifts/{sid}/z", headers=manager), 200)
        assert f"Opened{opened:>36}" in copy["text"]

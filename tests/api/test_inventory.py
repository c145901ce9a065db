"""Inventory API: stock, movements, adjustments, valuation, GRN, alerts, CSV stock import, integrity."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_value
from pos_grocery.runtime import Runtime
from tests.checkout_helpers import Shop, cash, line, make_shop, problem

Client = TestClient[Any]


@pytest.fixture
def shop(runtime: Runtime, client: Client) -> Shop:
    s = make_shop(runtime, client)
    with runtime.db.write() as conn:
        conn.execute("INSERT INTO suppliers (id, name, created_at, updated_at) VALUES (1, 'Acme', 'x', 'x')")
        conn.execute("INSERT INTO suppliers (id, name, created_at, updated_at) VALUES (2, 'Best Foods', 'x', 'x')")
        conn.execute("UPDATE products SET supplier_id = 1, reorder_level = 5000 WHERE id IN (1, 3)")
        conn.execute("UPDATE products SET supplier_id = 2, reorder_level = 2000 WHERE id = 8")
    return s


def mgr(shop: Shop) -> dict[str, str]:
    return shop.sign_in(shop.manager, "LANE-2")


def key(headers: dict[str, str], k: str | None = None) -> dict[str, str]:
    return {**headers, "Idempotency-Key": k or str(uuid.uuid4())}


def adjust(shop: Shop, body: dict[str, Any], k: str | None = None, headers: dict[str, str] | None = None) -> Any:
    return shop.client.post("/api/stock-adjustments", json=body, headers=key(headers or mgr(shop), k))


def grn_body(**extra: Any) -> dict[str, Any]:
    body = {"supplierId": 1, "reference": "INV-77", "freight": 1000, "otherCosts": 500,
            "lines": [{"productId": 1, "quantity": 10, "unitCost": 30000, "mrp": 46000, "batch": "B1",
                       "expiry": "2026-03-30"},
                      {"productId": 3, "quantity": 20, "unitCost": 5000}]}
    body.update(extra)
    return body


def integrity(shop: Shop) -> dict[str, Any]:
    body: dict[str, Any] = shop.client.get("/api/health/integrity").json()
    return next(c for c in body["checks"] if c["name"] == "stock_ledger")


def test_adjustment_moves_stock_and_ledger(shop: Shop) -> None:
    r = adjust(shop, {"kind": "adjustment", "reason": "found in back room", "lines": [line(1, 5), line(3, "2.5")]})
    assert r.status_code == 201, r.text
    out = r.json()
    assert [x["onHand"] for x in out["lines"]] == [5, 2.5]
    assert shop.stock(1) == 5000
    waste = adjust(shop, {"kind": "waste", "reason": "broken", "lines": [line(1, 2)]}).json()
    assert waste["lines"][0]["quantity"] == -2 and waste["lossValue"] == 60000
    assert shop.stock(1) == 3000
    page = shop.client.get("/api/stock/1/movements", headers=mgr(shop)).json()
    assert [(m["kind"], m["quantity"]) for m in page["items"]] == [("waste", -2), ("adjustment", 5)]
    assert page["onHand"] == 3
    assert shop.client.get(f"/api/stock-adjustments/{waste['id']}", headers=mgr(shop)).json()["lossValue"] == 60000
    assert integrity(shop)["ok"]


def test_adjustment_is_idempotent_and_validates(shop: Shop) -> None:
    k = str(uuid.uuid4())
    body = {"kind": "adjustment", "reason": "recount", "lines": [line(1, 3)]}
    first, again = adjust(shop, body, k), adjust(shop, body, k)
    assert first.json() == again.json() and shop.stock(1) == 3000
    problem(adjust(shop, {**body, "reason": "other"}, k), 409, "IDEMPOTENCY_KEY_REUSED")
    problem(adjust(shop, {"kind": "adjustment", "reason": "x", "lines": [line(1, 0)]}), 400, "INVALID_QUANTITY")
    problem(adjust(shop, {"kind": "waste", "reason": "x", "lines": [line(1, -1)]}), 400, "INVALID_QUANTITY")
    problem(adjust(shop, {"kind": "waste", "reason": "x", "lines": [line(1, "0.0001")]}), 400, "INVALID_QUANTITY")
    problem(adjust(shop, {"kind": "adjustment", "reason": "x", "lines": [line(999, 1)]}), 404, "PRODUCT_NOT_FOUND")
    problem(adjust(shop, {"kind": "adjustment", "reason": "x", "lines": [line(1, 1), line(1, 2)]}), 400,
            "DUPLICATE_PRODUCT")
    r = shop.client.post("/api/stock-adjustments", json=body, headers=mgr(shop))
    problem(r, 400, "IDEMPOTENCY_KEY_MISSING")
    assert shop.stock(1) == 3000
    problem(adjust(shop, {**body, "kind": "transfer_in"}), 400, "VALIDATION_FAILED")
    problem(adjust(shop, body, headers=shop.headers), 403, "FORBIDDEN")  # a cashier may not adjust


def test_big_loss_needs_a_manager_pin(shop: Shop) -> None:
    body = {"kind": "write_off", "reason": "flood", "lines": [line(1, 10)]}  # 10 x 300.00 = 3000.00 > 1000.00
    problem(adjust(shop, body), 403, "MANAGER_APPROVAL_REQUIRED")
    problem(adjust(shop, {**body, "managerPin": "000000"}), 403, "MANAGER_PIN_INVALID")
    assert shop.stock(1) == 0
    ok = adjust(shop, {**body, "managerPin": shop.manager.pin})
    assert ok.status_code == 201, ok.text
    assert ok.json()["approvedBy"] == shop.manager.id and shop.stock(1) == -10000


def test_stock_list_valuation_and_low_stock(shop: Shop) -> None:
    adjust(shop, {"kind": "adjustment", "reason": "opening", "lines": [line(1, 10), line(3, 3), line(8, -1)]})
    page = shop.client.get("/api/stock?limit=3", headers=mgr(shop)).json()
    assert [i["productId"] for i in page["items"]] == [1, 2, 3] and page["nextCursor"]
    milk = shop.client.get("/api/stock/1", headers=mgr(shop)).json()
    assert milk["onHand"] == 10 and milk["value"] == 300000 and not milk["low"]
    low = shop.client.get("/api/stock?low=true", headers=mgr(shop)).json()["items"]
    assert 3 in [i["productId"] for i in low]
    val = shop.client.get("/api/stock/valuation", headers=mgr(shop)).json()
    assert val["value"] == 10 * 30000 + 3 * 6000 and val["negativeProducts"] == 1
    alerts = shop.client.get("/api/inventory/low-stock", headers=mgr(shop)).json()["items"]
    assert [(a["productId"], a["negative"]) for a in alerts] == [(3, False), (8, True)]
    groups = shop.client.get("/api/inventory/reorder-suggestions", headers=mgr(shop)).json()["groups"]
    assert [(g["supplier"], [ln["productId"] for ln in g["lines"]]) for g in groups] == [("Acme", [3]),
                                                                                         ("Best Foods", [8])]
    assert groups[0]["lines"][0]["suggestedQuantity"] == 7  # up to 2 x reorder level 5
    problem(shop.client.get("/api/stock/999", headers=mgr(shop)), 404, "PRODUCT_NOT_FOUND")
    problem(shop.client.get("/api/stock/999/movements", headers=mgr(shop)), 404, "PRODUCT_NOT_FOUND")
    problem(shop.client.get("/api/stock?cursor=zz", headers=mgr(shop)), 400, "INVALID_CURSOR")


def test_sale_and_movements_pagination(shop: Shop) -> None:
    for _ in range(3):
        shop.ok_sale({"lines": [line(1, 1)], "tenders": [cash(45000)]})
    first = shop.client.get("/api/stock/1/movements?limit=2", headers=mgr(shop)).json()
    assert len(first["items"]) == 2 and first["nextCursor"]
    rest = shop.client.get(f"/api/stock/1/movements?limit=2&cursor={first['nextCursor']}", headers=mgr(shop)).json()
    assert len(rest["items"]) == 1 and rest["nextCursor"] is None
    assert first["onHand"] == -3  # negative stock is allowed by default
    assert any(a["productId"] == 1 and a["negative"] for a in
               shop.client.get("/api/inventory/low-stock", headers=mgr(shop)).json()["items"])


def test_grn_draft_post_costs_and_batches(shop: Shop) -> None:
    h = mgr(shop)
    adjust(shop, {"kind": "adjustment", "reason": "opening", "lines": [line(1, 10)]})  # 10 at cost 300.00
    draft = shop.client.post("/api/grns", json=grn_body(), headers=h)
    assert draft.status_code == 201, draft.text
    g = draft.json()
    # goods 3000.00 + 1000.00; extra 15.00 spread by value: 3/4 and 1/4
    assert [(ln["lineValue"], ln["extraCost"], ln["landedUnitCost"]) for ln in g["lines"]] == [
        (300000, 1125, 30113), (100000, 375, 5019)]
    assert g["totalCost"] == 401500 and shop.stock(1) == 10000
    k = str(uuid.uuid4())
    posted = shop.client.post(f"/api/grns/{g['id']}/post", headers=key(h, k))
    assert posted.status_code == 200, posted.text
    assert posted.json()["status"] == "posted"
    replay = shop.client.post(f"/api/grns/{g['id']}/post", headers=key(h, k))
    assert replay.json() == posted.json()
    assert shop.stock(1) == 20000 and shop.stock(3) == 20000
    cost = fetch_value(shop.rt.db.reader, "SELECT cost FROM products WHERE id = 1")
    assert cost == (10 * 30000 + 10 * 30113 + 10) // 20  # moving average, half up: 30056.5 -> 30057
    assert fetch_value(shop.rt.db.reader, "SELECT cost FROM products WHERE id = 3") == 5019  # no stock before
    problem(shop.client.post(f"/api/grns/{g['id']}/post", headers=key(h)), 409, "GRN_NOT_DRAFT")
    problem(shop.client.put(f"/api/grns/{g['id']}", json=grn_body(), headers=h), 409, "GRN_NOT_DRAFT")
    problem(shop.client.post(f"/api/grns/{g['id']}/void", json={"reason": "x"}, headers=h), 409, "GRN_NOT_DRAFT")
    moves = shop.client.get("/api/stock/1/movements", headers=h).json()["items"]
    assert moves[0]["kind"] == "receipt" and moves[0]["unitCost"] == 30113 and moves[0]["refId"] == g["id"]
    listed = shop.client.get("/api/grns?status=posted", headers=h).json()["items"]
    assert [x["id"] for x in listed] == [g["id"]]
    shop.rt.clock = lambda: 1_773_460_800.0 + 86400 * 10  # 2026-03-24: the batch expires in 6 days
    near = shop.client.get("/api/inventory/near-expiry", headers=mgr(shop)).json()
    assert [(i["productId"], i["batch"], i["daysLeft"], i["estimatedRemaining"]) for i in near["items"]] == [
        (1, "B1", 6, 10)]
    assert integrity(shop)["ok"]


def test_grn_bad_input(shop: Shop) -> None:
    h = mgr(shop)
    bad_line = {"productId": 1, "quantity": -5, "unitCost": 100}
    problem(shop.client.post("/api/grns", json=grn_body(lines=[bad_line]), headers=h), 400, "INVALID_QUANTITY")
    problem(shop.client.post("/api/grns", json=grn_body(lines=[{**bad_line, "quantity": 0}]), headers=h), 400,
            "INVALID_QUANTITY")
    problem(shop.client.post("/api/grns", json=grn_body(lines=[{**bad_line, "quantity": 1, "unitCost": -1}]),
                             headers=h), 400, "VALIDATION_FAILED")
    problem(shop.client.post("/api/grns", json=grn_body(supplierId=99), headers=h), 404, "SUPPLIER_NOT_FOUND")
    problem(shop.client.post("/api/grns", json=grn_body(lines=[{**bad_line, "productId": 99, "quantity": 1}]),
                             headers=h), 404, "PRODUCT_NOT_FOUND")
    problem(shop.client.post("/api/grns", json=grn_body(lines=[{**bad_line, "quantity": 1, "expiry": "2026-02-30"}]),
                             headers=h), 400, "INVALID_DATE")
    problem(shop.client.post("/api/grns", json=grn_body(lines=[]), headers=h), 400, "VALIDATION_FAILED")
    assert shop.count("grns") == 0
    g = shop.client.post("/api/grns", json=grn_body(), headers=h).json()
    changed = shop.client.put(f"/api/grns/{g['id']}", json=grn_body(freight=0, otherCosts=0), headers=h).json()
    assert changed["totalCost"] == 400000
    voided = shop.client.post(f"/api/grns/{g['id']}/void", json={"reason": "wrong supplier"}, headers=h).json()
    assert voided["status"] == "void"
    problem(shop.client.post(f"/api/grns/{g['id']}/post", headers=key(h)), 409, "GRN_VOID")
    assert shop.stock(1) == 0 and shop.count("stock_movements") == 0
    problem(shop.client.get("/api/grns/999", headers=h), 404, "GRN_NOT_FOUND")
    problem(shop.client.post("/api/grns/999/post", headers=key(h)), 404, "GRN_NOT_FOUND")
    problem(shop.client.post("/api/grns", json=grn_body(), headers=shop.headers), 403, "FORBIDDEN")


def test_negative_stock_can_be_refused(tmp_path: Any) -> None:
    from tests.checkout_helpers import open_shop

    with open_shop(tmp_path, STOCK_ALLOW_NEGATIVE="false") as s:
        problem(s.sale({"lines": [line(1, 1)], "tenders": [cash(45000)]}), 409, "INSUFFICIENT_STOCK")
        assert s.count("sales") == 0 and s.stock(1) == 0
        h = s.sign_in(s.manager, "LANE-2")
        r = s.client.post("/api/stock-adjustments", json={"kind": "adjustment", "reason": "in", "lines": [line(1, 1)]},
                          headers=key(h))
        assert r.status_code == 201
        s.ok_sale({"lines": [line(1, 1)], "tenders": [cash(45000)]})
        assert s.stock(1) == 0
        problem(s.client.post("/api/stock-adjustments", json={"kind": "waste", "reason": "x", "lines": [line(1, 1)]},
                              headers=key(h)), 409, "INSUFFICIENT_STOCK")


def test_integrity_catches_a_tampered_level(shop: Shop) -> None:
    adjust(shop, {"kind": "adjustment", "reason": "opening", "lines": [line(1, 10)]})
    assert integrity(shop)["ok"]
    with shop.rt.db.write() as conn:
        conn.execute("UPDATE stock_levels SET on_hand = on_hand + 1000 WHERE product_id = 1")
    check = integrity(shop)
    assert not check["ok"] and "product 1" in check["detail"]
    assert shop.client.get("/api/health/integrity").status_code == 503
    with shop.rt.db.write() as conn:
        conn.execute("UPDATE stock_levels SET on_hand = on_hand - 1000 WHERE product_id = 1")
        conn.execute("INSERT INTO stock_levels (product_id, on_hand, updated_at) VALUES (2, 5, 'x')")
    assert not integrity(shop)["ok"]  # a level without movements
    with shop.rt.db.write() as conn:
        conn.execute("DELETE FROM stock_levels WHERE product_id = 2")
        conn.execute("INSERT INTO stock_levels (product_id, on_hand, updated_at) VALUES (3, 0, 'x')")
        conn.execute("UPDATE stock_levels SET on_hand = on_hand + 7 WHERE product_id = 1")
        conn.execute("UPDATE stock_levels SET on_hand = on_hand - 7 WHERE product_id = 3")
    check = integrity(shop)  # two wrong levels that keep the total: still caught, both named
    assert not check["ok"] and "product 1" in check["detail"] and "product 3" in check["detail"]


def test_stock_csv_export_and_import_with_preview(shop: Shop) -> None:
    h = mgr(shop)
    adjust(shop, {"kind": "adjustment", "reason": "opening", "lines": [line(1, 10)]})
    exported = shop.client.get("/api/exports/stock?bom=false", headers=h)
    assert exported.status_code == 200
    lines = exported.text.splitlines()
    assert lines[0] == "sku,name,unit,on_hand,unit_cost" and lines[1].startswith("MILK,Milk 1L,pc,10,300.00")
    csv = "sku,on_hand\nMILK,7\nSOAP-A,2.5\nNOPE,1\nRICE,0\n"
    job = shop.client.post("/api/imports?kind=stock", content=csv.encode(), headers={**h, "Content-Type": "text/csv"})
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    for _ in range(200):
        view = shop.client.get(f"/api/imports/{job_id}", headers=h).json()
        if view["status"] != "validating":
            break
    assert view["counts"] == {"create": 0, "update": 2, "unchanged": 1, "rejected": 1}
    assert view["rejections"][0]["code"] == "UNKNOWN_PRODUCT"
    assert shop.stock(1) == 10000  # nothing written by the preview
    shop.ok_sale({"lines": [line(1, 1)], "tenders": [cash(45000)]})  # a sale between preview and commit is kept
    problem(shop.client.post(f"/api/imports/{job_id}/commit", json={}, headers=h), 409, "IMPORT_HAS_REJECTIONS")
    done = shop.client.post(f"/api/imports/{job_id}/commit", json={"acceptRejections": True}, headers=h)
    assert done.status_code == 200, done.text
    assert shop.stock(1) == 6000 and shop.stock(3) == 2500
    kinds = [m["kind"] for m in shop.client.get("/api/stock/1/movements", headers=h).json()["items"]]
    assert kinds == ["adjustment", "sale", "adjustment"]
    assert integrity(shop)["ok"]
    cashier_job = shop.client.post("/api/imports?kind=stock", content=csv.encode(),
                                   headers={**shop.headers, "Content-Type": "text/csv"})
    assert cashier_job.status_code == 403

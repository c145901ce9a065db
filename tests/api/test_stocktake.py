"""Stocktake API: counts from several counters, unknown codes kept, variance against the ledger at the start
(sales during the count are not variance), finalise once with a PIN above the threshold."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient, TestClient

from pos_grocery.app import create_app
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_user
from tests.checkout_helpers import Shop, cash, line, make_shop, problem

Client = TestClient[Any]


@pytest.fixture
def shop(runtime: Runtime, client: Client) -> Shop:
    s = make_shop(runtime, client)
    h = mgr(s)
    r = s.client.post("/api/stock-adjustments", headers={**h, "Idempotency-Key": str(uuid.uuid4())},
                      json={"kind": "adjustment", "reason": "opening", "lines": [line(1, 10), line(3, 5), line(2, 4)]})
    assert r.status_code == 201, r.text
    return s


def mgr(shop: Shop) -> dict[str, str]:
    return shop.sign_in(shop.manager, "LANE-2")


def finalise(shop: Shop, st_id: int, body: dict[str, Any] | None = None, k: str | None = None) -> Any:
    return shop.client.post(f"/api/stocktakes/{st_id}/finalise", json=body or {},
                            headers={**mgr(shop), "Idempotency-Key": k or str(uuid.uuid4())})


def test_counts_variance_and_finalise(shop: Shop) -> None:
    h = mgr(shop)
    st = shop.client.post("/api/stocktakes", json={"scope": "full"}, headers=h)
    assert st.status_code == 201, st.text
    st_id = st.json()["id"]
    counter_a, counter_b = shop.headers, shop.sign_in(add_user(shop.rt, "cashier"), "LANE-2")
    assert shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"barcode": "4006381333931"},
                            headers=counter_a).json()["totalCounted"] == 1
    r = shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1, "quantity": 7}, headers=counter_b)
    assert r.status_code == 201 and r.json()["totalCounted"] == 8
    shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 3, "quantity": 6}, headers=counter_a)
    unknown = shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"barcode": "9999999999994"}, headers=counter_a)
    problem(unknown, 404, "UNKNOWN_BARCODE")
    exc = shop.client.get(f"/api/stocktakes/{st_id}/exceptions", headers=counter_a).json()["items"]
    assert [(e["code"], e["reason"], e["quantity"]) for e in exc] == [("9999999999994", "unknown_code", 1)]
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 999}, headers=counter_a), 404,
            "PRODUCT_NOT_FOUND")
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1, "quantity": 0},
                             headers=counter_a), 400, "INVALID_QUANTITY")
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"barcode": "4006381333931", "quantity": -1},
                             headers=counter_a), 400, "INVALID_QUANTITY")
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1, "quantity": -9},
                             headers=counter_a), 400, "COUNT_BELOW_ZERO")
    fix = shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 3, "quantity": 1}, headers=counter_b)
    undo = shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 3, "quantity": -1},
                            headers=counter_b)
    assert fix.json()["totalCounted"] == 7 and undo.json()["totalCounted"] == 6  # a mistaken count taken back
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={}, headers=counter_a), 400, "COUNT_TARGET")
    problem(shop.client.get(f"/api/stocktakes/{st_id}/variances", headers=counter_a), 403, "FORBIDDEN")
    # A sale during the count: not variance.
    shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
    v = shop.client.get(f"/api/stocktakes/{st_id}/variances", headers=h).json()["items"]
    assert [(x["productId"], x["expected"], x["counted"], x["variance"]) for x in v] == [(1, 10, 8, -2), (3, 5, 6, 1)]
    view = shop.client.get(f"/api/stocktakes/{st_id}", headers=counter_a).json()
    assert (view["countedProducts"], view["countEntries"], view["exceptions"]) == (2, 5, 1)
    k = str(uuid.uuid4())
    done = finalise(shop, st_id, k=k)
    assert done.status_code == 200, done.text
    assert done.json()["adjustedProducts"] == 2 and done.json()["lossValue"] == 60000
    assert finalise(shop, st_id, k=k).json() == done.json()  # replay
    assert shop.stock(1) == 6000  # counted 8, minus the 2 sold during the count
    assert shop.stock(3) == 6000 and shop.stock(2) == 4000  # uncounted products stay as they are
    problem(finalise(shop, st_id), 409, "STOCKTAKE_CLOSED")
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1}, headers=counter_a), 409,
            "STOCKTAKE_CLOSED")
    problem(shop.client.post(f"/api/stocktakes/{st_id}/cancel", json={"reason": "x"}, headers=h), 409,
            "STOCKTAKE_CLOSED")
    written = shop.client.get(f"/api/stocktakes/{st_id}/variances", headers=h).json()["items"]
    assert [(x["productId"], x["variance"]) for x in written] == [(1, -2), (3, 1)]
    kinds = [m["kind"] for m in shop.client.get("/api/stock/1/movements", headers=h).json()["items"]]
    assert kinds[:2] == ["stocktake", "sale"]
    body = shop.client.get("/api/health/integrity").json()
    assert next(c for c in body["checks"] if c["name"] == "stock_ledger")["ok"]


def test_category_scope_pin_threshold_and_cancel(shop: Shop) -> None:
    h = mgr(shop)
    problem(shop.client.post("/api/stocktakes", json={"scope": "category"}, headers=h), 400, "INVALID_SCOPE")
    problem(shop.client.post("/api/stocktakes", json={"scope": "category", "categoryId": 99}, headers=h), 404,
            "CATEGORY_NOT_FOUND")
    problem(shop.client.post("/api/stocktakes", json={"scope": "full"}, headers=shop.headers), 403, "FORBIDDEN")
    st_id = shop.client.post("/api/stocktakes", json={"scope": "category", "categoryId": 1}, headers=h).json()["id"]
    problem(shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 3, "quantity": 1}, headers=h),
            409, "OUT_OF_SCOPE")
    assert shop.client.get(f"/api/stocktakes/{st_id}/exceptions", headers=h).json()["items"][0]["reason"] == \
        "out_of_scope"
    shop.client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1, "quantity": 0.5}, headers=h)
    # 9.5 missing x 300.00 = 2850.00 > 1000.00: the finalising manager must confirm with a PIN.
    problem(finalise(shop, st_id), 403, "MANAGER_APPROVAL_REQUIRED")
    assert shop.stock(1) == 10000
    done = finalise(shop, st_id, {"managerPin": shop.manager.pin})
    assert done.status_code == 200, done.text
    assert done.json()["stocktake"]["approvedBy"] == shop.manager.id and shop.stock(1) == 500
    other = shop.client.post("/api/stocktakes", json={}, headers=h).json()["id"]
    cancelled = shop.client.post(f"/api/stocktakes/{other}/cancel", json={"reason": "wrong day"}, headers=h).json()
    assert cancelled["status"] == "cancelled"
    problem(finalise(shop, other), 409, "STOCKTAKE_CLOSED")
    assert [s["id"] for s in shop.client.get("/api/stocktakes?status=open", headers=h).json()["items"]] == []
    problem(shop.client.get("/api/stocktakes/999", headers=h), 404, "STOCKTAKE_NOT_FOUND")


def test_concurrent_sales_and_counts_during_a_stocktake(runtime: Runtime, client: Client) -> None:
    """Lanes sell while two counters count, all interleaved on one event loop: variance ignores the sales."""
    shop = make_shop(runtime, client)
    app = create_app(runtime, access_log=False)

    async def scenario() -> tuple[int, int]:
        async with AsyncTestClient(app=app) as client:  # type: ignore[arg-type,type-var,unused-ignore]
            h = shop.sign_in(shop.manager, "LANE-2")
            opening = await client.post("/api/stock-adjustments", headers={**h, "Idempotency-Key": str(uuid.uuid4())},
                                        json={"kind": "adjustment", "reason": "opening", "lines": [line(1, 50)]})
            assert opening.status_code == 201
            st_id = (await client.post("/api/stocktakes", json={}, headers=h)).json()["id"]
            counters = [shop.headers, shop.sign_in(add_user(runtime, "cashier"), "LANE-2")]

            async def sell() -> int:
                r = await client.post("/api/sales", json={"lines": [line(1, 1)], "tenders": [cash(45000)]},
                                      headers={**shop.headers, "Idempotency-Key": str(uuid.uuid4())})
                return r.status_code

            async def count(who: int) -> int:
                r = await client.post(f"/api/stocktakes/{st_id}/counts", json={"productId": 1, "quantity": 2},
                                      headers=counters[who])
                return r.status_code

            results = await asyncio.gather(*[sell() for _ in range(10)], *[count(i % 2) for i in range(20)])
            assert results.count(201) == 30, results
            fin = await client.post(f"/api/stocktakes/{st_id}/finalise", json={"managerPin": shop.manager.pin},
                                    headers={**h, "Idempotency-Key": str(uuid.uuid4())})
            assert fin.status_code == 200, fin.text
            return shop.stock(1), fin.json()["adjustedProducts"]

    on_hand, adjusted = asyncio.run(scenario())
    # Counted 40 against 50 at the start: variance -10; the 10 sold during the count stay sold -> 30.
    assert (on_hand, adjusted) == (30000, 1)

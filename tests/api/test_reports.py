"""Reports over business days: live and rolled-up days agree with the raw rows; JSON and CSV; bad ranges."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.reports import rollup
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_user, bearer, issue_token
from tests.checkout_helpers import T0, Shop, card, cash, line, make_shop, problem
from tests.shift_helpers import ok, post

TZ = ZoneInfo("Asia/Colombo")
DAY = 86_400.0


@pytest.fixture
def shop(runtime: Runtime, client: TestClient[Any]) -> Shop:
    return make_shop(runtime, client)


def office(shop: Shop, role: str = "manager") -> dict[str, str]:
    user = shop.manager if role == "manager" else add_user(shop.rt, role)
    return bearer(issue_token(shop.rt, user.id, None, "password"))


def trade(shop: Shop, offset_days: float) -> list[dict[str, Any]]:
    """A few sales (one voided, one with a rule discount) and a return at T0 + offset."""
    shop.rt.clock = lambda: T0 + offset_days * DAY
    lane = shop.sign_in(shop.cashier)
    sales = [
        shop.ok_sale({"lines": [line(1, 2), line(8)], "tenders": [cash(200_000)]}, headers=lane),
        shop.ok_sale({"lines": [line(2, 1.25), line(3)], "tenders": [card(41_250)]}, headers=lane),
        shop.ok_sale({"lines": [line(7)], "customerId": 1, "tenders": [cash(20_000)]}, headers=lane),
        shop.ok_sale({"lines": [line(8, 2)], "billDiscount": {"amount": 1_000}, "tenders": [cash(29_000)]},
                     headers=lane),
    ]
    void = post(shop, f"/api/sales/{sales[2]['id']}/void", {"reason": "test", "managerPin": shop.manager.pin}, lane)
    assert void.status_code == 200, void.text
    back = post(shop, "/api/returns", {"saleId": sales[0]["id"], "refundMethod": "cash",
                                       "lines": [{"lineNo": 2, "quantity": 1, "reason": "expired"}]}, lane, key=True)
    assert back.status_code == 201, back.text
    return sales


def raw_sums(shop: Shop, day: str) -> dict[str, int]:
    """Independent day figures straight from the sale rows."""
    conn = shop.rt.db.reader
    rows = fetch_all(conn, "SELECT id, status, amount_due, tax_amount FROM sales WHERE business_date = ?", (day,))
    done = [r for r in rows if r[1] == "completed"]
    ids = ",".join(str(r[0]) for r in done) or "0"
    return {
        "sales": len(done),
        "amountDue": sum(r[2] for r in done),
        "tax": sum(r[3] for r in done),
        "voids": len(rows) - len(done),
        "lines": int(fetch_value(conn, f"SELECT count(*) FROM sale_lines WHERE sale_id IN ({ids})")),
        "qty": int(fetch_value(conn, f"SELECT coalesce(sum(qty), 0) FROM sale_lines WHERE sale_id IN ({ids})")),
        "tendered": int(fetch_value(
            conn, f"SELECT coalesce(sum(amount), 0) FROM sale_tenders WHERE sale_id IN ({ids})")),
        "adjusted": int(fetch_value(
            conn, f"SELECT coalesce(sum(amount), 0) FROM sale_adjustments WHERE sale_id IN ({ids})")),
    }


def test_rollups_equal_the_raw_rows_and_live_days_join_them(shop: Shop) -> None:
    trade(shop, 0)
    trade(shop, 1)
    trade(shop, 4)  # today: days 0 and 1 are final (one day of grace), day 4 is live
    headers = office(shop)
    report = ok(shop.client.get("/api/reports/sales-by-period?from=2026-03-14&to=2026-03-18", headers=headers), 200)
    rolled = {r[0] for r in fetch_all(shop.rt.db.reader, "SELECT business_date FROM report_days")}
    assert rolled == {"2026-03-14", "2026-03-15", "2026-03-16"}
    by_day = {r["period"]: r for r in report["rows"]}
    assert set(by_day) == {"2026-03-14", "2026-03-15", "2026-03-18"}
    for day, row in by_day.items():
        sums = raw_sums(shop, day)
        assert (row["sales"], row["amountDue"], row["tax"], row["voids"]) == (
            sums["sales"], sums["amountDue"], sums["tax"], sums["voids"])
    assert report["totals"]["sales"] == sum(r["sales"] for r in report["rows"])
    # every roll-up table equals a fresh computation from the raw rows, and the independent sums
    conn = shop.rt.db.reader
    for day in ("2026-03-14", "2026-03-15"):
        d = date.fromisoformat(day)
        for table in rollup.TABLES:
            assert sorted(rollup.read_rolled(conn, table, d, d)) == sorted(rollup.raw_day(conn, table, d, TZ))
        sums = raw_sums(shop, day)
        products = rollup.read_rolled(conn, "products", d, d)
        assert sum(r[3] for r in products) == sums["lines"] and sum(r[4] for r in products) == sums["qty"]
        assert sum(r[3] for r in rollup.read_rolled(conn, "tenders", d, d)) == sums["tendered"]
        assert sum(r[5] for r in rollup.read_rolled(conn, "adjustments", d, d)) == sums["adjusted"]
        assert sum(r[3] for r in rollup.read_rolled(conn, "tax", d, d)) == sums["tax"]
    # asking again builds nothing new and answers the same
    again = ok(shop.client.get("/api/reports/sales-by-period?from=2026-03-14&to=2026-03-18", headers=headers), 200)
    assert again == report


def test_every_report_answers_json_and_csv(shop: Shop) -> None:
    trade(shop, 0)
    trade(shop, 2)
    headers = office(shop)
    names = [r["name"] for r in ok(shop.client.get("/api/reports", headers=headers), 200)["items"]]
    assert len(names) == 13
    span = "from=2026-03-01&to=2026-03-31"
    for name in names:
        body = ok(shop.client.get(f"/api/reports/{name}?{span}", headers=headers), 200)
        assert body["report"] == name and body["from"] == "2026-03-01" and body["timezone"] == "Asia/Colombo"
        assert all(set(r) == set(body["columns"]) for r in body["rows"])
        text = shop.client.get(f"/api/reports/{name}?{span}&format=csv", headers=headers)
        assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
        assert f'filename="{name}_2026-03-01_2026-03-31.csv"' in text.headers["content-disposition"]
        table = list(csv.reader(io.StringIO(text.text)))
        assert table[0] == body["columns"] and len(table) == len(body["rows"]) + 1
        via_accept = shop.client.get(f"/api/reports/{name}?{span}", headers={**headers, "Accept": "text/csv"})
        assert via_accept.text == text.text
    week = ok(shop.client.get(f"/api/reports/sales-by-period?{span}&period=week", headers=headers), 200)
    assert [r["period"] for r in week["rows"]] == ["2026-03-09", "2026-03-16"]  # ISO weeks from Monday
    month = ok(shop.client.get(f"/api/reports/sales-by-period?{span}&period=month", headers=headers), 200)
    assert [r["period"] for r in month["rows"]] == ["2026-03"] and month["rows"][0]["sales"] == 6
    hours = ok(shop.client.get(f"/api/reports/sales-by-hour?{span}", headers=headers), 200)
    assert [r["hour"] for r in hours["rows"]] == [9]  # 04:00Z is 09:30 in Colombo
    top = ok(shop.client.get(f"/api/reports/top-products?{span}&limit=2", headers=headers), 200)
    assert len(top["rows"]) == 2 and top["rows"][0]["total"] >= top["rows"][1]["total"]
    reasons = ok(shop.client.get(f"/api/reports/returns-by-reason?{span}", headers=headers), 200)
    assert reasons["rows"] == [{"reason": "expired", "lines": 2, "quantity": 1.0 * 2, "amount": 30_000}]
    voids = ok(shop.client.get(f"/api/reports/voids?{span}", headers=headers), 200)
    assert [r["count"] for r in voids["rows"]] == [1, 1]
    cats = ok(shop.client.get(f"/api/reports/sales-by-category?{span}", headers=headers), 200)
    assert {r["category"] for r in cats["rows"]} == {"Dairy", "Staples", "Soap"}
    tiers = ok(shop.client.get(f"/api/reports/sales-by-tier?{span}", headers=headers), 200)
    assert {r["tier"]: r["sales"] for r in tiers["rows"]} == {"retail": 6, "wholesale": 0}  # its sale was voided


def test_shift_variances_report(shop: Shop) -> None:
    shop.ok_sale({"lines": [line(8)], "tenders": [cash(15_000)]})
    shift = ok(shop.client.get("/api/shifts/current", headers=shop.headers), 200)
    manager = shop.sign_in(shop.manager)
    ok(post(shop, f"/api/shifts/{shift['id']}/close", {"declaredCash": 14_000}, manager))
    rows = ok(shop.client.get("/api/reports/shift-variances", headers=office(shop)), 200)["rows"]
    assert rows == [{"shiftId": shift["id"], "zNumber": 1, "terminal": "LANE-1", "openedAt": shift["openedAt"],
                     "closedAt": rows[0]["closedAt"], "expected": 15_000, "declared": 14_000, "variance": -1_000}]


def test_bad_ranges_and_permissions(shop: Shop) -> None:
    headers = office(shop)
    problem(shop.client.get("/api/reports/tax?from=2026-03-10&to=2026-03-01", headers=headers), 400, "INVALID_RANGE")
    problem(shop.client.get("/api/reports/tax?from=2020-01-01&to=2026-03-01", headers=headers), 400,
            "RANGE_TOO_LONG")
    problem(shop.client.get("/api/reports/tax?from=2026-02-30", headers=headers), 400, "INVALID_DATE")
    assert shop.client.get("/api/reports/tax?from=yesterday", headers=headers).status_code == 400
    assert shop.client.get("/api/reports/nope", headers=headers).status_code in (400, 404)
    assert shop.client.get("/api/reports/top-products?limit=0", headers=headers).status_code == 400
    auditor = office(shop, "auditor")
    ok(shop.client.get("/api/reports/tax", headers=auditor), 200)
    assert shop.client.get("/api/reports/tax?format=csv", headers=auditor).status_code == 200
    problem(shop.client.get("/api/reports/tax", headers=shop.headers), 403, "FORBIDDEN")  # cashier
    problem(shop.client.get("/api/reports", headers=shop.headers), 403, "FORBIDDEN")


def test_local_hours_follow_the_zone() -> None:
    from pos_grocery.reports.timeutil import day_bounds, local_hour

    assert local_hour("2026-03-14T04:1", ZoneInfo("Asia/Colombo")) == 9  # 04:15Z = 09:45 (+05:30)
    assert local_hour("2026-03-14T04:2", ZoneInfo("Asia/Colombo")) == 10  # 04:30Z = 10:00
    assert local_hour("2026-03-14T04:3", ZoneInfo("Asia/Kathmandu")) == 10  # 04:45Z = 10:30 (+05:45)
    # a DST day is 23 hours long, and its bounds say so
    lo, hi = day_bounds(date(2026, 3, 29), ZoneInfo("Europe/London"))
    assert (lo, hi) == ("2026-03-29T00:00:00.000Z", "2026-03-29T23:00:00.000Z")
    counts: dict[int, int] = defaultdict(int)
    for q in range(96):
        counts[local_hour(f"2026-03-14T{q // 4:02d}:{q % 4}", ZoneInfo("Asia/Colombo"))] += 1
    assert set(counts.values()) == {4}

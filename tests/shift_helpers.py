"""Shift test helpers: a lane with its own shift, and an independent rebuild of every Z figure from raw rows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from tests.checkout_helpers import Shop


def post(shop: Shop, url: str, body: dict[str, Any], headers: dict[str, str], key: bool = False) -> Any:
    """POST JSON (with a fresh Idempotency-Key when asked)."""
    hdrs = {**headers, "Idempotency-Key": str(uuid.uuid4())} if key else headers
    return shop.client.post(url, json=body, headers=hdrs)


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    """The JSON of a response that must have this status."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def rebuild(conn: apsw.Connection, shift_id: int, tz: ZoneInfo) -> dict[str, Any]:  # noqa: C901 (one plain loop)
    """Every Z figure from the raw rows, row by row in Python (no aggregate SQL shared with the app)."""
    shift = fetch_one(conn, "SELECT opening_float FROM shifts WHERE id = ?", (shift_id,))
    assert shift is not None
    sales = fetch_all(
        conn,
        "SELECT id, status, cashier_id, base_amount, line_discount, bill_discount, net_amount, tax_amount, "
        "total_amount, cash_rounding, amount_due, created_at FROM sales WHERE shift_id = ?",
        (shift_id,),
    )
    totals: defaultdict[str, int] = defaultdict(int)
    voids = [0, 0]
    tenders: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    tax: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    adjustments: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    items: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    hours: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    cashiers: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sid, status, cashier, base, ldisc, bdisc, net, tx, total, rounding, due, created in sales:
        if status == "voided":
            voids[0] += 1
            voids[1] += due
            continue
        for name, value in (("count", 1), ("gross", base), ("lineDiscounts", ldisc), ("billDiscounts", bdisc),
                            ("net", net), ("tax", tx), ("total", total), ("cashRounding", rounding),
                            ("amountDue", due)):
            totals[name] += value
        hour = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(tz).hour
        hours[hour][0] += 1
        hours[hour][1] += due
        cashiers[cashier][0] += 1
        cashiers[cashier][1] += due
        for method, amount, tendered, change in fetch_all(
            conn, "SELECT method, amount, tendered, change_amount FROM sale_tenders WHERE sale_id = ?", (sid,)
        ):
            for i, v in enumerate((1, amount, tendered, change)):
                tenders[method][i] += v
        for rate, taxable, t, tot in fetch_all(
            conn, "SELECT rate_bp, taxable_amount, tax_amount, total_amount FROM sale_tax_lines WHERE sale_id = ?",
            (sid,),
        ):
            for i, v in enumerate((taxable, t, tot)):
                tax[rate][i] += v
        for kind, rule, amount in fetch_all(
            conn, "SELECT kind, rule_id, amount FROM sale_adjustments WHERE sale_id = ?", (sid,)
        ):
            adjustments[(kind, rule or 0)][0] += 1
            adjustments[(kind, rule or 0)][1] += amount
        for product, qty, total_line in fetch_all(
            conn, "SELECT product_id, qty, total_amount FROM sale_lines WHERE sale_id = ?", (sid,)
        ):
            for i, v in enumerate((1, qty, total_line)):
                items[product][i] += v
    totals["discounts"] = totals["lineDiscounts"] + totals["billDiscounts"]
    refunds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for method, amount in fetch_all(conn, "SELECT refund_method, total_amount FROM returns WHERE shift_id = ?",
                                    (shift_id,)):
        refunds[method][0] += 1
        refunds[method][1] += amount
    moved: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, amount in fetch_all(conn, "SELECT kind, amount FROM cash_movements WHERE shift_id = ?", (shift_id,)):
        moved[kind][0] += 1
        moved[kind][1] += amount
    no_sales = len(fetch_all(conn, "SELECT id FROM no_sales WHERE shift_id = ?", (shift_id,)))
    cash = tenders.get("cash", [0, 0, 0, 0])
    cash_refunds = refunds.get("cash", [0, 0])[1]

    def out(kind: str) -> int:
        return moved.get(kind, [0, 0])[1]

    # The formula of docs/SHIFTS.md, written out again.
    expected = (int(shift[0]) + cash[2] - cash[3] - cash_refunds + out("cash_in") - out("cash_out") - out("drop")
                - out("pickup") - out("petty"))
    top = sorted(items.items(), key=lambda kv: (-kv[1][2], kv[0]))[:10]
    return {
        "sales": dict(totals),
        "voids": {"count": voids[0], "amount": voids[1]},
        "tenders": {m: {"count": v[0], "amount": v[1], "tendered": v[2], "change": v[3]} for m, v in tenders.items()},
        "taxByRate": {r: {"taxable": v[0], "tax": v[1], "total": v[2]} for r, v in tax.items()},
        "discounts": {k: {"uses": v[0], "amount": v[1]} for k, v in adjustments.items()},
        "refunds": {m: {"count": v[0], "amount": v[1]} for m, v in refunds.items()},
        "movements": {k: {"count": v[0], "amount": v[1]} for k, v in moved.items()},
        "noSales": no_sales,
        "expected": expected,
        "itemLines": sum(v[0] for v in items.values()),
        "itemQuantity": sum(v[1] for v in items.values()),
        "topItems": [(pid, v[1], v[2]) for pid, v in top],
        "byHour": {h: {"sales": v[0], "amountDue": v[1]} for h, v in hours.items()},
        "cashiers": {c: {"sales": v[0], "amountDue": v[1]} for c, v in cashiers.items()},
    }


def compare(report: dict[str, Any], raw: dict[str, Any]) -> None:
    """Every figure of an X/Z report equals the independent rebuild."""
    sales = {k: v for k, v in report["sales"].items()}
    assert sales == {k: raw["sales"].get(k, 0) for k in sales}
    assert report["voids"] == raw["voids"]
    assert {t["method"]: {k: t[k] for k in ("count", "amount", "tendered", "change")} for t in report["tenders"]} \
        == raw["tenders"]
    assert {t["rateBp"]: {k: t[k] for k in ("taxable", "tax", "total")} for t in report["taxByRate"]} \
        == raw["taxByRate"]
    assert {(d["kind"], d["ruleId"]): {"uses": d["uses"], "amount": d["amount"]} for d in report["discounts"]} \
        == raw["discounts"]
    assert {r["method"]: {"count": r["count"], "amount": r["amount"]} for r in report["refunds"]} == raw["refunds"]
    assert report["refundTotal"] == {"count": sum(v["count"] for v in raw["refunds"].values()),
                                     "amount": sum(v["amount"] for v in raw["refunds"].values())}
    assert {m["kind"]: {"count": m["count"], "amount": m["amount"]} for m in report["cashMovements"]} \
        == raw["movements"]
    assert report["noSales"] == raw["noSales"]
    assert report["cash"]["expected"] == raw["expected"]
    if report["cash"]["declared"] is not None:
        assert report["cash"]["variance"] == report["cash"]["declared"] - raw["expected"]
    assert report["itemLines"] == raw["itemLines"]
    assert round(report["itemQuantity"] * 1000) == raw["itemQuantity"]
    assert [(t["productId"], round(t["quantity"] * 1000), t["total"]) for t in report["topItems"]] == raw["topItems"]
    assert {h["hour"]: {"sales": h["sales"], "amountDue": h["amountDue"]} for h in report["byHour"]} == raw["byHour"]
    assert {c["userId"]: {"sales": c["sales"], "amountDue": c["amountDue"]} for c in report["cashiers"]} \
        == raw["cashiers"]

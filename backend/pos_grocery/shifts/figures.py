"""The figures of an X or Z report, computed from the raw sale, tender, refund and movement rows of one shift.

Expected cash (docs/SHIFTS.md): opening float + cash tendered - change given - cash refunds + cash in - cash out
- drops - pickups - petty. Voided sales count nowhere but under `voids` (their cash went back to the customer).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import apsw

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all
from pos_grocery.reports import queries as rq
from pos_grocery.reports.timeutil import local_hour
from pos_grocery.shifts.models import (
    CashierRow,
    CashSummary,
    CountAmount,
    Denomination,
    DiscountRow,
    HourRow,
    ItemRow,
    MovementRow,
    RefundRow,
    SalesTotals,
    ShiftOut,
    ShiftReport,
    TaxRow,
    TenderRow,
)

TOP_ITEMS = 10
REFUNDS = (
    "SELECT refund_method, count(*), sum(total_amount) FROM returns WHERE shift_id = ? "
    "GROUP BY refund_method ORDER BY refund_method"
)
MOVEMENTS = "SELECT kind, count(*), sum(amount) FROM cash_movements WHERE shift_id = ? GROUP BY kind ORDER BY kind"
NO_SALES = "SELECT count(*) FROM no_sales WHERE shift_id = ?"
USERS = "SELECT id, display_name FROM users WHERE id IN ({marks})"
PRODUCT_NAMES = "SELECT id, name_en FROM products WHERE id IN ({marks})"


@dataclass(frozen=True, slots=True)
class Closing:
    """What the Z adds to an X: who closed, when, and the count."""

    closed_at: float
    closed_by: str
    declared: int
    denominations: list[Denomination] | None
    z_number: int


def build(
    conn: apsw.Connection, shift: ShiftOut, now: float, tz: ZoneInfo, closing: Closing | None = None
) -> ShiftReport:
    """The report of a shift as of now (an X), or its Z when `closing` is given."""
    sid = (shift.id,)
    sales, cashiers, hours, voids = _sales(conn, sid, tz)
    items = fetch_all(conn, rq.sql(rq.ITEMS, rq.WHERE_SHIFT), sid)
    tenders = [TenderRow(method=r[0], count=r[1], amount=r[2], tendered=r[3], change=r[4])
               for r in fetch_all(conn, rq.sql(rq.TENDERS, rq.WHERE_SHIFT), sid)]
    refunds = [RefundRow(method=r[0], count=r[1], amount=r[2]) for r in fetch_all(conn, REFUNDS, sid)]
    movements = [MovementRow(kind=r[0], count=r[1], amount=r[2]) for r in fetch_all(conn, MOVEMENTS, sid)]
    cash = cash_summary(shift.opening_float, tenders, refunds, movements, closing)
    top = sorted(items, key=lambda r: (-r[3], r[0]))[:TOP_ITEMS]
    return ShiftReport(
        kind="z" if closing else "x",
        shift_id=shift.id,
        z_number=closing.z_number if closing else None,
        terminal_id=shift.terminal_id,
        terminal=shift.terminal,
        business_date=shift.business_date,
        opened_at=shift.opened_at,
        opened_by=shift.opened_by_name,
        closed_at=iso_utc(closing.closed_at) if closing else None,
        closed_by=closing.closed_by if closing else None,
        generated_at=iso_utc(now),
        cashiers=_cashier_rows(conn, cashiers),
        sales=sales,
        discounts=[DiscountRow(kind=r[0], rule_id=r[1], text=r[2], uses=r[3], amount=r[4])
                   for r in fetch_all(conn, rq.sql(rq.ADJUSTMENTS, rq.WHERE_SHIFT), sid)],
        tax_by_rate=[TaxRow(rate_bp=r[0], taxable=r[1], tax=r[2], total=r[3])
                     for r in fetch_all(conn, rq.sql(rq.TAX, rq.WHERE_SHIFT), sid)],
        tenders=tenders,
        refunds=refunds,
        refund_total=CountAmount(count=sum(r.count for r in refunds), amount=sum(r.amount for r in refunds)),
        voids=voids,
        no_sales=int(fetch_all(conn, NO_SALES, sid)[0][0]),
        cash_movements=movements,
        cash=cash,
        item_lines=sum(r[1] for r in items),
        item_quantity=sum(r[2] for r in items) / 1000,
        top_items=_top_items(conn, top),
        by_hour=[HourRow(hour=h, sales=v[0], amount_due=v[1]) for h, v in sorted(hours.items())],
        currency=shift.currency,
    )


def _sales(
    conn: apsw.Connection, sid: tuple[int], tz: ZoneInfo
) -> tuple[SalesTotals, dict[int, list[int]], dict[int, list[int]], CountAmount]:
    """Totals, per cashier and per local hour (completed sales), and voids, from one grouped scan."""
    t = [0] * 11
    cashiers: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    hours: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in fetch_all(conn, rq.sql(rq.SALES, rq.WHERE_SHIFT), sid):
        for i in range(11):
            t[i] += r[4 + i]
        if r[4]:
            cashiers[r[2]][0] += r[4]
            cashiers[r[2]][1] += r[12]
            hour = hours[local_hour(r[0], tz)]
            hour[0] += r[4]
            hour[1] += r[12]
    totals = SalesTotals(count=t[0], gross=t[1], line_discounts=t[2], bill_discounts=t[3], discounts=t[2] + t[3],
                         net=t[4], tax=t[5], total=t[6], cash_rounding=t[7], amount_due=t[8])
    return totals, cashiers, hours, CountAmount(count=t[9], amount=t[10])


def _top_items(conn: apsw.Connection, top: list[tuple[Any, ...]]) -> list[ItemRow]:
    """The best sellers with their (current, English) product names."""
    ids = [r[0] for r in top]
    if not ids:
        return []
    names: dict[int, str] = dict(fetch_all(conn, PRODUCT_NAMES.format(marks=",".join("?" * len(ids))), ids))
    return [ItemRow(product_id=r[0], name=str(names.get(r[0], "")), lines=r[1], quantity=r[2] / 1000, total=r[3])
            for r in top]


def _cashier_rows(conn: apsw.Connection, cashiers: dict[int, list[int]]) -> list[CashierRow]:
    if not cashiers:
        return []
    ids = sorted(cashiers)
    names: dict[int, str] = dict(fetch_all(conn, USERS.format(marks=",".join("?" * len(ids))), ids))
    return [CashierRow(user_id=i, name=str(names.get(i, "")), sales=cashiers[i][0], amount_due=cashiers[i][1])
            for i in ids]


def cash_summary(
    opening_float: int,
    tenders: list[TenderRow],
    refunds: list[RefundRow],
    movements: list[MovementRow],
    closing: Closing | None,
) -> CashSummary:
    """The drawer's expected cash by the formula above, and the declared count and variance on a Z."""
    cash = [t for t in tenders if t.method == "cash"]
    tendered = sum(t.tendered for t in cash)
    change = sum(t.change for t in cash)
    cash_refunds = sum(r.amount for r in refunds if r.method == "cash")
    moved = {m.kind: m.amount for m in movements}
    expected = expected_cash(opening_float, tendered, change, cash_refunds, moved)
    declared = closing.declared if closing else None
    return CashSummary(
        opening_float=opening_float,
        cash_tendered=tendered,
        change_given=change,
        cash_refunds=cash_refunds,
        cash_in=moved.get("cash_in", 0),
        cash_out=moved.get("cash_out", 0),
        drops=moved.get("drop", 0),
        pickups=moved.get("pickup", 0),
        petty=moved.get("petty", 0),
        expected=expected,
        declared=declared,
        variance=None if declared is None else declared - expected,
        denominations=closing.denominations if closing else None,
    )


def expected_cash(opening_float: int, tendered: int, change: int, cash_refunds: int, moved: dict[str, int]) -> int:
    """float + cash tendered - change - cash refunds + cash in - cash out - drops - pickups - petty."""
    return (
        opening_float
        + tendered
        - change
        - cash_refunds
        + moved.get("cash_in", 0)
        - moved.get("cash_out", 0)
        - moved.get("drop", 0)
        - moved.get("pickup", 0)
        - moved.get("petty", 0)
    )

"""Voiding a completed sale: manager PIN, reason, same business day; stock, tenders and balances reversed at once."""

from __future__ import annotations

import apsw

from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.errors import Conflict
from pos_grocery.runtime import Runtime
from pos_grocery.sales import queries as q
from pos_grocery.sales.context import business_date, checkout_of
from pos_grocery.sales.models import SaleOut, VoidIn
from pos_grocery.sales.service import get_sale
from pos_grocery.shifts import guard as shifts

MARK_VOID = (
    "UPDATE sales SET status = 'voided', voided_at = ?, void_reason = ?, voided_by = ?, void_approved_by = ? "
    "WHERE id = ? AND status = 'completed'"
)
LINES = (
    "SELECT product_id, qty, (SELECT cost FROM products p WHERE p.id = l.product_id) FROM sale_lines l "
    "WHERE sale_id = ?"
)
TENDERS = "SELECT method, amount, store_credit_id FROM sale_tenders WHERE sale_id = ?"


def _check_voidable(rt: Runtime, sale: SaleOut, now: float) -> None:
    """409 when the sale is voided already, from another business day, or has returns."""
    if sale.status == "voided":
        raise Conflict(f"Sale {sale.receipt_number} is already voided.", "SALE_ALREADY_VOIDED")
    today = business_date(now, checkout_of(rt.settings).tz)
    if sale.business_date != today:
        raise Conflict(
            f"Sale {sale.receipt_number} is from {sale.business_date}; only today's sales can be voided "
            "(use a return).",
            "VOID_WINDOW_CLOSED",
        )
    if fetch_value(rt.db.reader, "SELECT count(*) FROM returns WHERE sale_id = ?", (sale.id,)):
        raise Conflict(f"Sale {sale.receipt_number} has returns; it cannot be voided.", "SALE_HAS_RETURNS")


def _reverse(conn: apsw.Connection, sale: SaleOut, now: float) -> None:
    """Stock back on the shelf, account balance and store credit restored."""
    created = iso_utc(now)
    lines = fetch_all(conn, LINES, (sale.id,))
    conn.executemany(
        q.INSERT_MOVEMENT, [(pid, qty, "void", "sale", sale.id, cost, created) for pid, qty, cost in lines]
    )
    per_product: dict[int, int] = {}
    for pid, qty, _cost in lines:
        per_product[pid] = per_product.get(pid, 0) + qty
    conn.executemany(q.ADD_STOCK, [(pid, qty, created) for pid, qty in per_product.items()])
    for method, amount, credit_id in fetch_all(conn, TENDERS, (sale.id,)):
        if method == "customer_account" and sale.customer_id is not None:
            conn.execute(q.ADD_BALANCE, (-amount, created, sale.customer_id))
        elif method == "store_credit" and credit_id is not None:
            conn.execute(
                "UPDATE store_credits SET balance = balance + ?, updated_at = ? WHERE id = ?",
                (amount, created, credit_id),
            )


async def void_sale(rt: Runtime, caller: Identity, sale_id: int, data: VoidIn, request_id: str | None) -> SaleOut:
    """Void a completed sale of today (manager approval) in one transaction."""
    sale = get_sale(rt, sale_id)
    _check_voidable(rt, sale, rt.clock())
    approver = await approve_if_needed(
        rt,
        caller,
        P.SALES_VOID,
        data.manager_pin,
        action="sales.void",
        entity="sale",
        entity_id=sale_id,
        request_id=request_id,
    )
    now = rt.clock()
    reason = data.reason.strip()
    with rt.db.write() as conn:
        approver_id = approver.user_id if approver else None
        conn.execute(MARK_VOID, (iso_utc(now), reason, caller.user_id, approver_id, sale_id))
        if conn.changes() != 1:
            raise Conflict(f"Sale {sale.receipt_number} is already voided.", "SALE_ALREADY_VOIDED")
        if fetch_value(conn, "SELECT count(*) FROM returns WHERE sale_id = ?", (sale_id,)):
            raise Conflict(f"Sale {sale.receipt_number} has returns; it cannot be voided.", "SALE_HAS_RETURNS")
        shifts.check_sale_shift_open(conn, sale_id)  # 409 SHIFT_CLOSED once its Z is issued
        _reverse(conn, sale, now)
        record(
            conn,
            "sales.voided",
            actor=caller.actor,
            approver=approver.actor if approver else None,
            entity="sale",
            entity_id=sale_id,
            details={"receiptNo": sale.receipt_number, "reason": reason, "total": sale.totals.amount_due},
            request_id=request_id,
            at=now,
        )
    return get_sale(rt, sale_id)

"""SQL of returns: sold lines, the return rows, reading returns back."""

from __future__ import annotations

from typing import Any, cast

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.returns.models import Disposition, ReasonCode, RefundMethod, ReturnLineOut, ReturnOut
from pos_grocery.returns.valuation import SoldRow

SOLD = (
    "SELECT id, line_no, product_id, name, qty, total_amount, tax_amount, returned_qty FROM sale_lines "
    "WHERE sale_id = ? ORDER BY line_no"
)
SALE_HEAD = (
    "SELECT id, receipt_no, status, customer_id, business_date, created_at, amount_due, refunded_amount FROM sales"
)
INSERT_RETURN = (
    "INSERT INTO returns (sale_id, terminal_id, cashier_id, approved_by, customer_id, business_date, refund_method, "
    "refund_reference, store_credit_id, total_amount, tax_amount, note, source, idempotency_key, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_LINE = (
    "INSERT INTO return_lines (return_id, sale_line_id, product_id, qty, total_amount, tax_amount, reason, "
    "disposition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# The guard against returning more than was sold, inside the transaction (the CHECK constraint backs it).
BOOK_LINE = (
    "UPDATE sale_lines SET returned_qty = returned_qty + ?, refunded_amount = refunded_amount + ?, "
    "refunded_tax = refunded_tax + ? WHERE id = ? AND returned_qty + ? <= qty"
)
INSERT_CREDIT = (
    "INSERT INTO store_credits (code, customer_id, issued_amount, balance, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
RETURN = (
    "SELECT r.id, r.sale_id, s.receipt_no, r.refund_method, r.refund_reference, r.total_amount, r.tax_amount, "
    "c.code, r.business_date, r.created_at, r.cashier_id, r.approved_by, r.note FROM returns r "
    "LEFT JOIN sales s ON s.id = r.sale_id LEFT JOIN store_credits c ON c.id = r.store_credit_id"
)
RETURN_LINES = (
    "SELECT rl.product_id, coalesce(sl.name, p.name_en), rl.qty, rl.total_amount, rl.tax_amount, rl.reason, "
    "rl.disposition, sl.line_no FROM return_lines rl JOIN products p ON p.id = rl.product_id "
    "LEFT JOIN sale_lines sl ON sl.id = rl.sale_line_id WHERE rl.return_id = ? ORDER BY rl.id"
)


def sold_rows(conn: apsw.Connection, sale_id: int) -> dict[int, SoldRow]:
    """A sale's lines by line number."""
    return {int(r[1]): SoldRow(*r) for r in fetch_all(conn, SOLD, (sale_id,))}


def sale_head(conn: apsw.Connection, sale_id: int) -> tuple[Any, ...] | None:
    """(id, receipt_no, status, customer_id, business_date, created_at, amount_due, refunded_amount)."""
    return fetch_one(conn, SALE_HEAD + " WHERE id = ?", (sale_id,))


def load_return(conn: apsw.Connection, return_id: int, currency: str) -> ReturnOut | None:
    """One return with its lines."""
    r = fetch_one(conn, RETURN + " WHERE r.id = ?", (return_id,))
    if r is None:
        return None
    lines = [
        ReturnLineOut(
            product_id=x[0],
            name=x[1],
            quantity=x[2] / 1000,
            total_amount=x[3],
            tax_amount=x[4],
            reason=cast(ReasonCode, x[5]),
            disposition=cast(Disposition, x[6]),
            line_no=x[7],
        )
        for x in fetch_all(conn, RETURN_LINES, (return_id,))
    ]
    return ReturnOut(
        id=r[0],
        sale_id=r[1],
        receipt_number=r[2],
        refund_method=cast(RefundMethod, r[3]),
        refund_reference=r[4],
        total_amount=r[5],
        tax_amount=r[6],
        store_credit_code=r[7],
        business_date=r[8],
        created_at=r[9],
        cashier_id=r[10],
        approved_by=r[11],
        lines=lines,
        currency=currency,
        note=r[12],
    )


def page_ids(conn: apsw.Connection, sale_id: int | None, before: int | None, limit: int) -> list[int]:
    """Return ids, newest first (one extra tells whether more follow)."""
    where, params = [], []
    if sale_id is not None:
        where.append("sale_id = ?")
        params.append(sale_id)
    if before is not None:
        where.append("id < ?")
        params.append(before)
    sql = "SELECT id FROM returns" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return [int(r[0]) for r in fetch_all(conn, sql, (*params, limit + 1))]

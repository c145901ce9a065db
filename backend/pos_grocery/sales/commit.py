"""The sale transaction: receipt number, sale, lines, adjustments, tax, tenders, stock, balances, hold, audit.

`commit` runs inside the caller's `BEGIN IMMEDIATE` on the single writer and does no I/O besides SQLite, so the
whole sale commits or nothing does (a failed sale also gives its receipt number back: the counter row is
part of the same transaction). Rows go in with `executemany`: a 20-line sale is a handful of statements.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import cast

import apsw

from pos_grocery.audit.service import Actor, record
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Conflict
from pos_grocery.sales import queries as q
from pos_grocery.sales.models import Language, SaleOut, TenderMethod, TenderOut
from pos_grocery.sales.output import adjustment_out, line_out, tax_out, totals_out, unit_price_of
from pos_grocery.sales.pricing_input import PricedCart
from pos_grocery.sales.tenders import Settlement


@dataclass(frozen=True, slots=True)
class SaleDraft:
    """Everything a validated, priced and paid sale needs to be written."""

    terminal_id: int
    terminal_name: str
    cashier: Actor
    cashier_name: str
    cart: PricedCart
    settlement: Settlement
    language: str
    now: float
    business_date: str
    key: str
    prices_include_tax: bool
    currency: str
    held_sale_id: int | None = None
    age_checks: list[dict[str, object]] = field(default_factory=list)
    approver: Actor | None = None
    voided_lines: list[tuple[int, int, str]] = field(default_factory=list)
    store_credit_ids: dict[int, int] = field(default_factory=dict)
    request_id: str | None = None
    allow_negative_stock: bool = True  # STOCK_ALLOW_NEGATIVE (inventory; docs/INVENTORY.md)


def receipt_number(store_code: str, terminal: str, business_date: str, seq: int) -> str:
    """STORE-TERMINAL-YYYYMMDD-NNNN, e.g. MAIN-LANE-1-20261128-0042 (docs/CHECKOUT.md)."""
    return f"{store_code}-{terminal.upper()}-{business_date.replace('-', '')}-{seq:04d}"


def commit(conn: apsw.Connection, draft: SaleDraft, store_code: str) -> SaleOut:
    """Write the sale inside the open transaction; return it as the API shows it."""
    row = fetch_one(conn, q.NEXT_SEQ, (draft.terminal_id, draft.business_date))
    assert row is not None
    seq = int(row[0])
    receipt_no = receipt_number(store_code, draft.terminal_name, draft.business_date, seq)
    sale_id = _insert_sale(conn, draft, receipt_no, seq)
    _insert_lines(conn, draft, sale_id)
    _insert_tenders(conn, draft, sale_id)
    _move_stock(conn, draft, sale_id)
    _balances(conn, draft)
    if draft.held_sale_id is not None:
        _complete_hold(conn, draft, sale_id)
    _audit(conn, draft, sale_id, receipt_no)
    return sale_out(draft, sale_id, receipt_no)


def _insert_sale(conn: apsw.Connection, d: SaleDraft, receipt_no: str, seq: int) -> int:
    t, s, cart = d.cart.priced.totals, d.settlement, d.cart
    conn.execute(
        q.INSERT_SALE,
        (
            receipt_no,
            d.terminal_id,
            d.business_date,
            seq,
            d.cashier.user_id,
            cart.customer.id if cart.customer else None,
            d.held_sale_id,
            cart.tier.value,
            d.language,
            int(d.prices_include_tax),
            t.base_amount,
            t.line_discount,
            t.bill_discount,
            t.net_amount,
            t.taxable_amount,
            t.tax_amount,
            t.total_amount,
            s.cash_rounding,
            s.amount_due,
            s.tendered,
            s.change,
            json.dumps(d.age_checks) if d.age_checks else None,
            d.approver.user_id if d.approver else None,
            d.key,
            iso_utc(d.now),
        ),
    )
    return int(conn.last_insert_rowid())


def _insert_lines(conn: apsw.Connection, d: SaleDraft, sale_id: int) -> None:
    rows: list[tuple[object, ...]] = []
    adjustments: list[tuple[object, ...]] = []
    for line, p in zip(d.cart.lines, d.cart.priced.lines, strict=True):
        discount = sum(a.amount for a in p.adjustments)
        rows.append(
            (
                sale_id,
                line.line_no,
                line.product.id,
                line.product.name(d.language),
                line.product.unit,
                line.qty,
                unit_price_of(line, p),
                line.scanned_code,
                int(line.price_override is not None),
                p.base_amount,
                discount,
                p.bill_discount,
                p.net_amount,
                p.tax_rate_bp,
                p.tax_amount,
                p.taxable_amount,
                p.total_amount,
            )
        )
        adjustments.extend(
            (sale_id, line.line_no, a.kind.value, a.rule_id, a.amount, a.text, a.reason or None) for a in p.adjustments
        )
    adjustments.extend(
        (sale_id, None, a.kind.value, a.rule_id, a.amount, a.text, a.reason or None)
        for a in d.cart.priced.bill_adjustments
    )
    conn.executemany(q.INSERT_LINE, rows)
    if adjustments:
        conn.executemany(q.INSERT_ADJUSTMENT, adjustments)
    conn.executemany(
        q.INSERT_TAX,
        [(sale_id, t.rate_bp, t.taxable_amount, t.tax_amount, t.total_amount) for t in d.cart.priced.tax_summary],
    )
    if d.voided_lines:
        conn.executemany(q.INSERT_LINE_VOID, [(sale_id, *v) for v in d.voided_lines])


def _insert_tenders(conn: apsw.Connection, d: SaleDraft, sale_id: int) -> None:
    conn.executemany(
        q.INSERT_TENDER,
        [
            (sale_id, t.seq, t.method, t.amount, t.tendered, t.change, t.reference, d.store_credit_ids.get(t.seq))
            for t in d.settlement.tenders
        ],
    )


def _move_stock(conn: apsw.Connection, d: SaleDraft, sale_id: int) -> None:
    """One ledger row per line (kind 'sale', negative quantity); stock on hand per product."""
    created = iso_utc(d.now)
    conn.executemany(
        q.INSERT_MOVEMENT,
        [(line.product.id, -line.qty, "sale", "sale", sale_id, line.product.cost, created) for line in d.cart.lines],
    )
    per_product: dict[int, int] = {}
    for line in d.cart.lines:
        per_product[line.product.id] = per_product.get(line.product.id, 0) - line.qty
    conn.executemany(q.ADD_STOCK, [(product_id, qty, created) for product_id, qty in per_product.items()])
    if not d.allow_negative_stock:  # off by default: the lane is never blocked by a wrong count
        from pos_grocery.inventory.ledger import refuse_negative

        refuse_negative(conn, per_product)  # 409 INSUFFICIENT_STOCK; the sale's savepoint rolls back


def _balances(conn: apsw.Connection, d: SaleDraft) -> None:
    """Account tenders raise what the customer owes (within the credit limit); store credit is spent."""
    now = iso_utc(d.now)
    account = sum(t.amount for t in d.settlement.tenders if t.method == "customer_account")
    customer = d.cart.customer
    if account and customer is not None:
        current = q.customer(conn, customer.id)
        assert current is not None
        if current.balance + account > current.credit_limit:
            raise Conflict(
                f"The account sale of {account} would take the customer's balance over the credit "
                f"limit ({current.balance} owed, limit {current.credit_limit}).",
                "CREDIT_LIMIT_EXCEEDED",
            )
        conn.execute(q.ADD_BALANCE, (account, now, customer.id))
    for t in d.settlement.tenders:
        credit_id = d.store_credit_ids.get(t.seq)
        if t.method == "store_credit" and credit_id is not None:
            conn.execute(q.SPEND_CREDIT, (t.amount, now, credit_id, t.amount))
            if conn.changes() != 1:
                raise Conflict(f"Store credit {t.reference} does not cover {t.amount}.", "STORE_CREDIT_INSUFFICIENT")


def _complete_hold(conn: apsw.Connection, d: SaleDraft, sale_id: int) -> None:
    conn.execute(
        "UPDATE held_sales SET status = 'completed', closed_at = ?, sale_id = ? "
        "WHERE id = ? AND status IN ('held', 'resumed') AND expires_at > ?",
        (iso_utc(d.now), sale_id, d.held_sale_id, iso_utc(d.now)),
    )
    if conn.changes() != 1:
        raise Conflict(
            f"Held sale {d.held_sale_id} is no longer open (completed, discarded or expired).", "HOLD_NOT_ACTIVE"
        )


def _audit(conn: apsw.Connection, d: SaleDraft, sale_id: int, receipt_no: str) -> None:
    details: dict[str, object] = {
        "receiptNo": receipt_no,
        "total": d.settlement.amount_due,
        "lines": len(d.cart.lines),
        "tenders": [t.method for t in d.settlement.tenders],
    }
    overrides = [line.line_no for line in d.cart.lines if line.price_override is not None]
    if overrides:
        details["priceOverrides"] = overrides
    if d.age_checks:
        details["ageChecks"] = d.age_checks
    record(
        conn,
        "sales.completed",
        actor=d.cashier,
        approver=d.approver,
        entity="sale",
        entity_id=sale_id,
        details=details,
        request_id=d.request_id,
        at=d.now,
    )
    for product_id, qty, reason in d.voided_lines:
        record(
            conn,
            "sales.line_voided",
            actor=d.cashier,
            entity="sale",
            entity_id=sale_id,
            details={"productId": product_id, "qty": qty, "reason": reason},
            request_id=d.request_id,
            at=d.now,
        )


def sale_out(d: SaleDraft, sale_id: int, receipt_no: str) -> SaleOut:
    """The new sale as the API shows it (equal to what GET /api/sales/{id} answers)."""
    cart, s = d.cart, d.settlement
    return SaleOut(
        id=sale_id,
        receipt_number=receipt_no,
        barcode_value=receipt_no,
        status="completed",
        terminal_id=d.terminal_id,
        terminal=d.terminal_name,
        cashier_id=d.cashier.user_id or 0,
        cashier=d.cashier_name,
        customer_id=cart.customer.id if cart.customer else None,
        held_sale_id=d.held_sale_id,
        price_tier=cart.tier.value,
        language=cast(Language, d.language),
        prices_include_tax=d.prices_include_tax,
        business_date=d.business_date,
        created_at=iso_utc(d.now),
        lines=[line_out(line, p, d.language) for line, p in zip(cart.lines, cart.priced.lines, strict=True)],
        bill_adjustments=[adjustment_out(a) for a in cart.priced.bill_adjustments],
        tax_summary=[tax_out(t) for t in cart.priced.tax_summary],
        totals=totals_out(cart.priced, s.cash_rounding),
        tenders=[
            TenderOut(
                method=cast(TenderMethod, t.method),
                amount=t.amount,
                tendered=t.tendered,
                change=t.change,
                reference=t.reference,
            )
            for t in s.tenders
        ],
        change=s.change,
        currency=d.currency,
    )

"""Return rules: look a sale up, value the return at what was paid, refund exactly once, in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import Approver, approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.returns import queries as q
from pos_grocery.returns.models import ReturnCreate, ReturnOut
from pos_grocery.returns.valuation import Valued, Wanted, value_with_receipt, value_without_receipt
from pos_grocery.runtime import Runtime
from pos_grocery.sales import queries as sales_q
from pos_grocery.sales import read
from pos_grocery.sales.context import Checkout, business_date, checkout_of
from pos_grocery.sales.values import thousandths
from pos_grocery.shifts import guard as shifts

SCOPE = "returns.create"


@dataclass(frozen=True, slots=True)
class Request:
    """A return to make: the parsed body plus how it is keyed and where it came from."""

    data: ReturnCreate
    key: str | None
    digest: str
    scope: str = SCOPE
    source: str = "api"


def find_sale(conn: apsw.Connection, sale_id: int | None, receipt_number: str | None) -> int | None:
    """The sale a return is against (None without a receipt); 404 SALE_NOT_FOUND, 409 SALE_VOIDED."""
    if sale_id is None and receipt_number is None:
        return None
    found = sale_id if sale_id is not None else read.sale_id_by_receipt(conn, receipt_number or "")
    head = q.sale_head(conn, found) if found is not None else None
    if head is None:
        raise NotFound(f"There is no sale {receipt_number or sale_id}.", "SALE_NOT_FOUND")
    if head[2] == "voided":
        raise Conflict(f"Sale {head[1]} was voided; there is nothing to refund.", "SALE_VOIDED")
    return int(head[0])


def wanted_lines(data: ReturnCreate, with_receipt: bool) -> list[Wanted]:
    """The request's lines, checked for the kind of return (sale line numbers, or products without receipt)."""
    out = []
    for i, line in enumerate(data.lines):
        field = f"lines[{i}]"
        if with_receipt and (line.line_no is None or line.product_id is not None or line.unit_price is not None):
            raise ValidationFailed(
                "With a receipt, name the sale's lineNo (not productId or unitPrice).",
                "INVALID_RETURN_LINE",
                field=field,
            )
        if not with_receipt and (line.product_id is None or line.line_no is not None):
            raise ValidationFailed("Without a receipt, name the productId.", "INVALID_RETURN_LINE", field=field)
        qty = thousandths(line.quantity, field + ".quantity")
        out.append(Wanted(qty, line.reason, line.disposition, line.line_no, line.product_id, line.unit_price))
    return out


def value(conn: apsw.Connection, ck: Checkout, sale_id: int | None, wanted: list[Wanted]) -> list[Valued]:
    """The refund of every requested line (reads the lines' returned quantities on `conn`)."""
    if sale_id is not None:
        rows = q.sold_rows(conn, sale_id)
        for i, want in enumerate(wanted):
            if want.line_no not in rows:
                raise ValidationFailed(
                    f"The sale has no line {want.line_no}.", "UNKNOWN_SALE_LINE", field=f"lines[{i}].lineNo"
                )
        return value_with_receipt(rows, wanted, ck.rounding)
    products = sales_q.products(conn, [w.product_id for w in wanted if w.product_id is not None])
    out = []
    for i, want in enumerate(wanted):
        product = products.get(want.product_id or 0)
        if product is None:
            raise ValidationFailed(
                f"There is no product with id {want.product_id}.", "UNKNOWN_PRODUCT", field=f"lines[{i}].productId"
            )
        price = want.unit_price if want.unit_price is not None else product.prices.retail
        out.append(
            value_without_receipt(
                want, product.name("en"), price, product.tax_rate_bp, ck.pricing.prices_include_tax, ck.rounding
            )
        )
    return out


async def _approve(
    rt: Runtime, caller: Identity, req: Request, sale_id: int | None, total: int, request_id: str | None
) -> Approver | None:
    """A manager approves returns without receipt and refunds above REFUND_MANAGER_THRESHOLD."""
    ck = checkout_of(rt.settings)
    if sale_id is not None and total <= ck.refund_threshold:
        return None
    return await approve_if_needed(
        rt,
        caller,
        P.RETURNS_APPROVE,
        req.data.manager_pin,
        action="returns.approve",
        entity="sale" if sale_id else None,
        entity_id=sale_id,
        request_id=request_id,
    )


def _check_method(conn: apsw.Connection, data: ReturnCreate, sale_id: int | None) -> int | None:
    """The customer a refund to account goes to (400 CUSTOMER_REQUIRED without one)."""
    head = q.sale_head(conn, sale_id) if sale_id is not None else None
    customer_id = None if head is None else head[3]
    if data.refund_method == "customer_account" and customer_id is None:
        raise ValidationFailed(
            "A refund to account needs a sale with a customer.", "CUSTOMER_REQUIRED", field="refundMethod"
        )
    return None if customer_id is None else int(customer_id)


async def create_return(rt: Runtime, caller: Identity, req: Request, request_id: str | None) -> tuple[ReturnOut, int]:
    """Make a return and its refund exactly once per key; returns it and the HTTP status (201)."""
    if req.key is not None:
        found = idempotency.find(rt.db.reader, req.scope, req.key, req.digest)
        if found is not None:
            return msgspec.json.decode(found.body, type=ReturnOut), found.status
    ck = checkout_of(rt.settings)
    sale_id = find_sale(rt.db.reader, req.data.sale_id, req.data.receipt_number)
    wanted = wanted_lines(req.data, sale_id is not None)
    customer_id = _check_method(rt.db.reader, req.data, sale_id)
    total = sum(v.total_amount for v in value(rt.db.reader, ck, sale_id, wanted))
    approver = await _approve(rt, caller, req, sale_id, total, request_id)
    with rt.db.write() as conn:
        if req.key is not None:
            found = idempotency.find(conn, req.scope, req.key, req.digest)
            if found is not None:
                return msgspec.json.decode(found.body, type=ReturnOut), found.status
        valued = value(conn, ck, sale_id, wanted)  # authoritative: another return may have landed meanwhile
        if sum(v.total_amount for v in valued) != total:
            raise Conflict("The sale changed while this return was being approved; look it up again.", "RETURN_CHANGED")
        now = rt.clock()
        plan = Plan(caller, req, sale_id, customer_id, valued, approver, request_id, now, business_date(now, ck.tz))
        return_id = _write(conn, plan)
        shifts.attach_return(conn, return_id, caller.terminal_id, req.data.refund_method)  # cash: 409 SHIFT_NOT_OPEN
        out = q.load_return(conn, return_id, ck.currency)
        assert out is not None
        if req.key is not None:
            saved = idempotency.Saved(
                req.scope, req.key, req.digest, 201, msgspec.json.encode(out), "return", return_id
            )
            idempotency.save(conn, saved, rt.clock(), ck.retention_hours)
    return out, 201


@dataclass(frozen=True, slots=True)
class Plan:
    """A valued, approved return about to be written."""

    caller: Identity
    req: Request
    sale_id: int | None
    customer_id: int | None
    valued: list[Valued]
    approver: Approver | None
    request_id: str | None
    now: float
    day: str

    @property
    def total(self) -> int:
        """What the refund pays back."""
        return sum(v.total_amount for v in self.valued)


def _write(conn: apsw.Connection, plan: Plan) -> int:
    """The return, its lines, the sale lines' counters, stock, the refund's effect, the audit event."""
    return_id = _insert_return(conn, plan)
    for v in plan.valued:
        if v.sale_line_id is not None:
            conn.execute(q.BOOK_LINE, (v.qty, v.total_amount, v.tax_amount, v.sale_line_id, v.qty))
            if conn.changes() != 1:
                raise Conflict(f"Line {v.line_no} cannot take back {v.qty / 1000:g} more.", "RETURN_EXCEEDS_SOLD")
    if plan.sale_id is not None:
        conn.execute("UPDATE sales SET refunded_amount = refunded_amount + ? WHERE id = ?", (plan.total, plan.sale_id))
    _restock(conn, return_id, plan.valued, plan.now)
    if plan.req.data.refund_method == "customer_account" and plan.customer_id is not None:
        conn.execute(sales_q.ADD_BALANCE, (-plan.total, iso_utc(plan.now), plan.customer_id))
    data = plan.req.data
    details = {
        "saleId": plan.sale_id,
        "total": plan.total,
        "method": data.refund_method,
        "lines": len(plan.valued),
        "source": plan.req.source,
        "note": data.note,
    }
    record(
        conn,
        "returns.created",
        actor=plan.caller.actor,
        approver=plan.approver.actor if plan.approver else None,
        entity="return",
        entity_id=return_id,
        details=details,
        request_id=plan.request_id,
        at=plan.now,
    )
    return return_id


def _insert_return(conn: apsw.Connection, plan: Plan) -> int:
    """The returns row and its lines (a store credit voucher first, when that is the refund)."""
    data, total = plan.req.data, plan.total
    tax = sum(v.tax_amount for v in plan.valued)
    store_credit = data.refund_method == "store_credit" and total > 0
    credit_id = _issue_credit(conn, plan.customer_id, total, plan.now) if store_credit else None
    approver_id = plan.approver.user_id if plan.approver else None
    conn.execute(
        q.INSERT_RETURN,
        (
            plan.sale_id,
            plan.caller.terminal_id,
            plan.caller.user_id,
            approver_id,
            plan.customer_id,
            plan.day,
            data.refund_method,
            data.reference,
            credit_id,
            total,
            tax,
            data.note,
            plan.req.source,
            plan.req.key,
            iso_utc(plan.now),
        ),
    )
    return_id = int(conn.last_insert_rowid())
    conn.executemany(
        q.INSERT_LINE,
        [
            (return_id, v.sale_line_id, v.product_id, v.qty, v.total_amount, v.tax_amount, v.reason, v.disposition)
            for v in plan.valued
        ],
    )
    return return_id


def _restock(conn: apsw.Connection, return_id: int, valued: list[Valued], now: float) -> None:
    """Every returned unit enters the ledger; written-off ones leave it again as a write-off."""
    created = iso_utc(now)
    moves = [(v.product_id, v.qty, "return", "return", return_id, None, created) for v in valued]
    moves += [
        (v.product_id, -v.qty, "write_off", "return", return_id, None, created)
        for v in valued
        if v.disposition == "write_off"
    ]
    conn.executemany(sales_q.INSERT_MOVEMENT, moves)
    conn.executemany(sales_q.ADD_STOCK, [(v.product_id, v.qty, created) for v in valued if v.disposition == "restock"])


def _issue_credit(conn: apsw.Connection, customer_id: int | None, amount: int, now: float) -> int:
    """A store credit voucher for the refund (its code is printed and spent as a tender reference)."""
    code = "SC" + secrets.token_hex(5).upper()
    conn.execute(q.INSERT_CREDIT, (code, customer_id, amount, amount, iso_utc(now), iso_utc(now)))
    return int(conn.last_insert_rowid())

"""Checkout rules: quote a cart, complete a sale exactly once, read sales (no Litestar here)."""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import Approver, approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.errors import NotFound
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime
from pos_grocery.sales import checks, holds, read
from pos_grocery.sales.commit import SaleDraft, commit
from pos_grocery.sales.committer import GroupCommitter
from pos_grocery.sales.context import Checkout, business_date, checkout_of, lane_of
from pos_grocery.sales.models import QuoteIn, QuoteOut, SaleCreate, SaleOut, SalePage
from pos_grocery.sales.output import quote_out
from pos_grocery.sales.pricing_input import PricedCart, price_cart
from pos_grocery.sales.tenders import settle
from pos_grocery.sales.values import thousandths
from pos_grocery.shifts import guard as shifts

SCOPE = "sales.create"


def quote(rt: Runtime, data: QuoteIn) -> QuoteOut:
    """Price a cart without writing anything (promotions, tax, totals for the lane)."""
    ck = checkout_of(rt.settings)
    now = rt.clock()
    lock = holds.price_lock(rt.db.reader, data.held_sale_id, now) if data.held_sale_id else None
    return quote_out(ck, price_cart(rt.db.reader, ck, data, now, lock))


async def _approve(
    rt: Runtime, caller: Identity, cart: PricedCart, data: SaleCreate, request_id: str | None, ck: Checkout
) -> Approver | None:
    """A manager's PIN for price overrides and discounts above the threshold (not needed when the caller may)."""
    approver = None
    if any(line.price_override is not None for line in cart.lines):
        approver = await approve_if_needed(
            rt,
            caller,
            P.PRICE_OVERRIDE,
            data.manager_pin,
            action="sales.price_override",
            entity="sale",
            request_id=request_id,
        )
    if checks.discounts_needing_approval(cart, ck.discount_threshold):
        second = await approve_if_needed(
            rt,
            caller,
            P.DISCOUNT_OVERRIDE,
            data.manager_pin,
            action="sales.discount_override",
            entity="sale",
            request_id=request_id,
        )
        approver = approver or second
    return approver


async def create_sale(
    rt: Runtime, caller: Identity, data: SaleCreate, key: str, request_id: str | None, committer: GroupCommitter
) -> tuple[SaleOut, int]:
    """Complete a sale exactly once per idempotency key; returns the sale and the HTTP status (201)."""
    digest = idempotency.body_hash(SCOPE, data)
    found = idempotency.find(rt.db.reader, SCOPE, key, digest)
    if found is not None:
        return msgspec.json.decode(found.body, type=SaleOut), found.status
    draft = await _draft(rt, caller, data, key, request_id)
    ck = checkout_of(rt.settings)

    def write(conn: apsw.Connection) -> tuple[SaleOut, int]:
        # The authoritative check, under the write lock: the same key may have committed (or be earlier in this
        # batch) since the check above.
        again = idempotency.find(conn, SCOPE, key, digest)
        if again is not None:
            return msgspec.json.decode(again.body, type=SaleOut), again.status
        shift_id = shifts.require_open(conn, draft.terminal_id)  # 409 SHIFT_NOT_OPEN; under the lock the Z takes
        out = commit(conn, draft, ck.store_code)
        shifts.attach_sale(conn, out.id, shift_id)
        saved = idempotency.Saved(SCOPE, key, digest, 201, msgspec.json.encode(out), "sale", out.id)
        idempotency.save(conn, saved, draft.now, ck.retention_hours)
        return out, 201

    return await committer.submit(write)


async def _draft(rt: Runtime, caller: Identity, data: SaleCreate, key: str, request_id: str | None) -> SaleDraft:
    """Validate, price and settle a sale request (no writes), and collect the approvals it needs."""
    ck = checkout_of(rt.settings)
    terminal_id, terminal_name = lane_of(caller)
    now = rt.clock()
    day = business_date(now, ck.tz)
    conn = rt.db.reader
    lock = holds.price_lock(conn, data.held_sale_id, now) if data.held_sale_id else None
    cart = price_cart(conn, ck, data, now, lock)
    ages = checks.age_checks(cart, data.age_confirmations, day)
    settlement = settle(
        data.tenders, cart.priced.totals.total_amount, ck.cash_increment, ck.rounding, cart.customer is not None
    )
    credits = checks.store_credit_ids(conn, data.tenders)
    voided = [
        (v.product_id, thousandths(v.quantity, f"voidedLines[{i}].quantity"), v.reason.strip())
        for i, v in enumerate(data.voided_lines)
    ]
    approver = await _approve(rt, caller, cart, data, request_id, ck)
    return SaleDraft(
        terminal_id=terminal_id,
        terminal_name=terminal_name,
        cashier=caller.actor,
        cashier_name=caller.display_name,
        cart=cart,
        settlement=settlement,
        language=data.language,
        now=now,
        business_date=day,
        key=key,
        prices_include_tax=ck.pricing.prices_include_tax,
        currency=ck.currency,
        held_sale_id=data.held_sale_id,
        age_checks=ages,
        approver=approver.actor if approver else None,
        voided_lines=voided,
        store_credit_ids=credits,
        request_id=request_id,
        allow_negative_stock=rt.settings.stock_allow_negative,
    )


def get_sale(rt: Runtime, sale_id: int) -> SaleOut:
    """One sale or 404 SALE_NOT_FOUND."""
    out = read.load_sale(rt.db.reader, sale_id, rt.settings.currency)
    if out is None:
        raise NotFound(f"There is no sale with id {sale_id}.", "SALE_NOT_FOUND")
    return out


def list_sales(rt: Runtime, filters: dict[str, Any], before: int | None, limit: int) -> SalePage:
    """Sales newest first; `receiptNumber` finds one sale."""
    receipt = filters.pop("receipt_number", None)
    if receipt is not None:
        sale_id = read.sale_id_by_receipt(rt.db.reader, receipt)
        ids = [] if sale_id is None else [sale_id]
    else:
        ids = read.page_ids(rt.db.reader, filters, before, limit)
    more = len(ids) > limit
    items = [get_sale(rt, sale_id) for sale_id in ids[:limit]]
    return SalePage(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)

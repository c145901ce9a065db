"""Held (parked) sales: at most MAX_HELD_SALES per terminal, expiring after HOLD_EXPIRY_HOURS, resumable anywhere.

A resumed cart is priced again with today's prices and rules unless it was held with `priceLock`: then the
tier prices stored at hold time and the rules as they stood at the hold's time price it. The sale that
completes a hold names it (`heldSaleId`) and closes it in its own transaction; discarding needs a manager.
"""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc, parse_iso
from pos_grocery.db.connection import fetch_all, fetch_one, fetch_value
from pos_grocery.errors import Conflict, NotFound
from pos_grocery.pagination import encode_cursor
from pos_grocery.pricing import TierPrices
from pos_grocery.runtime import Runtime
from pos_grocery.sales.context import checkout_of, lane_of
from pos_grocery.sales.models import CartIn, DiscardIn, HeldSaleOut, HeldSalePage, HoldIn
from pos_grocery.sales.output import quote_out
from pos_grocery.sales.pricing_input import PricedCart, PriceLock, price_cart

COLUMNS = (
    "h.id, h.terminal_id, t.name, h.cashier_id, h.customer_id, h.note, h.status, h.price_locked, h.total_amount, "
    "h.created_at, h.expires_at, h.resumed_at, h.cart, h.locked_prices"
)
SELECT = f"SELECT {COLUMNS} FROM held_sales h JOIN terminals t ON t.id = h.terminal_id"
COUNT_OPEN = "SELECT count(*) FROM held_sales WHERE terminal_id = ? AND status = 'held' AND expires_at > ?"
INSERT = (
    "INSERT INTO held_sales (terminal_id, cashier_id, customer_id, note, cart, price_locked, locked_prices, "
    "total_amount, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _row(conn: apsw.Connection, held_id: int) -> tuple[Any, ...]:
    row = fetch_one(conn, f"{SELECT} WHERE h.id = ?", (held_id,))
    if row is None:
        raise NotFound(f"There is no held sale {held_id}.", "HELD_SALE_NOT_FOUND")
    return row


def _open(row: tuple[Any, ...], now: float) -> None:
    """409 unless the hold is still open (held or resumed) and not expired."""
    if row[6] not in ("held", "resumed"):
        raise Conflict(f"Held sale {row[0]} is {row[6]}.", "HOLD_NOT_ACTIVE")
    if row[10] <= iso_utc(now):
        raise Conflict(f"Held sale {row[0]} expired at {row[10]}; ring the items up again.", "HOLD_EXPIRED")


def _out(row: tuple[Any, ...], now: float, with_cart: bool = False) -> HeldSaleOut:
    held = msgspec.json.decode(row[12], type=HoldIn)
    cart = CartIn(
        lines=held.lines, price_tier=held.price_tier, customer_id=held.customer_id, bill_discount=held.bill_discount
    )
    return HeldSaleOut(
        id=row[0],
        terminal_id=row[1],
        terminal=row[2],
        cashier_id=row[3],
        customer_id=row[4],
        note=row[5],
        status=row[6],
        expired=row[10] <= iso_utc(now),
        price_locked=bool(row[7]),
        total_amount=row[8],
        line_count=len(cart.lines),
        created_at=row[9],
        expires_at=row[10],
        resumed_at=row[11],
        cart=cart if with_cart else None,
    )


def price_lock(conn: apsw.Connection, held_id: int | None, now: float) -> PriceLock | None:
    """The locked prices of an open hold (None when it is not price-locked); 404/409 when it is not open."""
    if held_id is None:
        return None
    row = _row(conn, held_id)
    _open(row, now)
    if not row[7] or not row[13]:
        return None
    stored: dict[str, list[int | None]] = msgspec.json.decode(row[13])
    prices = {int(k): TierPrices(retail=v[0] or 0, wholesale=v[1], credit=v[2], other=v[3]) for k, v in stored.items()}
    return PriceLock(prices=prices, at=parse_iso(row[9]))


def hold(rt: Runtime, caller: Identity, data: HoldIn, request_id: str | None) -> HeldSaleOut:
    """Park a cart at the caller's terminal (409 HOLD_LIMIT_REACHED at the limit)."""
    ck = checkout_of(rt.settings)
    terminal_id, _ = lane_of(caller)
    now = rt.clock()
    cart = price_cart(rt.db.reader, ck, data, now)
    with rt.db.write() as conn:
        count = fetch_value(conn, COUNT_OPEN, (terminal_id, iso_utc(now)))
        if int(count) >= ck.max_held:
            raise Conflict(f"This terminal already holds {count} sales (limit {ck.max_held}).", "HOLD_LIMIT_REACHED")
        if data.held_sale_id is not None:
            _replace_resumed(conn, data.held_sale_id, now)
        held_id = _insert(conn, caller, terminal_id, data, cart, now, now + ck.hold_seconds)
        details = {"lines": len(cart.lines), "total": cart.priced.totals.total_amount, "priceLock": data.price_lock}
        record(
            conn,
            "sales.held",
            actor=caller.actor,
            entity="held_sale",
            entity_id=held_id,
            details=details,
            request_id=request_id,
            at=now,
        )
        row = _row(conn, held_id)
    return msgspec.structs.replace(_out(row, now, with_cart=True), quote=quote_out(ck, cart))


def _insert(
    conn: apsw.Connection,
    caller: Identity,
    terminal_id: int,
    data: HoldIn,
    cart: PricedCart,
    now: float,
    expires: float,
) -> int:
    """The held_sales row: the cart without the PIN, and the tier prices when the hold locks them."""
    stored = msgspec.structs.replace(data, manager_pin=None, held_sale_id=None)
    prices = {line.product.id: line.product.prices for line in cart.lines}
    locked = {pid: [p.retail, p.wholesale, p.credit, p.other] for pid, p in prices.items()}
    conn.execute(
        INSERT,
        (
            terminal_id,
            caller.user_id,
            cart.customer.id if cart.customer else None,
            data.note,
            msgspec.json.encode(stored).decode(),
            int(data.price_lock),
            msgspec.json.encode(locked).decode() if data.price_lock else None,
            cart.priced.totals.total_amount,
            iso_utc(now),
            iso_utc(expires),
        ),
    )
    return int(conn.last_insert_rowid())


def _replace_resumed(conn: apsw.Connection, held_id: int, now: float) -> None:
    """Holding a resumed cart again closes the old hold (its items are in the new one)."""
    conn.execute(
        "UPDATE held_sales SET status = 'discarded', closed_at = ?, discard_reason = 'held again' "
        "WHERE id = ? AND status IN ('held', 'resumed')",
        (iso_utc(now), held_id),
    )


def get_held(rt: Runtime, held_id: int) -> HeldSaleOut:
    """A held sale with its cart."""
    return _out(_row(rt.db.reader, held_id), rt.clock(), with_cart=True)


def list_held(rt: Runtime, terminal_id: int | None, status: str | None, after: int | None, limit: int) -> HeldSalePage:
    """Held sales by id (any terminal may resume them)."""
    where: list[str] = ["h.id > ?"]
    params: list[object] = [after or 0]
    if terminal_id is not None:
        where.append("h.terminal_id = ?")
        params.append(terminal_id)
    if status is not None:
        where.append("h.status = ?")
        params.append(status)
    rows = fetch_all(rt.db.reader, f"{SELECT} WHERE {' AND '.join(where)} ORDER BY h.id LIMIT ?", (*params, limit + 1))
    now = rt.clock()
    items = [_out(row, now) for row in rows[:limit]]
    return HeldSalePage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def resume(rt: Runtime, caller: Identity, held_id: int, request_id: str | None) -> HeldSaleOut:
    """Take a held sale up at the caller's terminal: its cart and its price now (or locked)."""
    ck = checkout_of(rt.settings)
    terminal_id, _ = lane_of(caller)
    now = rt.clock()
    row = _row(rt.db.reader, held_id)
    _open(row, now)
    cart_in = msgspec.json.decode(row[12], type=HoldIn)
    cart = price_cart(rt.db.reader, ck, cart_in, now, price_lock(rt.db.reader, held_id, now))
    with rt.db.write() as conn:
        conn.execute(
            "UPDATE held_sales SET status = 'resumed', resumed_at = ?, resumed_by = ?, "
            "resumed_terminal_id = ? WHERE id = ?",
            (iso_utc(now), caller.user_id, terminal_id, held_id),
        )
        record(
            conn,
            "sales.hold_resumed",
            actor=caller.actor,
            entity="held_sale",
            entity_id=held_id,
            details={"heldAt": row[2]},
            request_id=request_id,
            at=now,
        )
        row = _row(conn, held_id)
    return msgspec.structs.replace(_out(row, now, with_cart=True), quote=quote_out(ck, cart))


async def discard(rt: Runtime, caller: Identity, held_id: int, data: DiscardIn, request_id: str | None) -> HeldSaleOut:
    """A manager removes a held sale (with a reason)."""
    row = _row(rt.db.reader, held_id)
    if row[6] not in ("held", "resumed"):
        raise Conflict(f"Held sale {held_id} is {row[6]}.", "HOLD_NOT_ACTIVE")
    approver = await approve_if_needed(
        rt,
        caller,
        P.SALES_VOID,
        data.manager_pin,
        action="sales.hold_discard",
        entity="held_sale",
        entity_id=held_id,
        request_id=request_id,
    )
    now = rt.clock()
    with rt.db.write() as conn:
        conn.execute(
            "UPDATE held_sales SET status = 'discarded', closed_at = ?, discard_reason = ? "
            "WHERE id = ? AND status IN ('held', 'resumed')",
            (iso_utc(now), data.reason.strip(), held_id),
        )
        if conn.changes() != 1:
            raise Conflict(f"Held sale {held_id} is no longer open.", "HOLD_NOT_ACTIVE")
        record(
            conn,
            "sales.hold_discarded",
            actor=caller.actor,
            approver=approver.actor if approver else None,
            entity="held_sale",
            entity_id=held_id,
            details={"reason": data.reason.strip()},
            request_id=request_id,
            at=now,
        )
        row = _row(conn, held_id)
    return _out(row, now, with_cart=True)

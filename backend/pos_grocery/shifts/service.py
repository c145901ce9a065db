"""Shift rules: open with a float, cash movements, no-sales, X snapshot, Z close (no Litestar here)."""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import Approver, approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime
from pos_grocery.sales.context import business_date, checkout_of
from pos_grocery.shifts import figures, guard
from pos_grocery.shifts import queries as q
from pos_grocery.shifts.drawer import open_drawer
from pos_grocery.shifts.models import (
    CashMovementIn,
    CashMovementOut,
    NoSaleIn,
    NoSaleOut,
    ShiftOpen,
    ShiftOut,
    ShiftPage,
    ShiftReport,
)

MOVEMENT_SCOPE = "shifts.movement"


def get_shift(rt: Runtime, shift_id: int, conn: apsw.Connection | None = None) -> ShiftOut:
    """One shift or 404 SHIFT_NOT_FOUND."""
    out = q.load_shift(conn or rt.db.reader, shift_id, rt.settings.currency)
    if out is None:
        raise NotFound(f"There is no shift with id {shift_id}.", "SHIFT_NOT_FOUND")
    return out


def for_caller(shift: ShiftOut, caller: Identity) -> ShiftOut:
    """Variances are for managers and auditors (reports.read): a cashier sees the shift without its count."""
    if caller.can(P.REPORTS_READ) or shift.status == "open":
        return shift
    return msgspec.structs.replace(shift, expected_cash=None, declared_cash=None, variance=None)


def current_shift(rt: Runtime, caller: Identity) -> ShiftOut:
    """The open shift of the caller's terminal (404 SHIFT_NOT_OPEN when there is none)."""
    shift_id = guard.open_shift(rt.db.reader, caller.terminal_id)
    if shift_id is None:
        raise NotFound("There is no open shift on this terminal.", "SHIFT_NOT_OPEN")
    return get_shift(rt, shift_id)


def list_shifts(
    rt: Runtime, caller: Identity, filters: dict[str, Any], before: int | None, limit: int
) -> ShiftPage:
    """Shifts newest first."""
    rows = q.page(rt.db.reader, filters, before, limit)
    items = [for_caller(q.shift_out(r, rt.settings.currency), caller) for r in rows[:limit]]
    more = len(rows) > limit
    return ShiftPage(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)


def _terminal_for_open(rt: Runtime, caller: Identity, terminal_id: int | None) -> int:
    """The caller's terminal, or the named one from the back office (a lane opens only its own shift)."""
    if terminal_id is None:
        if caller.terminal_id is None:
            raise ValidationFailed(
                "Open a shift at a lane, or name the terminalId from the back office.", "TERMINAL_REQUIRED",
                field="terminalId",
            )
        return caller.terminal_id
    if caller.terminal_id is not None and caller.terminal_id != terminal_id:
        raise Conflict("A lane opens only its own shift.", "SHIFT_TERMINAL_MISMATCH")
    if fetch_one(rt.db.reader, "SELECT 1 FROM terminals WHERE id = ?", (terminal_id,)) is None:
        raise NotFound(f"There is no terminal with id {terminal_id}.", "TERMINAL_NOT_FOUND")
    return terminal_id


def open_shift(rt: Runtime, caller: Identity, data: ShiftOpen, request_id: str | None) -> ShiftOut:
    """Open a shift with its float; 409 SHIFT_ALREADY_OPEN when the terminal has one."""
    terminal_id = _terminal_for_open(rt, caller, data.terminal_id)
    now = rt.clock()
    day = business_date(now, checkout_of(rt.settings).tz)
    with rt.db.write() as conn:
        existing = guard.open_shift(conn, terminal_id)
        if existing is not None:
            raise Conflict(f"Shift {existing} is already open on this terminal; close it first.", "SHIFT_ALREADY_OPEN")
        conn.execute(q.INSERT_SHIFT, (terminal_id, data.opening_float, caller.user_id, iso_utc(now), day,
                                      data.note.strip()))
        shift_id = int(conn.last_insert_rowid())
        record(conn, "shifts.opened", actor=caller.actor, entity="shift", entity_id=shift_id,
               details={"terminalId": terminal_id, "openingFloat": data.opening_float}, request_id=request_id, at=now)
        return get_shift(rt, shift_id, conn)


def _writable(rt: Runtime, conn: apsw.Connection, caller: Identity, shift_id: int, lane_only: bool) -> ShiftOut:
    """The shift for a change: 404, 409 SHIFT_CLOSED, 409 SHIFT_TERMINAL_MISMATCH (a lane acts on its own only)."""
    shift = get_shift(rt, shift_id, conn)
    if shift.status != "open":
        raise Conflict(f"Shift {shift_id} is closed (Z {shift.z_number}).", "SHIFT_CLOSED")
    if caller.terminal_id is not None and caller.terminal_id != shift.terminal_id:
        raise Conflict(f"Shift {shift_id} belongs to terminal {shift.terminal}.", "SHIFT_TERMINAL_MISMATCH")
    if lane_only and caller.terminal_id is None:
        raise Conflict("Open the drawer from the lane it belongs to.", "SHIFT_TERMINAL_MISMATCH")
    return shift


async def _movement_approval(
    rt: Runtime, caller: Identity, shift_id: int, data: CashMovementIn, request_id: str | None
) -> Approver | None:
    """Pickups, and cash in/out/petty above CASH_MOVEMENT_CASHIER_LIMIT, need shifts.manage (or a manager PIN)."""
    limit = rt.settings.cash_movement_cashier_limit
    if data.kind != "pickup" and (data.kind == "drop" or data.amount <= limit):
        return None
    return await approve_if_needed(rt, caller, P.SHIFTS_MANAGE, data.manager_pin, action=f"shifts.{data.kind}",
                                   entity="shift", entity_id=shift_id, request_id=request_id)


async def add_movement(
    rt: Runtime, caller: Identity, shift_id: int, data: CashMovementIn, key: str | None, request_id: str | None
) -> CashMovementOut:
    """Record a cash movement on an open shift (exactly once per Idempotency-Key when one is sent)."""
    digest = idempotency.body_hash(MOVEMENT_SCOPE, [shift_id, data])
    if key is not None:
        found = idempotency.find(rt.db.reader, MOVEMENT_SCOPE, key, digest)
        if found is not None:
            return msgspec.json.decode(found.body, type=CashMovementOut)
    reason = data.reason.strip()
    if not reason:
        raise ValidationFailed("Give a reason.", "VALIDATION_FAILED", field="reason")
    _writable(rt, rt.db.reader, caller, shift_id, lane_only=False)
    approver = await _movement_approval(rt, caller, shift_id, data, request_id)
    now = rt.clock()
    with rt.db.write() as conn:
        if key is not None:
            found = idempotency.find(conn, MOVEMENT_SCOPE, key, digest)
            if found is not None:
                return msgspec.json.decode(found.body, type=CashMovementOut)
        _writable(rt, conn, caller, shift_id, lane_only=False)  # authoritative: the Z may have closed it meanwhile
        approver_id = approver.user_id if approver else None
        conn.execute(q.INSERT_MOVEMENT, (shift_id, data.kind, data.amount, reason, caller.user_id, approver_id, key,
                                         iso_utc(now)))
        movement_id = int(conn.last_insert_rowid())
        record(conn, "shifts.cash_movement", actor=caller.actor, approver=approver.actor if approver else None,
               entity="shift", entity_id=shift_id,
               details={"movementId": movement_id, "kind": data.kind, "amount": data.amount, "reason": reason},
               request_id=request_id, at=now)
        out = q.movement_out(conn, movement_id, rt.settings.currency)
        if key is not None:
            saved = idempotency.Saved(MOVEMENT_SCOPE, key, digest, 201, msgspec.json.encode(out), "cash_movement",
                                      movement_id)
            idempotency.save(conn, saved, now, checkout_of(rt.settings).retention_hours)
    return out


async def no_sale(rt: Runtime, caller: Identity, shift_id: int, data: NoSaleIn, request_id: str | None) -> NoSaleOut:
    """Open the drawer without a sale: reason, audit, counted on the Z; then the drawer kick (shifts/drawer.py)."""
    reason = data.reason.strip()
    if not reason:
        raise ValidationFailed("Give a reason.", "VALIDATION_FAILED", field="reason")
    shift = _writable(rt, rt.db.reader, caller, shift_id, lane_only=True)
    approver = await approve_if_needed(rt, caller, P.DRAWER_OPEN, data.manager_pin, action="shifts.no_sale",
                                       entity="shift", entity_id=shift_id, request_id=request_id)
    now = rt.clock()
    with rt.db.write() as conn:
        _writable(rt, conn, caller, shift_id, lane_only=True)
        conn.execute(q.INSERT_NO_SALE, (shift_id, caller.user_id, reason, iso_utc(now)))
        no_sale_id = int(conn.last_insert_rowid())
        record(conn, "shifts.no_sale", actor=caller.actor, approver=approver.actor if approver else None,
               entity="shift", entity_id=shift_id, details={"noSaleId": no_sale_id, "reason": reason},
               request_id=request_id, at=now)
    # The time keeps the id unique even if a restore hands out the same row id again.
    drawer = await open_drawer(rt, shift.terminal_id, f"no-sale-{no_sale_id}-{int(now * 1000)}")
    return NoSaleOut(id=no_sale_id, shift_id=shift_id, reason=reason, user_id=caller.user_id,
                     approved_by=approver.user_id if approver else None, created_at=iso_utc(now), drawer=drawer)


async def x_report(rt: Runtime, caller: Identity, shift_id: int) -> ShiftReport:
    """A read-only snapshot of a shift (open or closed): the same figures a Z would print now, nothing stored.

    Computed on a reader thread (a busy shift's X takes ~100 ms; lanes keep selling meanwhile)."""
    shift = get_shift(rt, shift_id)
    if not caller.can(P.REPORTS_READ) and caller.terminal_id != shift.terminal_id:
        raise Conflict(f"Shift {shift_id} belongs to terminal {shift.terminal}.", "SHIFT_TERMINAL_MISMATCH")
    now, tz = rt.clock(), checkout_of(rt.settings).tz
    return await rt.db.run_in_thread(lambda conn: figures.build(conn, shift, now, tz))

"""SQL of shifts: the shift rows, cash movements, no-sales, Z documents."""

from __future__ import annotations

from typing import Any, cast

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.shifts.models import CashMovementOut, MovementKind, ShiftOut, ShiftStatus

OPEN_SHIFT = "SELECT id FROM shifts WHERE terminal_id = ? AND status = 'open'"
SHIFT = (
    "SELECT sh.id, sh.terminal_id, t.name, sh.status, sh.opening_float, sh.opened_by, u.display_name, sh.opened_at, "
    "sh.business_date, sh.note, sh.closed_by, sh.closed_at, sh.expected_cash, sh.declared_cash, sh.variance, "
    "sh.z_number FROM shifts sh JOIN terminals t ON t.id = sh.terminal_id JOIN users u ON u.id = sh.opened_by"
)
INSERT_SHIFT = (
    "INSERT INTO shifts (terminal_id, opening_float, opened_by, opened_at, business_date, note) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_MOVEMENT = (
    "INSERT INTO cash_movements (shift_id, kind, amount, reason, user_id, approved_by, idempotency_key, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
MOVEMENT = (
    "SELECT id, shift_id, kind, amount, reason, user_id, approved_by, created_at FROM cash_movements WHERE id = ?"
)
INSERT_NO_SALE = "INSERT INTO no_sales (shift_id, user_id, reason, created_at) VALUES (?, ?, ?, ?)"
CLOSE = (
    "UPDATE shifts SET status = 'closed', closed_by = ?, close_approved_by = ?, closed_at = ?, "
    "closed_business_date = ?, expected_cash = ?, declared_cash = ?, variance = ?, z_number = ? "
    "WHERE id = ? AND status = 'open'"
)
NEXT_Z = "SELECT coalesce(max(z_number), 0) + 1 FROM z_reports"
INSERT_Z = "INSERT INTO z_reports (z_number, shift_id, document, sha256, created_at) VALUES (?, ?, ?, ?, ?)"
Z_DOC = "SELECT z_number, document, sha256, reprint_count FROM z_reports WHERE shift_id = ?"
REPRINT = "UPDATE z_reports SET reprint_count = reprint_count + 1 WHERE shift_id = ? RETURNING reprint_count"


def shift_out(r: tuple[Any, ...], currency: str) -> ShiftOut:
    """A shift row as the API shows it."""
    return ShiftOut(
        id=r[0],
        terminal_id=r[1],
        terminal=r[2],
        status=cast(ShiftStatus, r[3]),
        opening_float=r[4],
        opened_by=r[5],
        opened_by_name=r[6],
        opened_at=r[7],
        business_date=r[8],
        note=r[9],
        closed_by=r[10],
        closed_at=r[11],
        expected_cash=r[12],
        declared_cash=r[13],
        variance=r[14],
        z_number=r[15],
        currency=currency,
    )


def load_shift(conn: apsw.Connection, shift_id: int, currency: str) -> ShiftOut | None:
    """One shift."""
    r = fetch_one(conn, SHIFT + " WHERE sh.id = ?", (shift_id,))
    return None if r is None else shift_out(r, currency)


def page(conn: apsw.Connection, filters: dict[str, Any], before: int | None, limit: int) -> list[tuple[Any, ...]]:
    """Shift rows newest first (one extra tells whether more follow)."""
    where, params = [], []
    for column, value in (("sh.terminal_id", filters.get("terminal_id")), ("sh.status", filters.get("status"))):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if before is not None:
        where.append("sh.id < ?")
        params.append(before)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return fetch_all(conn, SHIFT + clause + " ORDER BY sh.id DESC LIMIT ?", (*params, limit + 1))


def movement_out(conn: apsw.Connection, movement_id: int, currency: str) -> CashMovementOut:
    """A cash movement row as the API shows it."""
    r = fetch_one(conn, MOVEMENT, (movement_id,))
    assert r is not None
    return CashMovementOut(
        id=r[0],
        shift_id=r[1],
        kind=cast(MovementKind, r[2]),
        amount=r[3],
        reason=r[4],
        user_id=r[5],
        approved_by=r[6],
        created_at=r[7],
        currency=currency,
    )

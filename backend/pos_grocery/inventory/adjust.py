"""Manual stock changes: adjustment (signed, with a reason), write-off and waste (stock leaves the shelf).

A loss worth more than STOCK_ADJUST_APPROVAL_THRESHOLD at moving-average cost needs a manager's PIN in the
body (`managerPin`), even from a manager: the PIN is the second person's (or the manager's own) confirmation.
"""

from __future__ import annotations

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import Approver, verify_manager_override
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.errors import NotFound, ValidationFailed
from pos_grocery.inventory import models as m
from pos_grocery.inventory.ledger import Move, post, qty_of, refuse_negative, signed_value
from pos_grocery.runtime import Runtime

SCOPE = "stock.adjust"


def _costs(rt: Runtime, ids: list[int]) -> dict[int, int | None]:
    marks = ",".join("?" * len(ids))
    rows = fetch_all(rt.db.reader, f"SELECT id, cost FROM products WHERE id IN ({marks})", ids)
    found = {int(r[0]): r[1] for r in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"There is no product with id {missing[0]}.", "PRODUCT_NOT_FOUND", field="lines")
    return found


def moves_of(data: m.AdjustmentCreate, costs: dict[int, int | None]) -> list[Move]:
    """The movements of a request: adjustment lines are signed; write-off and waste lines remove stock."""
    moves = []
    for i, line in enumerate(data.lines):
        field = f"lines[{i}].quantity"
        signed = data.kind == "adjustment"  # write-off and waste lines name what leaves the shelf
        qty = qty_of(line.quantity, field, signed=True) if signed else -qty_of(line.quantity, field)
        moves.append(Move(line.product_id, qty, data.kind, costs[line.product_id]))
    if len({mv.product_id for mv in moves}) != len(moves):
        raise ValidationFailed("A product appears twice; put its quantities on one line.", "DUPLICATE_PRODUCT",
                               field="lines")
    return moves


def loss_value(moves: list[Move]) -> int:
    """Value of the stock that leaves (negative lines) at moving-average cost; unknown cost counts 0."""
    return sum(-(signed_value(mv.qty, mv.unit_cost) or 0) for mv in moves if mv.qty < 0)


async def approval(rt: Runtime, caller: Identity, loss: int, pin: str | None, permission: P, action: str,
                   entity: str, request_id: str | None) -> Approver | None:
    """A manager PIN is needed when the loss passes the threshold (403 MANAGER_APPROVAL_REQUIRED without)."""
    if loss <= rt.settings.stock_adjust_approval_threshold:
        return None
    return await verify_manager_override(rt, pin, caller, permission=permission, action=action, entity=entity,
                                         request_id=request_id)


async def create(rt: Runtime, caller: Identity, data: m.AdjustmentCreate, key: str,
                 request_id: str | None) -> tuple[m.AdjustmentOut, int]:
    """Write one adjustment exactly once per idempotency key; (answer, status)."""
    # The PIN stays out of the stored hash (a 4-6 digit PIN under a plain SHA-256 is easily recovered).
    digest = idempotency.body_hash(SCOPE, msgspec.structs.replace(data, manager_pin=None))
    found = idempotency.find(rt.db.reader, SCOPE, key, digest)
    if found is not None:
        return msgspec.json.decode(found.body, type=m.AdjustmentOut), found.status
    costs = _costs(rt, sorted({line.product_id for line in data.lines}))
    moves = moves_of(data, costs)
    loss = loss_value(moves)
    approver = await approval(rt, caller, loss, data.manager_pin, P.INVENTORY_ADJUST, "stock.adjust",
                              "stock_adjustment", request_id)
    now = rt.clock()
    with rt.db.write() as conn:
        again = idempotency.find(conn, SCOPE, key, digest)
        if again is not None:
            return msgspec.json.decode(again.body, type=m.AdjustmentOut), again.status
        out = _write(conn, rt, caller, data, moves, approver, now, loss, request_id)
        saved = idempotency.Saved(SCOPE, key, digest, 201, msgspec.json.encode(out), "stock_adjustment", out.id)
        idempotency.save(conn, saved, now, rt.settings.idempotency_retention_hours)
    return out, 201


def _write(conn: apsw.Connection, rt: Runtime, caller: Identity, data: m.AdjustmentCreate, moves: list[Move],
           approver: Approver | None, now: float, loss: int, request_id: str | None) -> m.AdjustmentOut:
    created = iso_utc(now)
    conn.execute(
        "INSERT INTO stock_adjustments (kind, reason, note, created_by, approved_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (data.kind, data.reason.strip(), data.note, caller.user_id, approver.user_id if approver else None, created),
    )
    adj_id = int(conn.last_insert_rowid())
    post(conn, moves, "adjustment", adj_id, created)
    if not rt.settings.stock_allow_negative:
        refuse_negative(conn, [mv.product_id for mv in moves if mv.qty < 0])
    lines = []
    for mv in moves:
        row = fetch_one(conn, "SELECT on_hand FROM stock_levels WHERE product_id = ?", (mv.product_id,))
        lines.append(m.AdjustmentLineOut(product_id=mv.product_id, quantity=mv.qty / 1000, unit_cost=mv.unit_cost,
                                         on_hand=(int(row[0]) if row else 0) / 1000))
    record(conn, f"stock.{data.kind}", actor=caller.actor, approver=approver.actor if approver else None,
           entity="stock_adjustment", entity_id=adj_id, request_id=request_id, at=now,
           details={"reason": data.reason.strip(), "lines": len(moves), "lossValue": loss})
    return m.AdjustmentOut(id=adj_id, kind=data.kind, reason=data.reason.strip(), note=data.note,
                           created_by=caller.user_id, approved_by=approver.user_id if approver else None,
                           created_at=created, lines=lines, loss_value=loss)


def get(rt: Runtime, adj_id: int) -> m.AdjustmentOut:
    """One adjustment with its lines (from the ledger), or 404 ADJUSTMENT_NOT_FOUND."""
    conn = rt.db.reader
    row = fetch_one(conn, "SELECT id, kind, reason, note, created_by, approved_by, created_at FROM stock_adjustments "
                          "WHERE id = ?", (adj_id,))
    if row is None:
        raise NotFound(f"There is no stock adjustment with id {adj_id}.", "ADJUSTMENT_NOT_FOUND")
    moves = fetch_all(conn, "SELECT m.product_id, m.qty, m.unit_cost, coalesce(s.on_hand, 0) FROM stock_movements m "
                            "LEFT JOIN stock_levels s ON s.product_id = m.product_id "
                            "WHERE m.ref_type = 'adjustment' AND m.ref_id = ? ORDER BY m.id", (adj_id,))
    lines = [m.AdjustmentLineOut(product_id=r[0], quantity=r[1] / 1000, unit_cost=r[2], on_hand=r[3] / 1000)
             for r in moves]
    loss = loss_value([Move(r[0], r[1], row[1], r[2]) for r in moves])
    return m.AdjustmentOut(id=row[0], kind=row[1], reason=row[2], note=row[3], created_by=row[4], approved_by=row[5],
                           created_at=row[6], lines=lines, loss_value=loss)

"""Goods received notes: draft -> posted (or void). Posting writes one 'receipt' movement per line, the batches,
and the products' moving-average cost, exactly once per idempotency key, in one transaction.

Freight and other costs are spread over the lines by value (largest remainder, so the shares add up to the
cost exactly); a line's landed unit cost is (line value + its share) / quantity, half up to the minor unit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.inventory import doc_models as m
from pos_grocery.inventory.ledger import Move, moving_average, post, qty_of
from pos_grocery.money import div_round
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime

SCOPE = "grns.post"
HEAD_SQL = (
    "SELECT g.id, g.supplier_id, s.name, g.reference, g.status, g.freight, g.other_costs, g.note, g.created_by, "
    "g.created_at, g.posted_at, g.posted_by, g.voided_at, g.void_reason FROM grns g "
    "JOIN suppliers s ON s.id = g.supplier_id WHERE g.id = ?"
)
LINES_SQL = (
    "SELECT l.line_no, l.product_id, p.sku, p.name_en, l.qty, l.unit_cost, l.mrp, l.batch, l.expiry "
    "FROM grn_lines l JOIN products p ON p.id = l.product_id WHERE l.grn_id = ? ORDER BY l.line_no"
)
INSERT_LINE = (
    "INSERT INTO grn_lines (grn_id, line_no, product_id, qty, unit_cost, mrp, batch, expiry) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def spread(values: list[int], quantities: list[int], extra: int) -> list[int]:
    """Shares of `extra` proportional to `values` (by quantity when every value is 0); they sum to `extra`."""
    weights = values if sum(values) > 0 else quantities
    total = sum(weights)
    if extra == 0 or total == 0:
        return [0] * len(values)
    shares = [extra * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(extra * weights[i] % total), i))
    for i in remainders[: extra - sum(shares)]:
        shares[i] += 1
    return shares


def landed(lines: list[tuple[int, int]], freight: int, other: int) -> list[tuple[int, int, int]]:
    """(line value, extra cost, landed unit cost) for (qty, unit cost) lines."""
    values = [div_round(qty * cost, 1000) for qty, cost in lines]
    extras = spread(values, [qty for qty, _ in lines], freight + other)
    return [(v, e, div_round((v + e) * 1000, qty)) for v, e, (qty, _c) in zip(values, extras, lines, strict=True)]


def _check_refs(conn: apsw.Connection, data: m.GrnCreate) -> list[tuple[Any, ...]]:
    """Validated line rows (product ids exist and are live, quantities > 0, real dates)."""
    supplier = fetch_one(conn, "SELECT deleted_at FROM suppliers WHERE id = ?", (data.supplier_id,))
    if supplier is None or supplier[0] is not None:
        raise NotFound(f"There is no supplier with id {data.supplier_id}.", "SUPPLIER_NOT_FOUND", field="supplierId")
    rows = []
    for i, line in enumerate(data.lines):
        product = fetch_one(conn, "SELECT deleted_at FROM products WHERE id = ?", (line.product_id,))
        if product is None or product[0] is not None:
            raise NotFound(f"There is no product with id {line.product_id} (line {i + 1}).", "PRODUCT_NOT_FOUND",
                           field=f"lines[{i}].productId")
        qty = qty_of(line.quantity, f"lines[{i}].quantity")
        if line.expiry is not None:
            try:
                date.fromisoformat(line.expiry)
            except ValueError:
                raise ValidationFailed(f"lines[{i}].expiry {line.expiry} is not a date.", "INVALID_DATE",
                                       field=f"lines[{i}].expiry") from None
        batch = line.batch.strip() if line.batch else None
        rows.append((i + 1, line.product_id, qty, line.unit_cost, line.mrp, batch or None, line.expiry))
    return rows


def create(rt: Runtime, caller: Identity, data: m.GrnCreate, request_id: str | None) -> m.GrnOut:
    """A new draft GRN (nothing moves until it is posted)."""
    rows = _check_refs(rt.db.reader, data)
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        conn.execute(
            "INSERT INTO grns (supplier_id, reference, freight, other_costs, note, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (data.supplier_id, data.reference.strip(), data.freight, data.other_costs, data.note, caller.user_id,
             now, now),
        )
        grn_id = int(conn.last_insert_rowid())
        conn.executemany(INSERT_LINE, [(grn_id, *r) for r in rows])
        record(conn, "grn.created", actor=caller.actor, entity="grn", entity_id=grn_id, request_id=request_id,
               at=rt.clock(), details={"supplierId": data.supplier_id, "lines": len(rows)})
    return get(rt.db.reader, grn_id, rt.settings.currency)


def replace(rt: Runtime, caller: Identity, grn_id: int, data: m.GrnCreate, request_id: str | None) -> m.GrnOut:
    """Replace a draft's supplier, costs and lines (409 GRN_NOT_DRAFT once posted or void)."""
    rows = _check_refs(rt.db.reader, data)
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        _draft_or_409(conn, grn_id)
        conn.execute(
            "UPDATE grns SET supplier_id = ?, reference = ?, freight = ?, other_costs = ?, note = ?, updated_at = ? "
            "WHERE id = ?",
            (data.supplier_id, data.reference.strip(), data.freight, data.other_costs, data.note, now, grn_id),
        )
        conn.execute("DELETE FROM grn_lines WHERE grn_id = ?", (grn_id,))
        conn.executemany(INSERT_LINE, [(grn_id, *r) for r in rows])
        record(conn, "grn.updated", actor=caller.actor, entity="grn", entity_id=grn_id, request_id=request_id,
               at=rt.clock(), details={"lines": len(rows)})
    return get(rt.db.reader, grn_id, rt.settings.currency)


def _draft_or_409(conn: apsw.Connection, grn_id: int) -> None:
    row = fetch_one(conn, "SELECT status FROM grns WHERE id = ?", (grn_id,))
    if row is None:
        raise NotFound(f"There is no GRN with id {grn_id}.", "GRN_NOT_FOUND")
    if row[0] == "void":
        raise Conflict(f"GRN {grn_id} is void; it cannot be changed or posted.", "GRN_VOID")
    if row[0] != "draft":
        raise Conflict(f"GRN {grn_id} is already {row[0]}; only a draft can be changed.", "GRN_NOT_DRAFT")


def get(conn: apsw.Connection, grn_id: int, currency: str) -> m.GrnOut:
    """A GRN with its lines and landed costs (what posting writes, for a draft), or 404 GRN_NOT_FOUND."""
    h = fetch_one(conn, HEAD_SQL, (grn_id,))
    if h is None:
        raise NotFound(f"There is no GRN with id {grn_id}.", "GRN_NOT_FOUND")
    rows = fetch_all(conn, LINES_SQL, (grn_id,))
    costs = landed([(int(r[4]), int(r[5])) for r in rows], int(h[5]), int(h[6]))
    lines = [
        m.GrnLineOut(line_no=r[0], product_id=r[1], sku=r[2], name=r[3], quantity=r[4] / 1000, unit_cost=r[5],
                     mrp=r[6], batch=r[7], expiry=r[8], line_value=v, extra_cost=e, landed_unit_cost=lc)
        for r, (v, e, lc) in zip(rows, costs, strict=True)
    ]
    goods = sum(v for v, _e, _l in costs)
    return m.GrnOut(
        id=h[0], supplier_id=h[1], supplier=h[2], reference=h[3], status=h[4], freight=h[5], other_costs=h[6],
        note=h[7], goods_value=goods, total_cost=goods + h[5] + h[6], lines=lines, created_by=h[8],
        created_at=h[9], posted_at=h[10], posted_by=h[11], voided_at=h[12], void_reason=h[13], currency=currency,
    )


def list_grns(conn: apsw.Connection, status: str | None, supplier_id: int | None, before: int | None,
              limit: int) -> m.GrnPage:
    """GRNs newest first."""
    where = "g.id < ?"
    params: list[object] = [before if before is not None else 2**62]
    if status is not None:
        where += " AND g.status = ?"
        params.append(status)
    if supplier_id is not None:
        where += " AND g.supplier_id = ?"
        params.append(supplier_id)
    rows = fetch_all(conn, "SELECT g.id, g.supplier_id, s.name, g.reference, g.status, "
                           "(SELECT count(*) FROM grn_lines l WHERE l.grn_id = g.id), g.created_at, g.posted_at "
                           f"FROM grns g JOIN suppliers s ON s.id = g.supplier_id WHERE {where} "
                           "ORDER BY g.id DESC LIMIT ?", (*params, limit + 1))
    items = [m.GrnSummary(id=r[0], supplier_id=r[1], supplier=r[2], reference=r[3], status=r[4], lines=r[5],
                          created_at=r[6], posted_at=r[7]) for r in rows[:limit]]
    return m.GrnPage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def post_grn(rt: Runtime, caller: Identity, grn_id: int, key: str, request_id: str | None) -> tuple[m.GrnOut, int]:
    """Post a draft exactly once per key: movements, batches, moving-average costs; (answer, status)."""
    digest = idempotency.body_hash(SCOPE, {"grnId": grn_id})
    found = idempotency.find(rt.db.reader, SCOPE, key, digest)
    if found is not None:
        return msgspec.json.decode(found.body, type=m.GrnOut), found.status
    now = rt.clock()
    with rt.db.write() as conn:
        again = idempotency.find(conn, SCOPE, key, digest)
        if again is not None:
            return msgspec.json.decode(again.body, type=m.GrnOut), again.status
        _draft_or_409(conn, grn_id)
        draft = get(conn, grn_id, rt.settings.currency)
        _receive(conn, draft, iso_utc(now))
        conn.execute("UPDATE grns SET status = 'posted', posted_at = ?, posted_by = ?, updated_at = ? WHERE id = ?",
                     (iso_utc(now), caller.user_id, iso_utc(now), grn_id))
        record(conn, "grn.posted", actor=caller.actor, entity="grn", entity_id=grn_id, request_id=request_id, at=now,
               details={"lines": len(draft.lines), "totalCost": draft.total_cost})
        out = get(conn, grn_id, rt.settings.currency)
        saved = idempotency.Saved(SCOPE, key, digest, 200, msgspec.json.encode(out), "grn", grn_id)
        idempotency.save(conn, saved, now, rt.settings.idempotency_retention_hours)
    return out, 200


def _receive(conn: apsw.Connection, grn: m.GrnOut, created: str) -> None:
    """Per line, in order: the new moving-average cost, the landed cost on the line, the batch, the movement."""
    moves = []
    for line in grn.lines:
        qty = round(line.quantity * 1000)
        row = fetch_one(conn, "SELECT p.cost, coalesce(s.on_hand, 0) FROM products p "
                              "LEFT JOIN stock_levels s ON s.product_id = p.id WHERE p.id = ?", (line.product_id,))
        assert row is not None
        cost = moving_average(int(row[1]), row[0], qty, line.landed_unit_cost)
        conn.execute("UPDATE products SET cost = ?, updated_at = ? WHERE id = ?", (cost, created, line.product_id))
        conn.execute("UPDATE grn_lines SET landed_unit_cost = ? WHERE grn_id = ? AND line_no = ?",
                     (line.landed_unit_cost, grn.id, line.line_no))
        line_id = fetch_one(conn, "SELECT id FROM grn_lines WHERE grn_id = ? AND line_no = ?", (grn.id, line.line_no))
        assert line_id is not None
        conn.execute("INSERT INTO stock_batches (product_id, grn_line_id, batch, expiry, qty, received_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (line.product_id, line_id[0], line.batch, line.expiry, qty, created))
        move = Move(line.product_id, qty, "receipt", line.landed_unit_cost)
        post(conn, [move], "grn", grn.id, created)  # one at a time: the next line's average sees this one
        moves.append(move)


def void(rt: Runtime, caller: Identity, grn_id: int, data: m.GrnVoid, request_id: str | None) -> m.GrnOut:
    """Void a draft (a posted GRN is corrected with an adjustment instead: 409 GRN_NOT_DRAFT)."""
    now = rt.clock()
    with rt.db.write() as conn:
        _draft_or_409(conn, grn_id)
        conn.execute("UPDATE grns SET status = 'void', voided_at = ?, voided_by = ?, void_reason = ?, updated_at = ? "
                     "WHERE id = ?", (iso_utc(now), caller.user_id, data.reason.strip(), iso_utc(now), grn_id))
        record(conn, "grn.voided", actor=caller.actor, entity="grn", entity_id=grn_id, request_id=request_id, at=now,
               details={"reason": data.reason.strip()})
    return get(rt.db.reader, grn_id, rt.settings.currency)

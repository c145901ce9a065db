"""CSV of stock levels for the catalog's import machinery (`/api/imports?kind=stock`, `/api/exports/stock`).

Preview: each row names a product by SKU and the quantity on hand it should have; the plan records the stock
at preview time and the difference. Commit: one stock adjustment document (kind 'import') with one
'adjustment' movement per changed row, applying the difference seen at preview. Sales between preview and
commit are therefore kept, as in a stocktake (docs/INVENTORY.md "CSV").
"""

from __future__ import annotations

from typing import Any

import apsw

from pos_grocery.audit.service import record
from pos_grocery.catalog.csv_cells import RowError, decimal_text, major, sku
from pos_grocery.catalog.csv_read import CsvTable, Record
from pos_grocery.catalog.imports import (
    Action,
    Context,
    Duplicates,
    Outcome,
    Plan,
    Planned,
    Progress,
    check_width,
    plan_each,
    stale,
    ticker,
)
from pos_grocery.db.connection import fetch_one, transaction
from pos_grocery.inventory.ledger import Move, post
from pos_grocery.money import parse_thousandths

STOCK_COLUMNS = ("sku", "name", "unit", "on_hand", "unit_cost")
STOCK_REQUIRED = ("sku", "on_hand")
EXPORT_SQL = """
SELECT p.sku, p.name_en, p.unit, coalesce(s.on_hand, 0), p.cost
FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id WHERE p.deleted_at IS NULL ORDER BY p.id
"""
MAX_ON_HAND = 10**12


def export_cells(row: Any, digits: int) -> list[str]:
    """One exported row: sku, name, unit, on_hand (decimal), unit_cost (major units)."""
    return [row[0], row[1], row[2], decimal_text(int(row[3])), major(row[4], digits)]


def _on_hand(value: str) -> int:
    cleaned = value.strip()
    if not cleaned:
        raise RowError("on_hand", "REQUIRED", "on_hand is required")
    try:
        qty = parse_thousandths(cleaned)
    except ValueError as exc:
        raise RowError("on_hand", "INVALID_QUANTITY", str(exc)) from None
    if abs(qty) > MAX_ON_HAND:
        raise RowError("on_hand", "INVALID_QUANTITY", f"on_hand {cleaned} is out of range")
    return qty


def plan_stock(conn: apsw.Connection, table: CsvTable, ctx: Context, progress: Progress | None = None) -> Plan:
    """Every row planned (update when the quantity differs, else unchanged) or rejected; nothing written."""
    seen = Duplicates()
    return plan_each("stock", table, "sku", lambda rec: _plan_row(conn, table, rec, seen), progress)


def _plan_row(conn: apsw.Connection, table: CsvTable, rec: Record, seen: Duplicates) -> Planned:
    check_width(rec, table.columns)
    code = sku(rec.cells.get("sku", ""))
    seen.claim(code.lower(), rec.line, "sku", "SKU")
    target = _on_hand(rec.cells.get("on_hand", ""))
    row = fetch_one(conn, "SELECT p.id, coalesce(s.on_hand, 0) FROM products p LEFT JOIN stock_levels s "
                          "ON s.product_id = p.id WHERE p.sku = ? AND p.deleted_at IS NULL", (code,))
    if row is None:
        raise RowError("sku", "UNKNOWN_PRODUCT", f"no product has the SKU {code}")
    current = int(row[1])
    action: Action = "update" if target != current else "unchanged"
    return Planned(line=rec.line, action=action, key=code, target_id=int(row[0]), new=(target,), old=(current,),
                   changed=("on_hand",) if action == "update" else ())


def apply_stock(conn: apsw.Connection, plan: Plan, ctx: Context, progress: Progress | None = None) -> Outcome:
    """One 'import' adjustment: a movement of (new - stock at preview) per changed row, in one transaction."""
    changed = [r for r in plan.rows if r.action == "update"]
    tick = ticker(progress, len(changed))
    with transaction(conn):
        now = ctx.rules.now()
        conn.execute("INSERT INTO stock_adjustments (kind, reason, note, created_by, created_at) "
                     "VALUES ('import', 'CSV import of stock levels', ?, ?, ?)",
                     (f"{len(changed)} rows", ctx.actor.user_id if ctx.actor else None, now))
        adj_id = int(conn.last_insert_rowid())
        moves = []
        for done, row in enumerate(changed, start=1):
            assert row.target_id is not None and row.old is not None
            cost = fetch_one(conn, "SELECT cost FROM products WHERE id = ? AND deleted_at IS NULL", (row.target_id,))
            if cost is None:
                raise stale(f"product {row.key} (line {row.line})")
            moves.append(Move(row.target_id, int(row.new[0]) - int(row.old[0]), "adjustment", cost[0]))
            tick(done)
        post(conn, moves, "adjustment", adj_id, now)
        record(conn, "stock.imported", actor=ctx.actor, entity="stock_adjustment", entity_id=adj_id,
               request_id=ctx.request_id, at=ctx.rules.clock(), details={"rows": len(changed)})
    return Outcome(created=0, updated=len(changed), audited=1)

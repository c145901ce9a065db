"""Low-stock alerts, reorder suggestions by preferred supplier, near-expiry batches (docs/INVENTORY.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import apsw

from pos_grocery.db.connection import fetch_all
from pos_grocery.inventory import models as m
from pos_grocery.money import div_round
from pos_grocery.pagination import encode_cursor

# A product alerts when on hand <= its reorder level and the level is set (> 0), or whenever it is below zero.
LOW_SQL = """
SELECT p.id, p.sku, p.name_en, coalesce(s.on_hand, 0) AS q, p.reorder_level, p.supplier_id, p.cost, sp.name
FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id LEFT JOIN suppliers sp ON sp.id = p.supplier_id
WHERE p.deleted_at IS NULL AND p.active = 1 AND p.id > ?
  AND ((p.reorder_level > 0 AND coalesce(s.on_hand, 0) <= p.reorder_level) OR s.on_hand < 0)
ORDER BY p.id LIMIT ?
"""
# Batches that expire within the window, with the product's stock and what arrived after each batch.
EXPIRY_SQL = """
SELECT b.id, b.product_id, p.sku, p.name_en, b.batch, b.expiry, b.qty, coalesce(s.on_hand, 0),
       (SELECT coalesce(sum(n.qty), 0) FROM stock_batches n WHERE n.product_id = b.product_id AND n.id > b.id),
       l.grn_id
FROM stock_batches b JOIN products p ON p.id = b.product_id JOIN grn_lines l ON l.id = b.grn_line_id
LEFT JOIN stock_levels s ON s.product_id = b.product_id
WHERE b.expiry IS NOT NULL AND b.expiry <= ? AND p.deleted_at IS NULL
ORDER BY b.expiry, b.id LIMIT ?
"""


def low_stock(conn: apsw.Connection, after: int | None, limit: int) -> m.LowStockPage:
    """Products at or below their reorder level, or below zero, by id."""
    rows = fetch_all(conn, LOW_SQL, (after or 0, limit + 1))
    items = [m.LowStockItem(product_id=r[0], sku=r[1], name=r[2], on_hand=r[3] / 1000, reorder_level=r[4] / 1000,
                            negative=r[3] < 0, supplier_id=r[5]) for r in rows[:limit]]
    return m.LowStockPage(items=items, next_cursor=encode_cursor(items[-1].product_id) if len(rows) > limit else None)


def suggested(on_hand: int, reorder_level: int) -> int:
    """Order up to twice the reorder level (at least the level itself, more when stock is negative)."""
    return max(2 * reorder_level - on_hand, reorder_level, 0)


def reorder(conn: apsw.Connection, currency: str, max_products: int = 5000) -> m.ReorderSuggestions:
    """Low-stock products with a suggested quantity and cost, grouped by preferred supplier."""
    groups: dict[int | None, m.ReorderGroup] = {}
    for r in fetch_all(conn, LOW_SQL, (0, max_products)):
        qty = suggested(int(r[3]), int(r[4]))
        if qty <= 0:
            continue
        cost = None if r[6] is None else div_round(qty * int(r[6]), 1000)
        group = groups.setdefault(r[5], m.ReorderGroup(supplier_id=r[5], supplier=r[7], lines=[], estimated_cost=0))
        group.lines.append(m.ReorderLine(product_id=r[0], sku=r[1], name=r[2], on_hand=r[3] / 1000,
                                         reorder_level=r[4] / 1000, suggested_quantity=qty / 1000, unit_cost=r[6],
                                         estimated_cost=cost))
        group.estimated_cost += cost or 0
    ordered = sorted(groups.values(), key=lambda g: (g.supplier is None, (g.supplier or "").lower()))
    return m.ReorderSuggestions(groups=ordered, currency=currency)


def today(tz: str, now: float) -> date:
    """The store's calendar day."""
    return datetime.fromtimestamp(now, ZoneInfo(tz)).date()


def near_expiry(conn: apsw.Connection, tz: str, now: float, days: int, limit: int) -> m.ExpiryPage:
    """Batches expiring within `days` (expired ones included), with an estimate of what is left of each.

    Estimate (first in, first out): what is left of a batch = on hand minus what arrived in later batches,
    clamped to 0 .. the batch's quantity. Batches estimated empty are left out.
    """
    day = today(tz, now)
    rows = fetch_all(conn, EXPIRY_SQL, ((day + timedelta(days=days)).isoformat(), limit * 4))
    items = []
    for r in rows:
        left = min(max(int(r[7]) - int(r[8]), 0), int(r[6]))
        if left <= 0:
            continue
        items.append(m.ExpiryItem(batch_id=r[0], product_id=r[1], sku=r[2], name=r[3], batch=r[4], expiry=r[5],
                                  days_left=(date.fromisoformat(r[5]) - day).days, received=r[6] / 1000,
                                  estimated_remaining=left / 1000, grn_id=r[9]))
        if len(items) >= limit:
            break
    return m.ExpiryPage(items=items, days=days)

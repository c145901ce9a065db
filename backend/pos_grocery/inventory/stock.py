"""Reading stock: levels per product, a product's movements, valuation at moving-average cost."""

from __future__ import annotations

from typing import Any

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.errors import NotFound
from pos_grocery.inventory import models as m
from pos_grocery.inventory.ledger import value_of
from pos_grocery.pagination import encode_cursor

STOCK_SQL = """
SELECT p.id, p.sku, p.name_en, p.unit, coalesce(s.on_hand, 0), p.reorder_level, p.cost, s.updated_at
FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id
WHERE p.deleted_at IS NULL AND p.id > ? {filters} ORDER BY p.id LIMIT ?
"""
# Backwards over the ledger by id, stopping after `limit` rows of this product (no per-product index on
# purpose: docs/adr/0003-checkout-commit.md and docs/PERFORMANCE.md "Inventory").
MOVEMENTS_SQL = (
    "SELECT id, product_id, kind, qty, ref_type, ref_id, unit_cost, created_at FROM stock_movements "
    "WHERE product_id = ? AND id < ? ORDER BY id DESC LIMIT ?"
)
VALUATION_SQL = """
SELECT p.category_id, c.name, count(*), sum(p.cost IS NULL), sum(s.on_hand < 0),
       sum(CASE WHEN p.cost IS NOT NULL AND s.on_hand > 0 THEN (s.on_hand * p.cost + 500) / 1000 ELSE 0 END)
FROM stock_levels s JOIN products p ON p.id = s.product_id LEFT JOIN categories c ON c.id = p.category_id
WHERE s.on_hand <> 0 GROUP BY p.category_id ORDER BY p.category_id
"""
FORMULA = "sum over products of round_half_up(max(onHand, 0) x unitCost / 1000), unitCost = moving-average cost"


def _item(r: Any) -> m.StockItem:
    qty, level, cost = int(r[4]), int(r[5]), r[6]
    return m.StockItem(
        product_id=r[0], sku=r[1], name=r[2], unit=r[3], on_hand=qty / 1000, reorder_level=level / 1000,
        unit_cost=cost, value=value_of(qty, cost), low=(level > 0 and qty <= level) or qty < 0, negative=qty < 0,
        updated_at=r[7],
    )


def list_stock(conn: apsw.Connection, filters: dict[str, Any], after: int | None, limit: int,
               currency: str) -> m.StockPage:
    """Live products with their stock, by id; filters categoryId, supplierId, low (at/below reorder level)."""
    where, params = "", []
    if filters.get("category_id") is not None:
        where += " AND p.category_id = ?"
        params.append(filters["category_id"])
    if filters.get("supplier_id") is not None:
        where += " AND p.supplier_id = ?"
        params.append(filters["supplier_id"])
    if filters.get("low"):
        where += " AND ((p.reorder_level > 0 AND coalesce(s.on_hand, 0) <= p.reorder_level) OR s.on_hand < 0)"
    rows = fetch_all(conn, STOCK_SQL.format(filters=where), (after or 0, *params, limit + 1))
    items = [_item(r) for r in rows[:limit]]
    more = len(rows) > limit
    return m.StockPage(items=items, next_cursor=encode_cursor(items[-1].product_id) if more else None,
                       currency=currency)


def get_stock(conn: apsw.Connection, product_id: int) -> m.StockItem:
    """One product's stock, or 404 PRODUCT_NOT_FOUND."""
    rows = fetch_all(conn, STOCK_SQL.format(filters="AND p.id = ?"), (0, product_id, 1))
    if not rows:
        raise NotFound(f"There is no product with id {product_id}.", "PRODUCT_NOT_FOUND")
    return _item(rows[0])


def product_exists(conn: apsw.Connection, product_id: int) -> bool:
    """True for a product row (archived ones too: their history stays readable)."""
    return fetch_one(conn, "SELECT 1 FROM products WHERE id = ?", (product_id,)) is not None


def movements(conn: apsw.Connection, product_id: int, before: int | None, limit: int) -> m.MovementPage:
    """A product's movements newest first (run on a worker thread: it may read much of the ledger)."""
    if not product_exists(conn, product_id):
        raise NotFound(f"There is no product with id {product_id}.", "PRODUCT_NOT_FOUND")
    rows = fetch_all(conn, MOVEMENTS_SQL, (product_id, before if before is not None else 2**62, limit + 1))
    items = [
        m.Movement(id=r[0], product_id=r[1], kind=r[2], quantity=r[3] / 1000, ref_type=r[4], ref_id=r[5],
                   unit_cost=r[6], created_at=r[7])
        for r in rows[:limit]
    ]
    row = fetch_one(conn, "SELECT on_hand FROM stock_levels WHERE product_id = ?", (product_id,))
    return m.MovementPage(
        product_id=product_id, on_hand=(int(row[0]) if row else 0) / 1000, items=items,
        next_cursor=encode_cursor(items[-1].id) if len(rows) > limit and items else None,
    )


def valuation(conn: apsw.Connection, currency: str) -> m.Valuation:
    """Stock value at moving-average cost, in total and by category (worker thread: reads every level)."""
    groups, total, products, no_cost, negative = [], 0, 0, 0, 0
    for r in fetch_all(conn, VALUATION_SQL):
        value = int(r[5] or 0)
        groups.append(m.ValuationGroup(category_id=r[0], category=r[1], products=int(r[2]), value=value))
        total += value
        products += int(r[2])
        no_cost += int(r[3] or 0)
        negative += int(r[4] or 0)
    return m.Valuation(value=total, products=products, products_without_cost=no_cost, negative_products=negative,
                       by_category=groups, currency=currency, formula=FORMULA)

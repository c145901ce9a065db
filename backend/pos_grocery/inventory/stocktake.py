"""Stocktake sessions: counts from any number of counters, variance against the ledger as it was when the count
started, finalised once by a manager, which writes one 'stocktake' movement per product with a variance.

Expected quantity at the start = stock on hand now minus the product's movements after `start_movement_id`
(the sales, receipts and adjustments during the count). Those movements are read by id range from the end of
the ledger, so the cost grows with the activity during the count, not with the size of the ledger.
Products in scope that nobody counted are left as they are (docs/INVENTORY.md).
"""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery import idempotency
from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import P
from pos_grocery.barcodes import BarcodeError
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all, fetch_one, fetch_value
from pos_grocery.errors import Conflict, Forbidden, NotFound, ValidationFailed
from pos_grocery.inventory import doc_models as m
from pos_grocery.inventory.adjust import approval
from pos_grocery.inventory.ledger import Move, post, qty_of, signed_value
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime

SCOPE = "stocktakes.finalise"
HEAD_SQL = (
    "SELECT t.id, t.scope, t.category_id, t.status, t.start_movement_id, t.note, t.created_by, t.created_at, "
    "t.closed_at, t.closed_by, t.approved_by, "
    "(SELECT count(DISTINCT c.product_id) FROM stocktake_counts c WHERE c.stocktake_id = t.id), "
    "(SELECT count(*) FROM stocktake_counts c WHERE c.stocktake_id = t.id), "
    "(SELECT count(*) FROM stocktake_exceptions e WHERE e.stocktake_id = t.id) FROM stocktakes t"
)
COUNTED_SQL = (
    "SELECT c.product_id, sum(c.qty), p.sku, p.name_en, p.cost, coalesce(s.on_hand, 0) FROM stocktake_counts c "
    "JOIN products p ON p.id = c.product_id LEFT JOIN stock_levels s ON s.product_id = c.product_id "
    "WHERE c.stocktake_id = ? AND c.product_id > ? GROUP BY c.product_id ORDER BY c.product_id LIMIT ?"
)


def _out(r: Any) -> m.StocktakeOut:
    return m.StocktakeOut(id=r[0], scope=r[1], category_id=r[2], status=r[3], start_movement_id=r[4], note=r[5],
                          created_by=r[6], created_at=r[7], closed_at=r[8], closed_by=r[9], approved_by=r[10],
                          counted_products=r[11], count_entries=r[12], exceptions=r[13])


def get(conn: apsw.Connection, stocktake_id: int) -> m.StocktakeOut:
    """A stocktake with its counts so far, or 404 STOCKTAKE_NOT_FOUND."""
    row = fetch_one(conn, HEAD_SQL + " WHERE t.id = ?", (stocktake_id,))
    if row is None:
        raise NotFound(f"There is no stocktake with id {stocktake_id}.", "STOCKTAKE_NOT_FOUND")
    return _out(row)


def list_stocktakes(conn: apsw.Connection, status: str | None, before: int | None, limit: int) -> m.StocktakePage:
    """Stocktakes newest first."""
    where = "t.id < ?"
    params: list[object] = [before if before is not None else 2**62]
    if status is not None:
        where += " AND t.status = ?"
        params.append(status)
    rows = fetch_all(conn, f"{HEAD_SQL} WHERE {where} ORDER BY t.id DESC LIMIT ?", (*params, limit + 1))
    items = [_out(r) for r in rows[:limit]]
    return m.StocktakePage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def start(rt: Runtime, caller: Identity, data: m.StocktakeCreate, request_id: str | None) -> m.StocktakeOut:
    """Open a session; the ledger's last movement id marks 'the moment the count started'."""
    if (data.scope == "category") != (data.category_id is not None):
        raise ValidationFailed("categoryId is required for scope 'category' and not allowed for 'full'.",
                               "INVALID_SCOPE", field="categoryId")
    if data.category_id is not None:
        cat = fetch_one(rt.db.reader, "SELECT deleted_at FROM categories WHERE id = ?", (data.category_id,))
        if cat is None or cat[0] is not None:
            raise NotFound(f"There is no category with id {data.category_id}.", "CATEGORY_NOT_FOUND",
                           field="categoryId")
    now = rt.clock()
    with rt.db.write() as conn:
        mark = int(fetch_value(conn, "SELECT coalesce(max(id), 0) FROM stock_movements"))
        conn.execute("INSERT INTO stocktakes (scope, category_id, start_movement_id, note, created_by, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (data.scope, data.category_id, mark, data.note, caller.user_id, iso_utc(now)))
        st_id = int(conn.last_insert_rowid())
        record(conn, "stocktake.started", actor=caller.actor, entity="stocktake", entity_id=st_id,
               request_id=request_id, at=now, details={"scope": data.scope, "categoryId": data.category_id})
    return get(rt.db.reader, st_id)


def _open_or_409(conn: apsw.Connection, stocktake_id: int) -> m.StocktakeOut:
    st = get(conn, stocktake_id)
    if st.status != "open":
        raise Conflict(f"Stocktake {stocktake_id} is {st.status}; it takes no more counts or changes.",
                       "STOCKTAKE_CLOSED")
    return st


def _product_of_code(rt: Runtime, code: str) -> tuple[int, int | None] | None:
    """(product id, embedded weight in grams) for a scanned or typed code (the catalog's barcode rules), or None.

    A code that is not a valid barcode is tried as a SKU (counters may type SKUs from shelf labels)."""
    from pos_grocery.barcodes import classify
    from pos_grocery.catalog import queries as cq
    from pos_grocery.catalog.rules import Rules
    from pos_grocery.catalog.service import scan_codes

    rules = Rules.of(rt.settings, rt.clock)
    try:
        scanned = classify(code, rules.barcodes)
    except BarcodeError:
        scanned = None
    row = cq.by_code(rt.db.reader, scan_codes(scanned)) if scanned is not None else None
    if row is not None and row[0] is not None:
        return int(row[0]), scanned.weight_g if scanned is not None else None
    found = fetch_one(rt.db.reader, "SELECT id FROM products WHERE sku = ? AND deleted_at IS NULL", (code.strip(),))
    return None if found is None else (int(found[0]), None)


def count(rt: Runtime, caller: Identity, stocktake_id: int, data: m.CountIn,
          request_id: str | None) -> m.CountOut:
    """Add a count; an unknown code (or a product outside the category) goes on the exception list: 404/409."""
    if (data.barcode is None) == (data.product_id is None):
        raise ValidationFailed("Send exactly one of barcode or productId.", "COUNT_TARGET", field="barcode")
    # A typed count may be negative to correct a mistake (the product's total never goes below 0); scans add.
    typed = data.product_id is not None
    qty = 1000 if data.quantity is None else qty_of(data.quantity, "quantity", signed=typed)
    st = _open_or_409(rt.db.reader, stocktake_id)
    product_id = data.product_id
    if data.barcode is not None:
        found = _product_of_code(rt, data.barcode)
        if found is None:
            ex = _exception(rt, caller, stocktake_id, data.barcode, None, "unknown_code", qty)
            raise NotFound(f"No product has the code {data.barcode!r}; the count is kept on the stocktake's "
                           f"exception list as #{ex}.", "UNKNOWN_BARCODE", field="barcode")
        product_id, grams = found
        if grams is not None and data.quantity is None:
            qty = grams  # a scale label's embedded weight is the count (grams = thousandths of a kg)
    assert product_id is not None
    prod = fetch_one(rt.db.reader, "SELECT name_en, category_id, deleted_at FROM products WHERE id = ?", (product_id,))
    if prod is None or prod[2] is not None:
        raise NotFound(f"There is no product with id {product_id}.", "PRODUCT_NOT_FOUND", field="productId")
    if st.category_id is not None and prod[1] != st.category_id:
        ex = _exception(rt, caller, stocktake_id, data.barcode or str(product_id), product_id, "out_of_scope", qty)
        raise Conflict(f"Product {product_id} is not in this stocktake's category; the count is kept on the "
                       f"exception list as #{ex}.", "OUT_OF_SCOPE")
    now = rt.clock()
    with rt.db.write() as conn:
        _open_or_409(conn, stocktake_id)  # under the write lock: a finalise may have won the race
        conn.execute("INSERT INTO stocktake_counts (stocktake_id, product_id, qty, code, counted_by, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (stocktake_id, product_id, qty, data.barcode, caller.user_id, iso_utc(now)))
        count_id = int(conn.last_insert_rowid())
        total = int(fetch_value(conn, "SELECT sum(qty) FROM stocktake_counts WHERE stocktake_id = ? AND product_id = ?",
                                (stocktake_id, product_id)))
        if total < 0:  # raising rolls the insert back
            raise ValidationFailed(f"The correction would take product {product_id}'s count below zero "
                                   f"({total / 1000:g}).", "COUNT_BELOW_ZERO", field="quantity")
    return m.CountOut(id=count_id, stocktake_id=stocktake_id, product_id=product_id, name=prod[0],
                      quantity=qty / 1000, total_counted=total / 1000)


def _exception(rt: Runtime, caller: Identity, stocktake_id: int, code: str, product_id: int | None, reason: str,
               qty: int) -> int:
    with rt.db.write() as conn:
        _open_or_409(conn, stocktake_id)
        conn.execute("INSERT INTO stocktake_exceptions (stocktake_id, code, product_id, reason, qty, counted_by, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (stocktake_id, code.strip(), product_id, reason, qty, caller.user_id, iso_utc(rt.clock())))
        return int(conn.last_insert_rowid())


def exceptions(conn: apsw.Connection, stocktake_id: int, after: int | None, limit: int) -> m.ExceptionPage:
    """The stocktake's exception list, oldest first."""
    get(conn, stocktake_id)
    rows = fetch_all(conn, "SELECT id, code, product_id, reason, qty, counted_by, created_at FROM stocktake_exceptions "
                           "WHERE stocktake_id = ? AND id > ? ORDER BY id LIMIT ?",
                     (stocktake_id, after or 0, limit + 1))
    items = [m.ExceptionOut(id=r[0], code=r[1], product_id=r[2], reason=r[3], quantity=r[4] / 1000, counted_by=r[5],
                            created_at=r[6]) for r in rows[:limit]]
    return m.ExceptionPage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def since_start(conn: apsw.Connection, mark: int) -> dict[int, int]:
    """Per product, the sum of the movements written after the stocktake started."""
    rows = fetch_all(conn, "SELECT product_id, sum(qty) FROM stock_movements WHERE id > ? GROUP BY product_id",
                     (mark,))
    return {int(r[0]): int(r[1]) for r in rows}


def _variances(conn: apsw.Connection, st: m.StocktakeOut, after: int, limit: int) -> list[m.VarianceOut]:
    moved = since_start(conn, st.start_movement_id)
    found = []
    for r in fetch_all(conn, COUNTED_SQL, (st.id, after, limit)):
        counted, expected = int(r[1]), int(r[5]) - moved.get(int(r[0]), 0)
        variance = counted - expected
        found.append(m.VarianceOut(product_id=r[0], sku=r[2], name=r[3], expected=expected / 1000,
                                   counted=counted / 1000, variance=variance / 1000, unit_cost=r[4],
                                   variance_value=signed_value(variance, r[4])))
    return found


def variances(conn: apsw.Connection, stocktake_id: int, after: int | None, limit: int) -> m.VariancePage:
    """Counted products with expected (ledger at the start), counted and variance; finalised ones as written."""
    st = get(conn, stocktake_id)
    if st.status == "finalised":
        rows = fetch_all(conn, "SELECT r.product_id, p.sku, p.name_en, r.expected, r.counted, r.variance, r.unit_cost "
                               "FROM stocktake_results r JOIN products p ON p.id = r.product_id "
                               "WHERE r.stocktake_id = ? AND r.product_id > ? ORDER BY r.product_id LIMIT ?",
                         (stocktake_id, after or 0, limit + 1))
        items = [m.VarianceOut(product_id=r[0], sku=r[1], name=r[2], expected=r[3] / 1000, counted=r[4] / 1000,
                               variance=r[5] / 1000, unit_cost=r[6], variance_value=signed_value(r[5], r[6]))
                 for r in rows]
    else:
        items = _variances(conn, st, after or 0, limit + 1)
    page = items[:limit]
    return m.VariancePage(items=page, next_cursor=encode_cursor(page[-1].product_id) if len(items) > limit else None)


async def finalise(rt: Runtime, caller: Identity, stocktake_id: int, data: m.FinaliseIn, key: str,
                   request_id: str | None) -> tuple[m.FinaliseOut, int]:
    """Write the variance movements once (409 STOCKTAKE_CLOSED the second time); PIN above the loss threshold."""
    digest = idempotency.body_hash(SCOPE, {"stocktakeId": stocktake_id})  # the PIN stays out of the hash
    found = idempotency.find(rt.db.reader, SCOPE, key, digest)
    if found is not None:
        return msgspec.json.decode(found.body, type=m.FinaliseOut), found.status
    st = _open_or_409(rt.db.reader, stocktake_id)
    rows = _variances(rt.db.reader, st, 0, 2**31)
    loss = sum(-(v.variance_value or 0) for v in rows if (v.variance_value or 0) < 0)
    approver = await approval(rt, caller, loss, data.manager_pin, P.STOCKTAKE_MANAGE, "stocktake.finalise",
                              "stocktake", request_id)
    now = rt.clock()
    with rt.db.write() as conn:
        again = idempotency.find(conn, SCOPE, key, digest)
        if again is not None:
            return msgspec.json.decode(again.body, type=m.FinaliseOut), again.status
        st = _open_or_409(conn, stocktake_id)
        final = _variances(conn, st, 0, 2**31)  # recomputed under the lock: counts may have arrived since
        lost = sum(-(v.variance_value or 0) for v in final if (v.variance_value or 0) < 0)
        if approver is None and lost > rt.settings.stock_adjust_approval_threshold:
            raise Forbidden("Counts arrived meanwhile and the loss now needs a manager's approval: send managerPin.",
                            "MANAGER_APPROVAL_REQUIRED")
        moves = [Move(v.product_id, round(v.variance * 1000), "stocktake", v.unit_cost) for v in final if v.variance]
        post(conn, moves, "stocktake", stocktake_id, iso_utc(now))
        conn.executemany("INSERT INTO stocktake_results (stocktake_id, product_id, expected, counted, variance, "
                         "unit_cost) VALUES (?, ?, ?, ?, ?, ?)",
                         [(stocktake_id, v.product_id, round(v.expected * 1000), round(v.counted * 1000),
                           round(v.variance * 1000), v.unit_cost) for v in final])
        conn.execute("UPDATE stocktakes SET status = 'finalised', closed_at = ?, closed_by = ?, approved_by = ? "
                     "WHERE id = ?", (iso_utc(now), caller.user_id, approver.user_id if approver else None,
                                      stocktake_id))
        gain = sum(v.variance_value or 0 for v in final if (v.variance_value or 0) > 0)
        record(conn, "stocktake.finalised", actor=caller.actor, approver=approver.actor if approver else None,
               entity="stocktake", entity_id=stocktake_id, request_id=request_id, at=now,
               details={"adjusted": len(moves), "gainValue": gain, "lossValue": lost})
        out = m.FinaliseOut(stocktake=get(conn, stocktake_id), adjusted_products=len(moves), gain_value=gain,
                            loss_value=lost)
        saved = idempotency.Saved(SCOPE, key, digest, 200, msgspec.json.encode(out), "stocktake", stocktake_id)
        idempotency.save(conn, saved, now, rt.settings.idempotency_retention_hours)
    return out, 200


def cancel(rt: Runtime, caller: Identity, stocktake_id: int, data: m.CancelIn, request_id: str | None
           ) -> m.StocktakeOut:
    """Close a session without writing anything to the ledger."""
    now = rt.clock()
    with rt.db.write() as conn:
        _open_or_409(conn, stocktake_id)
        conn.execute("UPDATE stocktakes SET status = 'cancelled', closed_at = ?, closed_by = ? WHERE id = ?",
                     (iso_utc(now), caller.user_id, stocktake_id))
        record(conn, "stocktake.cancelled", actor=caller.actor, entity="stocktake", entity_id=stocktake_id,
               request_id=request_id, at=now, details={"reason": data.reason.strip()})
    return get(rt.db.reader, stocktake_id)

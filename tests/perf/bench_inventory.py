"""Inventory benchmark (`make bench-inventory`; not part of `make test`), raw APSW, no HTTP:

 1. index: the stock part of a 20-line sale (20 movements + 20 stock_levels upserts, one transaction,
    DB_SYNCHRONOUS=FULL) on a ledger of MOVES rows over PRODUCTS products, without and with a
    (product_id, id) index on stock_movements: median commit time and median WAL growth in pages;
 2. integrity: the `stock_ledger` check (weighted checksums; the exact per-product comparison runs only on a
    mismatch) next to the exact comparison and PRAGMA integrity_check on 1M products and 3M movements;
 3. movements: one product's page read backwards over the whole ledger (a product that rarely moves).
Medians of a few runs, wall and CPU seconds; files are cached under /tmp (--fresh rebuilds).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backend"))
from pos_grocery.db.connection import connect, fetch_value  # noqa: E402
from pos_grocery.db.migrate import migrate  # noqa: E402
from pos_grocery.inventory.ledger import MISMATCH_SQL, ledger_check  # noqa: E402
from pos_grocery.inventory.stock import movements  # noqa: E402

WAL_FRAME = 4096 + 24
MOVE = ("INSERT INTO stock_movements (product_id, qty, kind, ref_type, ref_id, unit_cost, created_at) "
        "VALUES (?, -1000, 'sale', 'sale', ?, 6000, 'x')")
LEVEL = ("INSERT INTO stock_levels (product_id, on_hand, updated_at) VALUES (?, -1000, 'x') ON CONFLICT (product_id) "
         "DO UPDATE SET on_hand = on_hand + excluded.on_hand, updated_at = excluded.updated_at")


def build(path: str, products: int, moves: int, fresh: bool) -> str:
    """A migrated file with products, random sale movements and matching stock levels (cached)."""
    if os.path.exists(path) and not fresh:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    c = connect(path, "OFF")
    migrate(c)
    with c:
        c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                  "INSERT INTO products (id, sku, name_en, unit, price_retail, cost, created_at, updated_at) "
                  "SELECT i, 'SKU' || i, 'Product number ' || i, 'pc', 10000, 6000, 'x', 'x' FROM n", (products,))
        c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                  "INSERT INTO stock_movements (product_id, qty, kind, ref_type, ref_id, unit_cost, created_at) "
                  "SELECT 1 + abs(random()) % ?, -1000, 'sale', 'sale', i / 20, 6000, 'x' FROM n", (moves, products))
        c.execute("INSERT INTO stock_levels SELECT product_id, sum(qty), 'x' FROM stock_movements GROUP BY product_id")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    return path


def sale_stock_cost(path: str, sales: int, index: bool) -> tuple[float, float]:
    """(median commit ms, median WAL pages) of the stock writes of 20-line sales."""
    c = connect(path, "FULL")
    if index:
        c.execute("CREATE INDEX IF NOT EXISTS stock_movements_product ON stock_movements (product_id, id)")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    top = int(fetch_value(c, "SELECT max(id) FROM products"))
    rng = random.Random(1)
    times, pages = [], []
    for k in range(sales):
        ids = rng.sample(range(1, top + 1), 20)
        before = os.path.getsize(path + "-wal")
        began = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        c.executemany(MOVE, [(p, k) for p in ids])
        c.executemany(LEVEL, [(p,) for p in ids])
        c.execute("COMMIT")
        times.append(time.perf_counter() - began)
        grown = os.path.getsize(path + "-wal") - before
        if grown > 0:
            pages.append(grown / WAL_FRAME)
    c.close()
    return statistics.median(times) * 1000, statistics.median(pages) if pages else 0.0


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median (wall s, CPU s) of runs calls."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Run the three parts and print their figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sales", type=int, default=1500)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()
    for label, index in (("no index", False), ("(product_id, id) index", True)):
        path = build(f"/tmp/pos-bench-inv-sale-{int(index)}.db", 100_000, 2_000_000, True)
        ms, pages = sale_stock_cost(path, args.sales, index)
        print(f"sale stock writes, 100k products, 2M movements, {label}: commit {ms:.3f} ms, WAL {pages:.0f} pages")
    path = build("/tmp/pos-bench-inv-1m.db", 1_000_000, 3_000_000, args.fresh)
    conn = connect(path, "FULL")
    for name, fn, runs in (("stock_ledger check", lambda: ledger_check(conn), 3),
                           ("exact per-product comparison", lambda: conn.execute(MISMATCH_SQL).fetchall(), 1),
                           ("PRAGMA integrity_check", lambda: conn.execute("PRAGMA integrity_check").fetchall(), 1),
                           ("movements page, rare product", lambda: movements(conn, 12345, None, 50), 3)):
        wall, cpu = timed(fn, runs)
        print(f"1M products, 3M movements: {name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    conn.close()


if __name__ == "__main__":
    main()

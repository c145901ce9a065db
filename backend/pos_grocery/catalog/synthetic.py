"""Synthetic catalogs for benchmarks: N products with valid, unique EAN-13s, inserted in bulk.

Bypasses the per-product service (and the audit journal): this is test data, never a store's catalog.
Rows go in with executemany in transactions of CHUNK rows; the FTS triggers index the names as they go
(measured: 1M products in about a minute on the 2-core benchmark machine, docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import apsw

from pos_grocery.barcodes import make_ean13
from pos_grocery.catalog import queries as q
from pos_grocery.catalog import vocabulary as v
from pos_grocery.db.connection import fetch_all, fetch_value, transaction

CHUNK = 50_000
SKU_PREFIX = "SYN-"
# EAN-13 data digits: GS1 Sri Lanka 479, then 9 for synthetic items (demo items use 4791), then 8 digits.
CODE_PREFIX = "4799"
MAX_SYNTHETIC = 10**8
INSERT = q.INSERT.replace("INSERT INTO products (", "INSERT INTO products (id, ").replace("VALUES (", "VALUES (?, ")


def synthetic_code(index: int) -> str:
    """The EAN-13 of synthetic product number `index` (0-based)."""
    return make_ean13(f"{CODE_PREFIX}{index:08d}")


def synthetic_names(index: int) -> tuple[str, str, str, str]:
    """(en, si, ta, size) of synthetic product `index`: brand, variant, kind, size."""
    kind = v.KINDS[index % len(v.KINDS)]
    brand = v.BRANDS[(index // len(v.KINDS)) % len(v.BRANDS)]
    variant = v.VARIANTS[(index // 7) % len(v.VARIANTS)]
    size = kind.sizes[(index // 3) % len(kind.sizes)]
    head = f"{brand} {variant}".strip()
    return f"{head} {kind.en} {size}", f"{head} {kind.si} {size}", f"{head} {kind.ta} {size}", size


def _rows(start: int, stop: int, first_id: int, refs: tuple[list[int], list[int]],
          now: str) -> Iterator[tuple[Any, ...]]:
    categories, taxes = refs
    for offset, index in enumerate(range(start, stop)):
        en, si, ta, _size = synthetic_names(index)
        retail = (50 + (index * 7919) % 4950) * 100
        category = categories[index % len(categories)] if categories else None
        tax = taxes[index % len(taxes)] if taxes else None
        wholesale = retail * 95 // 100 if index % 3 == 0 else None
        yield (first_id + offset, f"{SKU_PREFIX}{index:08d}", en, si, ta, "pc", category, tax, None, retail,
               wholesale, None, None, retail * 4 // 5, 0, 0, None, 1, now, now)


def _codes(start: int, stop: int, first_id: int, now: str) -> Iterator[tuple[str, int, str, str]]:
    for offset, index in enumerate(range(start, stop)):
        yield (synthetic_code(index), first_id + offset, "ean13", now)


def next_index(conn: apsw.Connection) -> int:
    """The number of the next synthetic product (a second run continues where the first stopped)."""
    last = fetch_value(conn, "SELECT max(sku) FROM products WHERE sku >= ? AND sku < ?", (SKU_PREFIX, "SYN."))
    return 0 if last is None else int(str(last)[len(SKU_PREFIX):]) + 1


def seed_synthetic(conn: apsw.Connection, count: int, now: str,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Insert `count` synthetic products with one EAN-13 each; returns how many were inserted."""
    start = next_index(conn)
    if start + count > MAX_SYNTHETIC:
        raise ValueError(f"at most {MAX_SYNTHETIC:,} synthetic products fit the code range")
    refs = ([int(r[0]) for r in fetch_all(conn, "SELECT id FROM categories WHERE deleted_at IS NULL")],
            [int(r[0]) for r in fetch_all(conn, "SELECT id FROM tax_classes WHERE deleted_at IS NULL")])
    done = 0
    while done < count:
        lo, hi = start + done, start + min(count, done + CHUNK)
        with transaction(conn):
            first_id = int(fetch_value(conn, "SELECT coalesce(max(id), 0) + 1 FROM products"))
            conn.executemany(INSERT, _rows(lo, hi, first_id, refs, now))
            conn.executemany(q.INSERT_CODE, _codes(lo, hi, first_id, now))
        done += hi - lo
        if progress is not None:
            progress(done, count)
    return done

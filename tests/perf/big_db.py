"""Build (once, cached) a migrated database of a given size filled with stand-in sales, for the benchmarks."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import apsw

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from pos_grocery.db.connection import connect  # noqa: E402
from pos_grocery.db.migrate import migrate, status  # noqa: E402
from tests.db.backup_support import SCHEMA  # noqa: E402

CHUNK = 50_000
FILL = """
WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last)
INSERT INTO t_sales (id, created_at, total) SELECT i, :now - (:last - i), 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last),
     l(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM l WHERE k < 4)
INSERT INTO t_sale_lines SELECT i, k, 1 + (i * 7 + k) % 5000, 1 + (i + k) % 3, 100 + (i * 13 + k * 29) % 900,
    hex(randomblob(40)) FROM n, l;
INSERT INTO t_stock_moves SELECT sale_id, product, -qty FROM t_sale_lines WHERE sale_id BETWEEN :first AND :last;
UPDATE t_sales SET total = (SELECT sum(qty * price) FROM t_sale_lines WHERE sale_id = t_sales.id)
    WHERE id BETWEEN :first AND :last;
INSERT INTO t_tenders SELECT id, 'card', total FROM t_sales WHERE id BETWEEN :first AND :last;
"""


def _current(path: str) -> bool:
    """The cached file's migrations still match the code (a changed migration means rebuild)."""
    conn = apsw.Connection(path)
    try:
        return status(conn).current
    finally:
        conn.close()


def build(path: str, size_mb: int) -> str:
    """Create `path` with at least `size_mb` MiB of data unless it is already there."""
    if os.path.exists(path) and os.path.getsize(path) >= size_mb * (1 << 20) * 0.95 and _current(path):
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    began = time.monotonic()
    conn = connect(path, "OFF")
    migrate(conn)
    conn.execute(SCHEMA)
    first = 1
    while os.path.getsize(path) + os.path.getsize(path + "-wal") < size_mb * (1 << 20):
        with conn:
            conn.execute(FILL, {"first": first, "last": first + CHUNK - 1, "now": time.time()})
        conn.wal_checkpoint(mode=apsw.SQLITE_CHECKPOINT_TRUNCATE)
        first += CHUNK
    conn.close()
    print(f"built {path}: {os.path.getsize(path) / (1 << 20):.0f} MiB, {first - 1} sales "
          f"in {time.monotonic() - began:.0f} s", flush=True)
    return path


if __name__ == "__main__":
    build(sys.argv[1], int(sys.argv[2]))

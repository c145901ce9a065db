"""Test-only "sales" for backup and archive tests: checkout does not exist yet, so these tables stand in.

Each sale is one transaction through the real `Database.write()` path: a header, 1–5 lines, one or two
tenders and one stock movement per line, with totals that must add up. `check_sales` proves a restored
sale is whole (no half transactions, no altered amounts).
"""

from __future__ import annotations

from pathlib import Path

import apsw

from pos_grocery.db.connection import Database, fetch_all
from pos_grocery.settings import Settings
from tests.conftest import make_settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS t_sales (id INTEGER PRIMARY KEY, created_at REAL NOT NULL, total INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS t_sale_lines (sale_id INTEGER NOT NULL REFERENCES t_sales(id), line INTEGER NOT NULL,
    product INTEGER NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL, note TEXT, PRIMARY KEY (sale_id, line));
CREATE TABLE IF NOT EXISTS t_tenders (sale_id INTEGER NOT NULL REFERENCES t_sales(id), method TEXT NOT NULL,
    amount INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS t_stock_moves (sale_id INTEGER NOT NULL REFERENCES t_sales(id), product INTEGER NOT NULL,
    delta INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS t_tenders_sale ON t_tenders(sale_id);
CREATE INDEX IF NOT EXISTS t_moves_sale ON t_stock_moves(sale_id);
"""


def settings_for(tmp_path: Path, **overrides: str) -> Settings:
    """Settings with backup, log and archive places under tmp_path."""
    (tmp_path / "backups").mkdir(exist_ok=True)
    env = {"BACKUP_DIR": str(tmp_path / "backups"), "BACKUP_LOG": str(tmp_path / "logs" / "backup.log"), **overrides}
    return make_settings(tmp_path, **env)


def create_schema(db: Database) -> None:
    """The stand-in sales tables."""
    with db.write() as conn:
        conn.execute(SCHEMA)


def sale_lines(n: int) -> list[tuple[int, int, int]]:
    """Deterministic (product, qty, price) lines of sale n."""
    return [(1 + (n * 7 + i) % 50, 1 + (n + i) % 3, 100 + (n * 13 + i * 29) % 900) for i in range(1 + n % 5)]


def write_sale(conn: apsw.Connection, n: int, created_at: float, note_bytes: int = 40) -> None:
    """One sale (inside the caller's transaction)."""
    lines = sale_lines(n)
    total = sum(q * p for _, q, p in lines)
    conn.execute("INSERT INTO t_sales (id, created_at, total) VALUES (?, ?, ?)", (n, created_at, total))
    for i, (product, qty, price) in enumerate(lines):
        conn.execute("INSERT INTO t_sale_lines VALUES (?, ?, ?, ?, ?, ?)",
                     (n, i, product, qty, price, "x" * note_bytes))
        conn.execute("INSERT INTO t_stock_moves VALUES (?, ?, ?)", (n, product, -qty))
    cash = total // 3 if n % 2 else 0
    if cash:
        conn.execute("INSERT INTO t_tenders VALUES (?, 'cash', ?)", (n, cash))
    conn.execute("INSERT INTO t_tenders VALUES (?, 'card', ?)", (n, total - cash))


def check_sales(conn: apsw.Connection) -> set[int]:
    """Ids of the sales present; asserts each one is whole and its amounts add up."""
    ids = {int(r[0]) for r in fetch_all(conn, "SELECT id FROM t_sales")}
    for sale_id, total in fetch_all(conn, "SELECT id, total FROM t_sales"):
        expected = sale_lines(int(sale_id))
        lines = fetch_all(conn, "SELECT product, qty, price FROM t_sale_lines WHERE sale_id = ? ORDER BY line",
                          (sale_id,))
        assert [tuple(r) for r in lines] == expected, f"sale {sale_id}: lines differ"
        assert total == sum(q * p for _, q, p in expected), f"sale {sale_id}: total differs"
        tendered = fetch_all(conn, "SELECT sum(amount) FROM t_tenders WHERE sale_id = ?", (sale_id,))[0][0]
        assert tendered == total, f"sale {sale_id}: tenders {tendered} != total {total}"
        moves = fetch_all(conn, "SELECT product, -delta FROM t_stock_moves WHERE sale_id = ? ORDER BY rowid",
                          (sale_id,))
        assert [tuple(r) for r in moves] == [(p, q) for p, q, _ in expected], f"sale {sale_id}: stock differs"
    orphans = fetch_all(conn, "SELECT count(*) FROM t_sale_lines WHERE sale_id NOT IN (SELECT id FROM t_sales)")
    assert orphans[0][0] == 0, "lines without their sale: a transaction was split"
    return ids

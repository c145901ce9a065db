"""Supplier SQL and rows to wire shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.suppliers.models import Supplier

FIELDS = ("name", "phone", "email", "address", "tax_id", "notes", "active")
SELECT = (
    "SELECT s.id, s.name, s.phone, s.email, s.address, s.tax_id, s.notes, s.active, "
    "(SELECT count(*) FROM products p WHERE p.supplier_id = s.id AND p.deleted_at IS NULL), "
    "s.created_at, s.updated_at FROM suppliers s"
)


def to_wire(row: Sequence[Any]) -> Supplier:
    """A selected row as a Supplier."""
    return Supplier(id=row[0], name=row[1], phone=row[2], email=row[3], address=row[4], tax_id=row[5],
                    notes=row[6], active=bool(row[7]), product_count=row[8], created_at=row[9], updated_at=row[10])


def by_id(conn: apsw.Connection, supplier_id: int) -> Supplier | None:
    """A live supplier."""
    row = fetch_one(conn, f"{SELECT} WHERE s.id = ? AND s.deleted_at IS NULL", (supplier_id,))
    return None if row is None else to_wire(row)


def id_by_name(conn: apsw.Connection, name: str) -> int | None:
    """The live supplier with this name (ignoring case)."""
    row = fetch_one(conn, "SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL", (name,))
    return None if row is None else int(row[0])


def page(conn: apsw.Connection, text: str | None, active: bool | None, after: int | None,
         limit: int) -> list[Supplier]:
    """Live suppliers by id, optionally whose name starts with `text`; one extra row tells if more follow."""
    where: list[str] = ["s.deleted_at IS NULL", "s.id > ?"]
    params: list[Any] = [after or 0]
    if text:
        where.append("s.name LIKE ? ESCAPE '\\'")
        params.append(text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if active is not None:
        where.append("s.active = ?")
        params.append(int(active))
    sql = f"{SELECT} WHERE {' AND '.join(where)} ORDER BY s.id LIMIT ?"
    return [to_wire(r) for r in fetch_all(conn, sql, (*params, limit + 1))]


def insert(conn: apsw.Connection, values: dict[str, Any], now: str) -> int:
    """Insert a supplier; returns its id."""
    conn.execute(f"INSERT INTO suppliers ({', '.join(FIELDS)}, created_at, updated_at) "
                 f"VALUES ({', '.join('?' * len(FIELDS))}, ?, ?)", (*(values[f] for f in FIELDS), now, now))
    return int(conn.last_insert_rowid())


def update(conn: apsw.Connection, supplier_id: int, values: dict[str, Any], now: str) -> None:
    """Rewrite a supplier's fields."""
    sets = ", ".join(f"{f} = ?" for f in FIELDS)
    conn.execute(f"UPDATE suppliers SET {sets}, updated_at = ? WHERE id = ?",
                 (*(values[f] for f in FIELDS), now, supplier_id))

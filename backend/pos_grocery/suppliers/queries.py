"""Supplier SQL and rows to wire shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

from pos_grocery.db.connection import fetch_one
from pos_grocery.parties import Filter, PartyTable, like_prefix
from pos_grocery.suppliers.models import Supplier

FIELDS = ("name", "phone", "email", "address", "tax_id", "notes", "active")
SELECT = (
    "SELECT s.id, s.name, s.phone, s.email, s.address, s.tax_id, s.notes, s.active, "
    "(SELECT count(*) FROM products p WHERE p.supplier_id = s.id AND p.deleted_at IS NULL), "
    "s.created_at, s.updated_at FROM suppliers s"
)
TABLE = PartyTable("suppliers", "s", SELECT, FIELDS)


def to_wire(row: Sequence[Any]) -> Supplier:
    """A selected row as a Supplier."""
    return Supplier(id=row[0], name=row[1], phone=row[2], email=row[3], address=row[4], tax_id=row[5],
                    notes=row[6], active=bool(row[7]), product_count=row[8], created_at=row[9], updated_at=row[10])


def by_id(conn: apsw.Connection, supplier_id: int) -> Supplier | None:
    """A live supplier."""
    row = TABLE.live(conn, supplier_id)
    return None if row is None else to_wire(row)


def id_by_name(conn: apsw.Connection, name: str) -> int | None:
    """The live supplier with this name (ignoring case)."""
    row = fetch_one(conn, "SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL", (name,))
    return None if row is None else int(row[0])


def page(conn: apsw.Connection, text: str | None, active: bool | None, after: int | None,
         limit: int) -> list[Supplier]:
    """Live suppliers by id, optionally whose name starts with `text`; one extra row tells if more follow."""
    where: list[Filter] = []
    if text:
        where.append(("s.name LIKE ? ESCAPE '\\'", [like_prefix(text)]))
    if active is not None:
        where.append(("s.active = ?", [int(active)]))
    return [to_wire(r) for r in TABLE.page(conn, where, after, limit)]


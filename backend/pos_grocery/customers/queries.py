"""Customer SQL and rows to wire shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

from pos_grocery.customers.models import Customer
from pos_grocery.db.connection import fetch_one
from pos_grocery.parties import Filter, PartyTable, like_prefix

FIELDS = ("name", "phone", "type", "notes", "credit_limit", "active")
SELECT = ("SELECT c.id, c.name, c.phone, c.type, c.notes, c.credit_limit, c.active, c.created_at, c.updated_at, "
          "c.balance FROM customers c")
TABLE = PartyTable("customers", "c", SELECT, FIELDS)


def to_wire(row: Sequence[Any], currency: str) -> Customer:
    """A selected row as a Customer (the type names the price tier one to one)."""
    return Customer(id=row[0], name=row[1], phone=row[2], type=row[3], price_tier=row[3], notes=row[4],
                    credit_limit=row[5], currency=currency, active=bool(row[6]), created_at=row[7],
                    updated_at=row[8], balance=row[9])


def by_id(conn: apsw.Connection, customer_id: int, currency: str) -> Customer | None:
    """A live customer."""
    row = TABLE.live(conn, customer_id)
    return None if row is None else to_wire(row, currency)


def id_by_phone(conn: apsw.Connection, phone: str) -> int | None:
    """The live customer with this phone number."""
    row = fetch_one(conn, "SELECT id FROM customers WHERE phone = ? AND phone <> '' AND deleted_at IS NULL",
                    (phone,))
    return None if row is None else int(row[0])


def page(conn: apsw.Connection, filters: dict[str, Any], after: int | None, limit: int,
         currency: str) -> list[Customer]:
    """Live customers by id: name or phone starting with `q`, type, active; one extra row tells if more follow."""
    where: list[Filter] = []
    text = filters.get("q")
    if text:
        where.append(("(c.name LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\')", [like_prefix(text)] * 2))
    if filters.get("type") is not None:
        where.append(("c.type = ?", [filters["type"]]))
    if filters.get("active") is not None:
        where.append(("c.active = ?", [int(filters["active"])]))
    return [to_wire(r, currency) for r in TABLE.page(conn, where, after, limit)]


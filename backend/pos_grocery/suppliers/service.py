"""Supplier rules: unique names, archive instead of delete while products or records refer to one."""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery.db.connection import transaction
from pos_grocery.errors import Conflict, NotFound
from pos_grocery.parties import Gone, page_of, patched
from pos_grocery.suppliers import queries as q
from pos_grocery.suppliers.models import Supplier, SupplierCreate, SupplierPage, SupplierPatch


def _missing(supplier_id: int) -> NotFound:
    return NotFound(f"There is no supplier with id {supplier_id}.", "SUPPLIER_NOT_FOUND")


def name_free(conn: apsw.Connection, name: str, own_id: int | None) -> None:
    """409 SUPPLIER_EXISTS when another live supplier has this name (ignoring case)."""
    other = q.id_by_name(conn, name)
    if other is not None and other != own_id:
        raise Conflict(f"A supplier named {name!r} already exists (id {other}).", "SUPPLIER_EXISTS", field="name")


def get_supplier(conn: apsw.Connection, supplier_id: int) -> Supplier:
    """One live supplier."""
    found = q.by_id(conn, supplier_id)
    if found is None:
        raise _missing(supplier_id)
    return found


def list_suppliers(conn: apsw.Connection, text: str | None, active: bool | None, after: int | None,
                   limit: int) -> SupplierPage:
    """Live suppliers by id (name prefix and active filters)."""
    items, cursor = page_of(q.page(conn, text, active, after, limit), limit)
    return SupplierPage(items=items, next_cursor=cursor)


def create_supplier(conn: apsw.Connection, data: SupplierCreate, now: str) -> Supplier:
    """A new supplier."""
    values: dict[str, Any] = msgspec.structs.asdict(data)
    values["active"] = int(data.active)
    with transaction(conn):
        name_free(conn, data.name, None)
        new_id = q.TABLE.insert(conn, values, now)
    return get_supplier(conn, new_id)


def update_supplier(conn: apsw.Connection, supplier_id: int, patch: SupplierPatch, now: str) -> Supplier:
    """Change the fields present in the PATCH body."""
    with transaction(conn):
        current = get_supplier(conn, supplier_id)
        values = patched(current, q.FIELDS, patch)
        name_free(conn, values["name"], supplier_id)
        q.TABLE.update(conn, supplier_id, values, now)
    return get_supplier(conn, supplier_id)


def delete_supplier(conn: apsw.Connection, supplier_id: int, now: str) -> Gone:
    """'deleted' when nothing refers to the supplier, else 'archived' (products keep naming it)."""
    with transaction(conn):
        current = get_supplier(conn, supplier_id)
        return q.TABLE.delete_or_archive(conn, supplier_id, now, deletable=current.product_count == 0)

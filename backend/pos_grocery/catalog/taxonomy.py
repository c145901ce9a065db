"""Categories and tax classes: SQL and rules (names unique among live rows, no delete while in use)."""

from __future__ import annotations

from typing import Any

import apsw
from msgspec import UNSET

from pos_grocery.audit.service import Actor, record
from pos_grocery.catalog.models import (
    Category,
    CategoryIn,
    CategoryPage,
    Deleted,
    TaxClass,
    TaxClassIn,
    TaxClassPage,
    TaxClassPatch,
)
from pos_grocery.catalog.rules import Rules
from pos_grocery.db.connection import fetch_all, fetch_one, transaction
from pos_grocery.errors import Conflict, NotFound
from pos_grocery.pagination import encode_cursor

CATEGORY_COLUMNS = "id, name, created_at, updated_at"
TAX_COLUMNS = "id, name, rate_bp, created_at, updated_at"


def _category(row: tuple[Any, ...]) -> Category:
    return Category(id=row[0], name=row[1], created_at=row[2], updated_at=row[3])


def _tax(row: tuple[Any, ...]) -> TaxClass:
    return TaxClass(id=row[0], name=row[1], rate_bp=row[2], created_at=row[3], updated_at=row[4])


def _page(conn: apsw.Connection, table: str, columns: str, after: int | None, limit: int) -> list[tuple[Any, ...]]:
    return fetch_all(conn, f"SELECT {columns} FROM {table} WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                     (after or 0, limit + 1))


def _name_free(conn: apsw.Connection, table: str, name: str, own_id: int | None, code: str, label: str) -> None:
    row = fetch_one(conn, f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL", (name,))
    if row is not None and row[0] != own_id:
        raise Conflict(f"A {label} named {name!r} already exists (id {row[0]}).", code, field="name")


def _live(conn: apsw.Connection, table: str, columns: str, row_id: int, code: str, label: str) -> tuple[Any, ...]:
    row = fetch_one(conn, f"SELECT {columns} FROM {table} WHERE id = ? AND deleted_at IS NULL", (row_id,))
    if row is None:
        raise NotFound(f"There is no {label} with id {row_id}.", code)
    return row


def _remove(conn: apsw.Connection, table: str, column: str, row_id: int, now: str, code: str,
            label: str) -> str:
    """Delete an unused row; archive it when archived products still refer to it; 409 while live ones do."""
    used = fetch_one(conn, f"SELECT count(*) FROM products WHERE {column} = ? AND deleted_at IS NULL", (row_id,))
    if used is not None and used[0]:
        raise Conflict(f"{used[0]} product(s) still use this {label}; move them first.", code)
    conn.execute("SAVEPOINT taxonomy_delete")
    try:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        conn.execute("RELEASE taxonomy_delete")
        return "deleted"
    except apsw.ConstraintError:
        conn.execute("ROLLBACK TO taxonomy_delete")
        conn.execute("RELEASE taxonomy_delete")
        conn.execute(f"UPDATE {table} SET deleted_at = ?, updated_at = ? WHERE id = ?", (now, now, row_id))
        return "archived"


def list_categories(conn: apsw.Connection, after: int | None, limit: int) -> CategoryPage:
    """Live categories by id."""
    rows = _page(conn, "categories", CATEGORY_COLUMNS, after, limit)
    items = [_category(r) for r in rows[:limit]]
    return CategoryPage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def get_category(conn: apsw.Connection, category_id: int) -> Category:
    """One live category."""
    return _category(_live(conn, "categories", CATEGORY_COLUMNS, category_id, "CATEGORY_NOT_FOUND", "category"))


def create_category(conn: apsw.Connection, rules: Rules, data: CategoryIn) -> Category:
    """A new category with a unique name."""
    now = rules.now()
    with transaction(conn):
        _name_free(conn, "categories", data.name, None, "CATEGORY_EXISTS", "category")
        conn.execute("INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?)", (data.name, now, now))
        new_id = int(conn.last_insert_rowid())
    return get_category(conn, new_id)


def rename_category(conn: apsw.Connection, rules: Rules, category_id: int, data: CategoryIn) -> Category:
    """Rename a category."""
    now = rules.now()
    with transaction(conn):
        _live(conn, "categories", CATEGORY_COLUMNS, category_id, "CATEGORY_NOT_FOUND", "category")
        _name_free(conn, "categories", data.name, category_id, "CATEGORY_EXISTS", "category")
        conn.execute("UPDATE categories SET name = ?, updated_at = ? WHERE id = ?", (data.name, now, category_id))
    return get_category(conn, category_id)


def delete_category(conn: apsw.Connection, rules: Rules, category_id: int) -> Deleted:
    """Delete (or archive) a category no live product uses."""
    with transaction(conn):
        _live(conn, "categories", CATEGORY_COLUMNS, category_id, "CATEGORY_NOT_FOUND", "category")
        outcome = _remove(conn, "categories", "category_id", category_id, rules.now(), "CATEGORY_IN_USE",
                          "category")
    return Deleted(id=category_id, outcome="deleted" if outcome == "deleted" else "archived")


def list_tax_classes(conn: apsw.Connection, after: int | None, limit: int) -> TaxClassPage:
    """Live tax classes by id."""
    rows = _page(conn, "tax_classes", TAX_COLUMNS, after, limit)
    items = [_tax(r) for r in rows[:limit]]
    return TaxClassPage(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)


def get_tax_class(conn: apsw.Connection, tax_class_id: int) -> TaxClass:
    """One live tax class."""
    return _tax(_live(conn, "tax_classes", TAX_COLUMNS, tax_class_id, "TAX_CLASS_NOT_FOUND", "tax class"))


def create_tax_class(conn: apsw.Connection, rules: Rules, data: TaxClassIn, actor: Actor | None,
                     request_id: str | None) -> TaxClass:
    """A new tax class (journalled: rates decide what customers pay)."""
    now = rules.now()
    with transaction(conn):
        _name_free(conn, "tax_classes", data.name, None, "TAX_CLASS_EXISTS", "tax class")
        conn.execute("INSERT INTO tax_classes (name, rate_bp, created_at, updated_at) VALUES (?, ?, ?, ?)",
                     (data.name, data.rate_bp, now, now))
        new_id = int(conn.last_insert_rowid())
        record(conn, "catalog.tax_class_changed", actor=actor, entity="tax_class", entity_id=new_id,
               details={"name": data.name, "rateBp": {"old": None, "new": data.rate_bp}}, request_id=request_id,
               at=rules.clock())
    return get_tax_class(conn, new_id)


def update_tax_class(conn: apsw.Connection, rules: Rules, tax_class_id: int, data: TaxClassPatch,
                     actor: Actor | None, request_id: str | None) -> TaxClass:
    """Rename a tax class or change its rate (a rate change is journalled with old and new values)."""
    now = rules.now()
    with transaction(conn):
        row = _live(conn, "tax_classes", TAX_COLUMNS, tax_class_id, "TAX_CLASS_NOT_FOUND", "tax class")
        name = row[1] if data.name is UNSET else data.name
        rate = row[2] if data.rate_bp is UNSET else data.rate_bp
        _name_free(conn, "tax_classes", name, tax_class_id, "TAX_CLASS_EXISTS", "tax class")
        conn.execute("UPDATE tax_classes SET name = ?, rate_bp = ?, updated_at = ? WHERE id = ?",
                     (name, rate, now, tax_class_id))
        if rate != row[2]:
            record(conn, "catalog.tax_class_changed", actor=actor, entity="tax_class", entity_id=tax_class_id,
                   details={"name": name, "rateBp": {"old": row[2], "new": rate}}, request_id=request_id,
                   at=rules.clock())
    return get_tax_class(conn, tax_class_id)


def delete_tax_class(conn: apsw.Connection, rules: Rules, tax_class_id: int) -> Deleted:
    """Delete (or archive) a tax class no live product uses."""
    with transaction(conn):
        _live(conn, "tax_classes", TAX_COLUMNS, tax_class_id, "TAX_CLASS_NOT_FOUND", "tax class")
        outcome = _remove(conn, "tax_classes", "tax_class_id", tax_class_id, rules.now(), "TAX_CLASS_IN_USE",
                          "tax class")
    return Deleted(id=tax_class_id, outcome="deleted" if outcome == "deleted" else "archived")

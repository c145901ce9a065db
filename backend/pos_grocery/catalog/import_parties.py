"""Suppliers and customers CSV imports: rows matched by id, else by supplier name or customer phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import apsw

from pos_grocery.audit.service import record as journal
from pos_grocery.catalog import csv_cells as cell
from pos_grocery.catalog.csv_read import CsvTable, Record
from pos_grocery.catalog.imports import (
    Context,
    Duplicates,
    Outcome,
    Plan,
    Planned,
    Progress,
    check_width,
    plan_each,
    stale,
    ticker,
)
from pos_grocery.customers import queries as customer_q
from pos_grocery.customers.models import CUSTOMER_TYPES
from pos_grocery.db.connection import fetch_one, transaction
from pos_grocery.suppliers import queries as supplier_q

SUPPLIER_COLUMNS = ("id", "name", "phone", "email", "address", "tax_id", "notes", "active")
SUPPLIER_REQUIRED = ("name",)
CUSTOMER_COLUMNS = ("id", "name", "phone", "type", "notes", "credit_limit", "active")
CUSTOMER_REQUIRED = ("name",)
LIMITS = {"name": 200, "phone": 40, "email": 200, "address": 500, "tax_id": 60, "notes": 2000}
SELECTS = {
    "suppliers": "SELECT id, name, phone, email, address, tax_id, notes, active FROM suppliers "
                 "WHERE id = ? AND deleted_at IS NULL",
    "customers": "SELECT id, name, phone, type, notes, credit_limit, active FROM customers "
                 "WHERE id = ? AND deleted_at IS NULL",
}


def _row_id(record: Record) -> int | None:
    raw = record.cells.get("id", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 2**53:
        raise cell.RowError("id", "INVALID_ID", f"id must be a positive whole number, not {raw!r}")
    return int(raw)


def _current(conn: apsw.Connection, kind: str, row_id: int) -> dict[str, Any] | None:
    row = fetch_one(conn, SELECTS[kind], (row_id,))
    if row is None:
        return None
    fields = SUPPLIER_COLUMNS if kind == "suppliers" else CUSTOMER_COLUMNS
    return dict(zip(fields, row, strict=True))


def _supplier_cell(values: dict[str, Any], column: str, raw: str, ctx: Context) -> None:
    if column == "active":
        values["active"] = int(cell.flag(raw, column, True))
    elif column != "id":
        values[column] = cell.text(raw, column, LIMITS[column], required=column == "name")


def _customer_cell(values: dict[str, Any], column: str, raw: str, ctx: Context) -> None:
    if column == "active":
        values["active"] = int(cell.flag(raw, column, True))
    elif column == "type":
        kind = raw.strip().lower() or "retail"
        if kind not in CUSTOMER_TYPES:
            raise cell.RowError(column, "INVALID_TYPE", f"type must be one of {', '.join(CUSTOMER_TYPES)}")
        values["type"] = kind
    elif column == "credit_limit":
        values[column] = cell.money(raw, column, ctx.digits, ctx.rules) or 0
    elif column != "id":
        values[column] = cell.text(raw, column, LIMITS[column], required=column == "name")


Matcher = Callable[[apsw.Connection, dict[str, Any]], int | None]


def _by_name(conn: apsw.Connection, values: dict[str, Any]) -> int | None:
    return supplier_q.id_by_name(conn, str(values["name"]))


def _by_phone(conn: apsw.Connection, values: dict[str, Any]) -> int | None:
    return customer_q.id_by_phone(conn, str(values["phone"])) if values.get("phone") else None


KINDS: dict[str, tuple[tuple[str, ...], dict[str, Any], Callable[..., None], Matcher, str]] = {
    "suppliers": (SUPPLIER_COLUMNS, {"phone": "", "email": "", "address": "", "tax_id": "", "notes": "",
                                     "active": 1}, _supplier_cell, _by_name, "name"),
    "customers": (CUSTOMER_COLUMNS, {"phone": "", "type": "retail", "notes": "", "credit_limit": 0,
                                     "active": 1}, _customer_cell, _by_phone, "phone"),
}


def _plan_row(conn: apsw.Connection, kind: str, table: CsvTable, record: Record, ctx: Context,
              seen: Duplicates) -> Planned:
    columns, defaults, apply_cell, match, unique = KINDS[kind]
    check_width(record, table.columns)
    row_id = _row_id(record)
    current = _current(conn, kind, row_id) if row_id is not None else None
    if row_id is not None and current is None:
        raise cell.RowError("id", "UNKNOWN_ID", f"there is no {kind[:-1]} with id {row_id}")
    values = dict(current) if current else {"id": None, **defaults}
    for column in table.columns:
        apply_cell(values, column, record.cells[column], ctx)
    if values.get(unique):
        seen.claim(str(values[unique]).lower(), record.line, unique, unique)
    other = match(conn, values) if values.get(unique) else None
    if current is None and other is not None:
        current = _current(conn, kind, other)  # no id given: the row updates the one with that name/phone
        values = {**(current or {}), **{k: v for k, v in values.items() if k != "id" and k in table.columns}}
    elif current is not None and other is not None and other != current["id"]:
        raise cell.RowError(unique, "TAKEN", f"{unique} {values[unique]} belongs to {kind[:-1]} id {other}")
    new = tuple(values.get(c) for c in columns[1:])
    if current is None:
        return Planned(record.line, "create", str(values["name"]), None, new)
    old = tuple(current[c] for c in columns[1:])
    changed = tuple(c for c, a, b in zip(columns[1:], old, new, strict=True) if a != b)
    return Planned(record.line, "update" if changed else "unchanged", str(values["name"]), int(current["id"]), new,
                   old, changed=changed)


def plan_parties(conn: apsw.Connection, kind: str, table: CsvTable, ctx: Context,
                 progress: Progress | None = None) -> Plan:
    """The preview of a suppliers or customers file."""
    seen = Duplicates()
    return plan_each("suppliers" if kind == "suppliers" else "customers", table, "name",
                     lambda record: _plan_row(conn, kind, table, record, ctx, seen), progress)


def apply_parties(conn: apsw.Connection, plan: Plan, ctx: Context, progress: Progress | None = None) -> Outcome:
    """Write a suppliers or customers plan in one transaction, after checking nothing changed meanwhile."""
    columns, _defaults, _cell, match, unique = KINDS[plan.kind]
    table = plan.kind
    fields = columns[1:]
    tick = ticker(progress, len(plan.rows))
    created = updated = audited = 0
    with transaction(conn):
        now = ctx.rules.now()
        for done, row in enumerate(plan.rows, start=1):
            values = dict(zip(fields, row.new, strict=True))
            if row.target_id is None:
                if values.get(unique) and match(conn, values) is not None:
                    raise stale(f"{unique} {values[unique]} (line {row.line})")
                conn.execute(f"INSERT INTO {table} ({', '.join(fields)}, created_at, updated_at) "
                             f"VALUES ({', '.join('?' * len(fields))}, ?, ?)", (*row.new, now, now))
                target_id = int(conn.last_insert_rowid())
                created += 1
            else:
                target_id = row.target_id
                current = _current(conn, table, row.target_id)
                if current is None or tuple(current[c] for c in fields) != row.old:
                    raise stale(f"{row.key} (line {row.line})")
                if row.action == "update":
                    sets = ", ".join(f"{f} = ?" for f in fields)
                    conn.execute(f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?",
                                 (*row.new, now, row.target_id))
                    updated += 1
            audited += _journal_terms(conn, plan.kind, row, ctx, fields, target_id)
            tick(done)
    return Outcome(created, updated, audited)


def _journal_terms(conn: apsw.Connection, kind: str, row: Planned, ctx: Context, fields: tuple[str, ...],
                   target_id: int) -> int:
    """A customer's price tier or credit limit set by an import is journalled like one set by hand."""
    if kind != "customers" or row.action == "unchanged":
        return 0
    new = dict(zip(fields, row.new, strict=True))
    old = dict(zip(fields, row.old, strict=True)) if row.old else {"type": "retail", "credit_limit": 0}
    changes = {k: {"old": None if row.old is None else old[k], "new": new[k]} for k in ("type", "credit_limit")
               if old[k] != new[k]}
    if not changes:
        return 0
    journal(conn, "customers.terms_changed", actor=ctx.actor, entity="customer", entity_id=target_id,
            details={"name": row.key, "changes": changes, "source": "import"}, request_id=ctx.request_id,
            at=ctx.rules.clock())
    return 1

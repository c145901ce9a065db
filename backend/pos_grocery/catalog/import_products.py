"""Products and price-sheet CSV imports: planning each row against the catalog, and the atomic commit."""

from __future__ import annotations

from typing import Any

import apsw

from pos_grocery.catalog import csv_cells as cell
from pos_grocery.catalog import queries as q
from pos_grocery.catalog.csv_read import CsvRefused, CsvTable, Record
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
from pos_grocery.catalog.models import UNITS
from pos_grocery.catalog.rules import MASS_UNITS
from pos_grocery.catalog.service import audit_price_batch, price_changes
from pos_grocery.db.connection import fetch_all, fetch_value, transaction

FIELDS = ("sku", "name_en", "name_si", "name_ta", "unit", "category_id", "tax_class_id", "supplier_id",
          "price_retail", "price_wholesale", "price_credit", "price_other", "cost", "reorder_level", "weighed",
          "min_age", "active")
PRICE_COLUMNS = ("price_retail", "price_wholesale", "price_credit", "price_other", "cost")
PRODUCT_COLUMNS = ("sku", "name_en", "name_si", "name_ta", "unit", "category", "tax_class", "supplier",
                   *PRICE_COLUMNS, "reorder_level", "weighed", "min_age", "active", "plu", "barcodes")
PRODUCT_REQUIRED = ("sku", "name_en", "price_retail")
PRICE_SHEET_COLUMNS = ("sku", "name_en", *PRICE_COLUMNS)
PRICE_SHEET_REQUIRED = ("sku",)
REFERENCES = {"category": ("categories", "category_id"), "tax_class": ("tax_classes", "tax_class_id"),
              "supplier": ("suppliers", "supplier_id")}
NEW_PRODUCT: dict[str, Any] = {"name_si": None, "name_ta": None, "unit": "pc", "category_id": None,
                               "tax_class_id": None, "supplier_id": None, "price_wholesale": None,
                               "price_credit": None, "price_other": None, "cost": None, "reorder_level": 0,
                               "weighed": 0, "min_age": None, "active": 1}
INSERT_WITH_ID = q.INSERT.replace("(sku,", "(id, sku,").replace("VALUES (", "VALUES (?, ")
# Rows per executemany, and per journal event of the price changes in them: one hash-chained event per
# chunk keeps a 100,000-row import's journalling well under a second, and every change keeps its product,
# field, old and new value (one short text per product: the journal's sanitiser walks every JSON value).
WRITE_CHUNK = 1_000


def _names(conn: apsw.Connection, table: str) -> dict[str, int]:
    rows = fetch_all(conn, f"SELECT id, name FROM {table} WHERE deleted_at IS NULL")
    return {str(name).lower(): int(row_id) for row_id, name in rows}


class _Products:
    """Planning state for one products (or price-sheet) file."""

    def __init__(self, conn: apsw.Connection, table: CsvTable, ctx: Context, prices_only: bool) -> None:
        self.conn, self.table, self.ctx, self.prices_only = conn, table, ctx, prices_only
        self.refs = {column: _names(conn, t) for column, (t, _f) in REFERENCES.items()}
        self.skus, self.codes = Duplicates(), Duplicates()

    def plan_row(self, record: Record) -> Planned:
        check_width(record, self.table.columns)
        sku = cell.sku(record.cells["sku"])
        self.skus.claim(sku.lower(), record.line, "sku", "SKU")
        existing = q.by_sku(self.conn, sku)
        if existing is None and self.prices_only:
            raise cell.RowError("sku", "UNKNOWN_SKU", f"there is no product with SKU {sku}")
        values = dict(zip(FIELDS, existing.values(), strict=True)) if existing else {**NEW_PRODUCT, "sku": sku}
        for column in self.table.columns:
            self._apply_cell(values, column, record.cells[column])
        if values["weighed"] and values["unit"] not in MASS_UNITS:
            raise cell.RowError("unit", "WEIGHED_NEEDS_MASS_UNIT", "a weighed product needs unit kg or g")
        codes = self._codes(record, existing)
        new = tuple(values[f] for f in FIELDS)
        if existing is None:
            return Planned(record.line, "create", sku, None, new, codes=tuple(codes or ()))
        changed = tuple(f for f, old in zip(FIELDS, existing.values(), strict=True) if values[f] != old)
        if codes is not None and sorted(c for c, _ in codes) != sorted(c for c, _ in existing.codes):
            changed += ("codes",)
        return Planned(record.line, "update" if changed else "unchanged", sku, existing.id, new, existing.values(),
                       None if codes is None else tuple(codes), existing.codes, changed)

    def _apply_cell(self, values: dict[str, Any], column: str, raw: str) -> None:
        rules, digits = self.ctx.rules, self.ctx.digits
        if column in PRICE_COLUMNS:
            values[column] = cell.money(raw, column, digits, rules, required=column == "price_retail")
        elif column == "name_en" and not self.prices_only:
            values["name_en"] = cell.text(raw, column, 200, required=True)
        elif column in ("name_si", "name_ta"):
            values[column] = cell.text(raw, column, 200) or None
        elif column == "unit":
            unit = raw.strip().lower() or "pc"
            if unit not in UNITS:
                raise cell.RowError(column, "INVALID_UNIT", f"unit must be one of {', '.join(UNITS)}")
            values["unit"] = unit
        elif column in REFERENCES:
            values[REFERENCES[column][1]] = self._reference(column, raw)
        elif column == "reorder_level":
            values[column] = cell.quantity(raw, column)
        elif column in ("weighed", "active"):
            values[column] = int(cell.flag(raw, column, column == "active"))
        elif column == "min_age":
            values[column] = cell.age(raw, column)

    def _reference(self, column: str, raw: str) -> int | None:
        name = raw.strip()
        if not name:
            return None
        found = self.refs[column].get(name.lower())
        if found is None:
            label = column.replace("_", " ")
            raise cell.RowError(column, f"UNKNOWN_{column.upper()}", f"there is no {label} named {name!r}")
        return found

    def _codes(self, record: Record, existing: q.Stored | None) -> list[tuple[str, str]] | None:
        """The product's codes after this row, or None when the file has neither plu nor barcodes."""
        columns = self.table.columns
        if "barcodes" not in columns and "plu" not in columns:
            return None
        codes = cell.codes(record.cells["barcodes"], self.ctx.rules) if "barcodes" in columns else (
            list(existing.barcodes) if existing else [])
        plu = cell.plu(record.cells["plu"]) if "plu" in columns else (existing.plu if existing else None)
        if plu is not None:
            codes.append((plu, "plu"))
        own_id = existing.id if existing else None
        for code, kind in codes:
            column = "plu" if kind == "plu" else "barcodes"
            self.codes.claim(code, record.line, column, "code")
            holder = fetch_value(self.conn, q.CODE_OWNER, (code,))
            if holder is not None and holder != own_id:
                raise cell.RowError(column, "BARCODE_TAKEN", f"code {code} belongs to product id {holder}")
        if len({code for code, _ in codes}) != len(codes):
            raise cell.RowError("barcodes", "BARCODE_DUPLICATE", "the same code is listed twice (in some form)")
        return codes


def plan_products(conn: apsw.Connection, table: CsvTable, ctx: Context, prices_only: bool,
                  progress: Progress | None = None) -> Plan:
    """The preview of a products file (or, with prices_only, a price sheet)."""
    if prices_only and not any(c in table.columns for c in PRICE_COLUMNS):
        raise CsvRefused(f"A price sheet needs at least one of: {', '.join(PRICE_COLUMNS)}.", "CSV_MISSING_COLUMNS")
    planner = _Products(conn, table, ctx, prices_only)
    return plan_each("prices" if prices_only else "products", table, "sku", planner.plan_row, progress)


def _check_fresh(conn: apsw.Connection, rows: list[Planned], tick: Any) -> None:
    """Under the write lock: every row still finds the catalog as the preview saw it."""
    for done, row in enumerate(rows, start=1):
        if row.target_id is None:
            if fetch_value(conn, q.SKU_OWNER, (row.key,)) is not None:
                raise stale(f"SKU {row.key} (line {row.line})")
        else:
            current = q.by_id(conn, row.target_id)
            if current is None or current.deleted_at is not None or current.values() != row.old or (
                    sorted(current.codes) != sorted(row.old_codes or ())):  # kinds too: nothing at all changed
                raise stale(f"Product {row.key} (line {row.line})")
        for code, _kind in row.codes or ():
            holder = fetch_value(conn, q.CODE_OWNER, (code,))
            if holder is not None and holder != row.target_id:
                raise stale(f"Code {code} (line {row.line})")
        tick(done)


def journal_row(product_id: int, sku: str, changes: dict[str, dict[str, int | None]]) -> str:
    """One product's price changes as journal text: '<id> <sku> <field>=<old>><new> ...' ('-' for none)."""
    parts = [f"{field}={_amount(c['old'])}>{_amount(c['new'])}" for field, c in changes.items()]
    return f"{product_id} {sku} {' '.join(parts)}"


def _amount(value: int | None) -> str:
    return "-" if value is None else str(value)


def _write_chunk(conn: apsw.Connection, rows: list[Planned], next_id: int, now: str) -> list[str]:
    """Insert and update one chunk of rows with executemany; returns the journal rows of its price changes."""
    creates, updates, code_owners, codes = [], [], [], []
    journal: list[str] = []
    for row in rows:
        if row.target_id is None:
            product_id, next_id = next_id, next_id + 1
            creates.append((product_id, *row.new, now, now))
        else:
            product_id = row.target_id
            updates.append((*row.new, now, product_id))
        if row.codes is not None and (row.target_id is None or "codes" in row.changed):
            code_owners.append((product_id,))
            codes += [(code, product_id, kind, now) for code, kind in row.codes]
        changes = price_changes(row.old, row.new)
        if changes:
            journal.append(journal_row(product_id, row.key, changes))
    conn.executemany(INSERT_WITH_ID, creates)
    conn.executemany(q.UPDATE, updates)
    conn.executemany(q.DELETE_CODES, code_owners)
    conn.executemany(q.INSERT_CODE, codes)
    return journal


def apply_products(conn: apsw.Connection, plan: Plan, ctx: Context, progress: Progress | None = None) -> Outcome:
    """Write the plan in one transaction (after the freshness check); price changes are journalled."""
    writes = [row for row in plan.rows if row.action != "unchanged"]
    tick = ticker(progress, len(plan.rows) + len(writes))
    audited = 0
    with transaction(conn):
        _check_fresh(conn, plan.rows, tick)
        now = ctx.rules.now()
        next_id = int(fetch_value(conn, "SELECT coalesce(max(id), 0) + 1 FROM products"))
        for start in range(0, len(writes), WRITE_CHUNK):
            chunk = writes[start:start + WRITE_CHUNK]
            journal = _write_chunk(conn, chunk, next_id, now)
            next_id += sum(1 for row in chunk if row.target_id is None)
            audited += len(journal)
            audit_price_batch(conn, journal, f"import:{plan.kind}", ctx.actor, ctx.request_id, ctx.rules)
            tick(len(plan.rows) + start + len(chunk))
    created = sum(1 for row in writes if row.target_id is None)
    return Outcome(created, len(writes) - created, audited)

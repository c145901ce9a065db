"""One entry point per import step for the API and the CLI: preview(kind, bytes) -> Plan, commit(Plan)."""

from __future__ import annotations

from typing import Annotated, Literal

import apsw
import msgspec
from msgspec import Meta

from pos_grocery.catalog.csv_read import CsvTable, parse
from pos_grocery.catalog.import_parties import (
    CUSTOMER_COLUMNS,
    CUSTOMER_REQUIRED,
    SUPPLIER_COLUMNS,
    SUPPLIER_REQUIRED,
    apply_parties,
    plan_parties,
)
from pos_grocery.catalog.import_products import (
    PRICE_SHEET_COLUMNS,
    PRICE_SHEET_REQUIRED,
    PRODUCT_COLUMNS,
    PRODUCT_REQUIRED,
    apply_products,
    plan_products,
)
from pos_grocery.catalog.imports import Context, Kind, Outcome, Plan, Planned, Progress
from pos_grocery.inventory.stock_csv import STOCK_COLUMNS, STOCK_REQUIRED, apply_stock, plan_stock

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "products": (PRODUCT_COLUMNS, PRODUCT_REQUIRED),
    "prices": (PRICE_SHEET_COLUMNS, PRICE_SHEET_REQUIRED),
    "suppliers": (SUPPLIER_COLUMNS, SUPPLIER_REQUIRED),
    "customers": (CUSTOMER_COLUMNS, CUSTOMER_REQUIRED),
    "stock": (STOCK_COLUMNS, STOCK_REQUIRED),  # stock levels: inventory/stock_csv.py
}
SHOWN_REJECTIONS = 100


def read(kind: Kind, raw: bytes, max_rows: int) -> CsvTable:
    """Parse an uploaded file for this kind (CsvRefused for file-level problems)."""
    expected, required = COLUMNS[kind]
    return parse(raw, expected, required, max_rows)


def plan(conn: apsw.Connection, kind: Kind, table: CsvTable, ctx: Context, progress: Progress | None = None) -> Plan:
    """The preview: every row planned or rejected; nothing written."""
    if kind in ("products", "prices"):
        return plan_products(conn, table, ctx, kind == "prices", progress)
    if kind == "stock":
        return plan_stock(conn, table, ctx, progress)
    return plan_parties(conn, kind, table, ctx, progress)


def commit(conn: apsw.Connection, the_plan: Plan, ctx: Context, progress: Progress | None = None) -> Outcome:
    """Apply a preview atomically (IMPORT_STALE if the catalog changed since)."""
    if the_plan.kind in ("products", "prices"):
        return apply_products(conn, the_plan, ctx, progress)
    if the_plan.kind == "stock":
        return apply_stock(conn, the_plan, ctx, progress)
    return apply_parties(conn, the_plan, ctx, progress)


class Counts(msgspec.Struct, rename="camel", kw_only=True):
    """Rows per outcome."""

    create: int
    update: int
    unchanged: int
    rejected: int


class RowReport(msgspec.Struct, rename="camel", kw_only=True, omit_defaults=True):
    """One row of a preview: its line in the file, the outcome and, for a rejection, where and why."""

    line: int
    action: Literal["create", "update", "unchanged", "rejected"]
    key: str
    changes: list[str] | None = None
    column: str | None = None
    code: str | None = None
    reason: str | None = None


class RowPage(msgspec.Struct, rename="camel", kw_only=True):
    """A page of preview rows."""

    items: list[RowReport]
    next_cursor: str | None


RowFilter = Annotated[Literal["create", "update", "unchanged", "rejected"], Meta()]


def counts(the_plan: Plan) -> Counts:
    """How many rows go each way."""
    return Counts(create=the_plan.count("create"), update=the_plan.count("update"),
                  unchanged=the_plan.count("unchanged"), rejected=len(the_plan.rejections))


def _planned_report(row: Planned) -> RowReport:
    return RowReport(line=row.line, action=row.action, key=row.key, changes=list(row.changed) or None)


def rows(the_plan: Plan, action: str | None) -> list[RowReport]:
    """Preview rows in file order, optionally one outcome only."""
    found = [] if action == "rejected" else [_planned_report(r) for r in the_plan.rows
                                             if action is None or r.action == action]
    if action in (None, "rejected"):
        found += [RowReport(line=r.line, action="rejected", key=r.key, column=r.column, code=r.code,
                            reason=r.reason) for r in the_plan.rejections]
    return sorted(found, key=lambda r: r.line)

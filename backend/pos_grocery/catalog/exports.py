"""CSV exports of products, the price sheet, suppliers and customers, streamed in chunks.

The files are exactly what the importer reads: a re-import of an untouched export is all "unchanged".
UTF-8 (with a BOM by default, so spreadsheets show Sinhala and Tamil correctly); money in major units;
a cell that a spreadsheet would run as a formula gets a leading apostrophe, which the importer removes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

import apsw

from pos_grocery.catalog.csv_cells import decimal_text, major
from pos_grocery.catalog.csv_read import BOM, quote_formula
from pos_grocery.catalog.import_parties import CUSTOMER_COLUMNS, SUPPLIER_COLUMNS
from pos_grocery.catalog.import_products import PRICE_SHEET_COLUMNS, PRODUCT_COLUMNS
from pos_grocery.catalog.rules import display_code
from pos_grocery.inventory.stock_csv import EXPORT_SQL as STOCK_EXPORT_SQL
from pos_grocery.inventory.stock_csv import STOCK_COLUMNS
from pos_grocery.inventory.stock_csv import export_cells as stock_export_cells

CHUNK_ROWS = 2_000

PRODUCTS_SQL = """
SELECT p.sku, p.name_en, p.name_si, p.name_ta, p.unit, c.name, t.name, s.name, p.price_retail, p.price_wholesale,
       p.price_credit, p.price_other, p.cost, p.reorder_level, p.weighed, p.min_age, p.active,
       (SELECT b.code FROM product_barcodes b WHERE b.product_id = p.id AND b.kind = 'plu'),
       (SELECT group_concat(b.code || ' ' || b.kind, '|' ORDER BY b.code) FROM product_barcodes b
         WHERE b.product_id = p.id AND b.kind <> 'plu')
FROM products p LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN tax_classes t ON t.id = p.tax_class_id
LEFT JOIN suppliers s ON s.id = p.supplier_id
WHERE p.deleted_at IS NULL ORDER BY p.id
"""
PRICES_SQL = """
SELECT sku, name_en, price_retail, price_wholesale, price_credit, price_other, cost FROM products
WHERE deleted_at IS NULL ORDER BY id
"""
SUPPLIERS_SQL = "SELECT id, name, phone, email, address, tax_id, notes, active FROM suppliers " \
                "WHERE deleted_at IS NULL ORDER BY id"
CUSTOMERS_SQL = "SELECT id, name, phone, type, notes, credit_limit, active FROM customers " \
                "WHERE deleted_at IS NULL ORDER BY id"


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _product_cells(row: Sequence[Any], digits: int) -> list[str]:
    money = [major(v, digits) for v in row[8:13]]
    codes = "|".join(display_code(*pair.split(" ")) for pair in (row[18] or "").split("|") if pair)
    return [*(v or "" for v in row[0:8]), *money, decimal_text(row[13]), _bool(row[14]),
            "" if row[15] is None else str(row[15]), _bool(row[16]), row[17] or "", codes]


def _price_cells(row: Sequence[Any], digits: int) -> list[str]:
    return [row[0], row[1], *(major(v, digits) for v in row[2:7])]


def _supplier_cells(row: Sequence[Any], digits: int) -> list[str]:
    return [str(row[0]), *(str(v) for v in row[1:7]), _bool(row[7])]


def _customer_cells(row: Sequence[Any], digits: int) -> list[str]:
    return [str(row[0]), row[1], row[2], row[3], row[4], major(row[5], digits), _bool(row[6])]


FORMATS = {
    "products": (PRODUCT_COLUMNS, PRODUCTS_SQL, _product_cells),
    "prices": (PRICE_SHEET_COLUMNS, PRICES_SQL, _price_cells),
    "suppliers": (SUPPLIER_COLUMNS, SUPPLIERS_SQL, _supplier_cells),
    "customers": (CUSTOMER_COLUMNS, CUSTOMERS_SQL, _customer_cells),
    "stock": (STOCK_COLUMNS, STOCK_EXPORT_SQL, stock_export_cells),  # inventory/stock_csv.py
}


def export_chunks(conn: apsw.Connection, kind: str, digits: int, bom: bool = True) -> Iterator[bytes]:
    """The CSV file of one kind as UTF-8 chunks of CHUNK_ROWS rows (run on a worker thread: it is a long read)."""
    columns, sql, cells = FORMATS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in conn.execute(sql):
        writer.writerow([quote_formula(c) for c in cells(row, digits)])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield _take(out, bom and count == CHUNK_ROWS)
    yield _take(out, bom and count < CHUNK_ROWS)


def _take(out: io.StringIO, with_bom: bool) -> bytes:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return ((BOM if with_bom else "") + text).encode("utf-8")

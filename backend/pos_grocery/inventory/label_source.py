"""Which labels to print: products by id, or the products of a posted GRN, with their name, price and code."""

from __future__ import annotations

import apsw

from pos_grocery.catalog.config import minor_digits
from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.inventory import models as m
from pos_grocery.inventory.labels import LabelData

NAME_COLUMN = {"en": "name_en", "si": "name_si", "ta": "name_ta"}
# EAN-13 (and UPC/EAN-8 stored as 13-digit GTINs) first, then other codes; no code at all prints the SKU.
CODE_SQL = (
    "SELECT code FROM product_barcodes WHERE product_id = ? "
    "ORDER BY kind <> 'ean13', length(code) <> 13, kind = 'plu', code LIMIT 1"
)


def _product_ids(conn: apsw.Connection, data: m.LabelsIn) -> list[int]:
    if (data.product_ids is None) == (data.grn_id is None):
        raise ValidationFailed("Send productIds or grnId (one of them).", "LABEL_SOURCE", field="productIds")
    if data.product_ids is not None:
        if not data.product_ids:
            raise ValidationFailed("productIds is empty.", "LABEL_SOURCE", field="productIds")
        return list(data.product_ids)
    row = fetch_one(conn, "SELECT status FROM grns WHERE id = ?", (data.grn_id,))
    if row is None:
        raise NotFound(f"There is no GRN with id {data.grn_id}.", "GRN_NOT_FOUND", field="grnId")
    if row[0] != "posted":
        raise Conflict(f"GRN {data.grn_id} is {row[0]}; labels are printed for posted GRNs.", "GRN_NOT_POSTED")
    rows = fetch_all(conn, "SELECT DISTINCT product_id FROM grn_lines WHERE grn_id = ? ORDER BY line_no",
                     (data.grn_id,))
    return [int(r[0]) for r in rows]


def label_items(conn: apsw.Connection, data: m.LabelsIn, currency: str) -> list[LabelData]:
    """One LabelData per label (each product `copies` times), in the order asked (404 for an unknown product)."""
    digits = minor_digits(currency)
    name_col = NAME_COLUMN[data.language]
    items = []
    for product_id in _product_ids(conn, data):
        row = fetch_one(conn, f"SELECT coalesce({name_col}, name_en), sku, unit, price_retail FROM products "
                              "WHERE id = ? AND deleted_at IS NULL", (product_id,))
        if row is None:
            raise NotFound(f"There is no product with id {product_id}.", "PRODUCT_NOT_FOUND", field="productIds")
        code = fetch_one(conn, CODE_SQL, (product_id,))
        chosen = str(code[0]) if code is not None and str(code[0]).isascii() else str(row[1])
        item = LabelData(name=str(row[0]), sku=str(row[1]), unit=str(row[2]), price=int(row[3]), code=chosen,
                         currency=currency, digits=digits)
        items.extend([item] * data.copies)
    return items

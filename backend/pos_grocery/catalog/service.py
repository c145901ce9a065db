"""Product rules: create, change, delete, list, and the barcode scan lookup (no Litestar here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw
from msgspec import UNSET

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth.errors import permission_denied
from pos_grocery.barcodes import BarcodeError, BarcodeKind, ScannedCode, classify
from pos_grocery.catalog import queries as q
from pos_grocery.catalog.models import Deleted, Product, ProductCreate, ProductPage, ProductPatch, ScanMatch, ScanOut
from pos_grocery.catalog.rules import (
    PRICE_API_FIELDS,
    PRICE_FIELDS,
    Rules,
    check_codes_free,
    check_price,
    check_references,
    check_sku_free,
    check_unit,
    product_codes,
    thousandths,
)
from pos_grocery.db.connection import transaction
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.pagination import encode_cursor

AUDITED = {"price_retail": "retail", "price_wholesale": "wholesale", "price_credit": "credit",
           "price_other": "other", "cost": "cost"}


def _missing(product_id: int) -> NotFound:
    return NotFound(f"There is no product with id {product_id}.", "PRODUCT_NOT_FOUND")


def get_product(conn: apsw.Connection, rules: Rules, product_id: int) -> Product:
    """One product by id (archived ones too, marked with archivedAt)."""
    stored = q.by_id(conn, product_id)
    if stored is None:
        raise _missing(product_id)
    return q.to_wire(stored, rules.currency)


def list_products(conn: apsw.Connection, rules: Rules, filters: dict[str, Any], after: int | None,
                  limit: int) -> ProductPage:
    """Live products filtered by category, tax class, supplier, active and weighed; by id."""
    where = ["p.deleted_at IS NULL"]
    params: list[Any] = []
    for name in ("category_id", "tax_class_id", "supplier_id", "active", "weighed"):
        value = filters.get(name)
        if value is not None:
            where.append(f"p.{name} = ?")
            params.append(int(value))
    rows = q.list_page(conn, where, params, after, limit)
    more = len(rows) > limit
    items = [q.to_wire(row, rules.currency) for row in rows[:limit]]
    return ProductPage(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)


def _values(data: ProductCreate, rules: Rules) -> tuple[Any, ...]:
    """Validated column values of a new product (INSERT order)."""
    names, prices = data.names, data.prices
    check_unit(data.unit, data.weighed)
    return (data.sku, names.en, names.si or None, names.ta or None, data.unit, data.category_id,
            data.tax_class_id, data.supplier_id, prices.retail, prices.wholesale, prices.credit, prices.other,
            data.cost, thousandths(data.reorder_level, "reorderLevel"), int(data.weighed), data.min_age,
            int(data.active))


def _check_prices(values: tuple[Any, ...], rules: Rules) -> None:
    for name, value in zip(PRICE_API_FIELDS, values[8:13], strict=True):
        check_price(value, name, rules)


def create_product(conn: apsw.Connection, rules: Rules, data: ProductCreate, actor: Actor | None,
                   request_id: str | None) -> Product:
    """Insert a product with its codes; its opening prices go to the audit journal."""
    values = _values(data, rules)
    _check_prices(values, rules)
    codes = product_codes(data.barcodes, data.plu, rules)
    now = rules.now()
    with transaction(conn):
        check_sku_free(conn, data.sku, None)
        check_references(conn, {"category_id": data.category_id, "tax_class_id": data.tax_class_id,
                                "supplier_id": data.supplier_id})
        check_codes_free(conn, codes, None)
        product_id = q.insert(conn, values, now)
        q.replace_codes(conn, product_id, codes, now)
        audit_prices(conn, product_id, data.sku, None, values, actor, request_id, rules)
        stored = q.by_id(conn, product_id)
    assert stored is not None
    return q.to_wire(stored, rules.currency)


def price_changes(old: tuple[Any, ...] | None, new: tuple[Any, ...]) -> dict[str, dict[str, int | None]]:
    """Changed prices and cost as {tier: {"old": ..., "new": ...}} (old is None for a new product)."""
    changes: dict[str, dict[str, int | None]] = {}
    for index, name in enumerate(PRICE_FIELDS, start=8):
        before = None if old is None else old[index]
        after = new[index]
        if old is None and after is None:
            continue
        if old is None or before != after:
            changes[AUDITED[name]] = {"old": before, "new": after}
    return changes


def audit_price_batch(conn: apsw.Connection, rows: list[str], source: str, actor: Actor | None,
                      request_id: str | None, rules: Rules) -> None:
    """Journal the price changes of many products (an import) in one event: the same old/new detail, one hash."""
    if rows:
        record(conn, "catalog.prices_imported", actor=actor, entity="import", entity_id=source,
               details={"format": "<productId> <sku> <field>=<old>><new> ...", "rows": rows, "source": source},
               request_id=request_id, at=rules.clock())


def audit_prices(conn: apsw.Connection, product_id: int, sku: str, old: tuple[Any, ...] | None,
                 new: tuple[Any, ...], actor: Actor | None, request_id: str | None, rules: Rules,
                 source: str = "api") -> bool:
    """Journal a price or cost change with old and new values, inside the caller's transaction."""
    changes = price_changes(old, new)
    if not changes:
        return False
    record(conn, "catalog.price_changed", actor=actor, entity="product", entity_id=product_id,
           details={"sku": sku, "changes": changes, "source": source}, request_id=request_id, at=rules.clock())
    return True


def _patched(stored: q.Stored, patch: ProductPatch) -> dict[str, Any]:
    """The product's editable fields after applying a PATCH body."""
    fields: dict[str, Any] = dict(zip(("sku", "name_en", "name_si", "name_ta", "unit", "category_id",
                                       "tax_class_id", "supplier_id", "price_retail", "price_wholesale",
                                       "price_credit", "price_other", "cost", "reorder_level", "weighed",
                                       "min_age", "active"), stored.values(), strict=True))
    simple = ("sku", "unit", "category_id", "tax_class_id", "supplier_id", "cost", "min_age")
    for name in simple:
        value = getattr(patch, name)
        if value is not UNSET:
            fields[name] = value
    for name in ("weighed", "active"):
        value = getattr(patch, name)
        if value is not UNSET:
            fields[name] = int(value)
    if patch.names is not UNSET:
        fields.update(name_en=patch.names.en, name_si=patch.names.si or None, name_ta=patch.names.ta or None)
    if patch.prices is not UNSET:
        for tier in ("retail", "wholesale", "credit", "other"):
            value = getattr(patch.prices, tier)
            if value is not UNSET:
                fields[f"price_{tier}"] = value
    if patch.reorder_level is not UNSET:
        fields["reorder_level"] = thousandths(patch.reorder_level, "reorderLevel")
    return fields


def update_product(conn: apsw.Connection, rules: Rules, product_id: int, patch: ProductPatch,
                   actor: Actor | None, request_id: str | None, may_change_prices: bool) -> Product:
    """Apply a PATCH; price or cost changes need `prices.write` and are journalled with old and new values."""
    with transaction(conn):
        updated, _ = apply_patch(conn, rules, product_id, patch, Editor(actor, request_id, may_change_prices))
    return updated


@dataclass(frozen=True, slots=True)
class Editor:
    """Who changes products: the journal's actor and request id, and whether they hold `prices.write`."""

    actor: Actor | None
    request_id: str | None
    may_change_prices: bool
    source: str = "api"


def apply_patch(conn: apsw.Connection, rules: Rules, product_id: int, patch: ProductPatch,
                 editor: Editor) -> tuple[Product, bool]:
    """A PATCH inside the caller's transaction: the product after it, and whether a price or the cost changed
    (the bulk price route, `price_changes.change_prices`, applies each of its changes through here too)."""
    now = rules.now()
    stored = q.by_id(conn, product_id)
    if stored is None or stored.deleted_at is not None:
        raise _missing(product_id)
    fields = _patched(stored, patch)
    values = tuple(fields.values())
    check_unit(fields["unit"], bool(fields["weighed"]))
    _check_prices(values, rules)
    if price_changes(stored.values(), values) and not editor.may_change_prices:
        raise permission_denied("prices.write")
    if fields["sku"] != stored.sku:
        check_sku_free(conn, fields["sku"], product_id)
    check_references(conn, {k: fields[k] for k in ("category_id", "tax_class_id", "supplier_id")})
    codes = _patched_codes(stored, patch, rules)
    if codes is not None:
        check_codes_free(conn, codes, product_id)
        q.replace_codes(conn, product_id, codes, now)
    q.update(conn, product_id, values, now)
    changed = audit_prices(conn, product_id, fields["sku"], stored.values(), values, editor.actor,
                           editor.request_id, rules, editor.source)
    updated = q.by_id(conn, product_id)
    assert updated is not None
    return q.to_wire(updated, rules.currency), changed


def _patched_codes(stored: q.Stored, patch: ProductPatch, rules: Rules) -> list[tuple[str, str]] | None:
    """The product's codes after the PATCH, or None when neither barcodes nor plu is in it."""
    if patch.barcodes is UNSET and patch.plu is UNSET:
        return None
    barcodes = [code for code, _ in stored.barcodes] if patch.barcodes is UNSET else patch.barcodes
    plu = stored.plu if patch.plu is UNSET else patch.plu
    return product_codes(barcodes, plu, rules)


def delete_product(conn: apsw.Connection, rules: Rules, product_id: int, actor: Actor | None,
                   request_id: str | None) -> Deleted:
    """Delete a product nothing refers to; archive one that sales or stock records refer to."""
    now = rules.now()
    with transaction(conn):
        stored = q.by_id(conn, product_id)
        if stored is None or stored.deleted_at is not None:
            raise _missing(product_id)
        conn.execute("SAVEPOINT product_delete")
        try:
            q.delete(conn, product_id)
            outcome = "deleted"
            conn.execute("RELEASE product_delete")
        except apsw.ConstraintError:
            # Another table's foreign key refers to the product (a sale line, a stock movement): keep the row.
            conn.execute("ROLLBACK TO product_delete")
            conn.execute("RELEASE product_delete")
            q.archive(conn, product_id, now)
            outcome = "archived"
        record(conn, f"catalog.product_{outcome}", actor=actor, entity="product", entity_id=product_id,
               details={"sku": stored.sku, "name": stored.name_en}, request_id=request_id, at=rules.clock())
    return Deleted(id=product_id, outcome="deleted" if outcome == "deleted" else "archived")


def scan_codes(scanned: ScannedCode) -> tuple[str, ...]:
    """Codes to look up for a scan: a scale label's 5-digit item code 04011 also matches the PLU 4011."""
    key = scanned.lookup_key
    if scanned.kind is BarcodeKind.VARIABLE_MEASURE and len(key) == 5 and key.startswith("0"):
        return (key, key[1:])
    return (key,)


def lookup_barcode(conn: apsw.Connection, rules: Rules, code: str) -> ScanMatch:
    """The product for a scanned code (EAN/UPC/GTIN, PLU, internal, variable measure); 404 when unknown."""
    try:
        scanned = classify(code, rules.barcodes)
    except BarcodeError as exc:
        raise ValidationFailed(exc.message, str(exc.code), field="code") from None
    row = q.by_code(conn, scan_codes(scanned))
    if row is None:
        raise NotFound(f"No product has the code {scanned.normalized}.", "BARCODE_NOT_FOUND")
    scan = ScanOut(code=code, kind=scanned.kind.value, normalized=scanned.normalized,
                   lookup_key=scanned.lookup_key, weight_g=scanned.weight_g, price_minor=scanned.price_minor)
    return q.scan_match(row, rules.currency, scan)


def constraint_conflict(exc: apsw.ConstraintError) -> Conflict:
    """A constraint the checks above did not catch (a concurrent CLI import): 409 instead of a 500."""
    return Conflict(f"The change conflicts with the current catalog ({type(exc).__name__}); reload and retry.",
                    "CATALOG_CONFLICT")

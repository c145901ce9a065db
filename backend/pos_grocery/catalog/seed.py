"""The demo store: categories, tax classes, suppliers, customers and a few hundred products (deterministic)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import apsw

from pos_grocery.barcodes import make_ean8, make_ean13, make_upca
from pos_grocery.catalog import vocabulary as v
from pos_grocery.catalog.models import Names, PricesIn, ProductCreate
from pos_grocery.catalog.rules import Rules
from pos_grocery.catalog.service import create_product
from pos_grocery.db.connection import fetch_all, fetch_value, transaction

DEMO_SEED = 4790  # one fixed seed: the demo store is the same on every machine
BRANDS_PER_KIND = 2
SIZE_STEPS = (1, 2, 4, 8)  # price multiple of each next pack size (sizes are listed small to large)
TAX_BY_CATEGORY = {"Fresh Produce": "Exempt", "Rice & Grains": "Exempt", "Dairy & Eggs": "Reduced",
                   "Meat & Fish": "Exempt"}
SUPPLIER_BY_CATEGORY = {"Fresh Produce": 1, "Sugar & Spices": 2, "Meat & Fish": 3, "Beverages": 4,
                        "Alcohol & Tobacco": 4, "Household": 5, "Personal Care": 5}  # index into v.SUPPLIERS
LEGAL_AGE = 21  # Sri Lanka: alcohol and tobacco sales to persons under 21 are prohibited


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What a seeding run created."""

    categories: int
    tax_classes: int
    suppliers: int
    customers: int
    products: int


def _ids(conn: apsw.Connection, table: str) -> dict[str, int]:
    return {str(r[1]): int(r[0]) for r in fetch_all(conn, f"SELECT id, name FROM {table} WHERE deleted_at IS NULL")}


def _reference_data(conn: apsw.Connection, now: str) -> tuple[int, int, int, int]:
    """Categories, tax classes, suppliers and customers the demo needs (existing names are kept)."""
    counts = [0, 0, 0, 0]
    with transaction(conn):
        have = _ids(conn, "categories")
        for name in (n for n in v.CATEGORIES if n not in have):
            conn.execute("INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?)", (name, now, now))
            counts[0] += 1
        have = _ids(conn, "tax_classes")
        for name, rate in ((n, r) for n, r in v.TAX_CLASSES if n not in have):
            conn.execute("INSERT INTO tax_classes (name, rate_bp, created_at, updated_at) VALUES (?, ?, ?, ?)",
                         (name, rate, now, now))
            counts[1] += 1
        have = _ids(conn, "suppliers")
        for name, phone, email, address in (s for s in v.SUPPLIERS if s[0] not in have):
            conn.execute("INSERT INTO suppliers (name, phone, email, address, tax_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", (name, phone, email, address, "", now, now))
            counts[2] += 1
        phones = {str(r[0]) for r in fetch_all(conn, "SELECT phone FROM customers WHERE deleted_at IS NULL")}
        for name, phone, kind, limit, notes in (c for c in v.CUSTOMERS if c[1] not in phones):
            conn.execute("INSERT INTO customers (name, phone, type, notes, credit_limit, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", (name, phone, kind, notes, limit, now, now))
            counts[3] += 1
    return counts[0], counts[1], counts[2], counts[3]


def _price(rng: random.Random, low: int, high: int) -> int:
    """A shelf price in minor units, rounded to 5 rupees."""
    return rng.randrange(low, high, 5) * 100


def _barcodes(serial: int) -> list[str]:
    """EAN-13 (GS1 Sri Lanka prefix 479) for most; some imported UPC-A goods, some small-pack EAN-8s."""
    codes = [make_ean13(f"4791{serial:08d}")]
    if serial % 9 == 0:
        codes.append(make_upca(f"0{78000000 + serial:010d}"))
    if serial % 25 == 0:
        codes.append(make_ean8(f"479{serial:04d}"))
    return codes


def demo_products(ids: dict[str, dict[str, int]]) -> list[ProductCreate]:
    """The demo catalog: packed goods in two brands and every size, then loose produce with PLUs."""
    rng = random.Random(DEMO_SEED)
    suppliers = [ids["suppliers"].get(name) for name, *_ in v.SUPPLIERS]
    made: list[ProductCreate] = []
    for index, kind in enumerate(v.KINDS):
        brands = [v.BRANDS[(index * 3 + k) % len(v.BRANDS)] for k in range(BRANDS_PER_KIND)]
        for brand in brands:
            base = _price(rng, 60, 900)
            for step, size in enumerate(kind.sizes):
                serial = len(made) + 1
                retail = base * SIZE_STEPS[step] // 500 * 500  # bigger packs cost more, in whole 5-rupee steps
                made.append(_product(kind, f"{brand} {kind.en} {size}", f"{brand} {kind.si} {size}",
                                     f"{brand} {kind.ta} {size}", f"P{serial:05d}", retail, rng, ids,
                                     suppliers, _barcodes(serial), None))
    for kind, plu in v.LOOSE:
        retail = _price(rng, 150, 2500)
        made.append(_product(kind, kind.en, kind.si, kind.ta, f"L{plu}", retail, rng, ids, suppliers, [], plu))
    return made


def _product(kind: v.Kind, en: str, si: str, ta: str, sku: str, retail: int, rng: random.Random,
             ids: dict[str, dict[str, int]], suppliers: list[int | None], codes: list[str],
             plu: str | None) -> ProductCreate:
    wholesale = retail * 95 // 100 if rng.random() < 0.6 else None
    return ProductCreate(
        sku=sku, names=Names(en=en, si=si, ta=ta),
        prices=PricesIn(retail=retail, wholesale=wholesale, credit=None if rng.random() < 0.7 else retail),
        unit="kg" if kind.loose else "pc", weighed=kind.loose, category_id=ids["categories"][kind.category],
        tax_class_id=ids["tax_classes"][TAX_BY_CATEGORY.get(kind.category, "Standard VAT")],
        supplier_id=suppliers[SUPPLIER_BY_CATEGORY.get(kind.category, 0)],
        cost=retail * rng.randrange(70, 90) // 100,
        min_age=LEGAL_AGE if kind.category == "Alcohol & Tobacco" else None,
        barcodes=codes, plu=plu, active=not sku.endswith("97"),  # a few inactive ones to see
    )


def seed_demo(conn: apsw.Connection, rules: Rules) -> SeedReport:
    """Load the demo store; products whose SKU already exists are left alone."""
    cats, taxes, sups, custs = _reference_data(conn, rules.now())
    ids = {t: _ids(conn, t) for t in ("categories", "tax_classes", "suppliers")}
    created = 0
    for product in demo_products(ids):
        if fetch_value(conn, "SELECT 1 FROM products WHERE sku = ? AND deleted_at IS NULL", (product.sku,)):
            continue
        create_product(conn, rules, product, None, None)
        created += 1
    return SeedReport(cats, taxes, sups, custs, created)


def catalog_is_empty(conn: apsw.Connection) -> bool:
    """True when the database holds no product at all."""
    return fetch_value(conn, "SELECT 1 FROM products LIMIT 1") is None

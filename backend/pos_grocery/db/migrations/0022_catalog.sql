-- Catalog: categories, tax classes, products and their barcodes.
-- Money is INTEGER minor units, quantities INTEGER thousandths, timestamps ISO-8601 UTC text.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX categories_name ON categories (name COLLATE NOCASE) WHERE deleted_at IS NULL;

CREATE TABLE tax_classes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX tax_classes_name ON tax_classes (name COLLATE NOCASE) WHERE deleted_at IS NULL;

-- Tier prices other than retail are NULL when they fall back to retail. min_age NULL = not restricted.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL COLLATE NOCASE CHECK (length(sku) BETWEEN 1 AND 64),
    name_en TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    name_si TEXT CHECK (length(name_si) <= 200),
    name_ta TEXT CHECK (length(name_ta) <= 200),
    unit TEXT NOT NULL CHECK (unit IN ('pc', 'kg', 'g', 'l', 'ml')),
    category_id INTEGER REFERENCES categories (id),
    tax_class_id INTEGER REFERENCES tax_classes (id),
    supplier_id INTEGER REFERENCES suppliers (id),
    price_retail INTEGER NOT NULL CHECK (price_retail >= 0),
    price_wholesale INTEGER CHECK (price_wholesale >= 0),
    price_credit INTEGER CHECK (price_credit >= 0),
    price_other INTEGER CHECK (price_other >= 0),
    cost INTEGER CHECK (cost >= 0),
    reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
    weighed INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),
    min_age INTEGER CHECK (min_age BETWEEN 1 AND 99),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- A deleted (archived) product frees its SKU for a new product.
CREATE UNIQUE INDEX products_sku ON products (sku) WHERE deleted_at IS NULL;
CREATE INDEX products_category ON products (category_id) WHERE category_id IS NOT NULL;
CREATE INDEX products_tax_class ON products (tax_class_id) WHERE tax_class_id IS NOT NULL;
CREATE INDEX products_supplier ON products (supplier_id) WHERE supplier_id IS NOT NULL;

-- Codes in the barcode module's canonical form (GTINs as 13 digits, or 14 with an indicator digit),
-- PLUs as their digits, internal codes verbatim. The primary key is the unique index a scan looks up:
-- one B-tree probe, then the product by rowid. kind is what the code was entered as (labels reprint it).
CREATE TABLE product_barcodes (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 48),
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('ean13', 'ean8', 'upca', 'upce', 'gtin14', 'plu', 'internal')),
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX product_barcodes_product ON product_barcodes (product_id, code);

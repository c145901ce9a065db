-- Inventory (docs/INVENTORY.md): adjustment documents, goods received notes (GRN) with batches, stocktakes.
-- Every change of stock is still one stock_movements row (0032); these tables are the documents the movements
-- point at through ref_type/ref_id ('adjustment', 'grn', 'stocktake'). Quantities are INTEGER thousandths,
-- money INTEGER minor units, unit costs minor units per unit (per 1.000 of the product's unit).
-- No per-product index is added to stock_movements: measured again for this feature, it makes a 20-line
-- sale's commit ~50 % slower and its WAL ~5x larger (docs/PERFORMANCE.md "Inventory").

-- Manual changes: adjustment (with a reason), write_off, waste, CSV import; transfer_in/transfer_out are
-- reserved for multi-store and not accepted by the API yet.
CREATE TABLE stock_adjustments (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('adjustment', 'write_off', 'waste', 'import', 'transfer_in', 'transfer_out')),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_by INTEGER REFERENCES users (id),
    approved_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE grns (
    id INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    reference TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted', 'void')),
    freight INTEGER NOT NULL DEFAULT 0 CHECK (freight >= 0),
    other_costs INTEGER NOT NULL DEFAULT 0 CHECK (other_costs >= 0),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    posted_at TEXT,
    posted_by INTEGER REFERENCES users (id),
    voided_at TEXT,
    voided_by INTEGER REFERENCES users (id),
    void_reason TEXT
) STRICT;

CREATE INDEX grns_status ON grns (status, id);

-- landed_unit_cost is set when the GRN is posted: unit cost plus the line's share of freight and other costs.
CREATE TABLE grn_lines (
    id INTEGER PRIMARY KEY,
    grn_id INTEGER NOT NULL REFERENCES grns (id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    product_id INTEGER NOT NULL REFERENCES products (id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_cost INTEGER NOT NULL CHECK (unit_cost >= 0),
    mrp INTEGER CHECK (mrp >= 0),
    batch TEXT CHECK (length(batch) <= 60),
    expiry TEXT CHECK (expiry IS NULL OR length(expiry) = 10),
    landed_unit_cost INTEGER,
    UNIQUE (grn_id, line_no)
) STRICT;

-- What arrived in which batch with which expiry (written when a GRN is posted): the near-expiry list.
CREATE TABLE stock_batches (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    grn_line_id INTEGER NOT NULL REFERENCES grn_lines (id),
    batch TEXT,
    expiry TEXT,
    qty INTEGER NOT NULL CHECK (qty > 0),
    received_at TEXT NOT NULL
) STRICT;

CREATE INDEX stock_batches_expiry ON stock_batches (expiry) WHERE expiry IS NOT NULL;
CREATE INDEX stock_batches_product ON stock_batches (product_id, id);

-- A stocktake compares counts with the ledger as it was when the count started: start_movement_id is the
-- last movement then, so movements after it (sales during the count) are not variance.
CREATE TABLE stocktakes (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('full', 'category')),
    category_id INTEGER REFERENCES categories (id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finalised', 'cancelled')),
    start_movement_id INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    approved_by INTEGER REFERENCES users (id),
    CHECK ((scope = 'category') = (category_id IS NOT NULL))
) STRICT;

-- Count entries, one per scan or typed count, from any number of counters; a product's count is their sum.
CREATE TABLE stocktake_counts (
    id INTEGER PRIMARY KEY,
    stocktake_id INTEGER NOT NULL REFERENCES stocktakes (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    qty INTEGER NOT NULL,
    code TEXT,
    counted_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX stocktake_counts_product ON stocktake_counts (stocktake_id, product_id);

-- Scans of codes no product has (or products outside the stocktake's category): kept, never dropped.
CREATE TABLE stocktake_exceptions (
    id INTEGER PRIMARY KEY,
    stocktake_id INTEGER NOT NULL REFERENCES stocktakes (id),
    code TEXT NOT NULL,
    product_id INTEGER REFERENCES products (id),
    reason TEXT NOT NULL CHECK (reason IN ('unknown_code', 'out_of_scope')),
    qty INTEGER NOT NULL,
    counted_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX stocktake_exceptions_stocktake ON stocktake_exceptions (stocktake_id, id);

-- Written when a stocktake is finalised: the ledger at the start, the count and the variance per product.
CREATE TABLE stocktake_results (
    stocktake_id INTEGER NOT NULL REFERENCES stocktakes (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    expected INTEGER NOT NULL,
    counted INTEGER NOT NULL,
    variance INTEGER NOT NULL,
    unit_cost INTEGER,
    PRIMARY KEY (stocktake_id, product_id)
) STRICT, WITHOUT ROWID;

-- The stock ledger: every change of stock is one movement row (sale, return, void, write_off, and what the
-- inventory feature adds: receipt, adjustment, waste, stocktake). qty is signed thousandths (negative
-- leaves the shelf); ref_type/ref_id name the document ('sale', 'return', ...); unit_cost in minor units
-- when known.
CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    qty INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    ref_type TEXT,
    ref_id INTEGER,
    unit_cost INTEGER,
    created_at TEXT NOT NULL
) STRICT;

-- No (product_id, ...) index here on purpose: a sale writes one movement per line, and such an index puts
-- ~20 random leaf pages into every sale's commit (measured in docs/CHECKOUT.md "Speed"). A product's history
-- reads this table on a worker thread (Database.run_in_thread), or through ref_type/ref_id.
CREATE INDEX stock_movements_ref ON stock_movements (ref_type, ref_id);

-- Stock on hand per product (thousandths): the running sum of its movements, kept in the same transaction
-- as each movement (an upsert: a product without a row has 0). A narrow table instead of a products column,
-- on purpose: a sale touches ~20 products, and in this table they share a few pages, where products rows
-- (wide: names, prices) spread over ~20 pages -- measured 51 -> 34 WAL pages per 20-line sale.
CREATE TABLE stock_levels (
    product_id INTEGER PRIMARY KEY REFERENCES products (id),
    on_hand INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) STRICT;

-- products with their stock, for readers that want one row per product.
CREATE VIEW product_stock AS
SELECT p.id AS product_id, coalesce(s.on_hand, 0) AS stock_on_hand, s.updated_at
FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id;

-- Returns and refunds (docs/CHECKOUT.md "Returns"). A return against a sale refunds each line's share of
-- what was actually paid (pro rata, cumulative, so partial returns add up to the line's total exactly);
-- a return without a receipt (sale_id NULL) is valued at the product's current price and needs a manager.
CREATE TABLE returns (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER REFERENCES sales (id),
    terminal_id INTEGER REFERENCES terminals (id),
    cashier_id INTEGER NOT NULL REFERENCES users (id),
    approved_by INTEGER REFERENCES users (id),
    customer_id INTEGER REFERENCES customers (id),
    business_date TEXT NOT NULL,
    refund_method TEXT NOT NULL CHECK (refund_method IN ('cash', 'card', 'store_credit', 'customer_account')),
    refund_reference TEXT,
    store_credit_id INTEGER REFERENCES store_credits (id),
    total_amount INTEGER NOT NULL CHECK (total_amount >= 0),
    tax_amount INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'runbook')),
    idempotency_key TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX returns_sale ON returns (sale_id) WHERE sale_id IS NOT NULL;
CREATE INDEX returns_created ON returns (created_at);

CREATE TABLE return_lines (
    id INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns (id),
    sale_line_id INTEGER REFERENCES sale_lines (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    total_amount INTEGER NOT NULL CHECK (total_amount >= 0),
    tax_amount INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('damaged', 'expired', 'wrong_item', 'customer_change', 'other')),
    disposition TEXT NOT NULL CHECK (disposition IN ('restock', 'write_off'))
) STRICT;

CREATE INDEX return_lines_return ON return_lines (return_id);
CREATE INDEX return_lines_sale_line ON return_lines (sale_line_id) WHERE sale_line_id IS NOT NULL;

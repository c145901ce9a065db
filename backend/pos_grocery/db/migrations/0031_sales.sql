-- Completed sales (docs/CHECKOUT.md). Money is INTEGER minor units, quantities INTEGER thousandths,
-- rates basis points, times ISO-8601 UTC text with Z; business_date is YYYY-MM-DD in STORE_TIMEZONE.
-- A sale and everything below it is written in one transaction; rows are never deleted (voids flip status).

-- What a customer owes on account (positive) or has in credit (negative); changed only with a sale,
-- a void or a refund in the same transaction.
ALTER TABLE customers ADD COLUMN balance INTEGER NOT NULL DEFAULT 0;

-- Gap-free receipt numbers: one counter per terminal and business day, bumped inside the sale's
-- transaction, so a rolled-back sale gives its number back.
CREATE TABLE receipt_sequences (
    terminal_id INTEGER NOT NULL REFERENCES terminals (id),
    business_date TEXT NOT NULL,
    last_seq INTEGER NOT NULL CHECK (last_seq >= 1),
    PRIMARY KEY (terminal_id, business_date)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales (
    id INTEGER PRIMARY KEY,
    receipt_no TEXT NOT NULL UNIQUE,
    terminal_id INTEGER NOT NULL REFERENCES terminals (id),
    business_date TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    cashier_id INTEGER NOT NULL REFERENCES users (id),
    -- Shifts arrive with migrations 0040-0049; until then NULL.
    shift_id INTEGER,
    customer_id INTEGER REFERENCES customers (id),
    held_sale_id INTEGER,
    price_tier TEXT NOT NULL CHECK (price_tier IN ('retail', 'wholesale', 'credit', 'other')),
    language TEXT NOT NULL CHECK (language IN ('en', 'si', 'ta')),
    prices_include_tax INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'voided')),
    base_amount INTEGER NOT NULL,
    line_discount INTEGER NOT NULL,
    bill_discount INTEGER NOT NULL,
    net_amount INTEGER NOT NULL,
    taxable_amount INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    cash_rounding INTEGER NOT NULL DEFAULT 0,
    amount_due INTEGER NOT NULL CHECK (amount_due >= 0),
    tendered_amount INTEGER NOT NULL,
    change_amount INTEGER NOT NULL CHECK (change_amount >= 0),
    refunded_amount INTEGER NOT NULL DEFAULT 0,
    age_checks TEXT,
    approved_by INTEGER REFERENCES users (id),
    idempotency_key TEXT,
    receipt_printed_at TEXT,
    reprint_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    voided_at TEXT,
    void_reason TEXT,
    voided_by INTEGER REFERENCES users (id),
    void_approved_by INTEGER REFERENCES users (id),
    UNIQUE (terminal_id, business_date, seq)
) STRICT;

CREATE INDEX sales_created ON sales (created_at);
CREATE INDEX sales_customer ON sales (customer_id) WHERE customer_id IS NOT NULL;

-- name/unit are copied from the product in the sale's language: a receipt reprints as it was printed.
-- returned_qty / refunded_* are maintained by returns in their transaction (at most what was sold).
CREATE TABLE sale_lines (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    product_id INTEGER NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_price INTEGER,
    scanned_code TEXT,
    price_overridden INTEGER NOT NULL DEFAULT 0 CHECK (price_overridden IN (0, 1)),
    base_amount INTEGER NOT NULL,
    discount_amount INTEGER NOT NULL,
    bill_discount INTEGER NOT NULL,
    net_amount INTEGER NOT NULL,
    tax_rate_bp INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    taxable_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    returned_qty INTEGER NOT NULL DEFAULT 0 CHECK (returned_qty >= 0 AND returned_qty <= qty),
    refunded_amount INTEGER NOT NULL DEFAULT 0,
    refunded_tax INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sale_id, line_no)
) STRICT;

-- No index on product_id, on purpose: every sale would write ~20 random index pages (measured: a 20-line
-- sale's WAL grew from 31 to 53 pages and its commit from 0.8 to 1.0 ms+; docs/CHECKOUT.md "Speed").
-- Reports by product go through sales by date, then their lines by sale_id.

-- Promotions, quantity breaks and manual discounts: line_no NULL for bill-level adjustments.
CREATE TABLE sale_adjustments (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    line_no INTEGER,
    kind TEXT NOT NULL,
    rule_id INTEGER,
    amount INTEGER NOT NULL,
    text TEXT NOT NULL,
    reason TEXT
) STRICT;

CREATE INDEX sale_adjustments_sale ON sale_adjustments (sale_id);

CREATE TABLE sale_tax_lines (
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    rate_bp INTEGER NOT NULL,
    taxable_amount INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    PRIMARY KEY (sale_id, rate_bp)
) STRICT, WITHOUT ROWID;

-- Store credit vouchers: issued by refunds, spent as a tender (code printed on the refund slip).
CREATE TABLE store_credits (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers (id),
    issued_amount INTEGER NOT NULL CHECK (issued_amount > 0),
    balance INTEGER NOT NULL CHECK (balance >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- amount is what the tender paid toward amount_due (the tenders of a sale sum to it exactly);
-- tendered is the cash handed over (cash only); change_amount the cash given back from this tender.
CREATE TABLE sale_tenders (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    seq INTEGER NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'wallet', 'customer_account', 'store_credit')),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    tendered INTEGER NOT NULL CHECK (tendered >= 0),
    change_amount INTEGER NOT NULL DEFAULT 0 CHECK (change_amount >= 0),
    reference TEXT,
    store_credit_id INTEGER REFERENCES store_credits (id),
    UNIQUE (sale_id, seq)
) STRICT;

-- Lines the cashier voided before payment (audited with their reason).
CREATE TABLE sale_line_voids (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    qty INTEGER NOT NULL,
    reason TEXT NOT NULL
) STRICT;

CREATE INDEX sale_line_voids_sale ON sale_line_voids (sale_id);

-- The runbook's restore drill reads `SELECT MAX(created_at) FROM invoices`.
CREATE VIEW invoices AS
SELECT id, receipt_no AS invoice_no, terminal_id, cashier_id, customer_id, status, amount_due AS total,
       business_date, created_at
FROM sales;

-- Report roll-ups (docs/SHIFTS.md "Reports"): per business day, built once the day is final (no sale can be
-- added to or voided in it any more) from the raw sale rows, by the same SQL the live path runs on open days.
-- Nothing is written per sale: the checkout's commit cost is unchanged (docs/adr/0003-checkout-commit.md).
-- A test rebuilds every roll-up from the raw rows and compares.

-- The days whose roll-ups exist (all tables below are written for a day in one transaction).
CREATE TABLE report_days (
    business_date TEXT PRIMARY KEY,
    sales INTEGER NOT NULL,
    built_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Sales by local hour, terminal, cashier and price tier (completed sales; voids counted apart).
CREATE TABLE report_day_sales (
    business_date TEXT NOT NULL,
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    terminal_id INTEGER NOT NULL,
    cashier_id INTEGER NOT NULL,
    price_tier TEXT NOT NULL,
    sales INTEGER NOT NULL,
    base_amount INTEGER NOT NULL,
    discount_amount INTEGER NOT NULL,
    net_amount INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    cash_rounding INTEGER NOT NULL,
    amount_due INTEGER NOT NULL,
    voids INTEGER NOT NULL,
    voided_amount INTEGER NOT NULL,
    PRIMARY KEY (business_date, hour, terminal_id, cashier_id, price_tier)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_products (
    business_date TEXT NOT NULL,
    product_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    lines INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    net_amount INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    PRIMARY KEY (business_date, product_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_tax (
    business_date TEXT NOT NULL,
    rate_bp INTEGER NOT NULL,
    taxable_amount INTEGER NOT NULL,
    tax_amount INTEGER NOT NULL,
    total_amount INTEGER NOT NULL,
    PRIMARY KEY (business_date, rate_bp)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_tenders (
    business_date TEXT NOT NULL,
    method TEXT NOT NULL,
    count INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    tendered INTEGER NOT NULL,
    change_amount INTEGER NOT NULL,
    PRIMARY KEY (business_date, method)
) STRICT, WITHOUT ROWID;

-- Promotions and discounts used: rule_id 0 stands for "no rule" (manual discounts).
CREATE TABLE report_day_adjustments (
    business_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    uses INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (business_date, kind, rule_id)
) STRICT, WITHOUT ROWID;

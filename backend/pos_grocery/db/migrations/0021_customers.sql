-- Customers (catalog issue; the account balance arrives with checkout). The type sets the price tier.
-- A non-empty phone is unique among live customers: the lane finds a customer by phone.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    type TEXT NOT NULL DEFAULT 'retail' CHECK (type IN ('retail', 'wholesale', 'credit', 'other')),
    notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX customers_phone ON customers (phone) WHERE phone <> '' AND deleted_at IS NULL;
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

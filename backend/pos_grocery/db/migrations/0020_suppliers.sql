-- Suppliers (catalog issue). Names are unique among live rows: CSV files and product rows refer to a
-- supplier by name. A supplier referenced by products is archived (deleted_at) instead of deleted.
CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 200),
    address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    tax_id TEXT NOT NULL DEFAULT '' CHECK (length(tax_id) <= 60),
    notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX suppliers_name ON suppliers (name COLLATE NOCASE) WHERE deleted_at IS NULL;

-- Shifts and cash control (docs/SHIFTS.md). Money is INTEGER minor units, times ISO-8601 UTC text with Z,
-- business dates YYYY-MM-DD in STORE_TIMEZONE. Nothing here is ever deleted.

-- A terminal's shift: opened with a float, closed once by a Z report. At most one open shift per terminal
-- (the partial unique index); every sale and every cash refund at the terminal belongs to its open shift.
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY,
    terminal_id INTEGER NOT NULL REFERENCES terminals (id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
    opened_by INTEGER NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    business_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    closed_by INTEGER REFERENCES users (id),
    close_approved_by INTEGER REFERENCES users (id),
    closed_at TEXT,
    closed_business_date TEXT,
    expected_cash INTEGER,
    declared_cash INTEGER,
    variance INTEGER,
    z_number INTEGER UNIQUE,
    CHECK ((status = 'open') = (closed_at IS NULL))
) STRICT;

CREATE UNIQUE INDEX shifts_one_open ON shifts (terminal_id) WHERE status = 'open';
CREATE INDEX shifts_terminal ON shifts (terminal_id, id);
CREATE INDEX shifts_closed_day ON shifts (closed_business_date) WHERE closed_business_date IS NOT NULL;

-- A closed shift's figures never change.
CREATE TRIGGER shifts_closed_immutable BEFORE UPDATE ON shifts WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'a closed shift is immutable');
END;

-- Cash put into or taken out of the drawer outside a sale; amount always positive, the kind gives the sign
-- (cash_in adds; cash_out, drop, pickup and petty take out).
CREATE TABLE cash_movements (
    id INTEGER PRIMARY KEY,
    shift_id INTEGER NOT NULL REFERENCES shifts (id),
    kind TEXT NOT NULL CHECK (kind IN ('cash_in', 'cash_out', 'drop', 'pickup', 'petty')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    user_id INTEGER NOT NULL REFERENCES users (id),
    approved_by INTEGER REFERENCES users (id),
    idempotency_key TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX cash_movements_shift ON cash_movements (shift_id);

-- Drawer opened without a sale ("no sale"): reason required, audited, counted on the Z.
CREATE TABLE no_sales (
    id INTEGER PRIMARY KEY,
    shift_id INTEGER NOT NULL REFERENCES shifts (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX no_sales_shift ON no_sales (shift_id);

-- The Z report as issued: a JSON document written once, in the closing transaction, numbered gap-free.
-- Only the reprint counter may change afterwards.
CREATE TABLE z_reports (
    z_number INTEGER PRIMARY KEY CHECK (z_number >= 1),
    shift_id INTEGER NOT NULL UNIQUE REFERENCES shifts (id),
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reprint_count INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER z_reports_immutable BEFORE UPDATE OF z_number, shift_id, document, sha256, created_at ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'a Z report is immutable');
END;

CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'a Z report is immutable');
END;

-- Sales reach their shift's rows by this index (the Z report); sales.shift_id itself exists since 0031.
CREATE INDEX sales_shift ON sales (shift_id) WHERE shift_id IS NOT NULL;

-- Refunds belong to the shift of the terminal that paid them (cash refunds need one).
ALTER TABLE returns ADD COLUMN shift_id INTEGER REFERENCES shifts (id);
CREATE INDEX returns_shift ON returns (shift_id) WHERE shift_id IS NOT NULL;

-- Held (parked) sales: at most MAX_HELD_SALES 'held' per terminal, expiring after HOLD_EXPIRY_HOURS.
-- cart is the lane's cart as JSON (lines, tier, customer, discounts); locked_prices the unit prices at hold
-- time by line, used on resume only when price_locked. A hold is resumed on any terminal, then completed
-- by the sale that carries its id, or discarded by a manager.
CREATE TABLE held_sales (
    id INTEGER PRIMARY KEY,
    terminal_id INTEGER NOT NULL REFERENCES terminals (id),
    cashier_id INTEGER NOT NULL REFERENCES users (id),
    customer_id INTEGER REFERENCES customers (id),
    note TEXT NOT NULL DEFAULT '',
    cart TEXT NOT NULL,
    price_locked INTEGER NOT NULL DEFAULT 0 CHECK (price_locked IN (0, 1)),
    locked_prices TEXT,
    total_amount INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'resumed', 'completed', 'discarded')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    resumed_at TEXT,
    resumed_by INTEGER REFERENCES users (id),
    resumed_terminal_id INTEGER REFERENCES terminals (id),
    closed_at TEXT,
    sale_id INTEGER REFERENCES sales (id),
    discard_reason TEXT
) STRICT;

CREATE INDEX held_sales_terminal ON held_sales (terminal_id, status);
CREATE INDEX held_sales_status ON held_sales (status, expires_at);

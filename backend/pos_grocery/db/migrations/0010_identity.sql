-- Identity: users, terminals (lanes), sessions and the lock-out counters (docs/SECURITY.md).
-- Times are ISO 8601 UTC text with milliseconds and Z (fixed width: text order is time order).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin', 'auditor')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- argon2id PHC strings; never the PIN or password itself.
    pin_hash TEXT,
    -- HMAC-SHA256(server key, PIN): finds the one candidate for a PIN without a username.
    pin_lookup TEXT,
    password_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((pin_hash IS NULL) = (pin_lookup IS NULL))
) STRICT;

-- A PIN identifies one active person.
CREATE UNIQUE INDEX users_active_pin ON users (pin_lookup) WHERE active = 1 AND pin_lookup IS NOT NULL;
CREATE INDEX users_pin_lookup ON users (pin_lookup) WHERE pin_lookup IS NOT NULL;

CREATE TABLE terminals (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    store_code TEXT NOT NULL,
    device_service_url TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_seen_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    -- SHA-256 of the bearer token: a copy of the database does not hand out live sessions.
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    terminal_id INTEGER REFERENCES terminals (id),
    method TEXT NOT NULL CHECK (method IN ('pin', 'password', 'cli')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed attempts per subject: 'user:<id>', 'username:<name>' (unknown names lock the same way, so a
-- lock reveals nothing), 'terminal:<id>' (a wrong PIN at a lane names nobody) and 'pinpad:user:<id>'.
CREATE TABLE auth_throttle (
    subject TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    locked_until TEXT,
    updated_at TEXT NOT NULL
) STRICT;

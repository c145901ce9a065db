-- Foundation: a table for the readiness write probe and key/value store settings.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY,
    probed_at TEXT NOT NULL
) STRICT;

CREATE TABLE store_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

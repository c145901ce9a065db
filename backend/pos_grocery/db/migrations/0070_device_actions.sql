-- Device actions the API asked the device service for (docs/DEVICES.md "The API side"): a sale's or a
-- return's receipt, a reprint, a drawer kick. One row per action id (`<idempotency key>:print`, `:drawer`,
-- `:reprint:<n>`, or the caller's id for a "no sale" kick); the device service prints each id at most once,
-- this table remembers what the API was told so that a retried sale never asks twice for what is done and a
-- failed print can be retried (`POST /api/sales/{id}/print`).
CREATE TABLE device_actions (
    action_id TEXT PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('sale', 'return', 'no_sale')),
    entity_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('print', 'reprint', 'drawer')),
    status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'pending')),
    detail TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 1,
    terminal_id INTEGER REFERENCES terminals (id),
    device_url TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX device_actions_entity ON device_actions (entity, entity_id);
CREATE INDEX device_actions_failed ON device_actions (updated_at) WHERE status <> 'done';

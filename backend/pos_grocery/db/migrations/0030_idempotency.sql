-- Idempotency keys (docs/CHECKOUT.md, API-CONVENTIONS "Requests that change money or stock").
-- A key is written in the same transaction as the effect it guards, with the hash of the request body and
-- the response that was sent, so a retry is answered from here and can never repeat the effect.
-- scope names the operation ('sales.create', 'returns.create', ...); keys are kept until expires_at (>= 24 h).
CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 64),
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 299),
    response BLOB NOT NULL,
    resource_type TEXT,
    resource_id INTEGER,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    UNIQUE (scope, key)
) STRICT;

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

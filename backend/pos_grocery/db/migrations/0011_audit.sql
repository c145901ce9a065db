-- The audit journal: append-only and hash-chained (docs/SECURITY.md "Audit journal").
-- hash = SHA-256 over the row's canonical content including prev_hash, the previous row's hash
-- (64 zeros for the first row). Editing, deleting or reordering a row breaks the chain at that row.

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT,
    approver_id INTEGER,
    approver_name TEXT,
    terminal_id INTEGER,
    terminal_name TEXT,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    request_id TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
) STRICT;

CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

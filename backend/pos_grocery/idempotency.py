"""Idempotency keys for requests that change money or stock (shared by sales, returns, shifts, GRN, ...).

The contract (API-CONVENTIONS, IETF httpapi `Idempotency-Key` draft):
- the client sends `Idempotency-Key: <UUID>`; the key, the SHA-256 of the request body and the response that
  was sent are stored in the SAME transaction as the effect, so the effect and its key commit together;
- same key + same body -> the stored response again (same status, same bytes), the effect is not repeated;
- same key + another body -> 409 IDEMPOTENCY_KEY_REUSED; keys are kept at least 24 h (setting).

Usage in a service (one writer, inline on the event loop):

    key = parse_key(header)                              # 400 when missing or not a UUID
    digest = body_hash(scope, data)
    found = find(rt.db.reader, scope, key, digest)       # early replay, before validation
    if found: return found
    ... validate ...
    with rt.db.write() as conn:
        found = find(conn, scope, key, digest)           # the authoritative check, under the write lock
        if found: return found
        ... the effect ...
        save(conn, Saved(scope, key, digest, 201, encoded_body, "sale", sale_id), now, retention_hours)
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import apsw
import msgspec

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Conflict, ValidationFailed

HEADER = "Idempotency-Key"
PURGE_BATCH = 50

FIND_SQL = "SELECT request_hash, status, response FROM idempotency_keys WHERE scope = ? AND key = ?"
INSERT_SQL = (
    "INSERT INTO idempotency_keys (scope, key, request_hash, status, response, resource_type, resource_id, "
    "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# A few expired keys go with every save: the table stays bounded without a timer or a thread.
PURGE_SQL = (
    "DELETE FROM idempotency_keys WHERE id IN "
    "(SELECT id FROM idempotency_keys WHERE expires_at < ? ORDER BY expires_at LIMIT ?)"
)


@dataclass(frozen=True, slots=True)
class Replay:
    """A stored answer: the status and the exact body bytes sent the first time."""

    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Saved:
    """What `save` stores for one key."""

    scope: str
    key: str
    request_hash: str
    status: int
    body: bytes
    resource_type: str | None = None
    resource_id: int | None = None


def parse_key(raw: str | None, *, required: bool = True) -> str | None:
    """The header's UUID in canonical lower-case form; 400 IDEMPOTENCY_KEY_MISSING / _INVALID."""
    if raw is None or raw.strip() == "":
        if not required:
            return None
        raise ValidationFailed(
            f"Send an {HEADER} header (a UUID the client generates once per sale or refund).",
            "IDEMPOTENCY_KEY_MISSING",
            field=HEADER,
        )
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise ValidationFailed(f"{HEADER} must be a UUID.", "IDEMPOTENCY_KEY_INVALID", field=HEADER) from None


SECRET_FIELD = "manager_pin"
SECRET_KEY = "managerPin"


def without_secrets(body: Any) -> Any:
    """The body with its manager PIN left out: a 4-6 digit PIN under a plain SHA-256 would be easy to recover
    from the stored hash, and the PIN authorises the request rather than being part of what it asks for."""
    if isinstance(body, msgspec.Struct) and getattr(body, SECRET_FIELD, None) is not None:
        return msgspec.structs.replace(body, **{SECRET_FIELD: None})
    if isinstance(body, dict) and SECRET_KEY in body:
        return {k: v for k, v in body.items() if k != SECRET_KEY}
    return body


def body_hash(scope: str, body: Any) -> str:
    """SHA-256 of the scope and the request body's canonical JSON (decoded, so whitespace does not count),
    secrets left out (`without_secrets`)."""
    body = without_secrets(body)
    digest = hashlib.sha256(scope.encode())
    digest.update(b"\0")
    digest.update(msgspec.json.encode(body, order="sorted"))
    return digest.hexdigest()


def find(conn: apsw.Connection, scope: str, key: str, request_hash: str) -> Replay | None:
    """The stored answer for this key, None when the key is new; 409 when it came with another body."""
    row = fetch_one(conn, FIND_SQL, (scope, key))
    if row is None:
        return None
    if row[0] != request_hash:
        raise Conflict(
            f"The {HEADER} {key} was already used for a different request; generate a new key for a new one.",
            "IDEMPOTENCY_KEY_REUSED",
        )
    return Replay(status=int(row[1]), body=bytes(row[2]))


def save(conn: apsw.Connection, saved: Saved, now: float, retention_hours: int) -> None:
    """Store a key with its answer inside the caller's write transaction (and purge a few expired keys)."""
    if not conn.in_transaction:
        raise RuntimeError("idempotency.save must run inside the effect's write transaction")
    conn.execute(PURGE_SQL, (iso_utc(now), PURGE_BATCH))
    conn.execute(
        INSERT_SQL,
        (
            saved.scope,
            saved.key,
            saved.request_hash,
            saved.status,
            saved.body,
            saved.resource_type,
            saved.resource_id,
            iso_utc(now),
            iso_utc(now + retention_hours * 3600.0),
        ),
    )

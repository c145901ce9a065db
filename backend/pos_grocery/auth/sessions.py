"""Opaque bearer tokens and their server-side sessions (expiry, logout, inactivity lock)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import apsw

from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import Role
from pos_grocery.clock import iso_utc, parse_iso
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import Unauthorized
from pos_grocery.settings import Settings

TOKEN_PREFIX = "pgs_"
# Ended and expired sessions are kept this long (for support questions), then deleted at a sign-in.
KEEP_ENDED_SECONDS = 30 * 24 * 3600.0
RESOLVE_SQL = """
SELECT s.id, s.user_id, u.username, u.display_name, u.role, u.active, s.terminal_id, t.name, t.store_code,
       t.active, s.method, s.expires_at, s.last_seen_at, s.ended_at
FROM sessions AS s JOIN users AS u ON u.id = s.user_id LEFT JOIN terminals AS t ON t.id = s.terminal_id
WHERE s.token_hash = ?
"""


@dataclass(frozen=True, slots=True)
class SessionTimes:
    """Session lifetime settings in seconds."""

    ttl: float
    inactivity: float

    @property
    def touch_every(self) -> float:
        """How stale last_seen may get before a request rewrites it (one write a minute, not one a request)."""
        return min(60.0, self.inactivity / 10.0)

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionTimes:
        """SESSION_TTL_HOURS and INACTIVITY_LOCK_MINUTES."""
        return cls(settings.session_ttl_hours * 3600.0, settings.inactivity_lock_minutes * 60.0)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A valid session and whether its last_seen needs a write."""

    identity: Identity
    needs_touch: bool


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(
    conn: apsw.Connection, user_id: int, terminal_id: int | None, method: str, now: float, times: SessionTimes
) -> tuple[str, str]:
    """Insert a session (inside a write transaction); return the token (shown once) and its expiry."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = iso_utc(now + times.ttl)
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, terminal_id, method, created_at, expires_at, last_seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash(token), user_id, terminal_id, method, iso_utc(now), expires, iso_utc(now)),
    )
    conn.execute("DELETE FROM sessions WHERE expires_at < ?", (iso_utc(now - KEEP_ENDED_SECONDS),))
    return token, expires


def resolve(conn: apsw.Connection, token: str, now: float, times: SessionTimes, allow_locked: bool) -> Resolved:
    """The identity behind a token, or 401 with the reason's stable code."""
    row = fetch_one(conn, RESOLVE_SQL, (token_hash(token),)) if token.startswith(TOKEN_PREFIX) else None
    if row is None:
        raise Unauthorized("The session token is not valid; sign in again.", "UNAUTHORIZED")
    if not row[5]:
        raise Unauthorized("This account is disabled.", "ACCOUNT_DISABLED")
    if row[13] is not None:
        raise Unauthorized("This session has ended; sign in again.", "SESSION_ENDED")
    if now >= parse_iso(row[11]):
        raise Unauthorized("The session has expired; sign in again.", "TOKEN_EXPIRED")
    if row[6] is not None and not row[9]:
        raise Unauthorized("This terminal has been deactivated.", "TERMINAL_INACTIVE")
    idle = now - parse_iso(row[12])
    if idle >= times.inactivity and not allow_locked:
        raise Unauthorized("The session is locked after inactivity; enter your PIN to unlock.", "SESSION_LOCKED")
    identity = Identity(
        session_id=row[0],
        user_id=row[1],
        username=row[2],
        display_name=row[3],
        role=Role(row[4]),
        terminal_id=row[6],
        terminal_name=row[7],
        store_code=row[8],
        method=row[10],
        expires_at=row[11],
    )
    return Resolved(identity, needs_touch=idle >= times.touch_every and idle < times.inactivity)


def touch(conn: apsw.Connection, identity: Identity, now: float) -> None:
    """Record activity on the session and its terminal (inside a write transaction)."""
    stamp = iso_utc(now)
    conn.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (stamp, identity.session_id))
    if identity.terminal_id is not None:
        conn.execute("UPDATE terminals SET last_seen_at = ? WHERE id = ?", (stamp, identity.terminal_id))


def end_session(conn: apsw.Connection, session_id: int, reason: str, now: float) -> None:
    """Mark one session ended (logout)."""
    conn.execute(
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
        (iso_utc(now), reason, session_id),
    )


def end_user_sessions(conn: apsw.Connection, user_id: int, reason: str, now: float, keep: int | None = None) -> int:
    """End every open session of a user but `keep` (disabled, credentials changed); return how many."""
    conn.execute(
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL AND id != ?",
        (iso_utc(now), reason, user_id, keep or 0),
    )
    return conn.changes()

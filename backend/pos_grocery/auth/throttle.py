"""Lock-out counters: N failures within the window lock the subject for the lock time (injected clock)."""

from __future__ import annotations

from dataclasses import dataclass

import apsw

from pos_grocery.clock import iso_utc, parse_iso
from pos_grocery.db.connection import fetch_one
from pos_grocery.settings import Settings


@dataclass(frozen=True, slots=True)
class Policy:
    """LOCKOUT_ATTEMPTS failures within LOCKOUT_MINUTES lock for LOCKOUT_MINUTES."""

    attempts: int = 5
    lock_seconds: float = 15 * 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The configured policy."""
        return cls(settings.lockout_attempts, settings.lockout_minutes * 60.0)


def user_subject(user_id: int) -> str:
    """Subject of a known account."""
    return f"user:{user_id}"


def username_subject(username: str) -> str:
    """Subject of a name nobody has: it locks like a real account, so a lock reveals nothing."""
    return f"username:{username.strip().lower()[:64]}"


def terminal_subject(terminal_id: int) -> str:
    """Subject of a lane's PIN pad (a wrong PIN names nobody)."""
    return f"terminal:{terminal_id}"


def pinpad_subject(user_id: int) -> str:
    """Subject of manager-PIN entry in a session without a terminal (back office)."""
    return f"pinpad:user:{user_id}"


def _state(conn: apsw.Connection, subject: str) -> tuple[int, float | None, float]:
    row = fetch_one(conn, "SELECT failures, locked_until, updated_at FROM auth_throttle WHERE subject = ?", (subject,))
    if row is None:
        return 0, None, 0.0
    return int(row[0]), (parse_iso(row[1]) if row[1] else None), parse_iso(row[2])


def locked_until(conn: apsw.Connection, subject: str, now: float) -> float | None:
    """The end of the subject's lock when it is locked at `now`, else None."""
    _failures, until, _updated = _state(conn, subject)
    return until if until is not None and until > now else None


def register_failure(conn: apsw.Connection, subject: str, now: float, policy: Policy) -> float | None:
    """Count one failure (inside a write transaction); return the lock end when this failure locks."""
    failures, until, updated = _state(conn, subject)
    if until is not None and until > now:
        return None  # already locked: attempts while locked do not extend it
    stale = until is not None or now - updated >= policy.lock_seconds
    count = 1 if stale else failures + 1
    new_until = now + policy.lock_seconds if count >= policy.attempts else None
    conn.execute(
        "INSERT INTO auth_throttle (subject, failures, locked_until, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures, "
        "locked_until = excluded.locked_until, updated_at = excluded.updated_at",
        (subject, 0 if new_until else count, iso_utc(new_until) if new_until else None, iso_utc(now)),
    )
    return new_until


def clear(conn: apsw.Connection, subject: str) -> bool:
    """Forget a subject's failures and lock (inside a write transaction); True when there was any."""
    conn.execute("DELETE FROM auth_throttle WHERE subject = ?", (subject,))
    return conn.changes() > 0


def prune(conn: apsw.Connection, now: float, policy: Policy) -> None:
    """Drop counters whose lock and window are over (keeps unknown-username rows from piling up)."""
    cutoff = iso_utc(now - policy.lock_seconds)
    conn.execute(
        "DELETE FROM auth_throttle WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)",
        (cutoff, iso_utc(now)),
    )

"""SQL of users (the only module that reads or writes the users table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one, fetch_value

COLUMNS = "id, username, display_name, role, active, pin_hash, pin_lookup, password_hash, created_at, updated_at"
UPDATABLE = frozenset({"display_name", "role", "active", "pin_hash", "pin_lookup", "password_hash"})


@dataclass(frozen=True, slots=True)
class UserRow:
    """A users row, hashes included (never sent on the wire)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    pin_hash: str | None
    pin_lookup: str | None
    password_hash: str | None
    created_at: str
    updated_at: str


def _row(row: tuple[Any, ...] | None) -> UserRow | None:
    if row is None:
        return None
    return UserRow(int(row[0]), row[1], row[2], row[3], bool(row[4]), row[5], row[6], row[7], row[8], row[9])


def get(conn: apsw.Connection, user_id: int) -> UserRow | None:
    """A user by id."""
    return _row(fetch_one(conn, f"SELECT {COLUMNS} FROM users WHERE id = ?", (user_id,)))


def by_username(conn: apsw.Connection, username: str) -> UserRow | None:
    """A user by username (case-insensitive)."""
    return _row(fetch_one(conn, f"SELECT {COLUMNS} FROM users WHERE username = ?", (username.strip(),)))


def by_pin_lookup(conn: apsw.Connection, digest: str) -> UserRow | None:
    """The user a PIN digest points at: the active one when there is one, else the newest disabled one."""
    return _row(
        fetch_one(
            conn, f"SELECT {COLUMNS} FROM users WHERE pin_lookup = ? ORDER BY active DESC, id DESC LIMIT 1", (digest,)
        )
    )


def pin_taken(conn: apsw.Connection, digest: str, except_id: int | None = None) -> bool:
    """True when an active user other than `except_id` has this PIN."""
    found = fetch_value(
        conn, "SELECT id FROM users WHERE pin_lookup = ? AND active = 1 AND id != ?", (digest, except_id or 0)
    )
    return found is not None


def insert(conn: apsw.Connection, values: dict[str, Any]) -> int:
    """Insert a user; return the new id."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    conn.execute(f"INSERT INTO users ({columns}) VALUES ({marks})", tuple(values.values()))
    return int(conn.last_insert_rowid())


def update(conn: apsw.Connection, user_id: int, values: dict[str, Any], updated_at: str) -> None:
    """Update whitelisted columns of one user."""
    unknown = set(values) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE users SET {assignments}, updated_at = ? WHERE id = ?", (*values.values(), updated_at, user_id)
    )


def page(
    conn: apsw.Connection, role: str | None, active: bool | None, after_id: int | None, limit: int
) -> list[UserRow]:
    """Users ordered by id, after the cursor, optionally filtered."""
    parts: list[str] = ["id > ?"]
    params: list[Any] = [after_id or 0]
    if role is not None:
        parts.append("role = ?")
        params.append(role)
    if active is not None:
        parts.append("active = ?")
        params.append(int(active))
    sql = f"SELECT {COLUMNS} FROM users WHERE {' AND '.join(parts)} ORDER BY id LIMIT ?"
    return [r for r in (_row(row) for row in fetch_all(conn, sql, (*params, limit))) if r is not None]


def active_admins(conn: apsw.Connection) -> int:
    """How many active admins there are."""
    return int(fetch_value(conn, "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1"))


def count(conn: apsw.Connection) -> int:
    """How many users exist."""
    return int(fetch_value(conn, "SELECT count(*) FROM users"))


def locks(conn: apsw.Connection, user_ids: list[int], now_iso: str) -> dict[int, str]:
    """Current lock ends of the given users."""
    if not user_ids:
        return {}
    subjects = [f"user:{i}" for i in user_ids]
    marks = ", ".join("?" for _ in subjects)
    rows = fetch_all(
        conn,
        f"SELECT subject, locked_until FROM auth_throttle WHERE subject IN ({marks}) AND locked_until > ?",
        (*subjects, now_iso),
    )
    return {int(str(r[0]).split(":", 1)[1]): str(r[1]) for r in rows}

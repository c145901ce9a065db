"""SQL of terminals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one

COLUMNS = "id, name, store_code, device_service_url, active, last_seen_at, created_at, updated_at"
UPDATABLE = frozenset({"store_code", "device_service_url", "active"})


@dataclass(frozen=True, slots=True)
class TerminalRow:
    """A terminals row."""

    id: int
    name: str
    store_code: str
    device_service_url: str | None
    active: bool
    last_seen_at: str | None
    created_at: str
    updated_at: str


def _row(row: tuple[Any, ...] | None) -> TerminalRow | None:
    if row is None:
        return None
    return TerminalRow(int(row[0]), row[1], row[2], row[3], bool(row[4]), row[5], row[6], row[7])


def get(conn: apsw.Connection, terminal_id: int) -> TerminalRow | None:
    """A terminal by id."""
    return _row(fetch_one(conn, f"SELECT {COLUMNS} FROM terminals WHERE id = ?", (terminal_id,)))


def by_name(conn: apsw.Connection, name: str) -> TerminalRow | None:
    """A terminal by name (case-insensitive)."""
    return _row(fetch_one(conn, f"SELECT {COLUMNS} FROM terminals WHERE name = ?", (name.strip(),)))


def insert(conn: apsw.Connection, name: str, store_code: str, url: str | None, now: str) -> int:
    """Register a terminal; return its id."""
    conn.execute(
        "INSERT INTO terminals (name, store_code, device_service_url, active, created_at, updated_at) "
        "VALUES (?, ?, ?, 1, ?, ?)",
        (name, store_code, url, now, now),
    )
    return int(conn.last_insert_rowid())


def update(conn: apsw.Connection, terminal_id: int, values: dict[str, Any], now: str) -> None:
    """Update whitelisted columns of one terminal."""
    unknown = set(values) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE terminals SET {assignments}, updated_at = ? WHERE id = ?", (*values.values(), now, terminal_id)
    )


def page(conn: apsw.Connection, active: bool | None, after_id: int | None, limit: int) -> list[TerminalRow]:
    """Terminals by id after the cursor."""
    sql = f"SELECT {COLUMNS} FROM terminals WHERE id > ?" + (" AND active = ?" if active is not None else "")
    params: tuple[Any, ...] = (after_id or 0,) + ((int(active),) if active is not None else ())
    rows = fetch_all(conn, sql + " ORDER BY id LIMIT ?", (*params, limit))
    return [r for r in (_row(row) for row in rows) if r is not None]


def pin_lock(conn: apsw.Connection, terminal_id: int, now_iso: str) -> str | None:
    """When the lane's PIN pad is locked, the lock's end."""
    row = fetch_one(
        conn,
        "SELECT locked_until FROM auth_throttle WHERE subject = ? AND locked_until > ?",
        (f"terminal:{terminal_id}", now_iso),
    )
    return None if row is None else str(row[0])

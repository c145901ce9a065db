"""SQL of device_actions: what the API asked the device service for and what it answered."""

from __future__ import annotations

from dataclasses import dataclass

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one

UPSERT = (
    "INSERT INTO device_actions (action_id, entity, entity_id, kind, status, detail, terminal_id, device_url, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (action_id) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at, "
    # 'done' is final: a late 'failed' (e.g. a timed-out retry) never overwrites a print that happened.
    "status = CASE WHEN device_actions.status = 'done' THEN 'done' ELSE excluded.status END, "
    "detail = CASE WHEN device_actions.status = 'done' THEN device_actions.detail ELSE excluded.detail END"
)
MARK_SALE_PRINTED = "UPDATE sales SET receipt_printed_at = coalesce(receipt_printed_at, ?) WHERE id = ?"


@dataclass(frozen=True, slots=True)
class Recorded:
    """One device action's last known outcome."""

    status: str
    detail: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """A device action's result to store."""

    action_id: str
    entity: str
    entity_id: int | None
    kind: str
    status: str
    detail: str
    terminal_id: int | None
    device_url: str


def load(conn: apsw.Connection, action_ids: list[str]) -> dict[str, Recorded]:
    """The recorded outcomes of some action ids (missing = never asked)."""
    if not action_ids:
        return {}
    marks = ", ".join("?" for _ in action_ids)
    rows = fetch_all(
        conn, f"SELECT action_id, status, detail, attempts FROM device_actions WHERE action_id IN ({marks})",
        tuple(action_ids),
    )
    return {str(r[0]): Recorded(str(r[1]), str(r[2]), int(r[3])) for r in rows}


def save(conn: apsw.Connection, outcomes: list[Outcome], now_iso: str) -> None:
    """Store outcomes (inside the caller's transaction); a printed sale receipt marks the sale printed."""
    for o in outcomes:
        conn.execute(
            UPSERT,
            (o.action_id, o.entity, o.entity_id, o.kind, o.status, o.detail, o.terminal_id, o.device_url,
             now_iso, now_iso),
        )
        if o.entity == "sale" and o.kind == "print" and o.status == "done":
            conn.execute(MARK_SALE_PRINTED, (now_iso, o.entity_id))


def sale_key(conn: apsw.Connection, sale_id: int) -> str | None:
    """The idempotency key a sale was made with (its device action ids derive from it)."""
    row = fetch_one(conn, "SELECT idempotency_key FROM sales WHERE id = ?", (sale_id,))
    return None if row is None or row[0] is None else str(row[0])


def terminal_url(conn: apsw.Connection, terminal_id: int | None) -> tuple[bool, str | None]:
    """(terminal exists, its own device-service URL or None)."""
    if terminal_id is None:
        return False, None
    row = fetch_one(conn, "SELECT device_service_url FROM terminals WHERE id = ?", (terminal_id,))
    if row is None:
        return False, None
    return True, None if row[0] is None else str(row[0])


def service_urls(conn: apsw.Connection, default: str, limit: int = 32) -> dict[str, list[str]]:
    """Every device-service URL in use (the default and active lanes' own) with the lanes using it."""
    rows = fetch_all(conn, "SELECT name, device_service_url FROM terminals WHERE active = 1 ORDER BY id LIMIT ?",
                     (limit,))
    urls: dict[str, list[str]] = {default: []} if default else {}
    for name, url in rows:
        target = str(url) if url else default
        if target:
            urls.setdefault(target, []).append(str(name))
    return urls

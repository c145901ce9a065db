"""Terminal rules: registration, changes, the lane PIN-pad lock; every change audited."""

from __future__ import annotations

import apsw

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth import throttle
from pos_grocery.clock import iso_utc
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime
from pos_grocery.terminals import queries
from pos_grocery.terminals.models import Terminal, TerminalCreate, TerminalPage, TerminalPatch
from pos_grocery.terminals.queries import TerminalRow


def to_wire(row: TerminalRow, pin_locked_until: str | None) -> Terminal:
    """A row as the API shows it."""
    return Terminal(
        id=row.id,
        name=row.name,
        store_code=row.store_code,
        device_service_url=row.device_service_url,
        active=row.active,
        last_seen_at=row.last_seen_at,
        pin_locked_until=pin_locked_until,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def lane(conn: apsw.Connection, name: str) -> TerminalRow:
    """The active terminal called `name`, or 400 naming the field."""
    row = queries.by_name(conn, name)
    if row is None:
        raise ValidationFailed(f"No terminal is registered as {name!r}.", "TERMINAL_UNKNOWN", field="terminal")
    if not row.active:
        raise ValidationFailed(f"Terminal {row.name} is deactivated.", "TERMINAL_INACTIVE", field="terminal")
    return row


def get(rt: Runtime, terminal_id: int) -> Terminal:
    """One terminal or 404."""
    row = _existing(rt.db.reader, terminal_id)
    return to_wire(row, queries.pin_lock(rt.db.reader, row.id, iso_utc(rt.clock())))


def list_page(rt: Runtime, active: bool | None, after_id: int | None, limit: int) -> TerminalPage:
    """A page of terminals."""
    rows = queries.page(rt.db.reader, active, after_id, limit + 1)
    now = iso_utc(rt.clock())
    items = [to_wire(r, queries.pin_lock(rt.db.reader, r.id, now)) for r in rows[:limit]]
    return TerminalPage(items=items, next_cursor=encode_cursor(rows[limit - 1].id) if len(rows) > limit else None)


def create(rt: Runtime, data: TerminalCreate, by: Actor | None, request_id: str | None) -> Terminal:
    """Register a lane (409 TERMINAL_EXISTS when the name is taken, in any letter case)."""
    now = rt.clock()
    with rt.db.write() as conn:
        if queries.by_name(conn, data.name) is not None:
            raise Conflict(f"A terminal named {data.name!r} already exists.", "TERMINAL_EXISTS")
        new_id = queries.insert(conn, data.name, data.store_code, data.device_service_url, iso_utc(now))
        record(
            conn,
            "terminal.created",
            actor=by,
            entity="terminal",
            entity_id=new_id,
            request_id=request_id,
            details={"name": data.name, "storeCode": data.store_code, "deviceServiceUrl": data.device_service_url},
            at=now,
        )
        row = _existing(conn, new_id)
    return to_wire(row, None)


def update(rt: Runtime, terminal_id: int, patch: TerminalPatch, by: Actor, request_id: str | None) -> Terminal:
    """Change a terminal's store code, device URL or active flag."""
    now = rt.clock()
    with rt.db.write() as conn:
        row = _existing(conn, terminal_id)
        wanted = {
            "store_code": patch.store_code,
            "device_service_url": patch.device_service_url,
            "active": None if patch.active is None else int(patch.active),
        }
        current = {
            "store_code": row.store_code,
            "device_service_url": row.device_service_url,
            "active": int(row.active),
        }
        changes = {k: v for k, v in wanted.items() if v is not None and v != current[k]}
        if changes:
            queries.update(conn, terminal_id, changes, iso_utc(now))
            record(
                conn,
                "terminal.changed",
                actor=by,
                entity="terminal",
                entity_id=terminal_id,
                request_id=request_id,
                at=now,
                details={k: {"from": current[k], "to": v} for k, v in changes.items()},
            )
        row = _existing(conn, terminal_id)
    return to_wire(row, queries.pin_lock(rt.db.reader, row.id, iso_utc(now)))


def unlock(rt: Runtime, terminal_id: int, by: Actor, request_id: str | None) -> Terminal:
    """Clear the lane's PIN-pad lock and failure count."""
    now = rt.clock()
    with rt.db.write() as conn:
        row = _existing(conn, terminal_id)
        if throttle.clear(conn, throttle.terminal_subject(terminal_id)):
            record(
                conn,
                "terminal.unlocked",
                actor=by,
                entity="terminal",
                entity_id=terminal_id,
                request_id=request_id,
                details={"name": row.name},
                at=now,
            )
    return to_wire(row, None)


def _existing(conn: apsw.Connection, terminal_id: int) -> TerminalRow:
    row = queries.get(conn, terminal_id)
    if row is None:
        raise NotFound(f"Terminal {terminal_id} does not exist.", "TERMINAL_NOT_FOUND")
    return row

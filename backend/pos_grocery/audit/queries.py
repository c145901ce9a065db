"""SQL of the journal."""

from __future__ import annotations

import json
from typing import Any

from pos_grocery.audit.models import AuditEvent, AuditFilter

COLUMNS = (
    "id, occurred_at, actor_id, actor_name, approver_id, approver_name, terminal_id, terminal_name, "
    "action, entity, entity_id, request_id, details, prev_hash, hash"
)
INSERT_EVENT = f"INSERT INTO audit_events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
SELECT_EVENTS = f"SELECT {COLUMNS} FROM audit_events"


def where_clause(flt: AuditFilter, before_id: int | None) -> tuple[str, list[Any]]:
    """The WHERE part for a filter (and a newest-first cursor), with its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    for column, op, value in (
        ("occurred_at", ">=", flt.since),
        ("occurred_at", "<", flt.until),
        ("actor_id", "=", flt.actor_id),
        ("action", "=", flt.action),
        ("entity", "=", flt.entity),
        ("entity_id", "=", flt.entity_id),
        ("id", "<", before_id),
    ):
        if value is not None:
            parts.append(f"{column} {op} ?")
            params.append(value)
    return ("WHERE " + " AND ".join(parts)) if parts else "", params


def to_event(row: tuple[Any, ...]) -> AuditEvent:
    """A row in COLUMNS order as an AuditEvent."""
    try:
        details = json.loads(row[12]) if row[12] else {}
    except ValueError:  # only a row edited behind the application's back; the chain check names it
        details = {"unparsed": str(row[12])}
    return AuditEvent(
        id=row[0],
        occurred_at=row[1],
        actor_id=row[2],
        actor_name=row[3],
        approver_id=row[4],
        approver_name=row[5],
        terminal_id=row[6],
        terminal_name=row[7],
        action=row[8],
        entity=row[9],
        entity_id=row[10],
        request_id=row[11],
        details=details if isinstance(details, dict) else {},
        prev_hash=row[13],
        hash=row[14],
    )

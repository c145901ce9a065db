"""Wire shapes of the journal (camelCase)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec


class AuditEvent(msgspec.Struct, rename="camel"):
    """One journal event, with the two hashes that chain it."""

    id: int
    occurred_at: str
    actor_id: int | None
    actor_name: str | None
    approver_id: int | None
    approver_name: str | None
    terminal_id: int | None
    terminal_name: str | None
    action: str
    entity: str | None
    entity_id: str | None
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(msgspec.Struct, rename="camel"):
    """A page of events, newest first."""

    items: list[AuditEvent]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Filters of the list and the export (all optional; times are ISO 8601 UTC text)."""

    since: str | None = None
    until: str | None = None
    actor_id: int | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None

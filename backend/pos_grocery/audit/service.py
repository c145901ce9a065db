"""Writing the journal (`record`, inside the caller's write transaction) and reading it back."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import apsw

from pos_grocery.audit import queries
from pos_grocery.audit.chain import event_hash, head, verify_chain
from pos_grocery.audit.models import AuditEvent, AuditFilter
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all
from pos_grocery.health import models as health_models
from pos_grocery.runtime import Runtime

REDACTED = "[REDACTED]"
SECRET_KEY = re.compile(r"(pin|password|passwd|secret|token|authorization|cookie|hash)", re.IGNORECASE)
MAX_TEXT = 500
CSV_HEADER = (
    "id",
    "occurredAt",
    "actorId",
    "actorName",
    "approverId",
    "approverName",
    "terminalId",
    "terminalName",
    "action",
    "entity",
    "entityId",
    "requestId",
    "details",
    "prevHash",
    "hash",
)
# A cell starting with one of these is a formula to a spreadsheet: prefix it so it stays text (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something, and at which terminal (names are copied into the event: the record outlives renames)."""

    user_id: int | None
    username: str | None
    terminal_id: int | None = None
    terminal_name: str | None = None


def scrub(value: Any) -> Any:
    """A JSON-safe copy with every secret-named key masked and long strings cut."""
    if isinstance(value, Mapping):
        return {str(k): (REDACTED if SECRET_KEY.search(str(k)) else scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


def record(
    conn: apsw.Connection,
    action: str,
    *,
    actor: Actor | None = None,
    approver: Actor | None = None,
    entity: str | None = None,
    entity_id: str | int | None = None,
    details: Mapping[str, Any] | None = None,
    request_id: str | None = None,
    at: float | None = None,
) -> int:
    """Append one event to the chain inside the caller's open write transaction; return its id.

    Being inside the caller's transaction is the point: the event commits or rolls back with the change it
    describes, and the single writer's lock makes reading the chain head and appending one atomic step.
    """
    if not conn.in_transaction:
        raise RuntimeError("audit.record must run inside the caller's write transaction")
    last_id, prev_hash = head(conn)
    who = actor or Actor(None, None)
    content = (
        last_id + 1,
        iso_utc(time.time() if at is None else at),
        who.user_id,
        who.username,
        approver.user_id if approver else None,
        approver.username if approver else None,
        who.terminal_id,
        who.terminal_name,
        action,
        entity,
        None if entity_id is None else str(entity_id),
        request_id,
        json.dumps(scrub(dict(details or {})), ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        prev_hash,
    )
    conn.execute(queries.INSERT_EVENT, (*content, event_hash(content)))
    return last_id + 1


def list_events(conn: apsw.Connection, flt: AuditFilter, after_id: int | None, limit: int) -> list[AuditEvent]:
    """Events matching the filter, newest first, starting below the cursor id."""
    where, params = queries.where_clause(flt, after_id)
    rows = fetch_all(conn, f"{queries.SELECT_EVENTS} {where} ORDER BY id DESC LIMIT ?", (*params, limit))
    return [queries.to_event(row) for row in rows]


def export_csv(conn: apsw.Connection, flt: AuditFilter) -> str:
    """Every matching event as CSV, oldest first (long read: run on a worker thread)."""
    where, params = queries.where_clause(flt, None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in conn.execute(f"{queries.SELECT_EVENTS} {where} ORDER BY id", params):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def chain_check(conn: apsw.Connection) -> health_models.Check:
    """The integrity check named `audit_chain` (registered in health.service.INTEGRITY_CHECKS)."""
    try:
        report = verify_chain(conn)
    except apsw.Error as exc:
        return health_models.Check(name="audit_chain", ok=False, detail=f"cannot read the journal: {exc}")
    return health_models.Check(name="audit_chain", ok=report.ok, detail=report.detail)


async def export(rt: Runtime, flt: AuditFilter, actor: Actor, request_id: str | None) -> str:
    """The CSV export (built on a worker thread), itself recorded in the journal."""
    text = await rt.db.run_in_thread(lambda conn: export_csv(conn, flt))
    with rt.db.write() as conn:
        record(
            conn,
            "audit.exported",
            actor=actor,
            request_id=request_id,
            at=rt.clock(),
            details={
                "filter": {k: v for k, v in asdict(flt).items() if v is not None},
                "rows": max(0, text.count("\r\n") - 1),
            },
        )
    return text

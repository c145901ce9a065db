"""`/api/audit-events`: read and export the journal (auditors, admins; managers read)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from pos_grocery.audit import service
from pos_grocery.audit.models import AuditFilter, AuditPage
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc, parse_iso
from pos_grocery.errors import ValidationFailed
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor, encode_cursor

AnyRequest = Request[Any, Any, Any]
Since = Annotated[str | None, QueryParameter(name="from", max_length=40, description="events at or after (RFC 3339)")]
Until = Annotated[str | None, QueryParameter(name="to", max_length=40, description="events before (RFC 3339)")]
ActorId = Annotated[int | None, QueryParameter(name="actorId", ge=1, le=MAX_ID)]
Text = Annotated[str | None, QueryParameter(max_length=100)]
EntityId = Annotated[str | None, QueryParameter(name="entityId", max_length=100)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]


def _time(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return iso_utc(parse_iso(value))
    except (ValueError, OverflowError, OSError):
        raise ValidationFailed(
            f"{field} must be an RFC 3339 time such as 2025-01-31T00:00:00Z.", "INVALID_TIME", field=field
        ) from None


def _filter(
    since: str | None,
    until: str | None,
    actor_id: int | None,
    action: str | None,
    entity: str | None,
    entity_id: str | None,
) -> AuditFilter:
    return AuditFilter(
        since=_time(since, "from"),
        until=_time(until, "to"),
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
    )


class AuditController(Controller):
    """The hash-chained journal, newest first; its chain is verified by /api/health/integrity."""

    path = "/api/audit-events"
    tags = ["audit"]  # noqa: RUF012

    @get("/", guards=[requires(P.AUDIT_READ)], summary="List audit events")
    async def list_events(
        self,
        request: AnyRequest,
        since: Since = None,
        until: Until = None,
        actor_id: ActorId = None,
        action: Text = None,
        entity: Text = None,
        entity_id: EntityId = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> AuditPage:
        """Filter by time range, actor, action and entity; page with limit and cursor."""
        flt = _filter(since, until, actor_id, action, entity, entity_id)
        rows = service.list_events(runtime_of(request).db.reader, flt, decode_cursor(cursor), limit + 1)
        more = len(rows) > limit
        return AuditPage(items=rows[:limit], next_cursor=encode_cursor(rows[limit - 1].id) if more else None)

    @get("/export.csv", guards=[requires(P.AUDIT_EXPORT)], media_type="text/csv", summary="Export audit events as CSV")
    async def export_csv(
        self,
        request: AnyRequest,
        since: Since = None,
        until: Until = None,
        actor_id: ActorId = None,
        action: Text = None,
        entity: Text = None,
        entity_id: EntityId = None,
    ) -> Response[str]:
        """Every matching event, oldest first, with both hashes (the export is itself audited)."""
        flt = _filter(since, until, actor_id, action, entity, entity_id)
        rt = runtime_of(request)
        text = await service.export(rt, flt, identity_of(request).actor, request_id_of(request))
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit-events.csv"'},
        )

"""Pricing rule rules: create, replace, delete (soft), read; every change audited; the checkout's rule source."""

from __future__ import annotations

import datetime as dt

import apsw
import msgspec

from pos_grocery.audit.service import Actor, record
from pos_grocery.clock import iso_utc
from pos_grocery.errors import NotFound, ValidationFailed
from pos_grocery.pagination import encode_cursor
from pos_grocery.promotions import queries as q
from pos_grocery.promotions.convert import to_engine
from pos_grocery.promotions.models import QuantityBreakIn, RuleIn, RuleOut, RulePage
from pos_grocery.runtime import Runtime


def _missing(rule_id: int) -> NotFound:
    return NotFound(f"There is no pricing rule with id {rule_id}.", "RULE_NOT_FOUND")


def _window(value: dt.datetime | None) -> str | None:
    """A window bound as stored (UTC text, comparable as text)."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise ValidationFailed("validFrom/validTo need a time zone (Z or an offset).", "INVALID_RULE")
    return iso_utc(value.timestamp())


def _check_refs(conn: apsw.Connection, data: RuleIn) -> None:
    """Products and categories a rule names must exist (a typo would make a rule that never applies)."""
    products = [data.product_id] if isinstance(data, QuantityBreakIn) else list(data.product_ids)
    categories = [] if isinstance(data, QuantityBreakIn) else list(data.category_ids)
    for table, ids, code in (("products", products, "UNKNOWN_PRODUCT"), ("categories", categories, "UNKNOWN_CATEGORY")):
        missing = q.missing_refs(conn, table, ids)
        if missing:
            raise ValidationFailed(f"Unknown {table}: {', '.join(map(str, missing))}.", code)


def _row_values(data: RuleIn) -> tuple[object, ...]:
    kind = type(data).__struct_config__.tag
    body = msgspec.json.encode(data).decode()
    return (kind, data.label, int(data.active), _window(data.valid_from), _window(data.valid_to), body)


def create_rule(rt: Runtime, data: RuleIn, actor: Actor, request_id: str | None) -> RuleOut:
    """Store a new rule (validated by the engine first)."""
    to_engine(1, data)
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        _check_refs(conn, data)
        conn.execute(q.INSERT, (*_row_values(data), now, now))
        rule_id = int(conn.last_insert_rowid())
        q.set_engine(conn, rule_id, to_engine(rule_id, data))
        record(
            conn,
            "promotions.rule_created",
            actor=actor,
            entity="pricing_rule",
            entity_id=rule_id,
            details={"rule": msgspec.to_builtins(data)},
            request_id=request_id,
            at=rt.clock(),
        )
        out = q.get(conn, rule_id)
    assert out is not None
    return out


def replace_rule(rt: Runtime, rule_id: int, data: RuleIn, actor: Actor, request_id: str | None) -> RuleOut:
    """Replace a rule's definition (sales already made keep the adjustments they were given)."""
    to_engine(rule_id, data)
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        before = q.get(conn, rule_id)
        if before is None:
            raise _missing(rule_id)
        _check_refs(conn, data)
        conn.execute(q.UPDATE, (*_row_values(data), now, rule_id))
        q.set_engine(conn, rule_id, to_engine(rule_id, data))
        record(
            conn,
            "promotions.rule_changed",
            actor=actor,
            entity="pricing_rule",
            entity_id=rule_id,
            details={"before": msgspec.to_builtins(before.rule), "after": msgspec.to_builtins(data)},
            request_id=request_id,
            at=rt.clock(),
        )
        out = q.get(conn, rule_id)
    assert out is not None
    return out


def delete_rule(rt: Runtime, rule_id: int, actor: Actor, request_id: str | None) -> None:
    """Retire a rule (kept for the sales that name it)."""
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        before = q.get(conn, rule_id)
        if before is None:
            raise _missing(rule_id)
        conn.execute(
            "UPDATE pricing_rules SET deleted_at = ?, active = 0, updated_at = ? WHERE id = ?", (now, now, rule_id)
        )
        record(
            conn,
            "promotions.rule_deleted",
            actor=actor,
            entity="pricing_rule",
            entity_id=rule_id,
            details={"rule": msgspec.to_builtins(before.rule)},
            request_id=request_id,
            at=rt.clock(),
        )


def get_rule(rt: Runtime, rule_id: int) -> RuleOut:
    """One live rule or 404."""
    out = q.get(rt.db.reader, rule_id)
    if out is None:
        raise _missing(rule_id)
    return out


def list_rules(rt: Runtime, kind: str | None, active: bool | None, after: int | None, limit: int) -> RulePage:
    """Live rules by id."""
    rows = q.page(rt.db.reader, kind, active, after, limit)
    more = len(rows) > limit
    items = rows[:limit]
    return RulePage(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)

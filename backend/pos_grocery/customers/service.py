"""Customer rules: unique phone numbers; tier and credit limit are a manager's decision (customers.credit)."""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth.errors import permission_denied
from pos_grocery.customers import queries as q
from pos_grocery.customers.models import Customer, CustomerCreate, CustomerPage, CustomerPatch
from pos_grocery.db.connection import transaction
from pos_grocery.errors import Conflict, NotFound
from pos_grocery.parties import Gone, page_of, patched


def _missing(customer_id: int) -> NotFound:
    return NotFound(f"There is no customer with id {customer_id}.", "CUSTOMER_NOT_FOUND")


def phone_free(conn: apsw.Connection, phone: str, own_id: int | None) -> None:
    """409 CUSTOMER_PHONE_TAKEN when another live customer has this phone number."""
    other = q.id_by_phone(conn, phone) if phone else None
    if other is not None and other != own_id:
        raise Conflict(f"Customer id {other} already has the phone number {phone}.", "CUSTOMER_PHONE_TAKEN",
                       field="phone")


def _needs_credit(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """A non-retail tier or a credit limit, set or changed, is the customers.credit permission's business."""
    if before is None:
        return bool(after["type"] != "retail" or after["credit_limit"] != 0)
    return bool(before["type"] != after["type"] or before["credit_limit"] != after["credit_limit"])


def get_customer(conn: apsw.Connection, customer_id: int, currency: str) -> Customer:
    """One live customer."""
    found = q.by_id(conn, customer_id, currency)
    if found is None:
        raise _missing(customer_id)
    return found


def list_customers(conn: apsw.Connection, filters: dict[str, Any], after: int | None, limit: int,
                   currency: str) -> CustomerPage:
    """Live customers by id (name/phone prefix, type and active filters)."""
    items, cursor = page_of(q.page(conn, filters, after, limit, currency), limit)
    return CustomerPage(items=items, next_cursor=cursor)


def _audit(conn: apsw.Connection, customer_id: int, before: dict[str, Any] | None, after: dict[str, Any],
           actor: Actor | None, request_id: str | None, at: float) -> None:
    changes = {k: {"old": None if before is None else before[k], "new": after[k]} for k in ("type", "credit_limit")
               if before is None or before[k] != after[k]}
    record(conn, "customers.terms_changed", actor=actor, entity="customer", entity_id=customer_id,
           details={"name": after["name"], "changes": changes}, request_id=request_id, at=at)


def create_customer(conn: apsw.Connection, data: CustomerCreate, may_set_credit: bool, actor: Actor | None,
                    request_id: str | None, at: float, now: str, currency: str) -> Customer:
    """A new customer; a non-retail tier or a credit limit needs customers.credit and is journalled."""
    values: dict[str, Any] = msgspec.structs.asdict(data)
    values["active"] = int(data.active)
    credit = _needs_credit(None, values)
    if credit and not may_set_credit:
        raise permission_denied("customers.credit")
    with transaction(conn):
        phone_free(conn, data.phone, None)
        new_id = q.TABLE.insert(conn, values, now)
        if credit:
            _audit(conn, new_id, None, values, actor, request_id, at)
    return get_customer(conn, new_id, currency)


def update_customer(conn: apsw.Connection, customer_id: int, patch: CustomerPatch, may_set_credit: bool,
                    actor: Actor | None, request_id: str | None, at: float, now: str, currency: str) -> Customer:
    """Change the fields present; tier and credit-limit changes need customers.credit and are journalled."""
    with transaction(conn):
        current = get_customer(conn, customer_id, currency)
        before = {f: getattr(current, f) for f in q.FIELDS}
        after = patched(current, q.FIELDS, patch)
        credit = _needs_credit(before, after)
        if credit and not may_set_credit:
            raise permission_denied("customers.credit")
        phone_free(conn, after["phone"], customer_id)
        q.TABLE.update(conn, customer_id, after, now)
        if credit:
            _audit(conn, customer_id, before, after, actor, request_id, at)
    return get_customer(conn, customer_id, currency)


def delete_customer(conn: apsw.Connection, customer_id: int, now: str, currency: str) -> Gone:
    """'deleted' when no record refers to the customer, else 'archived'."""
    with transaction(conn):
        get_customer(conn, customer_id, currency)
        return q.TABLE.delete_or_archive(conn, customer_id, now)

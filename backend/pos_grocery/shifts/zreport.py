"""The Z report: close a shift with the declared cash, store the document once (numbered), reprint it as COPY."""

from __future__ import annotations

import hashlib

import apsw
import msgspec

from pos_grocery.audit.service import record
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.override import Approver, approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_one, fetch_value
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.runtime import Runtime
from pos_grocery.sales.context import business_date, checkout_of
from pos_grocery.shifts import figures
from pos_grocery.shifts import queries as q
from pos_grocery.shifts.models import Denomination, ShiftCloseIn, ShiftReport, ZReportOut
from pos_grocery.shifts.service import _writable, get_shift
from pos_grocery.shifts.ztext import render


def declared_of(data: ShiftCloseIn) -> tuple[int, list[Denomination] | None]:
    """The declared cash: the total, or the sum of the denominations (both given: they must agree)."""
    if data.denominations is None:
        if data.declared_cash is None:
            raise ValidationFailed("Give declaredCash or denominations.", "DECLARED_CASH_REQUIRED",
                                   field="declaredCash")
        return data.declared_cash, None
    values = [d.value for d in data.denominations]
    if len(set(values)) != len(values):
        raise ValidationFailed("Each denomination once.", "DUPLICATE_DENOMINATION", field="denominations")
    total = sum(d.value * d.count for d in data.denominations)
    if data.declared_cash is not None and data.declared_cash != total:
        raise ValidationFailed(f"The denominations add up to {total}, not {data.declared_cash}.",
                               "DECLARED_CASH_MISMATCH", field="declaredCash")
    return total, sorted(data.denominations, key=lambda d: -d.value)


async def close_shift(
    rt: Runtime, caller: Identity, shift_id: int, data: ShiftCloseIn, request_id: str | None
) -> ZReportOut:
    """Close the shift and issue its Z in one transaction: no sale can land in it afterwards."""
    declared, denominations = declared_of(data)
    _writable(rt, rt.db.reader, caller, shift_id, lane_only=False)
    approver = await approve_if_needed(rt, caller, P.SHIFTS_Z_CLOSE, data.manager_pin, action="shifts.z_close",
                                       entity="shift", entity_id=shift_id, request_id=request_id)
    ck = checkout_of(rt.settings)
    now = rt.clock()
    with rt.db.write() as conn:
        # Inside the write lock: sales commit on this same writer, so the figures below are final.
        shift = _writable(rt, conn, caller, shift_id, lane_only=False)
        z_number = int(fetch_value(conn, q.NEXT_Z))
        closing = figures.Closing(now, caller.display_name, declared, denominations, z_number)
        report = figures.build(conn, shift, now, ck.tz, closing)
        cash = report.cash
        conn.execute(q.CLOSE, (caller.user_id, approver.user_id if approver else None, iso_utc(now),
                               business_date(now, ck.tz), cash.expected, declared, cash.variance, z_number, shift_id))
        if conn.changes() != 1:
            raise Conflict(f"Shift {shift_id} is already closed.", "SHIFT_CLOSED")
        document = msgspec.json.encode(report).decode()
        digest = hashlib.sha256(document.encode()).hexdigest()
        conn.execute(q.INSERT_Z, (z_number, shift_id, document, digest, iso_utc(now)))
        record(conn, "shifts.z_closed", actor=caller.actor, approver=approver.actor if approver else None,
               entity="shift", entity_id=shift_id,
               details={"zNumber": z_number, "expected": cash.expected, "declared": declared,
                        "variance": cash.variance, "note": data.note.strip()},
               request_id=request_id, at=now)
    return ZReportOut(z_number=z_number, shift_id=shift_id, copy=False, reprint_count=0, sha256=digest,
                      report=report, text=render(report, copy=False, tz=ck.tz))


async def reprint_approved(rt: Runtime, caller: Identity, shift_id: int, manager_pin: str | None,
                           request_id: str | None) -> ZReportOut:
    """A Z reprint from the lane: a cashier (without reports.read) needs a manager's PIN; journalled with them."""
    get_shift(rt, shift_id)
    approver = await approve_if_needed(rt, caller, P.REPORTS_READ, manager_pin, action="shifts.z_reprint",
                                       entity="shift", entity_id=shift_id, request_id=request_id)
    return reprint(rt, caller, shift_id, request_id, approver=approver)


def reprint(rt: Runtime, caller: Identity, shift_id: int, request_id: str | None,
            approver: Approver | None = None) -> ZReportOut:
    """The stored Z exactly as issued, marked COPY; every reprint is counted and journalled."""
    get_shift(rt, shift_id)
    row = fetch_one(rt.db.reader, q.Z_DOC, (shift_id,))
    if row is None:
        raise NotFound(f"Shift {shift_id} has no Z report yet (it is open).", "Z_REPORT_NOT_FOUND")
    now = rt.clock()
    with rt.db.write() as conn:
        count = int(fetch_value(conn, q.REPRINT, (shift_id,)))
        record(conn, "shifts.z_reprinted", actor=caller.actor, approver=approver.actor if approver else None,
               entity="shift", entity_id=shift_id,
               details={"zNumber": row[0], "reprint": count}, request_id=request_id, at=now)
    report = msgspec.json.decode(row[1], type=ShiftReport)
    return ZReportOut(z_number=row[0], shift_id=shift_id, copy=True, reprint_count=count, sha256=row[2],
                      report=report, text=render(report, copy=True, tz=checkout_of(rt.settings).tz))


def stored_document(conn: apsw.Connection, shift_id: int) -> str | None:
    """The Z document's JSON text as stored (tests compare it byte for byte)."""
    row = fetch_one(conn, q.Z_DOC, (shift_id,))
    return None if row is None else str(row[1])

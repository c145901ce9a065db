"""The journal: record() inside the caller's transaction, the hash chain, its verifier, the triggers, scrubbing."""

from __future__ import annotations

import csv
import io
import json

import apsw
import pytest

from pos_grocery.audit.chain import GENESIS, SELECT_CHAIN, event_hash, verify_chain, verify_rows
from pos_grocery.audit.models import AuditFilter
from pos_grocery.audit.service import Actor, export_csv, record, scrub
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime

ALICE = Actor(3, "alice", 1, "LANE-1")


def write_events(rt: Runtime, count: int) -> None:
    for i in range(count):
        with rt.db.write() as conn:
            record(conn, "test.event", actor=ALICE, entity="thing", entity_id=i, details={"n": i}, at=1e9 + i)


def test_events_chain_from_genesis_and_verify(runtime: Runtime) -> None:
    write_events(runtime, 5)
    rows = fetch_all(runtime.db.reader, SELECT_CHAIN)
    assert rows[0][13] == GENESIS
    assert all(rows[i][13] == rows[i - 1][14] for i in range(1, 5))
    assert all(event_hash(tuple(r[:-1])) == r[-1] for r in rows)
    report = verify_chain(runtime.db.reader)
    assert report.ok and report.events == 5 and report.detail == "5 events, chain intact"


def test_record_refuses_to_run_outside_a_transaction(runtime: Runtime) -> None:
    with pytest.raises(RuntimeError, match="inside the caller's write transaction"):
        record(runtime.db.writer, "test.event")


def test_an_event_rolls_back_with_the_change_it_describes(runtime: Runtime) -> None:
    with pytest.raises(ZeroDivisionError), runtime.db.write() as conn:
        record(conn, "test.event", actor=ALICE)
        _ = 1 / 0
    assert fetch_value(runtime.db.reader, "SELECT count(*) FROM audit_events") == 0


def test_triggers_forbid_update_and_delete(runtime: Runtime) -> None:
    write_events(runtime, 2)
    for sql in ("UPDATE audit_events SET action = 'x' WHERE id = 1", "DELETE FROM audit_events WHERE id = 2"):
        with pytest.raises(apsw.ConstraintError, match="append-only"), runtime.db.write() as conn:
            conn.execute(sql)
    assert verify_chain(runtime.db.reader).ok


def rows_of(rt: Runtime) -> list[tuple[object, ...]]:
    return [tuple(r) for r in fetch_all(rt.db.reader, SELECT_CHAIN)]


def test_verifier_names_the_first_edited_event(runtime: Runtime) -> None:
    write_events(runtime, 6)
    rows = rows_of(runtime)
    edited = list(rows[3])
    edited[12] = json.dumps({"n": 999})
    rows[3] = tuple(edited)
    report = verify_rows(rows)
    assert not report.ok and report.broken_at == 4 and "edited" in report.reason and report.events == 3


def test_verifier_finds_a_removed_and_a_reordered_event(runtime: Runtime) -> None:
    write_events(runtime, 6)
    rows = rows_of(runtime)
    removed = verify_rows(rows[:2] + rows[3:])
    assert not removed.ok and removed.broken_at == 4 and "prev_hash" in removed.reason
    swapped = verify_rows([rows[0], rows[2], rows[1], *rows[3:]])
    assert not swapped.ok and swapped.broken_at == 3


def test_a_rehashed_edit_still_breaks_the_next_link(runtime: Runtime) -> None:
    write_events(runtime, 4)
    rows = rows_of(runtime)
    forged = list(rows[1])
    forged[8] = "test.forged"
    forged[-1] = event_hash(tuple(forged[:-1]))
    report = verify_rows([rows[0], tuple(forged), *rows[2:]])
    assert not report.ok and report.broken_at == 3


def test_scrub_masks_secret_keys_at_any_depth_and_cuts_long_text() -> None:
    cleaned = scrub(
        {
            "pin": "1234",
            "managerPin": "5678",
            "nested": {"password": "x", "items": [{"token": "t"}]},
            "note": "n" * 600,
            "count": 3,
            "when": object,
        }
    )
    assert cleaned["pin"] == cleaned["managerPin"] == "[REDACTED]"
    assert cleaned["nested"] == {"password": "[REDACTED]", "items": [{"token": "[REDACTED]"}]}
    assert len(cleaned["note"]) == 501 and cleaned["count"] == 3 and isinstance(cleaned["when"], str)


def test_secrets_never_reach_the_stored_details(runtime: Runtime) -> None:
    with runtime.db.write() as conn:
        record(conn, "test.event", actor=ALICE, details={"managerPin": "8642", "reason": "damaged"})
    stored = fetch_value(runtime.db.reader, "SELECT details FROM audit_events")
    assert "8642" not in stored and json.loads(stored)["reason"] == "damaged"


def test_csv_export_filters_and_defuses_formulas(runtime: Runtime) -> None:
    with runtime.db.write() as conn:
        record(conn, "user.created", actor=Actor(1, "=cmd|' /C calc'!A0"), at=1e9)
        record(conn, "auth.login", actor=ALICE, at=1e9 + 10)
    text = export_csv(runtime.db.reader, AuditFilter(action="user.created"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "occurredAt", "actorId"] and len(rows) == 2
    assert rows[1][3].startswith("'=")
    assert len(list(csv.reader(io.StringIO(export_csv(runtime.db.reader, AuditFilter()))))) == 3

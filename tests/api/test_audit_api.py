"""The journal over HTTP: filters, pages, CSV export, and the integrity check catching an edit behind our back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import apsw
from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_value
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_user, login_pin

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def test_integrity_finds_a_row_edited_behind_the_applications_back(
    client: Client, runtime: Runtime, signed_in: SignIn
) -> None:
    signed_in("cashier")
    signed_in("manager")
    healthy = client.get("/api/health/integrity")
    assert healthy.status_code == 200, healthy.text
    events = fetch_value(runtime.db.reader, "SELECT count(*) FROM audit_events")
    assert events == 5  # terminal, two users, two sign-ins
    raw = apsw.Connection(runtime.settings.db_path)
    try:
        raw.set_busy_timeout(5000)
        try:
            raw.execute("UPDATE audit_events SET action = 'auth.nothing' WHERE id = 3")
            raise AssertionError("the trigger should have refused the update")
        except apsw.ConstraintError:
            pass
        raw.execute("DROP TRIGGER audit_events_no_update")
        raw.execute('UPDATE audit_events SET details = \'{"method":"password"}\' WHERE id = 3')
    finally:
        raw.close()
    broken = client.get("/api/health/integrity")
    assert broken.status_code == 503
    check = next(c for c in broken.json()["checks"] if c["name"] == "audit_chain")
    assert not check["ok"] and check["detail"].startswith("chain broken at event 3:")
    assert "edited" in check["detail"]


def test_integrity_finds_a_deleted_row(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    signed_in("cashier")
    raw = apsw.Connection(runtime.settings.db_path)
    try:
        raw.execute("DROP TRIGGER audit_events_no_delete")
        raw.execute("DELETE FROM audit_events WHERE id = 2")
    finally:
        raw.close()
    check = next(c for c in client.get("/api/health/integrity").json()["checks"] if c["name"] == "audit_chain")
    assert check["detail"].startswith("chain broken at event 3:") and "prev_hash" in check["detail"]


def test_list_filters_and_pages(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    auditor = signed_in("auditor")
    cashier = add_user(runtime, "cashier")
    for _ in range(3):
        login_pin(client, cashier.pin or "")
    logins = client.get(f"/api/audit-events?action=auth.login&actorId={cashier.id}", headers=auditor).json()
    assert len(logins["items"]) == 3 and logins["nextCursor"] is None
    assert all(e["actorName"] == cashier.username and e["terminalName"] == "LANE-1" for e in logins["items"])
    first = client.get("/api/audit-events?limit=2", headers=auditor).json()
    second = client.get(f"/api/audit-events?limit=2&cursor={first['nextCursor']}", headers=auditor).json()
    assert first["items"][0]["id"] > first["items"][1]["id"] > second["items"][0]["id"]
    assert client.get("/api/audit-events?from=2999-01-01T00:00:00Z", headers=auditor).json()["items"] == []
    everything = client.get(
        "/api/audit-events?from=2000-01-01T00:00:00%2B05:30&to=2999-01-01T00:00:00Z&limit=200", headers=auditor
    ).json()["items"]
    assert len(everything) == fetch_value(runtime.db.reader, "SELECT count(*) FROM audit_events")
    bad = client.get("/api/audit-events?from=yesterday", headers=auditor)
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_TIME"


def test_csv_export_for_auditors_is_itself_audited(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    auditor = signed_in("auditor")
    response = client.get("/api/audit-events/export.csv?action=auth.login", headers=auditor)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "id" and rows[0][-1] == "hash" and [r[8] for r in rows[1:]] == ["auth.login"]
    assert fetch_value(runtime.db.reader, "SELECT action FROM audit_events ORDER BY id DESC LIMIT 1") == (
        "audit.exported"
    )
    manager = signed_in("manager")
    assert client.get("/api/audit-events", headers=manager).status_code == 200
    assert client.get("/api/audit-events/export.csv", headers=manager).status_code == 403
    assert client.get("/api/audit-events", headers=signed_in("cashier")).status_code == 403

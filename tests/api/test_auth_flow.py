"""Sign-in, sessions and bad input over HTTP: stable codes, and nothing written but the audit event."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import MadeUser, add_terminal, add_user, bearer, issue_token, login_pin
from tests.conftest import make_settings

Client = TestClient[Any]
TABLES = ("users", "terminals", "sessions", "auth_throttle", "audit_events")


def counts(rt: Runtime) -> dict[str, int]:
    return {t: int(fetch_value(rt.db.reader, f"SELECT count(*) FROM {t}")) for t in TABLES}


def last_actions(rt: Runtime, n: int = 1) -> list[str]:
    rows = fetch_all(rt.db.reader, "SELECT action FROM audit_events ORDER BY id DESC LIMIT ?", (n,))
    return [str(r[0]) for r in rows][::-1]


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
def lane(runtime: Runtime) -> int:
    add_terminal(runtime, "LANE-2")
    return add_terminal(runtime, "LANE-1")


@pytest.fixture
def cashier(runtime: Runtime, lane: int) -> MadeUser:
    return add_user(runtime, "cashier", username="carol")


def test_pin_sign_in_answers_the_lane_contract(client: Client, runtime: Runtime, cashier: MadeUser, lane: int) -> None:
    assert cashier.pin is not None
    response = login_pin(client, cashier.pin, "lane-1")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"token", "expiresAt", "user", "terminal"}
    assert body["user"] == {"id": cashier.id, "username": "carol", "displayName": "Carol", "role": "cashier"}
    assert body["terminal"] == {"id": lane, "name": "LANE-1", "storeCode": "MAIN"}
    assert body["expiresAt"].endswith("Z") and "sales.create" in body["permissions"]
    me = client.get("/api/auth/me", headers=bearer(body["token"])).json()
    assert me["user"]["username"] == "carol" and me["terminal"]["name"] == "LANE-1" and me["method"] == "pin"
    assert last_actions(runtime) == ["auth.login"]
    seen = fetch_value(runtime.db.reader, "SELECT last_seen_at FROM terminals WHERE name = 'LANE-1'")
    assert seen is not None


def test_password_sign_in_with_and_without_terminal(client: Client, runtime: Runtime, lane: int) -> None:
    add_user(runtime, "admin", username="boss", password="correct horse battery")
    plain = client.post("/api/auth/login/password", json={"username": "BOSS", "password": "correct horse battery"})
    assert plain.status_code == 200 and plain.json()["terminal"] is None
    at_lane = client.post(
        "/api/auth/login/password", json={"username": "boss", "password": "correct horse battery", "terminal": "LANE-2"}
    )
    assert at_lane.json()["terminal"]["name"] == "LANE-2"


def test_unknown_user_and_wrong_password_look_the_same(client: Client, runtime: Runtime, lane: int) -> None:
    add_user(runtime, "manager", username="mia")
    wrong = client.post("/api/auth/login/password", json={"username": "mia", "password": "not her password"})
    ghost = client.post("/api/auth/login/password", json={"username": "ghost", "password": "not her password"})
    assert problem(wrong, 401, "INVALID_CREDENTIALS")["detail"] == problem(ghost, 401, "INVALID_CREDENTIALS")["detail"]
    assert last_actions(runtime, 2) == ["auth.login_failed", "auth.login_failed"]


def test_lock_out_after_five_failures_looks_the_same_for_unknown_users(
    client: Client, runtime: Runtime, lane: int
) -> None:
    add_user(runtime, "manager", username="mia", password="correct horse battery")
    runtime.clock = lambda: 1_750_000_000.0
    answers: dict[str, list[tuple[int, str]]] = {}
    for name in ("mia", "ghost"):
        seen = []
        for _ in range(6):
            r = client.post("/api/auth/login/password", json={"username": name, "password": "wrong password!"})
            seen.append((r.status_code, r.json()["code"]))
        answers[name] = seen
    assert answers["mia"] == answers["ghost"]
    assert answers["mia"][-2:] == [(401, "INVALID_CREDENTIALS"), (429, "ACCOUNT_LOCKED")]
    right = {"username": "mia", "password": "correct horse battery"}
    problem(client.post("/api/auth/login/password", json=right), 429, "ACCOUNT_LOCKED")
    assert "auth.lockout" in last_actions(runtime, 12)
    runtime.clock = lambda: 1_750_000_000.0 + 15 * 60 + 1
    assert client.post("/api/auth/login/password", json=right).status_code == 200


def test_wrong_pins_lock_that_lane_only(client: Client, runtime: Runtime, cashier: MadeUser, lane: int) -> None:
    assert cashier.pin is not None
    wrong = "9" * 6 if cashier.pin != "9" * 6 else "8" * 6
    for _ in range(5):
        problem(login_pin(client, wrong, "LANE-1"), 401, "INVALID_CREDENTIALS")
    problem(login_pin(client, cashier.pin, "LANE-1"), 429, "PIN_ENTRY_LOCKED")
    assert login_pin(client, cashier.pin, "LANE-2").status_code == 200
    manager = add_user(runtime, "manager")
    headers = bearer(login_pin(client, manager.pin or "", "LANE-2").json()["token"])
    terminal = client.get(f"/api/terminals/{lane}", headers=headers).json()
    assert terminal["pinLockedUntil"] is not None
    assert client.post(f"/api/terminals/{lane}/unlock", headers=headers).status_code == 200
    assert login_pin(client, cashier.pin, "LANE-1").status_code == 200
    assert "terminal.unlocked" in last_actions(runtime, 3)


@pytest.mark.parametrize(
    "body",
    [
        {"pin": "12a4", "terminal": "LANE-1"},
        {"pin": "123", "terminal": "LANE-1"},
        {"pin": "1234567", "terminal": "LANE-1"},
        {"pin": 1234, "terminal": "LANE-1"},
        {"terminal": "LANE-1"},
    ],
)
def test_malformed_pins_write_nothing(client: Client, runtime: Runtime, lane: int, body: dict[str, Any]) -> None:
    before = counts(runtime)
    body_ = problem(client.post("/api/auth/login/pin", json=body), 400, "VALIDATION_FAILED")
    assert body_["errors"]
    assert counts(runtime) == before


def test_unknown_or_inactive_terminal_is_a_clear_400(client: Client, runtime: Runtime, cashier: MadeUser) -> None:
    before = counts(runtime)
    problem(login_pin(client, cashier.pin or "", "LANE-9"), 400, "TERMINAL_UNKNOWN")
    assert counts(runtime) == before


def test_disabled_user_and_their_token(
    client: Client, runtime: Runtime, cashier: MadeUser, signed_in: Callable[..., dict[str, str]]
) -> None:
    token = login_pin(client, cashier.pin or "").json()["token"]
    admin = signed_in("admin")
    assert client.patch(f"/api/users/{cashier.id}", headers=admin, json={"active": False}).status_code == 200
    problem(client.get("/api/auth/me", headers=bearer(token)), 401, "ACCOUNT_DISABLED")
    before = counts(runtime)
    problem(login_pin(client, cashier.pin or ""), 401, "ACCOUNT_DISABLED")
    after = counts(runtime)
    assert after["audit_events"] == before["audit_events"] + 1 and last_actions(runtime) == ["auth.login_failed"]
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "Bearer pgs_not-a-real-token", "Bearer x y"])
def test_missing_or_unknown_tokens(client: Client, runtime: Runtime, header: str | None) -> None:
    before = counts(runtime)
    headers = {"Authorization": header} if header is not None else {}
    problem(client.get("/api/auth/me", headers=headers), 401, "UNAUTHORIZED")
    assert counts(runtime) == before


def test_expiry_inactivity_lock_unlock_and_logout(client: Client, runtime: Runtime, cashier: MadeUser) -> None:
    t0 = 1_750_000_000.0
    runtime.clock = lambda: t0
    headers = bearer(login_pin(client, cashier.pin or "").json()["token"])
    runtime.clock = lambda: t0 + 29 * 60
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    runtime.clock = lambda: t0 + 29 * 60 + 30 * 60 + 1
    problem(client.get("/api/auth/me", headers=headers), 401, "SESSION_LOCKED")
    other = add_user(runtime, "cashier")
    problem(client.post("/api/auth/unlock", headers=headers, json={"pin": other.pin}), 401, "INVALID_CREDENTIALS")
    assert last_actions(runtime) == ["auth.unlock_failed"]
    assert client.post("/api/auth/unlock", headers=headers, json={"pin": cashier.pin}).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    runtime.clock = lambda: t0 + 12 * 3600
    problem(client.get("/api/auth/me", headers=headers), 401, "TOKEN_EXPIRED")
    runtime.clock = lambda: t0 + 60
    fresh = bearer(login_pin(client, cashier.pin or "").json()["token"])
    assert client.post("/api/auth/logout", headers=fresh).json() == {"ok": True}
    problem(client.get("/api/auth/me", headers=fresh), 401, "SESSION_ENDED")
    assert last_actions(runtime, 2) == ["auth.login", "auth.logout"]


def test_unlock_needs_exactly_one_secret(client: Client, runtime: Runtime, cashier: MadeUser) -> None:
    headers = bearer(login_pin(client, cashier.pin or "").json()["token"])
    problem(client.post("/api/auth/unlock", headers=headers, json={}), 400, "CREDENTIAL_REQUIRED")
    problem(
        client.post("/api/auth/unlock", headers=headers, json={"pin": cashier.pin, "password": "x"}),
        400,
        "CREDENTIAL_REQUIRED",
    )


def test_activity_refreshes_the_inactivity_timer(client: Client, runtime: Runtime, cashier: MadeUser) -> None:
    t0 = 1_750_000_000.0
    runtime.clock = lambda: t0
    headers = bearer(login_pin(client, cashier.pin or "").json()["token"])
    for minute in (20, 40, 60, 80):
        runtime.clock = lambda m=minute: t0 + m * 60  # type: ignore[misc]
        assert client.get("/api/auth/me", headers=headers).status_code == 200


def test_a_session_issued_for_a_deactivated_terminal_stops(
    client: Client, runtime: Runtime, cashier: MadeUser, lane: int, signed_in: Callable[..., dict[str, str]]
) -> None:
    token = issue_token(runtime, cashier.id, lane)
    admin = signed_in("admin", "LANE-2")
    assert client.patch(f"/api/terminals/{lane}", headers=admin, json={"active": False}).status_code == 200
    problem(client.get("/api/auth/me", headers=bearer(token)), 401, "TERMINAL_INACTIVE")
    problem(login_pin(client, cashier.pin or "", "LANE-1"), 400, "TERMINAL_INACTIVE")


def test_a_locked_account_cannot_sign_in_by_pin_either(client: Client, runtime: Runtime, cashier: MadeUser) -> None:
    for _ in range(5):
        client.post("/api/auth/login/password", json={"username": cashier.username, "password": "wrong password!"})
    problem(login_pin(client, cashier.pin or ""), 429, "ACCOUNT_LOCKED")
    assert last_actions(runtime) == ["auth.login_failed"]


def test_a_wrong_pin_costs_an_argon2_verification_too(tmp_path: Path) -> None:
    """With production cost (≈ 28 ms a verification), no answer to a PIN comes back without one."""
    rt = open_runtime(make_settings(tmp_path, ARGON2_TIME_COST="3", ARGON2_MEMORY_KIB="19456"))
    try:
        add_terminal(rt, "LANE-1")
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[arg-type]
            timings = []
            for _ in range(3):
                began = time.perf_counter()
                problem(login_pin(client, "975318"), 401, "INVALID_CREDENTIALS")
                timings.append(time.perf_counter() - began)
        assert min(timings) > 0.010, timings
    finally:
        rt.db.close()

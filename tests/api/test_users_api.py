"""User administration: uniqueness, escalation attempts, the last admin, sessions ended, everything audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from tests.auth_helpers import add_terminal, add_user, bearer, login_pin

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def actions(rt: Runtime) -> list[str]:
    return [str(r[0]) for r in fetch_all(rt.db.reader, "SELECT action FROM audit_events ORDER BY id")]


def code(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code", "")


def test_admin_creates_users_with_unique_pins(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    admin = signed_in("admin")
    made = client.post(
        "/api/users",
        headers=admin,
        json={"username": "dave", "displayName": "Dave", "role": "cashier", "pin": "482913"},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["hasPin"] and not body["hasPassword"] and body["generatedPin"] is None
    assert "482913" not in made.text
    stored = fetch_all(runtime.db.reader, "SELECT pin_hash, pin_lookup FROM users WHERE username = 'dave'")[0]
    assert stored[0].startswith("$argon2id$") and "482913" not in stored[0] + stored[1]
    clash = client.post(
        "/api/users",
        headers=admin,
        json={"username": "erin", "displayName": "Erin", "role": "cashier", "pin": "482913"},
    )
    assert code(clash) == (409, "PIN_TAKEN")
    again = client.post(
        "/api/users",
        headers=admin,
        json={"username": "DAVE", "displayName": "x", "role": "cashier", "generatePin": True},
    )
    assert code(again) == (409, "USERNAME_TAKEN")
    generated = client.post(
        "/api/users",
        headers=admin,
        json={"username": "erin", "displayName": "Erin", "role": "cashier", "generatePin": True},
    ).json()
    assert len(generated["generatedPin"]) == 6
    assert login_pin(client, generated["generatedPin"]).status_code == 200


def test_bad_user_input_gets_stable_codes(client: Client, signed_in: SignIn) -> None:
    admin = signed_in("admin")
    base = {"username": "fay", "displayName": "Fay", "role": "cashier"}
    assert code(client.post("/api/users", headers=admin, json={**base, "pin": "1234"})) == (400, "PIN_TOO_WEAK")
    assert code(client.post("/api/users", headers=admin, json=base)) == (400, "CREDENTIAL_REQUIRED")
    assert code(client.post("/api/users", headers=admin, json={**base, "role": "owner", "pin": "482913"}))[0] == 400
    assert code(client.post("/api/users", headers=admin, json={**base, "pin": "4829", "generatePin": True})) == (
        400,
        "PIN_CONFLICT",
    )
    assert code(client.post("/api/users", headers=admin, json={**base, "password": "aaaaaaaaaaaa"})) == (
        400,
        "PASSWORD_TOO_WEAK",
    )
    assert code(client.post("/api/users", headers=admin, json={**base, "pin": "482913", "isAdmin": True}))[0] == 400
    assert code(client.get("/api/users/999", headers=admin)) == (404, "USER_NOT_FOUND")


def test_a_cashier_cannot_raise_their_own_role(client: Client, runtime: Runtime) -> None:
    add_terminal(runtime)
    cashier = add_user(runtime, "cashier")
    headers = bearer(login_pin(client, cashier.pin or "").json()["token"])
    before = fetch_value(runtime.db.reader, "SELECT count(*) FROM audit_events")
    response = client.patch(f"/api/users/{cashier.id}", headers=headers, json={"role": "admin"})
    assert code(response) == (403, "FORBIDDEN") and "users.manage" in response.json()["detail"]
    assert fetch_value(runtime.db.reader, "SELECT role FROM users WHERE id = ?", (cashier.id,)) == "cashier"
    assert fetch_value(runtime.db.reader, "SELECT count(*) FROM audit_events") == before + 1
    assert actions(runtime)[-1] == "auth.permission_denied"
    assert code(
        client.post(
            "/api/users",
            headers=headers,
            json={"username": "evil", "displayName": "E", "role": "admin", "pin": "482913"},
        )
    ) == (403, "FORBIDDEN")


def test_role_change_disable_and_enable_are_audited(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    admin = signed_in("admin")
    user = add_user(runtime, "cashier")
    token = login_pin(client, user.pin or "").json()["token"]
    changed = client.patch(f"/api/users/{user.id}", headers=admin, json={"role": "manager", "displayName": "Boss"})
    assert changed.json()["role"] == "manager" and changed.json()["displayName"] == "Boss"
    assert client.get("/api/auth/me", headers=bearer(token)).json()["user"]["role"] == "manager"
    assert client.patch(f"/api/users/{user.id}", headers=admin, json={"active": False}).json()["active"] is False
    assert (
        fetch_value(
            runtime.db.reader, "SELECT count(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL", (user.id,)
        )
        == 0
    )
    assert client.patch(f"/api/users/{user.id}", headers=admin, json={"active": True}).status_code == 200
    assert actions(runtime)[-4:] == ["user.role_changed", "user.changed", "user.disabled", "user.enabled"]


def test_reenabling_a_user_whose_pin_was_reused_conflicts(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    admin = signed_in("admin")
    first = add_user(runtime, "cashier", pin="482913")
    client.patch(f"/api/users/{first.id}", headers=admin, json={"active": False})
    add_user(runtime, "cashier", pin="482913")
    assert code(client.patch(f"/api/users/{first.id}", headers=admin, json={"active": True})) == (409, "PIN_TAKEN")


def test_the_last_admin_stays_an_admin(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    admin = signed_in("admin")
    me = client.get("/api/auth/me", headers=admin).json()["user"]["id"]
    assert code(client.patch(f"/api/users/{me}", headers=admin, json={"role": "cashier"})) == (409, "LAST_ADMIN")
    assert code(client.patch(f"/api/users/{me}", headers=admin, json={"active": False})) == (409, "LAST_ADMIN")
    other = add_user(runtime, "admin")
    assert client.patch(f"/api/users/{other.id}", headers=admin, json={"active": False}).status_code == 200


def test_changing_credentials_ends_other_sessions_but_the_callers(
    client: Client, runtime: Runtime, signed_in: SignIn
) -> None:
    admin = signed_in("admin")
    me = client.get("/api/auth/me", headers=admin).json()["user"]["id"]
    username = fetch_value(runtime.db.reader, "SELECT username FROM users WHERE id = ?", (me,))
    login = {"username": username, "password": "correct horse battery"}
    other = client.post("/api/auth/login/password", json=login).json()["token"]
    changed = client.patch(f"/api/users/{me}", headers=admin, json={"password": "a brand new secret"})
    assert changed.status_code == 200
    assert client.get("/api/auth/me", headers=admin).status_code == 200
    assert code(client.get("/api/auth/me", headers=bearer(other))) == (401, "SESSION_ENDED")
    assert actions(runtime)[-1] == "user.credentials_changed"


def test_list_users_pages_with_a_cursor_and_filters(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    auditor = signed_in("auditor")
    for _ in range(4):
        add_user(runtime, "cashier")
    first = client.get("/api/users?limit=2", headers=auditor).json()
    assert len(first["items"]) == 2 and first["nextCursor"]
    second = client.get(f"/api/users?limit=2&cursor={first['nextCursor']}", headers=auditor).json()
    assert second["items"][0]["id"] > first["items"][-1]["id"]
    cashiers = client.get("/api/users?role=cashier&active=true&limit=200", headers=auditor).json()["items"]
    assert len(cashiers) == 4 and all(u["role"] == "cashier" for u in cashiers)
    assert code(client.get("/api/users?cursor=nonsense", headers=auditor)) == (400, "INVALID_CURSOR")
    assert client.get("/api/users?limit=500", headers=auditor).status_code == 400


def test_unlock_user_clears_the_lock(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    victim = add_user(runtime, "auditor", password="correct horse battery")
    for _ in range(5):
        client.post("/api/auth/login/password", json={"username": victim.username, "password": "wrong wrong"})
    assert client.get(f"/api/users/{victim.id}", headers=manager).json()["lockedUntil"] is not None
    assert client.post(f"/api/users/{victim.id}/unlock", headers=manager).status_code == 200
    right = {"username": victim.username, "password": "correct horse battery"}
    assert client.post("/api/auth/login/password", json=right).status_code == 200
    assert "user.unlocked" in actions(runtime)

"""Sign-ins (good and bad), unlocks, user changes and overrides leave no PIN, password or token in any log line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.logging import configure_logging
from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user, bearer, login_pin
from tests.conftest import make_settings


@pytest.mark.parametrize("env", ["production", "development"])
def test_no_secret_reaches_a_log_line(tmp_path: Path, env: str) -> None:
    settings = make_settings(tmp_path, APP_ENV=env, LOG_LEVEL="trace")
    stream = io.StringIO()
    configure_logging(settings, stream)
    rt = open_runtime(settings)
    secrets: list[str] = []
    try:
        add_terminal(rt, "LANE-1")
        admin = add_user(rt, "admin", password="admin password 1")
        cashier = add_user(rt, "cashier")
        secrets += [admin.pin or "", cashier.pin or "", "admin password 1"]
        with TestClient(app=create_app(rt, access_log=True)) as client:
            secrets += exercise(client, admin.username, admin.pin or "", cashier.pin or "")
    finally:
        rt.db.close()
    text = stream.getvalue()
    assert "signed in" in text and "sign-in failed" in text and "request completed" in text
    leaked = [s for s in secrets if s and s in text]
    assert leaked == []


def exercise(client: TestClient, admin_name: str, admin_pin: str, cashier_pin: str) -> list[str]:  # type: ignore[type-arg]
    """Every secret-carrying call; returns the extra secrets it used or received."""
    wrong_pin = "9" * 6 if cashier_pin != "9" * 6 else "8" * 6
    token = login_pin(client, cashier_pin).json()["token"]
    login_pin(client, wrong_pin)
    client.post("/api/auth/login/password", json={"username": admin_name, "password": "wrong password 77"})
    client.post("/api/auth/login/password", json={"username": "nobody", "password": "ghost password 88"})
    admin_token = client.post(
        "/api/auth/login/password", json={"username": admin_name, "password": "admin password 1"}
    ).json()["token"]
    admin = bearer(admin_token)
    client.post("/api/auth/unlock", headers=bearer(token), json={"pin": wrong_pin})
    client.post("/api/auth/unlock", headers=bearer(token), json={"pin": cashier_pin})
    made = client.post(
        "/api/users",
        headers=admin,
        json={
            "username": "newbie",
            "displayName": "New",
            "role": "cashier",
            "generatePin": True,
            "password": "new user password 5",
        },
    ).json()
    client.patch(f"/api/users/{made['id']}", headers=admin, json={"pin": "864213"})
    client.get("/api/auth/me", headers={"Authorization": "Bearer pgs_forged-token-value-123"})
    client.post("/api/auth/logout", headers=bearer(token))
    return [
        wrong_pin,
        token,
        admin_token,
        made["generatedPin"],
        "new user password 5",
        "864213",
        "wrong password 77",
        "ghost password 88",
        "pgs_forged-token-value-123",
        admin_pin,
    ]

"""`pos-grocery users …` and `pos-grocery seed-users --demo`: no default password, PINs printed once and working."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.cli import main
from pos_grocery.db.connection import fetch_value
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import login_pin
from tests.conftest import BASE_ENV, make_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in {
        **BASE_ENV,
        "APP_ENV": "development",
        "DB_PATH": str(tmp_path / "pos.db"),
        "ENV_FILE": str(tmp_path / "none.env"),
    }.items():
        monkeypatch.setenv(key, value)
    return tmp_path


@pytest.fixture
def opened(env: Path) -> Iterator[Runtime]:
    rt = open_runtime(make_settings(env))
    yield rt
    rt.db.close()


def test_seed_users_prints_working_pins_once(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-users", "--demo"]) == 0
    out = capsys.readouterr().out
    pins = dict(re.findall(r"^\s+\w+\s+(\w+)\s+PIN (\d{6})", out, re.MULTILINE))
    assert set(pins) == {"cashier1", "cashier2", "manager1", "admin", "auditor"}
    rt = open_runtime(make_settings(env))
    try:
        stored = " ".join(str(v) for v in rt.db.reader.execute("SELECT pin_hash, password_hash FROM users"))
        assert not any(pin in stored for pin in pins.values())
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[arg-type]
            body = login_pin(client, pins["cashier1"], "LANE-2").json()
        assert body["user"]["username"] == "cashier1" and body["terminal"]["name"] == "LANE-2"
    finally:
        rt.db.close()
    assert main(["seed-users", "--demo", "--if-empty"]) == 0
    assert main(["seed-users", "--demo"]) == 1
    assert "PIN" not in capsys.readouterr().out


def test_no_demo_users_in_production(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    assert main(["seed-users", "--demo"]) == 2
    assert "users create --role admin" in capsys.readouterr().err


def test_first_admin_from_piped_stdin(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Runtime
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("the owner's password\n"))
    assert main(["users", "create", "--role", "admin", "--username", "owner", "--generate-pin"]) == 0
    out = capsys.readouterr().out
    assert "created admin 'owner'" in out and re.search(r"PIN \(shown once, write it down\): \d{6}", out)
    assert fetch_value(
        opened.db.reader, "SELECT actor_name FROM audit_events WHERE action = 'user.created'"
    ).startswith("cli:")
    with TestClient(app=create_app(opened, access_log=False)) as client:  # type: ignore[arg-type]
        ok = client.post("/api/auth/login/password", json={"username": "owner", "password": "the owner's password"})
    assert ok.status_code == 200 and ok.json()["user"]["role"] == "admin"


def test_admins_get_a_password_by_default_and_bad_input_is_refused(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("too short\n"))
    assert main(["users", "create", "--role", "admin", "--username", "owner"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    assert main(["users", "create", "--role", "admin", "--username", "no spaces"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    assert main(["users", "create", "--role", "cashier", "--username", "cash", "--pin"]) == 1
    assert "PIN_TOO_WEAK" in capsys.readouterr().err


def test_unlock_and_list(env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["users", "create", "--role", "cashier", "--username", "kamal"]) == 0
    assert main(["users", "unlock", "--username", "kamal"]) == 0
    assert main(["users", "unlock", "--username", "nobody"]) == 1
    assert main(["users", "list"]) == 0
    assert re.search(r"kamal\s+cashier\s+active", capsys.readouterr().out)

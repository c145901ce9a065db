"""Test helpers: users, terminals and sessions made through the identity services (no shortcuts around them)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from pos_grocery.auth.permissions import Role
from pos_grocery.auth.sessions import SessionTimes, create_session
from pos_grocery.runtime import Runtime
from pos_grocery.terminals import queries as terminal_queries
from pos_grocery.terminals import service as terminals
from pos_grocery.terminals.models import TerminalCreate
from pos_grocery.users.models import UserCreate
from pos_grocery.users.service import insert_user, prepare_secrets

_numbers = itertools.count(1)


@dataclass(frozen=True, slots=True)
class MadeUser:
    """A user a test created, with the secrets it chose."""

    id: int
    username: str
    role: str
    pin: str | None
    password: str | None


def add_terminal(rt: Runtime, name: str = "LANE-1", store_code: str = "MAIN") -> int:
    """The id of the terminal `name`, registering it when missing."""
    row = terminal_queries.by_name(rt.db.reader, name)
    if row is not None:
        return row.id
    return terminals.create(rt, TerminalCreate(name=name, store_code=store_code), None, None).id


def add_user(
    rt: Runtime,
    role: str,
    *,
    username: str | None = None,
    pin: str | None = None,
    password: str | None = "correct horse battery",
    generate_pin: bool = True,
) -> MadeUser:
    """Create a user through the users service (a generated PIN unless one is given)."""
    name = username or f"{role}{next(_numbers)}"
    data = UserCreate(
        username=name,
        display_name=name.title(),
        role=Role(role),
        pin=pin,
        password=password,
        generate_pin=generate_pin and pin is None,
    )
    secrets = prepare_secrets(rt.settings, rt.db.reader, data.pin, data.password, data.generate_pin)
    with rt.db.write() as conn:
        row = insert_user(conn, data, secrets, None, None, rt.clock())
    return MadeUser(row.id, row.username, role, pin or secrets.generated_pin, password)


def issue_token(rt: Runtime, user_id: int, terminal_id: int | None = None, method: str = "pin") -> str:
    """A session token for a user without signing in (for tests that are about something else)."""
    with rt.db.write() as conn:
        token, _expires = create_session(
            conn, user_id, terminal_id, method, rt.clock(), SessionTimes.from_settings(rt.settings)
        )
    return token


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def login_pin(client: Any, pin: str, terminal: str = "LANE-1") -> Any:
    """POST /api/auth/login/pin."""
    return client.post("/api/auth/login/pin", json={"pin": pin, "terminal": terminal})


def headers_for(client: Any, rt: Runtime, role: str, terminal: str = "LANE-1") -> dict[str, str]:
    """A new user of `role` signed in by PIN over HTTP; its Authorization headers."""
    add_terminal(rt, terminal)
    user = add_user(rt, role)
    assert user.pin is not None
    response = login_pin(client, user.pin, terminal)
    assert response.status_code == 200, response.text
    return bearer(response.json()["token"])

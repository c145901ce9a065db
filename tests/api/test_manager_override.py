"""Manager override through a real guarded route: managerPin approves, both people audited, wrong PINs counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import msgspec
import pytest
from litestar import Request, post
from litestar.params import JSONBody, PathParameter
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.hashing import PIN_PATTERN
from pos_grocery.auth.override import approve_if_needed
from pos_grocery.auth.permissions import P
from pos_grocery.db.connection import fetch_all
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import MadeUser, add_terminal, add_user, bearer, login_pin
from tests.conftest import make_settings

Client = TestClient[Any]


class VoidBody(msgspec.Struct, rename="camel"):
    """A body like the features' (runbook: `managerPin`)."""

    reason: str
    manager_pin: Annotated[str, msgspec.Meta(pattern=PIN_PATTERN)] | None = None


class Voided(msgspec.Struct, rename="camel"):
    """Who approved."""

    approved_by: str | None


@post("/api/_probe/sales/{sale_id:int}/void", guards=[requires(P.SALES_VOID, approvable=True)], status_code=200)
async def void_sale(
    request: Request[Any, Any, Any], sale_id: Annotated[int, PathParameter(ge=1, le=2**53)], data: JSONBody[VoidBody]
) -> Voided:
    """What a feature handler does: approve_if_needed, then its own change."""
    rt = runtime_of(request)
    approver = await approve_if_needed(
        rt,
        identity_of(request),
        P.SALES_VOID,
        data.manager_pin,
        action="sales.void",
        entity="sale",
        entity_id=sale_id,
        request_id=request_id_of(request),
    )
    return Voided(approved_by=approver.username if approver else None)


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    runtime = open_runtime(make_settings(tmp_path))
    yield runtime
    runtime.db.close()


@pytest.fixture
def probe(rt: Runtime) -> Iterator[Client]:
    with TestClient(app=create_app(rt, access_log=False, extra_handlers=[void_sale])) as c:  # type: ignore[arg-type]
        yield c


@pytest.fixture
def people(rt: Runtime) -> dict[str, MadeUser]:
    add_terminal(rt, "LANE-1")
    return {role: add_user(rt, role) for role in ("cashier", "manager", "admin", "auditor")}


def headers(client: Client, user: MadeUser) -> dict[str, str]:
    return bearer(login_pin(client, user.pin or "").json()["token"])


def void(client: Client, who: dict[str, str], pin: str | None) -> Any:
    body = {"reason": "customer changed mind", **({"managerPin": pin} if pin is not None else {})}
    return client.post("/api/_probe/sales/7/void", headers=who, json=body)


def last_event(rt: Runtime) -> tuple[Any, ...]:
    return tuple(
        fetch_all(
            rt.db.reader,
            "SELECT action, actor_name, approver_name, terminal_name, entity_id, "
            "details FROM audit_events ORDER BY id DESC LIMIT 1",
        )[0]
    )


def test_manager_pin_approves_and_both_people_are_recorded(
    probe: Client, rt: Runtime, people: dict[str, MadeUser]
) -> None:
    cashier = headers(probe, people["cashier"])
    response = void(probe, cashier, people["manager"].pin)
    assert response.status_code == 200 and response.json() == {"approvedBy": people["manager"].username}
    action, actor, approver, terminal, entity_id, details = last_event(rt)
    assert (action, actor, approver, terminal, entity_id) == (
        "auth.override_granted",
        people["cashier"].username,
        people["manager"].username,
        "LANE-1",
        "7",
    )
    assert people["manager"].pin not in details and '"permission":"sales.void"' in details


def test_holders_of_the_permission_need_no_pin(probe: Client, people: dict[str, MadeUser]) -> None:
    assert void(probe, headers(probe, people["manager"]), None).json() == {"approvedBy": None}


def test_missing_wrong_and_non_manager_pins_are_refused(
    probe: Client, rt: Runtime, people: dict[str, MadeUser]
) -> None:
    cashier = headers(probe, people["cashier"])
    assert void(probe, cashier, None).json()["code"] == "MANAGER_APPROVAL_REQUIRED"
    assert void(probe, cashier, people["cashier"].pin).json()["code"] == "MANAGER_PIN_INVALID"
    assert void(probe, cashier, people["auditor"].pin).json()["code"] == "MANAGER_PIN_INVALID"
    assert void(probe, cashier, people["admin"].pin).status_code == 200
    assert last_event(rt)[0] == "auth.override_granted"


def test_wrong_manager_pins_lock_the_pin_pad(probe: Client, rt: Runtime, people: dict[str, MadeUser]) -> None:
    cashier = headers(probe, people["cashier"])
    wrong = "9" * 6 if people["manager"].pin != "9" * 6 else "8" * 6
    for _ in range(5):
        assert void(probe, cashier, wrong).json()["code"] == "MANAGER_PIN_INVALID"
    locked = void(probe, cashier, people["manager"].pin)
    assert locked.status_code == 429 and locked.json()["code"] == "PIN_ENTRY_LOCKED"
    denied = [
        r[0]
        for r in fetch_all(
            rt.db.reader,
            "SELECT action FROM audit_events WHERE action LIKE 'auth.override%' OR action = 'auth.lockout'",
        )
    ]
    assert denied.count("auth.override_denied") == 6 and denied.count("auth.lockout") == 1


def test_a_locked_or_disabled_manager_cannot_approve(probe: Client, rt: Runtime, people: dict[str, MadeUser]) -> None:
    cashier = headers(probe, people["cashier"])
    for _ in range(5):
        probe.post("/api/auth/login/password", json={"username": people["manager"].username, "password": "nope nope"})
    assert void(probe, cashier, people["manager"].pin).json()["code"] == "MANAGER_LOCKED"
    admin = headers(probe, people["admin"])
    probe.patch(f"/api/users/{people['manager'].id}", headers=admin, json={"active": False})
    assert void(probe, cashier, people["manager"].pin).json()["code"] == "MANAGER_PIN_INVALID"


def test_roles_that_cannot_ask_for_an_override_get_403(probe: Client, people: dict[str, MadeUser]) -> None:
    auditor = headers(probe, people["auditor"])
    response = void(probe, auditor, people["manager"].pin)
    assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"
    assert "sales.void" in response.json()["detail"]


def test_approvable_routes_document_the_pin_pad_lock(probe: Client) -> None:
    op = probe.get("/schema/openapi.json").json()["paths"]["/api/_probe/sales/{sale_id}/void"]["post"]
    assert "429" in op["responses"] and "managerPin" in op["description"]
    assert op["security"] == [{"bearerAuth": []}]

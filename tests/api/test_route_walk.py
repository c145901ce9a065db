"""Every route in the OpenAPI document either names a permission or is on the short public allow-list, and
every role gets exactly the answers the permission matrix promises (401 without a session, 403 without the
permission). New routes of later features are walked automatically."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.auth.guard import PUBLIC, SCHEME, UNPROTECTED, PermissionGuard, route_guards, route_permissions
from pos_grocery.auth.permissions import P, Role, has_permission
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import add_terminal, add_user, bearer, issue_token
from tests.conftest import make_settings

Client = TestClient[Any]
LOGIN_ROUTES = {("POST", "/api/auth/login/pin"), ("POST", "/api/auth/login/password")}
# Routes whose handlers these tests may run with an empty body: ours (the guard answers before any other
# feature's handler runs, so theirs are only called when the answer must be 403).
OWN_PREFIXES = ("/api/auth", "/api/users", "/api/terminals", "/api/audit-events")


def allowed_public(method: str, path: str) -> bool:
    """The documented allow-list: health, metrics, the schema, sign-in."""
    return (
        path in ("/health", "/metrics") or path.startswith(("/api/health", "/schema")) or (method, path) in LOGIN_ROUTES
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any]]:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("walk"))))
    app = create_app(rt, access_log=False)
    yield rt, app
    rt.db.close()


def inner(app: Any) -> Litestar:
    litestar: Litestar = app.app
    return litestar


def operations(app: Any) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI document."""
    schema = inner(app).openapi_schema.to_schema()
    return sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def call(client: Client, method: str, path: str, headers: dict[str, str]) -> Any:
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, concrete(path), headers=headers, json=body)


def test_every_route_names_a_permission_or_is_on_the_allow_list(world: tuple[Runtime, Any]) -> None:
    _rt, app = world
    found = route_permissions(inner(app))
    unprotected = sorted(k for k, v in found.items() if v == UNPROTECTED)
    assert unprotected == []
    public = sorted(k for k, v in found.items() if v == PUBLIC)
    assert [k for k in public if not allowed_public(*k)] == []
    assert set(public) >= LOGIN_ROUTES
    documented = operations(app)
    assert len(documented) > 15 and all(op in found for op in documented)


def test_the_openapi_document_declares_the_bearer_scheme(world: tuple[Runtime, Any]) -> None:
    _rt, app = world
    schema = inner(app).openapi_schema.to_schema()
    assert schema["components"]["securitySchemes"][SCHEME] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "opaque",
        "description": "Token from POST /api/auth/login/pin or /api/auth/login/password",
    }
    found = route_permissions(inner(app))
    for method, path in operations(app):
        op = schema["paths"][path][method.lower()]
        if found[(method, path)] == PUBLIC:
            assert op.get("security") == [], path
        else:
            assert op["security"] == [{SCHEME: []}] and f"`{found[(method, path)]}`" in op["description"], path


def test_without_a_session_every_protected_route_answers_401(world: tuple[Runtime, Any]) -> None:
    rt, app = world
    found = route_permissions(inner(app))
    with TestClient(app=app) as client:
        for method, path in operations(app):
            if found[(method, path)] == PUBLIC:
                continue
            response = call(client, method, path, {})
            assert (response.status_code, response.json()["code"]) == (401, "UNAUTHORIZED"), (method, path)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_the_matrix_promises(world: tuple[Runtime, Any], role: Role) -> None:
    rt, app = world
    guards = route_guards(inner(app))
    lane = add_terminal(rt, "LANE-1")
    user = add_user(rt, role.value)
    with TestClient(app=app) as client:
        for method, path in operations(app):
            guard = guards[(method, path)]
            if not isinstance(guard, PermissionGuard):
                continue
            may = has_permission(role, guard.permission)
            # approvable=True: a role that may ask for a manager's PIN passes the guard; the handler decides.
            passes = may or (guard.approvable and has_permission(role, P.OVERRIDE_REQUEST))
            if passes and method != "GET" and not path.startswith(OWN_PREFIXES):
                continue  # another feature's write: its own tests run it
            response = call(client, method, path, bearer(issue_token(rt, user.id, lane)))
            code = response.json().get("code") if response.headers["content-type"].endswith("json") else None
            if passes:
                assert response.status_code != 401 and code != "FORBIDDEN", (role, method, path, response.text)
            else:
                assert (response.status_code, code) == (403, "FORBIDDEN"), (role, method, path)
                assert guard.permission.value in response.json()["detail"]


@get("/api/_probe/forgotten", sync_to_thread=False)
def forgotten() -> dict[str, str]:
    """A handler whose author forgot `requires(...)`."""
    return {"secret": "data"}


def test_a_route_without_a_permission_fails_closed(tmp_path: Path) -> None:
    rt = open_runtime(make_settings(tmp_path))
    app = create_app(rt, access_log=False, extra_handlers=[forgotten])
    try:
        assert route_permissions(inner(app))[("GET", "/api/_probe/forgotten")] == UNPROTECTED
        add_terminal(rt)
        admin = add_user(rt, "admin")
        with TestClient(app=app) as client:
            response = client.get("/api/_probe/forgotten", headers=bearer(issue_token(rt, admin.id)))
        assert response.status_code == 403 and response.json()["code"] == "ROUTE_NOT_PROTECTED"
    finally:
        rt.db.close()

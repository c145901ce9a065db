"""`/api/auth/*`: sign-in (public), sign-out, who am I, unlock after inactivity, the permission matrix."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from pos_grocery.auth import service
from pos_grocery.auth.guard import PUBLIC_OPT, identity_of, requires
from pos_grocery.auth.models import (
    Ended,
    LoginResult,
    Me,
    PasswordLogin,
    PermissionMatrix,
    PinLogin,
    RolePermissions,
    Unlock,
)
from pos_grocery.auth.permissions import ROLE_PERMISSIONS, P
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.problems import PROBLEM_MEDIA_TYPE, Problem

LOCKED = {
    429: ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        description="Too many failed attempts: ACCOUNT_LOCKED or PIN_ENTRY_LOCKED",
    )
}
AnyRequest = Request[Any, Any, Any]


class AuthController(Controller):
    """Sessions: opaque bearer tokens with expiry, logout and an inactivity lock."""

    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/login/pin", opt=PUBLIC_OPT, status_code=200, responses=LOCKED, summary="Lane sign-in with a PIN")
    async def login_pin(self, request: AnyRequest, data: JSONBody[PinLogin]) -> LoginResult:
        """The PIN identifies the cashier; the session is bound to the named terminal."""
        return await service.login_pin(runtime_of(request), data, request_id_of(request))

    @post(
        "/login/password",
        opt=PUBLIC_OPT,
        status_code=200,
        responses=LOCKED,
        summary="Back-office sign-in with username and password",
    )
    async def login_password(self, request: AnyRequest, data: JSONBody[PasswordLogin]) -> LoginResult:
        """An unknown username and a wrong password get the same answer."""
        return await service.login_password(runtime_of(request), data, request_id_of(request))

    @post("/logout", guards=[requires(P.SESSION)], status_code=200, summary="End this session")
    async def logout(self, request: AnyRequest) -> Ended:
        """The token stops working at once."""
        service.logout(runtime_of(request), identity_of(request), request_id_of(request))
        return Ended(ok=True)

    @get("/me", guards=[requires(P.SESSION)], summary="The signed-in user, terminal and permissions")
    async def me(self, request: AnyRequest) -> Me:
        """Who the token belongs to."""
        return service.me(identity_of(request))

    @post(
        "/unlock",
        guards=[requires(P.SESSION, allow_locked=True)],
        status_code=200,
        responses=LOCKED,
        summary="Unlock a session after the inactivity lock (PIN or password again)",
    )
    async def unlock(self, request: AnyRequest, data: JSONBody[Unlock]) -> Me:
        """Only the session's own user can unlock it; failures count toward their lock-out."""
        return await service.unlock(runtime_of(request), identity_of(request), data, request_id_of(request))

    @get("/permissions", guards=[requires(P.SESSION)], summary="The permission matrix")
    async def permissions(self) -> PermissionMatrix:
        """Every role and its permissions (the UI hides what a role cannot do)."""
        return PermissionMatrix(
            roles=[RolePermissions(role=role, permissions=sorted(perms)) for role, perms in ROLE_PERMISSIONS.items()]
        )

"""The one enforcement mechanism: `guards=[requires(P.X)]` on every handler, deny-by-default for the rest.

- `requires(permission)` authenticates the bearer token (401 UNAUTHORIZED / TOKEN_EXPIRED / SESSION_LOCKED /
  SESSION_ENDED / ACCOUNT_DISABLED) and checks the role's permission (403 FORBIDDEN naming it, audited).
- `deny_unmarked` is an app-level guard: a route that is neither public nor guarded by `requires` answers 403
  ROUTE_NOT_PROTECTED, so a forgotten guard fails closed.
- `document_security` puts the bearer scheme and each operation's permission into the OpenAPI document.
"""

from __future__ import annotations

from typing import Any, cast

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    SecurityScheme,
)
from litestar.routes import HTTPRoute

from pos_grocery.audit.service import record
from pos_grocery.auth.errors import permission_denied
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import P
from pos_grocery.auth.sessions import SessionTimes, resolve, touch
from pos_grocery.errors import Forbidden, Unauthorized
from pos_grocery.problems import PROBLEM_MEDIA_TYPE
from pos_grocery.runtime import Runtime

# The public allow-list: everything else needs a session (docs/SECURITY.md).
PUBLIC_PATHS = frozenset({"/health", "/metrics"})
PUBLIC_PREFIXES = ("/api/health", "/schema")
PUBLIC_OPT = {"auth": "public"}  # the sign-in handlers carry it (and test probes); the walk test pins the list
SCHEME = "bearerAuth"
PUBLIC = "public"
UNPROTECTED = "unprotected"


class PermissionGuard:
    """Authenticate the caller and require one permission (with `approvable`, a manager PIN may stand in)."""

    def __init__(self, permission: P, *, approvable: bool = False, allow_locked: bool = False) -> None:
        self.permission = permission
        self.approvable = approvable
        self.allow_locked = allow_locked

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        """Run for every request to the guarded handler."""
        rt: Runtime = connection.app.state["runtime"]
        identity = authenticate(connection, rt, self.allow_locked)
        if identity.can(self.permission):
            return
        if self.approvable and identity.can(P.OVERRIDE_REQUEST):
            return  # the handler calls approve_if_needed with the body's managerPin
        with rt.db.write() as conn:
            record(
                conn,
                "auth.permission_denied",
                actor=identity.actor,
                request_id=_request_id(connection),
                at=rt.clock(),
                details={
                    "permission": self.permission.value,
                    "method": _method(connection),
                    "path": connection.scope["path"],
                },
            )
        raise permission_denied(self.permission)

    def __repr__(self) -> str:
        return f"requires({self.permission.value!r})"


def requires(permission: P, *, approvable: bool = False, allow_locked: bool = False) -> PermissionGuard:
    """The guard for a handler that needs `permission` (see module docstring)."""
    return PermissionGuard(permission, approvable=approvable, allow_locked=allow_locked)


def authenticate(connection: ASGIConnection[Any, Any, Any, Any], rt: Runtime, allow_locked: bool) -> Identity:
    """The identity behind the request's bearer token (kept on the request for handlers)."""
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in first and send the header Authorization: Bearer <token>.", "UNAUTHORIZED")
    now = rt.clock()
    resolved = resolve(rt.db.reader, token.strip(), now, SessionTimes.from_settings(rt.settings), allow_locked)
    if resolved.needs_touch:
        with rt.db.write() as conn:
            touch(conn, resolved.identity, now)
    connection.scope.setdefault("state", {})["identity"] = resolved.identity
    return resolved.identity


def identity_of(request: Request[Any, Any, Any]) -> Identity:
    """The caller of a guarded handler."""
    identity = request.scope.get("state", {}).get("identity")
    if not isinstance(identity, Identity):
        raise Unauthorized("Sign in first and send the header Authorization: Bearer <token>.", "UNAUTHORIZED")
    return identity


def _method(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    scope = cast("dict[str, Any]", connection.scope)
    return str(scope.get("method", ""))


def _request_id(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    value = connection.scope.get("state", {}).get("request_id")
    return None if value is None else str(value)


def permission_guard(handler: BaseRouteHandler) -> PermissionGuard | None:
    """The `requires(...)` guard of a handler, from any of its layers (handler, controller, router)."""
    for layer in reversed(handler.ownership_layers):
        for guard in getattr(layer, "guards", None) or ():
            if isinstance(guard, PermissionGuard):
                return guard
    return None


def is_public(handler: BaseRouteHandler, path: str) -> bool:
    """True for the health, metrics and schema paths and for handlers marked PUBLIC_OPT (sign-in)."""
    if handler.opt.get("auth") == "public" or path in PUBLIC_PATHS:
        return True
    return path.startswith(PUBLIC_PREFIXES)


async def deny_unmarked(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """App-level guard: fail closed for a route that forgot `requires(...)`."""
    if _method(connection) == "OPTIONS" or is_public(handler, connection.scope["path"]):
        return
    if permission_guard(handler) is None:
        raise Forbidden("This route declares no permission, so nobody may call it.", "ROUTE_NOT_PROTECTED")


def route_guards(app: Litestar) -> dict[tuple[str, str], PermissionGuard | str]:
    """(METHOD, path template) → its `requires` guard, PUBLIC or UNPROTECTED (HEAD/OPTIONS left out)."""
    found: dict[tuple[str, str], PermissionGuard | str] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _model) in route.route_handler_map.items():
            if method in ("OPTIONS", "HEAD"):
                continue
            guard = permission_guard(handler)
            public = is_public(handler, route.path)
            found[(method, route.path_format)] = PUBLIC if public else (guard or UNPROTECTED)
    return found


def route_permissions(app: Litestar) -> dict[tuple[str, str], P | str]:
    """(METHOD, path template) → its permission, PUBLIC or UNPROTECTED."""
    return {k: v.permission if isinstance(v, PermissionGuard) else v for k, v in route_guards(app).items()}


def document_security(app: Litestar) -> None:
    """Declare the bearer scheme and mark every operation with its permission (or as public)."""
    schema = app.openapi_schema
    components = schema.components if schema.components is not None else Components()
    schemes = dict(components.security_schemes or {})
    schemes[SCHEME] = SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="opaque",
        description="Token from POST /api/auth/login/pin or /api/auth/login/password",
    )
    components.security_schemes = schemes
    schema.components = components
    guards = route_guards(app)
    for path, item in (schema.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            op: Operation | None = getattr(item, method)
            guard = guards.get((method.upper(), path))
            if op is not None and guard is not None:
                _mark(op, guard)


def _mark(op: Operation, guard: PermissionGuard | str) -> None:
    """Security requirement, permission note and (for approvable actions) the PIN-pad lock answer."""
    if guard == PUBLIC:
        op.security = []
    if not isinstance(guard, PermissionGuard):
        return
    op.security = [{SCHEME: []}]
    note = f"Requires permission `{guard.permission.value}`"
    note += " (or a manager's `managerPin` in the body)." if guard.approvable else "."
    op.description = f"{op.description}\n\n{note}" if op.description else note
    if guard.approvable:
        responses = op.responses if op.responses is not None else {}
        problem = {PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
        responses.setdefault(
            "429", OpenAPIResponse(description="Too many wrong PINs: PIN_ENTRY_LOCKED", content=problem)
        )
        op.responses = responses

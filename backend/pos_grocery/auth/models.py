"""Wire shapes of sign-in and sessions (the lane codes against LoginResult)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from pos_grocery.auth.hashing import PIN_PATTERN
from pos_grocery.auth.permissions import Role

Pin = Annotated[str, msgspec.Meta(pattern=PIN_PATTERN, description="4–6 digits")]
TerminalName = Annotated[str, msgspec.Meta(min_length=1, max_length=32, description="e.g. LANE-1")]
Username = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class PinLogin(msgspec.Struct, rename="camel"):
    """`POST /api/auth/login/pin`: the PIN identifies the person; the lane names itself."""

    pin: Pin
    terminal: TerminalName


class PasswordLogin(msgspec.Struct, rename="camel"):
    """`POST /api/auth/login/password` (back office; a terminal is optional)."""

    username: Username
    password: Secret
    terminal: TerminalName | None = None


class Unlock(msgspec.Struct, rename="camel"):
    """`POST /api/auth/unlock`: the signed-in person's PIN (lane) or password (back office)."""

    pin: Pin | None = None
    password: Secret | None = None


class UserSummary(msgspec.Struct, rename="camel"):
    """The signed-in user."""

    id: int
    username: str
    display_name: str
    role: Role


class TerminalSummary(msgspec.Struct, rename="camel"):
    """The terminal a session is bound to (its name goes on receipts and records)."""

    id: int
    name: str
    store_code: str


class LoginResult(msgspec.Struct, rename="camel"):
    """A new (or unlocked) session: the bearer token is shown only here."""

    token: str
    expires_at: str
    user: UserSummary
    terminal: TerminalSummary | None
    permissions: list[str]
    inactivity_lock_seconds: int


class Me(msgspec.Struct, rename="camel"):
    """`GET /api/auth/me`."""

    user: UserSummary
    terminal: TerminalSummary | None
    method: str
    expires_at: str
    permissions: list[str]


class Ended(msgspec.Struct, rename="camel"):
    """`POST /api/auth/logout`."""

    ok: bool


class RolePermissions(msgspec.Struct, rename="camel"):
    """One row of the permission matrix."""

    role: Role
    permissions: list[str]


class PermissionMatrix(msgspec.Struct, rename="camel"):
    """`GET /api/auth/permissions`: every role and what it may do."""

    roles: list[RolePermissions]

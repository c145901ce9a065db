"""Wire shapes of users (camelCase; never a hash, PIN or password in a response except a generated PIN once)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from pos_grocery.auth.hashing import PIN_PATTERN
from pos_grocery.auth.permissions import Role

Username = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$", description="3–32 letters, digits, dot, dash or underscore"
    ),
]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
Pin = Annotated[str, msgspec.Meta(pattern=PIN_PATTERN, description="4–6 digits")]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=256)]


class User(msgspec.Struct, rename="camel"):
    """A user as the back office sees them."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    has_pin: bool
    has_password: bool
    locked_until: str | None
    created_at: str
    updated_at: str


class UserSaved(User):
    """A created or changed user; `generatedPin` carries a server-chosen PIN once, else null."""

    generated_pin: str | None = None


class UserCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """`POST /api/users`: at least one of pin, password or generatePin."""

    username: Username
    display_name: DisplayName
    role: Role
    pin: Pin | None = None
    password: Password | None = None
    generate_pin: bool = False


class UserPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """`PATCH /api/users/{id}`: only the given fields change."""

    display_name: DisplayName | None = None
    role: Role | None = None
    active: bool | None = None
    pin: Pin | None = None
    password: Password | None = None
    generate_pin: bool = False


class UserPage(msgspec.Struct, rename="camel"):
    """A page of users."""

    items: list[User]
    next_cursor: str | None

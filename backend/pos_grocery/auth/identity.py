"""Who is calling: the signed-in user, their session and terminal (what handlers and services receive)."""

from __future__ import annotations

from dataclasses import dataclass

from pos_grocery.audit.service import Actor
from pos_grocery.auth.permissions import P, Role, permissions_of


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller behind a bearer token."""

    session_id: int
    user_id: int
    username: str
    display_name: str
    role: Role
    terminal_id: int | None
    terminal_name: str | None
    store_code: str | None
    method: str
    expires_at: str

    @property
    def permissions(self) -> frozenset[P]:
        """Every permission of the caller's role."""
        return permissions_of(self.role)

    def can(self, permission: P) -> bool:
        """True when the caller's role holds the permission."""
        return permission in self.permissions

    @property
    def actor(self) -> Actor:
        """The caller as the actor of an audit event (terminal included)."""
        return Actor(self.user_id, self.username, self.terminal_id, self.terminal_name)

"""Identity errors with stable codes (docs/API.md lists them); mapped to problem+json by problems.py."""

from __future__ import annotations

from pos_grocery.errors import DomainError, Forbidden, Unauthorized

__all__ = ["Forbidden", "Locked", "Unauthorized", "invalid_credentials", "permission_denied"]


class Locked(DomainError):
    """Too many failed attempts: the account (or the lane's PIN pad) is locked for a while."""

    status = 429
    code = "ACCOUNT_LOCKED"
    title = "Too many attempts"


def invalid_credentials(what: str = "The PIN or password was not recognised.") -> Unauthorized:
    """The one answer for an unknown user and a wrong secret alike."""
    return Unauthorized(what, "INVALID_CREDENTIALS")


def permission_denied(permission: str) -> Forbidden:
    """403 naming the permission the caller lacks."""
    return Forbidden(f"This needs the permission '{permission}', which your role does not have.", "FORBIDDEN")

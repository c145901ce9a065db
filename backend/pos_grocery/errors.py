"""Domain errors: services raise these; `problems.py` is the one mapping to HTTP responses."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting has an invalid value; start-up stops with one line naming the variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable
        self.message = message


class DomainError(Exception):
    """Base of every rule violation a service reports; carries a stable code and an HTTP status."""

    status = 400
    code = "BAD_REQUEST"
    title = "Bad request"

    def __init__(self, detail: str, code: str | None = None, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.field = field


class ValidationFailed(DomainError):
    """Input is well-formed JSON but breaks a rule."""

    status = 400
    code = "VALIDATION_FAILED"
    title = "Validation failed"


class NotFound(DomainError):
    """The addressed resource does not exist."""

    status = 404
    code = "NOT_FOUND"
    title = "Not found"


class Conflict(DomainError):
    """The request conflicts with the current state (closed shift, voided sale, reused key)."""

    status = 409
    code = "CONFLICT"
    title = "Conflict"


class Unauthorized(DomainError):
    """No valid credentials were presented."""

    status = 401
    code = "UNAUTHORIZED"
    title = "Unauthorized"


class Forbidden(DomainError):
    """The caller is known but lacks the permission."""

    status = 403
    code = "FORBIDDEN"
    title = "Forbidden"


class Unavailable(DomainError):
    """A dependency is really unavailable (database, device)."""

    status = 503
    code = "SERVICE_UNAVAILABLE"
    title = "Service unavailable"

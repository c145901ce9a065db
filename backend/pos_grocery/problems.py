"""The one mapping from errors to RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

from pos_grocery.errors import DomainError
from pos_grocery.http import request_id_of

PROBLEM_MEDIA_TYPE = "application/problem+json"
HTTP_CODES = {
    400: ("MALFORMED_REQUEST", "Bad request"),
    401: ("UNAUTHORIZED", "Unauthorized"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("ROUTE_NOT_FOUND", "Not found"),
    405: ("METHOD_NOT_ALLOWED", "Method not allowed"),
    409: ("CONFLICT", "Conflict"),
    413: ("PAYLOAD_TOO_LARGE", "Payload too large"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Unsupported media type"),
    429: ("TOO_MANY_REQUESTS", "Too many requests"),
    500: ("INTERNAL_ERROR", "Internal server error"),
    503: ("SERVICE_UNAVAILABLE", "Service unavailable"),
}
DOCUMENTED_STATUSES = (400, 401, 403, 404, 405, 409, 413, 415, 500)


class FieldError(msgspec.Struct, rename="camel"):
    """One invalid field."""

    field: str
    message: str


class Problem(msgspec.Struct, rename="camel", omit_defaults=True):
    """RFC 9457 problem details plus our stable `code` and the request id."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None = None
    errors: list[FieldError] | None = None


def problem_response(request: Request[Any, Any, Any], status: int, code: str, detail: str,
                     errors: list[FieldError] | None = None, title: str | None = None) -> Response[Problem]:
    """Build the problem response for a request."""
    default_title = HTTP_CODES.get(status, ("ERROR", "Error"))[1]
    body = Problem(
        type=f"urn:pos-grocery:problem:{code.lower().replace('_', '-')}", title=title or default_title,
        status=status, detail=detail, code=code, request_id=request_id_of(request), errors=errors,
    )
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    found: list[FieldError] = []
    for item in extra:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            message = str(item.get("message", "invalid value"))
            if field == "data" and message == "'data'":
                message = "a JSON request body is required"
            found.append(FieldError(field=field, message=message))
    return found


def handle_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Problem]:
    """Domain errors carry their own status and code."""
    errors = [FieldError(field=exc.field, message=exc.detail)] if exc.field else None
    return problem_response(request, exc.status, exc.code, exc.detail, errors, exc.title)


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    """Litestar's own HTTP errors (routing, validation, body size)."""
    status = exc.status_code
    code, _title = HTTP_CODES.get(status, ("HTTP_ERROR", "Error"))
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc)
        detail = str(exc.detail)
        malformed = not errors and ("malformed" in detail.lower() or "json" in detail.lower())
        code = "MALFORMED_JSON" if malformed else "VALIDATION_FAILED"
        return problem_response(request, 400, code, detail, errors or None)
    if status >= 500:
        return handle_unexpected(request, exc)
    return problem_response(request, status, code, str(exc.detail))


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Anything else: log it, answer 500 without a trace."""
    from loguru import logger

    logger.opt(exception=exc).error("unhandled error {}", type(exc).__name__)
    return problem_response(request, 500, "INTERNAL_ERROR", "The server could not complete the request.")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: handle_domain,
    HTTPException: handle_http,
    Exception: handle_unexpected,
}


def document_problems(schema: OpenAPI) -> None:
    """Declare problem+json answers on every operation, so the schema names every status we can return."""
    components = schema.components
    schemas = components.schemas if components.schemas is not None else {}
    schemas["Problem"] = _problem_schema()
    components.schemas = schemas
    content = {PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    for path_item in (schema.paths or {}).values():
        for op in (path_item.get, path_item.post, path_item.put, path_item.patch, path_item.delete):
            if op is None:
                continue
            responses = op.responses if op.responses is not None else {}
            for status in DOCUMENTED_STATUSES:
                title = HTTP_CODES[status][1]
                current = responses.get(str(status))
                if current is None or isinstance(current, OpenAPIResponse) and not _is_our_body(current):
                    responses[str(status)] = OpenAPIResponse(description=title, content=content)
            op.responses = responses


def _is_our_body(response: OpenAPIResponse) -> bool:
    """True when the route declared its own (non-Litestar-error) body for that status."""
    content = response.content or {}
    return any(key != MediaType.JSON or not _is_litestar_error(value) for key, value in content.items())


def _is_litestar_error(media: Any) -> bool:
    schema = getattr(media, "schema", None)
    props = getattr(schema, "properties", None) or {}
    return "status_code" in props and "detail" in props


def _problem_schema() -> Schema:
    def prop(kind: OpenAPIType) -> Schema:
        return Schema(type=kind)

    field_error = Schema(
        type=OpenAPIType.OBJECT, required=["field", "message"],
        properties={"field": prop(OpenAPIType.STRING), "message": prop(OpenAPIType.STRING)},
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["type", "title", "status", "detail", "code"],
        properties={
            "type": prop(OpenAPIType.STRING), "title": prop(OpenAPIType.STRING),
            "status": prop(OpenAPIType.INTEGER), "detail": prop(OpenAPIType.STRING),
            "code": prop(OpenAPIType.STRING), "requestId": prop(OpenAPIType.STRING),
            "errors": Schema(type=OpenAPIType.ARRAY, items=field_error),
        },
    )

"""Exact JSON request bodies: decode the raw bytes straight into the Struct, so decimals never pass through float.

Litestar decodes a JSON body to Python objects first (numbers become floats) and converts afterwards, so a
Decimal field receives `Decimal(repr(float))`: `1.0000000000000000001` arrives as `1.0`, and a 20-digit amount
loses digits. Handlers that take quantities or major-unit amounts declare `data: JSONBody[T]` (validation and
OpenAPI) and call `exact(request, T)` for the value they use.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request

from pos_grocery.errors import ValidationFailed

T = TypeVar("T")


async def exact(request: Request[Any, Any, Any], type_: type[T]) -> T:
    """The request body decoded by msgspec directly into `type_` (400 VALIDATION_FAILED when it does not fit)."""
    raw = await request.body()
    try:
        return msgspec.json.decode(raw, type=type_)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(str(exc), "VALIDATION_FAILED") from None
    except msgspec.DecodeError as exc:
        raise ValidationFailed(str(exc), "MALFORMED_JSON") from None

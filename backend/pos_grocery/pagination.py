"""Opaque list cursors (API-CONVENTIONS: `limit` + `cursor`, answer `{"items", "nextCursor"}`)."""

from __future__ import annotations

import base64
import binascii

from pos_grocery.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**53


def encode_cursor(last_id: int) -> str:
    """A cursor that resumes after the row with this id."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor resumes after; 400 INVALID_CURSOR when it is not one of ours."""
    if cursor is None or cursor == "":
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        value = int(number, 10)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationFailed(
            "The cursor is not valid; start again without it.", "INVALID_CURSOR", field="cursor"
        ) from None
    if prefix != "after" or not 0 <= value <= MAX_ID:
        raise ValidationFailed("The cursor is not valid; start again without it.", "INVALID_CURSOR", field="cursor")
    return value

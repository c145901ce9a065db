"""The two base shapes of JSON bodies (API conventions: camelCase; unknown request fields are a 400).

Feature models subclass these instead of repeating the msgspec options; shapes with other needs (health and
backup documents that keep defaults, the auth and user bodies) declare their own.
"""

from __future__ import annotations

import msgspec


class In(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Request bodies: camelCase, unknown fields refused (a typo is a 400, not a silent no-op)."""


class Out(msgspec.Struct, rename="camel", kw_only=True):
    """Response bodies (camelCase)."""

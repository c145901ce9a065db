"""Wire shapes of terminals."""

from __future__ import annotations

from typing import Annotated

import msgspec

TerminalName = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$", description="lane name as printed on receipts, e.g. LANE-1"
    ),
]
StoreCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://[^\s]{1,200}$", max_length=210)]


class Terminal(msgspec.Struct, rename="camel"):
    """A registered lane."""

    id: int
    name: str
    store_code: str
    device_service_url: str | None
    active: bool
    last_seen_at: str | None
    pin_locked_until: str | None
    created_at: str
    updated_at: str


class TerminalCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """`POST /api/terminals`."""

    name: TerminalName
    store_code: StoreCode
    device_service_url: Url | None = None


class TerminalPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """`PATCH /api/terminals/{id}` (the name is fixed: it is printed on past receipts)."""

    store_code: StoreCode | None = None
    device_service_url: Url | None = None
    active: bool | None = None


class TerminalPage(msgspec.Struct, rename="camel"):
    """A page of terminals."""

    items: list[Terminal]
    next_cursor: str | None

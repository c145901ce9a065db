"""The `devices` section of `/api/health` (camelCase on the wire; light: health models import it)."""

from __future__ import annotations

import msgspec


class Base(msgspec.Struct, rename="camel", omit_defaults=False):
    """camelCase base."""


class PrinterHealth(Base):
    """Receipt printer: link and, when it answered DLE EOT, its condition (null = unknown)."""

    connected: bool
    online: bool | None = None
    paper_out: bool | None = None
    paper_near_end: bool | None = None
    cover_open: bool | None = None
    detail: str = ""


class DrawerHealth(Base):
    """Cash drawer switch as the printer reports it (null where the printer cannot tell)."""

    open: bool | None = None


class ScaleHealth(Base):
    """Scale: configured, port open, and whether the last reading through the API was unstable."""

    configured: bool
    connected: bool = False
    unstable: bool | None = None
    last_reading: str | None = None
    detail: str = ""


class DisplayHealth(Base):
    """Customer pole display."""

    configured: bool
    connected: bool = False
    detail: str = ""


class DeviceServiceHealth(Base):
    """One device service (one per lane PC, or one shared) and the lanes using it."""

    url: str
    terminals: list[str]
    reachable: bool
    ok: bool
    mode: str | None = None
    error: str | None = None
    printer: PrinterHealth | None = None
    drawer: DrawerHealth | None = None
    scale: ScaleHealth | None = None
    display: DisplayHealth | None = None


class DevicesHealth(Base):
    """Every device service's state; informational (device trouble does not make the API unhealthy)."""

    ok: bool
    checked_at: str | None
    stale: bool
    services: list[DeviceServiceHealth]

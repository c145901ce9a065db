"""What the device service's `/status` answers (light: the API's client decodes it without the hub)."""

from __future__ import annotations

import msgspec

__all__ = ["DeviceStatus", "LinkReport", "PrinterReport"]


class PrinterReport(msgspec.Struct, frozen=True, kw_only=True):
    """Printer link state and, when the printer answered DLE EOT, its condition."""

    link: str
    detail: str = ""
    online: bool | None = None
    paper_out: bool | None = None
    paper_near_end: bool | None = None
    cover_open: bool | None = None
    drawer_open: bool | None = None


class LinkReport(msgspec.Struct, frozen=True, kw_only=True):
    """A device's link state; configured is false when the lane has no such device."""

    configured: bool
    link: str = "disconnected"
    detail: str = ""


class DeviceStatus(msgspec.Struct, frozen=True, kw_only=True):
    """Everything /status reports."""

    mode: str
    printer: PrinterReport
    scale: LinkReport
    display: LinkReport

"""The device hub: printing, drawer, scale and display behind idempotent, failure-as-state operations."""

from __future__ import annotations

import threading
from pathlib import Path

import msgspec

from pos_grocery.devices import display, escpos
from pos_grocery.devices.actions import ActionLog, ActionResult
from pos_grocery.devices.config import DeviceConfig
from pos_grocery.devices.link import Link
from pos_grocery.devices.scales.toledo import ScaleReader, Weighing
from pos_grocery.devices.status import DeviceStatus, LinkReport, PrinterReport
from pos_grocery.devices.transports import Transport
from pos_grocery.devices.wiring import Links, build_links
from pos_grocery.receipts.models import Receipt

STATUS_KINDS = (escpos.STATUS_PRINTER, escpos.STATUS_OFFLINE, escpos.STATUS_PAPER)


class TransportPort:
    """Presents a Transport as the small pyserial-like port the scale reader expects."""

    def __init__(self, transport: Transport, timeout: float = 0.05) -> None:
        self.transport = transport
        self.timeout = timeout

    def write(self, data: bytes, /) -> int:
        """Send bytes."""
        self.transport.write(data)
        return len(data)

    def read(self, size: int = 1, /) -> bytes:
        """Read within the current timeout."""
        return self.transport.read(size, self.timeout)

    def reset_input_buffer(self) -> None:
        """Drop stale input where the transport can."""
        reset = getattr(self.transport, "reset_input", None)
        if reset is not None:
            reset()


class DeviceHub:
    """Owns the links; every method returns a result value, device trouble included."""

    def __init__(self, config: DeviceConfig, links: Links, actions: ActionLog) -> None:
        self.config = config
        self.links = links
        self.actions = actions
        self.profile = escpos.PrinterProfile(
            columns=32 if config.printer_width_mm == 58 else 48,
            width_dots=384 if config.printer_width_mm == 58 else 576,
            code_page=config.printer_code_page,
        )
        self.kick = escpos.DrawerKick(
            pin=0 if config.drawer_pin == 2 else 1, on_ms=config.drawer_on_ms, off_ms=config.drawer_off_ms
        )
        self._scale_reader: ScaleReader | None = None
        self._scale_lock = threading.Lock()

    @classmethod
    def open(cls, config: DeviceConfig) -> DeviceHub:
        """Build links (starting simulators in simulated mode) and the action log."""
        links = build_links(config)
        try:
            return cls(config, links, ActionLog(Path(config.state_dir) / "actions.sqlite3"))
        except BaseException:
            links.close()
            raise

    def close(self) -> None:
        """Close links, simulators and the action log."""
        try:
            self.links.close()
        finally:
            self.actions.close()

    def printer_status(self) -> escpos.PrinterStatus | None:
        """Ask DLE EOT 1, 2 and 4; None when the printer cannot answer (file transport, no reply)."""
        replies: list[int] = []
        for kind in STATUS_KINDS:
            # DLE EOT is answered in real time (ms); a printer that stays silent must not delay the receipt.
            reply = self.links.printer.exchange(escpos.status_request(kind), 1, self.config.status_timeout_ms / 1000)
            if not reply or not escpos.is_status_byte(reply[0]):
                return None
            replies.append(reply[0])
        printer, offline, paper = replies
        return escpos.parse_status(printer, offline, paper, drawer_open_high=self.config.drawer_open_high)

    def _printer_problem(self) -> str:
        status = self.printer_status()
        if self.links.printer.state != "connected":
            return self.links.printer.last_error or "printer unavailable"
        if status is None:
            return ""
        if status.paper_out:
            return "paper out"
        if status.cover_open:
            return "cover open"
        return "" if status.online else "printer offline"

    def _perform(self, action_id: str, kind: str, data: bytes) -> ActionResult:
        if not self.actions.claim(action_id, kind):
            return ActionResult(action_id=action_id, status="duplicate")
        try:
            problem = self._printer_problem()
            if not problem and not self.links.printer.send(data):
                problem = self.links.printer.last_error or "printer unavailable"
        except BaseException:
            self.actions.release(action_id)
            raise
        if problem:
            self.actions.release(action_id)
            return ActionResult(action_id=action_id, status="failed", detail=problem)
        self.actions.complete(action_id)
        return ActionResult(action_id=action_id, status="done")

    def print_receipt(self, action_id: str, receipt: Receipt) -> ActionResult:
        """Print once per action id; a retry after success answers 'duplicate' and prints nothing."""
        return self._perform(action_id, "print", escpos.encode_receipt(receipt, self.profile))

    def kick_drawer(self, action_id: str) -> ActionResult:
        """Open the drawer once per action id."""
        return self._perform(action_id, "drawer", escpos.drawer_kick(self.kick))

    def weigh(self, tare_g: int = 0, timeout_ms: int | None = None) -> Weighing:
        """A stable net weight, or the reason there is none ('timeout' also when no scale answers)."""
        link = self.links.scale
        if link is None:
            return Weighing(status="no_scale")
        wait = (timeout_ms or self.config.weigh_timeout_ms) / 1000
        with self._scale_lock:
            result = link.call(lambda transport: self._reader(transport).read_stable(wait, tare_g))
        return result if result is not None else Weighing(status="unavailable")

    def _reader(self, transport: Transport) -> ScaleReader:
        # One reader for the hub's life: its stuck-scale guard must survive between requests.
        if self._scale_reader is None:
            self._scale_reader = ScaleReader(TransportPort(transport), self.config.scale_capacity_g)
        return self._scale_reader

    def show(self, upper: str, lower: str = "") -> bool:
        """Write both pole-display lines; False when there is no display or it is away."""
        link = self.links.display
        return link is not None and link.send(display.show(upper, lower))

    def status(self) -> DeviceStatus:
        """Link states of every device and the printer's DLE EOT condition."""
        printer = self.printer_status()
        link = self.links.printer
        report = PrinterReport(link=link.state, detail=link.last_error)
        if printer is not None:
            report = msgspec.structs.replace(
                report,
                online=printer.online,
                paper_out=printer.paper_out,
                paper_near_end=printer.paper_near_end,
                cover_open=printer.cover_open,
                drawer_open=printer.drawer_open,
            )
        for optional in (self.links.scale, self.links.display):
            if optional is not None:
                optional.probe()  # links open lazily: a status report should say whether the port opens
        return DeviceStatus(
            mode=self.config.mode,
            printer=report,
            scale=_link_report(self.links.scale),
            display=_link_report(self.links.display),
        )


def _link_report(link: Link | None) -> LinkReport:
    if link is None:
        return LinkReport(configured=False)
    return LinkReport(configured=True, link=link.state, detail=link.last_error)

"""Build the device links from configuration: real ports, or simulators served on ptys/sockets/files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pos_grocery.devices.config import DeviceConfig
from pos_grocery.devices.link import Link
from pos_grocery.devices.scales import toledo
from pos_grocery.devices.simulators.display import DisplaySimulator
from pos_grocery.devices.simulators.printer import PrinterSimulator
from pos_grocery.devices.simulators.scale import ScaleSimulator
from pos_grocery.devices.simulators.serving import FileServer, PtyServer, TcpServer
from pos_grocery.devices.transports import (
    FileTransport,
    SerialTransport,
    TcpTransport,
    Transport,
    UsbTransport,
)


@dataclass
class Simulators:
    """The simulators standing in for hardware, and the servers exposing them."""

    printer: PrinterSimulator
    scale: ScaleSimulator
    display: DisplaySimulator
    servers: list[PtyServer | TcpServer | FileServer] = field(default_factory=list)

    def stop(self) -> None:
        """Stop every server (each closes its pty/socket)."""
        for server in self.servers:
            server.stop()


@dataclass
class Links:
    """One link per device; scale and display are optional."""

    printer: Link
    scale: Link | None
    display: Link | None
    simulators: Simulators | None = None

    def close(self) -> None:
        """Close every link, then stop the simulators (each step runs even if an earlier one fails)."""
        try:
            for link in (self.printer, self.scale, self.display):
                if link is not None:
                    link.close()
        finally:
            if self.simulators is not None:
                self.simulators.stop()


def _scale_transport(port: str, baud: int) -> SerialTransport:
    # Toledo scales talk 7 data bits, even parity, 1 stop bit.
    return SerialTransport(port, baud, toledo.BYTESIZE, toledo.PARITY, toledo.STOPBITS)


def real_links(config: DeviceConfig) -> Links:
    """Links to the configured hardware (nothing is opened until first use)."""
    printer: Transport
    if config.printer_transport == "tcp":
        printer = TcpTransport(config.printer_host, config.printer_tcp_port, config.io_timeout_ms / 1000)
    elif config.printer_transport == "serial":
        printer = SerialTransport(config.printer_port, config.printer_baud, write_timeout=config.io_timeout_ms / 1000)
    elif config.printer_transport == "file":
        printer = FileTransport(Path(config.printer_port))
    else:
        printer = UsbTransport(config.printer_usb_vendor, config.printer_usb_product, config.io_timeout_ms)
    scale = Link(_scale_transport(config.scale_port, config.scale_baud)) if config.scale_port else None
    display = Link(SerialTransport(config.display_port, config.display_baud)) if config.display_port else None
    return Links(Link(printer), scale, display)


def simulated_links(config: DeviceConfig) -> Links:
    """Start the simulators and return links that reach them through the real protocol paths."""
    state = Path(config.state_dir)
    columns = 32 if config.printer_width_mm == 58 else 48
    sims = Simulators(
        PrinterSimulator(state / "printer", columns, config.sim_keep), ScaleSimulator(), DisplaySimulator()
    )
    try:
        printer = _simulated_printer(config, sims, state)
        scale_pty = PtyServer(sims.scale).start()
        sims.servers.append(scale_pty)
        display_pty = PtyServer(sims.display).start()
        sims.servers.append(display_pty)
    except BaseException:
        sims.stop()
        raise
    scale = Link(_scale_transport(scale_pty.path, config.scale_baud))
    display = Link(SerialTransport(display_pty.path, config.display_baud))
    return Links(Link(printer), scale, display, sims)


def _simulated_printer(config: DeviceConfig, sims: Simulators, state: Path) -> Transport:
    if config.printer_transport == "tcp":
        tcp = TcpServer(sims.printer).start()
        sims.servers.append(tcp)
        return TcpTransport("127.0.0.1", tcp.port, config.io_timeout_ms / 1000)
    if config.printer_transport == "file":
        path = state / "printer.bin"
        state.mkdir(parents=True, exist_ok=True)
        sims.servers.append(FileServer(sims.printer, path).start())
        return FileTransport(path)
    # USB cannot be faked without a kernel gadget; serial over a pty exercises the same ESC/POS bytes.
    pty = PtyServer(sims.printer).start()
    sims.servers.append(pty)
    return SerialTransport(pty.path, config.printer_baud, write_timeout=config.io_timeout_ms / 1000)


def build_links(config: DeviceConfig) -> Links:
    """Simulated or real links, as configured."""
    return simulated_links(config) if config.simulated else real_links(config)

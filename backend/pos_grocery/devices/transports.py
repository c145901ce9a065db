"""Byte transports to devices (serial, USB bulk, TCP 9100, file) and a reconnecting link over any of them."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

LinkState = Literal["connected", "disconnected"]
SERIAL_POLL_SECONDS = 0.02


class Transport(Protocol):
    """An open/close byte pipe; read returns what arrived before the timeout (maybe fewer bytes)."""

    name: str

    def open(self) -> None:
        """Open the underlying port; raise OSError when the device is not there."""
        ...

    def write(self, data: bytes) -> None:
        """Send all bytes or raise OSError."""
        ...

    def read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, waiting at most `timeout` seconds."""
        ...

    def close(self) -> None:
        """Release the port; safe to call twice."""
        ...


@dataclass
class SerialTransport:
    """A serial port through pyserial (printers, pole displays, scales)."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    write_timeout: float = 2.0
    name: str = "serial"

    def __post_init__(self) -> None:
        self._serial: Any = None

    def open(self) -> None:
        """Open the port with the configured framing (e.g. 9600 7E1 for Toledo scales)."""
        import serial  # type: ignore[import-untyped]

        try:
            self._serial = serial.Serial(
                self.port,
                self.baudrate,
                bytesize=self.bytesize,
                parity=self.parity,
                stopbits=self.stopbits,
                timeout=SERIAL_POLL_SECONDS,
                write_timeout=self.write_timeout,
            )
        except (serial.SerialException, ValueError) as exc:
            raise OSError(f"cannot open {self.port}: {exc}") from exc

    def write(self, data: bytes) -> None:
        """Write and drain, so a failure shows up here rather than on the next call."""
        try:
            self._serial.write(data)
            self._serial.flush()
        except Exception as exc:  # pyserial raises SerialException/SerialTimeoutException (OSError subclasses)
            raise OSError(f"write to {self.port} failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        """Read up to `size` bytes within `timeout` seconds."""
        # The port keeps one short timeout: changing pyserial's timeout re-runs tcsetattr on every read
        # (slow on USB-serial adapters, and Linux ptys reject it with EINVAL once 7E1 is set).
        deadline = time.monotonic() + timeout
        out = bytearray()
        try:
            while len(out) < size and time.monotonic() < deadline:
                out += self._serial.read(size - len(out))
        except Exception as exc:
            raise OSError(f"read from {self.port} failed: {exc}") from exc
        return bytes(out)

    def reset_input(self) -> None:
        """Drop stale bytes so the next reply is the answer to the next request."""
        self._serial.reset_input_buffer()

    def close(self) -> None:
        """Close the port if open."""
        if self._serial is not None:
            with contextlib.suppress(Exception):
                self._serial.close()
            self._serial = None


@dataclass
class TcpTransport:
    """A network printer's raw port (9100, "JetDirect")."""

    host: str
    port: int = 9100
    connect_timeout: float = 2.0
    name: str = "tcp"

    def __post_init__(self) -> None:
        self._sock: socket.socket | None = None

    def open(self) -> None:
        """Connect; OSError (refused, unreachable, timeout) when the printer is away."""
        self._sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise OSError("not connected")
        return self._sock

    def write(self, data: bytes) -> None:
        """Send everything."""
        self._socket().sendall(data)

    def read(self, size: int, timeout: float) -> bytes:
        """Collect up to `size` bytes until the deadline; EOF is a disconnect."""
        sock = self._socket()
        deadline = time.monotonic() + timeout
        out = bytearray()
        while len(out) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(size - len(out))
            except TimeoutError:
                break
            if not chunk:
                raise OSError("connection closed by printer")
            out += chunk
        return bytes(out)

    def close(self) -> None:
        """Close the socket if open."""
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None


@dataclass
class UsbTransport:
    """A USB printer-class device through pyusb: bulk OUT for jobs, bulk IN for status replies."""

    vendor_id: int
    product_id: int
    timeout_ms: int = 2000
    name: str = "usb"

    def __post_init__(self) -> None:
        self._device: Any = None
        self._out: Any = None
        self._in: Any = None

    def open(self) -> None:
        """Find the device, detach the kernel's usblp driver and pick the bulk endpoints."""
        import usb.core  # type: ignore[import-untyped]
        import usb.util  # type: ignore[import-untyped]

        try:
            device = usb.core.find(idVendor=self.vendor_id, idProduct=self.product_id)
        except usb.core.NoBackendError as exc:
            raise OSError(f"no libusb backend: {exc}") from exc
        if device is None:
            raise OSError(f"USB device {self.vendor_id:04x}:{self.product_id:04x} not found")
        try:
            self._claim(device, usb.util)
        except usb.core.USBError as exc:
            raise OSError(f"cannot claim USB device: {exc}") from exc

    def _claim(self, device: Any, util: Any) -> None:
        # Linux binds usblp to printer-class devices; it must let go before we can claim the interface.
        if device.is_kernel_driver_active(0):
            device.detach_kernel_driver(0)
        device.set_configuration()
        interface = device.get_active_configuration()[(0, 0)]

        def direction(wanted: int) -> Callable[[Any], bool]:
            return lambda ep: bool(util.endpoint_direction(ep.bEndpointAddress) == wanted)

        self._out = util.find_descriptor(interface, custom_match=direction(util.ENDPOINT_OUT))
        self._in = util.find_descriptor(interface, custom_match=direction(util.ENDPOINT_IN))
        if self._out is None:
            raise OSError("USB printer has no bulk OUT endpoint")
        self._device = device

    def write(self, data: bytes) -> None:
        """Bulk OUT write."""
        try:
            self._out.write(data, self.timeout_ms)
        except Exception as exc:  # usb.core.USBError, USBTimeoutError
            raise OSError(f"USB write failed: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        """Bulk IN read; a timeout returns nothing."""
        if self._in is None:
            return b""
        try:
            return bytes(self._in.read(size, int(timeout * 1000)))
        except Exception as exc:
            if "timeout" in str(exc).lower():
                return b""
            raise OSError(f"USB read failed: {exc}") from exc

    def close(self) -> None:
        """Release the interface and the device handle."""
        if self._device is not None:
            import usb.util

            with contextlib.suppress(Exception):
                usb.util.dispose_resources(self._device)
            self._device = None


@dataclass
class FileTransport:
    """Append bytes to a file: a Linux /dev/usb/lp0 node or the simulator's watched file."""

    path: Path
    name: str = "file"

    def open(self) -> None:
        """Check the file can be opened for appending."""
        with self.path.open("ab"):
            pass

    def write(self, data: bytes) -> None:
        """Append the bytes."""
        with self.path.open("ab") as fh:
            fh.write(data)

    def read(self, size: int, timeout: float) -> bytes:
        """A file cannot answer: status requests get nothing."""
        return b""

    def close(self) -> None:
        """Nothing held open."""


@dataclass
class Backoff:
    """Exponential retry delay between reconnect attempts."""

    initial: float = 0.5
    maximum: float = 30.0
    current: float = 0.0

    def fail(self) -> float:
        """Register a failure and return the delay before the next attempt."""
        self.current = self.initial if self.current == 0 else min(self.maximum, self.current * 2)
        return self.current

    def reset(self) -> None:
        """A success: the next failure starts from the initial delay again."""
        self.current = 0.0

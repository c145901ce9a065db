"""Serve a byte-level simulator over a pseudo-terminal, a TCP socket or an appended-to file."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import termios
import threading
import tty
from pathlib import Path
from typing import Protocol, Self

POLL_SECONDS = 0.05


class ByteDevice(Protocol):
    """A simulated device: bytes from the host in, reply bytes out."""

    def handle(self, data: bytes) -> bytes:
        """Consume host bytes and return what the device answers."""
        ...


class _Server:
    """A daemon thread running `_serve` until stop(); a context manager."""

    def __init__(self, device: ByteDevice) -> None:
        self.device = device
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Open the endpoint and start serving in a daemon thread."""
        self._open()
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and close the endpoint."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _open(self) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class PtyServer(_Server):
    """The device on a pseudo-terminal: the host opens `path` like a serial port (pyserial works)."""

    path = ""

    def _open(self) -> None:
        self._master, self._slave = os.openpty()
        # Raw mode on our side too, so CR/LF and control bytes reach the simulator unchanged.
        tty.setraw(self._master, termios.TCSANOW)
        self.path = os.ttyname(self._slave)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], POLL_SECONDS)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                continue  # EIO while no process holds the slave open: keep waiting for the next one
            reply = self.device.handle(data)
            if reply:
                os.write(self._master, reply)

    def _close(self) -> None:
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class TcpServer(_Server):
    """The device on a TCP port (a network printer listens on 9100); one client at a time."""

    def __init__(self, device: ByteDevice, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(device)
        self.host = host
        self.port = port

    def _open(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.host, self.port))
        self._sock.listen(4)
        self._sock.settimeout(POLL_SECONDS)
        self.port = self._sock.getsockname()[1]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                self._session(conn)
            finally:
                conn.close()

    def _session(self, conn: socket.socket) -> None:
        conn.settimeout(POLL_SECONDS)
        while not self._stop.is_set():
            try:
                data = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            reply = self.device.handle(data)
            if reply:
                conn.sendall(reply)

    def _close(self) -> None:
        self._sock.close()


class FileServer(_Server):
    """The device reads what the host appends to a file (like writing to /dev/usb/lp0); no replies."""

    def __init__(self, device: ByteDevice, path: Path) -> None:
        super().__init__(device)
        self.path = path
        self._offset = 0

    def _open(self) -> None:
        self.path.touch()
        self._offset = self.path.stat().st_size

    def _serve(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.poll()

    def poll(self) -> None:
        """Feed whatever was appended since the last poll."""
        with self.path.open("rb") as fh:
            fh.seek(self._offset)
            data = fh.read()
        if data:
            self._offset += len(data)
            self.device.handle(data)

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            self.poll()

"""A reconnecting link: device failures become a state plus a retry time, never exceptions for callers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from pos_grocery.devices.transports import Backoff, LinkState, Transport

T = TypeVar("T")


class Link:
    """Owns one transport; opens it lazily, closes it on any error and retries with backoff."""

    def __init__(
        self, transport: Transport, backoff: Backoff | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.transport = transport
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.state: LinkState = "disconnected"
        self.last_error = ""
        self._retry_at = 0.0
        self._lock = threading.RLock()

    @property
    def available(self) -> bool:
        """Connected, or allowed to try again now."""
        return self.state == "connected" or self.clock() >= self._retry_at

    def _ensure_open(self) -> bool:
        if self.state == "connected":
            return True
        if self.clock() < self._retry_at:
            return False
        try:
            self.transport.open()
        except OSError as exc:
            self._failed(exc)
            return False
        self.state = "connected"
        self.backoff.reset()
        self.last_error = ""
        return True

    def _failed(self, exc: OSError) -> None:
        try:
            self.transport.close()
        finally:
            self.state = "disconnected"
            self.last_error = str(exc) or type(exc).__name__
            self._retry_at = self.clock() + self.backoff.fail()

    def send(self, data: bytes) -> bool:
        """Write all bytes; False (and a disconnected state) when the device is away."""
        with self._lock:
            if not self._ensure_open():
                return False
            try:
                self.transport.write(data)
            except OSError as exc:
                self._failed(exc)
                return False
            return True

    def exchange(self, data: bytes, reply_size: int, timeout: float) -> bytes | None:
        """Write a request and read up to `reply_size` bytes within `timeout`; None when unreachable."""
        with self._lock:
            if not self._ensure_open():
                return None
            try:
                reset = getattr(self.transport, "reset_input", None)
                if reset is not None:
                    reset()
                self.transport.write(data)
                return self._read(reply_size, timeout)
            except OSError as exc:
                self._failed(exc)
                return None

    def probe(self) -> None:
        """Open the port if it is closed and may be retried, without waiting for a user of the link (status)."""
        if self.state == "connected" or not self._lock.acquire(blocking=False):
            return
        try:
            self._ensure_open()
        finally:
            self._lock.release()

    def call(self, action: Callable[[Transport], T]) -> T | None:
        """Run `action` on the open transport under the link's lock; None when unreachable or it failed."""
        with self._lock:
            if not self._ensure_open():
                return None
            try:
                return action(self.transport)
            except OSError as exc:
                self._failed(exc)
                return None

    def _read(self, size: int, timeout: float) -> bytes:
        deadline = self.clock() + timeout
        out = bytearray()
        while len(out) < size:
            left = deadline - self.clock()
            if left <= 0:
                break
            chunk = self.transport.read(size - len(out), left)
            if not chunk:
                break  # every transport's read already waited up to `left`: nothing more is coming
            out += chunk
        return bytes(out)

    def close(self) -> None:
        """Close the transport (always, even if closing raises)."""
        with self._lock:
            try:
                self.transport.close()
            finally:
                self.state = "disconnected"

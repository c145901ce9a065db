"""Toledo 8213 "demand" protocol (the 'W' protocol POS scales speak, also sold as NCR/8217 mode).

Host sends 'W'; a stable, valid weight comes back as STX "WW.WWW" CR (kilograms, 3 decimals), anything
else as STX '?' <status> CR. Serial 9600 baud, 7 data bits, even parity, 1 stop bit. See docs/DEVICES.md.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import msgspec

STX, CR = 0x02, 0x0D
CMD_WEIGHT, CMD_ZERO = b"W", b"Z"
# Status byte bits (Toledo 8213 demand mode status record); bits 5 and 6 are always 1 so the byte prints.
MOTION, OVER_CAPACITY, UNDER_ZERO, OUTSIDE_ZERO_RANGE, CENTER_OF_ZERO = 0x01, 0x02, 0x04, 0x08, 0x10
STATUS_ALWAYS = 0x60
WEIGHT_RE = re.compile(rb"\s*(\d{1,3})\.(\d{1,3})")
BAUDRATE, BYTESIZE, PARITY, STOPBITS = 9600, 7, "E", 1
MAX_FRAME = 16

WeighStatus = Literal[
    "ok", "motion", "over_capacity", "under_zero", "zero", "below_tare", "not_zeroed", "error", "timeout",
    # Not from the scale: the lane has none configured / its port or the device service cannot be reached.
    "no_scale", "unavailable",
]


@dataclass(frozen=True, slots=True)
class WeightReply:
    """A stable weight in grams."""

    grams: int


@dataclass(frozen=True, slots=True)
class StatusReply:
    """A status record: why there is no weight."""

    bits: int

    @property
    def motion(self) -> bool:
        """The platter is still moving."""
        return bool(self.bits & MOTION)

    @property
    def over_capacity(self) -> bool:
        """Above the scale's range."""
        return bool(self.bits & OVER_CAPACITY)

    @property
    def under_zero(self) -> bool:
        """Negative weight (e.g. a lifted platter or an old zero)."""
        return bool(self.bits & UNDER_ZERO)

    @property
    def at_zero(self) -> bool:
        """Centre of zero: the platter is empty."""
        return bool(self.bits & CENTER_OF_ZERO)


ScaleReply = WeightReply | StatusReply


class Weighing(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of asking for a stable weight; grams is net of tare and set only when status is ok."""

    status: WeighStatus
    grams: int = 0
    gross: int = 0


def encode_weight(grams: int) -> bytes:
    """Scale side: a weight record for 0..99999 g."""
    if not 0 <= grams <= 99_999:
        raise ValueError("weight out of the record's range")
    return bytes([STX]) + f"{grams // 1000:02d}.{grams % 1000:03d}".encode("ascii") + bytes([CR])


def encode_status(bits: int) -> bytes:
    """Scale side: a status record."""
    return bytes([STX, ord("?"), STATUS_ALWAYS | (bits & 0x1F), CR])


def parse_frame(frame: bytes) -> ScaleReply | None:
    """Parse one STX..CR frame (framing bytes included); None for anything malformed."""
    if len(frame) < 3 or frame[0] != STX or frame[-1] != CR:
        return None
    body = frame[1:-1]
    if body[:1] == b"?" and len(body) == 2:
        return StatusReply(body[1] & 0x1F)
    match = WEIGHT_RE.fullmatch(body)
    if match is None:
        return None
    whole, frac = match.group(1), match.group(2).ljust(3, b"0")
    return WeightReply(int(whole) * 1000 + int(frac))


class ScalePort(Protocol):
    """The part of pyserial.Serial the reader uses; open it with a short read timeout (e.g. 0.05 s)."""

    def write(self, data: bytes, /) -> int | None:
        """Send bytes."""
        ...

    def read(self, size: int = 1, /) -> bytes:
        """Read up to size bytes within `timeout`."""
        ...

    def reset_input_buffer(self) -> None:
        """Drop unread bytes."""
        ...


class ScaleReader:
    """Polls a Toledo scale; hands out a weight only when stable, positive and under capacity."""

    def __init__(
        self,
        port: ScalePort,
        capacity_g: int = 15_000,
        reply_timeout: float = 0.3,
        poll_interval: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.port = port
        self.capacity_g = capacity_g
        self.reply_timeout = reply_timeout
        self.poll_interval = poll_interval
        self.clock = clock
        self.awaiting_zero = False
        self.last_frame = b""

    def request(self, command: bytes = CMD_WEIGHT, timeout: float | None = None) -> ScaleReply | None:
        """Send one command and parse the reply frame; None on timeout or garbage."""
        self.port.reset_input_buffer()
        self.port.write(command)
        self.last_frame = self._read_frame(self.reply_timeout if timeout is None else timeout)
        return parse_frame(self.last_frame)

    def _read_frame(self, timeout: float) -> bytes:
        # The port's own read timeout stays short and fixed (pyserial re-runs tcsetattr when it changes);
        # the frame deadline is kept here.
        deadline = self.clock() + timeout
        frame = bytearray()
        while len(frame) < MAX_FRAME and self.clock() < deadline:
            byte = self.port.read(1)
            if not byte or (not frame and byte[0] != STX):
                continue  # nothing yet, or line noise before the frame starts
            frame += byte
            if byte[0] == CR:
                break
        return bytes(frame)

    def zero(self) -> bool:
        """Ask the scale to re-zero ('Z'); True when it then reports centre of zero."""
        reply = self.request(CMD_ZERO)
        return isinstance(reply, StatusReply) and reply.at_zero

    def read_stable(self, timeout: float, tare_g: int = 0) -> Weighing:
        """Poll until a usable weight arrives or `timeout` passes; the result says why when there is none."""
        deadline = self.clock() + timeout
        last = Weighing(status="timeout")
        said: Weighing | None = None  # the last thing the scale really said (a reply cut off by the deadline is not)
        while True:
            left = deadline - self.clock()
            if left <= 0:
                return said if said is not None and last.status in ("timeout", "error") else last
            last = self._judge(self.request(timeout=min(self.reply_timeout, left)), tare_g)
            if last.status == "ok":
                self.awaiting_zero = True
                return last
            if last.status not in ("timeout", "error"):
                said = last
            time.sleep(max(0.0, min(self.poll_interval, deadline - self.clock())))

    def _judge(self, reply: ScaleReply | None, tare_g: int) -> Weighing:
        if reply is None:
            return Weighing(status="error" if self.last_frame else "timeout")
        if isinstance(reply, StatusReply):
            return self._judge_status(reply)
        grams = reply.grams
        if grams > self.capacity_g:
            return Weighing(status="over_capacity", gross=grams)
        if grams == 0:
            self.awaiting_zero = False
            return Weighing(status="zero")
        if self.awaiting_zero:
            # Stuck-scale guard: the same item may not be weighed twice without emptying the platter.
            return Weighing(status="not_zeroed", gross=grams)
        if grams - tare_g <= 0:
            return Weighing(status="below_tare", gross=grams)
        return Weighing(status="ok", grams=grams - tare_g, gross=grams)

    def _judge_status(self, reply: StatusReply) -> Weighing:
        if reply.over_capacity:
            return Weighing(status="over_capacity")
        if reply.under_zero:
            self.awaiting_zero = False  # below zero means the platter is empty: the item was lifted off
            return Weighing(status="under_zero")
        if reply.motion:
            return Weighing(status="motion")
        if reply.at_zero:
            self.awaiting_zero = False
            return Weighing(status="zero")
        return Weighing(status="error")

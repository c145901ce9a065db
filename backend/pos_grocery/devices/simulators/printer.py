"""ESC/POS printer simulator: decodes the byte stream back into receipts and answers DLE EOT status."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pos_grocery.devices import escpos
from pos_grocery.receipts.layout import Align, align_text

if TYPE_CHECKING:
    from PIL.Image import Image

ALIGN_NAMES: dict[int, Align] = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
CODE_PAGE_BY_NUMBER = {number: name for name, number in escpos.CODE_PAGES.items()}
# Commands with a fixed number of parameter bytes that only change modes the decoder does not model.
IGNORED_ESC = {0x2D: 1, 0x4D: 1, 0x21: 1, 0x32: 0, 0x33: 1, 0x4A: 1, 0x47: 1, 0x7B: 1, 0x56: 1, 0x52: 1}
IGNORED_GS = {0x66: 1, 0x42: 1, 0x4C: 2, 0x57: 2}


class Incomplete(Exception):
    """The buffer ends inside a command; wait for more bytes."""


@dataclass
class Row:
    """A printed text row with the style it was printed in."""

    text: str
    align: Align = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass
class DecodedReceipt:
    """Everything printed between two cuts, in order."""

    events: list[tuple[str, object]] = field(default_factory=list)
    drawer_kicks: list[escpos.DrawerKick] = field(default_factory=list)
    cut: bool = False

    @property
    def barcodes(self) -> list[str]:
        """CODE128 values, in print order."""
        return [str(value) for kind, value in self.events if kind == "barcode"]

    @property
    def qr_codes(self) -> list[str]:
        """QR payloads, in print order."""
        return [str(value) for kind, value in self.events if kind == "qr"]

    @property
    def images(self) -> list[Image]:
        """Raster bands as 1-bit images (0 = ink), in print order."""
        return [value for kind, value in self.events if kind == "image"]  # type: ignore[misc]

    def lines(self, columns: int) -> list[str]:
        """Visible text rows laid out on `columns`; a barcode shows as its human-readable text."""
        out: list[str] = []
        for kind, value in self.events:
            if isinstance(value, Row):
                # Like the plain-text renderer, a double-width row is shown centred on the whole line.
                text = value.text.strip() if value.width > 1 else value.text.rstrip()
                out.append(align_text(text, columns, value.align))
            elif kind == "barcode":
                out.append(align_text(str(value), columns, "center"))
        return out

    def image(self) -> Image | None:
        """All raster bands stacked into one picture, or None for a text-only receipt."""
        from PIL import Image as PILImage

        bands = self.images
        if not bands:
            return None
        out = PILImage.new("1", (max(b.width for b in bands), sum(b.height for b in bands)), 1)
        top = 0
        for band in bands:
            out.paste(band, (0, top))
            top += band.height
        return out

    @property
    def empty(self) -> bool:
        """True when nothing was printed or kicked."""
        return not self.events and not self.drawer_kicks


class EscPosDecoder:
    """Incremental ESC/POS parser: feed bytes in any chunking, get receipts at each cut."""

    def __init__(self, status: Callable[[int], int], on_receipt: Callable[[DecodedReceipt], None]) -> None:
        self._status = status
        self._on_receipt = on_receipt
        self._buffer = bytearray()
        self._line = bytearray()
        self._qr_store = b""
        self.unknown: list[int] = []
        self.current = DecodedReceipt()
        self._reset_modes()

    def _reset_modes(self) -> None:
        self.code_page = "cp437"
        self.style = Row(text="")

    def feed(self, data: bytes) -> bytes:
        """Consume bytes; return the real-time replies (DLE EOT) the printer sends back."""
        self._buffer += data
        replies = bytearray()
        while self._buffer:
            try:
                used, reply = self._step(self._buffer)
            except Incomplete:
                break
            del self._buffer[:used]
            replies += reply
        return bytes(replies)

    def _step(self, buf: bytearray) -> tuple[int, bytes]:
        first = buf[0]
        if first == escpos.LF:
            self._flush_line()
            return 1, b""
        if first == escpos.ESC:
            return self._esc(buf), b""
        if first == escpos.GS:
            return self._gs(buf), b""
        if first == escpos.DLE:
            kind = _param(buf, 2)
            if buf[1] != escpos.EOT:
                self.unknown.append(first)
                return 1, b""
            return 3, bytes([self._status(kind)])
        if first >= 0x20:
            self._line.append(first)
        elif first != 0x0D:
            self.unknown.append(first)
        return 1, b""

    def _esc(self, buf: bytearray) -> int:
        command = _param(buf, 1)
        if command == 0x40:
            self._flush_line()
            self._reset_modes()
            return 2
        if command == 0x70:
            self._kick(_param(buf, 2), _param(buf, 3), _param(buf, 4))
            return 5
        if command in IGNORED_ESC:
            count = IGNORED_ESC[command]
            _param(buf, 1 + count)
            return 2 + count
        if command not in (0x74, 0x45, 0x61, 0x64):
            self.unknown.append(command)
            return 2
        value = _param(buf, 2)
        if command == 0x74:
            self.code_page = CODE_PAGE_BY_NUMBER.get(value, "cp437")
        elif command == 0x45:
            self.style.bold = bool(value & 1)
        elif command == 0x61:
            self.style.align = ALIGN_NAMES.get(value, "left")
        else:
            self._flush_line()
        return 3

    def _gs(self, buf: bytearray) -> int:
        command = _param(buf, 1)
        if command == 0x21:
            size = _param(buf, 2)
            self.style.width, self.style.height = (size >> 4) + 1, (size & 0x0F) + 1
            return 3
        if command in (0x68, 0x77, 0x48):
            _param(buf, 2)
            return 3
        if command == 0x6B:
            return self._barcode(buf)
        if command == 0x28 and _param(buf, 2) == 0x6B:
            return self._two_d(buf)
        if command == 0x76 and _param(buf, 2) == 0x30:
            return self._raster(buf)
        if command == 0x56:
            mode = _param(buf, 2)
            used = 4 if mode >= 65 else 3
            _param(buf, used - 1)
            self._cut()
            return used
        if command in IGNORED_GS:
            _param(buf, 1 + IGNORED_GS[command])
            return 2 + IGNORED_GS[command]
        self.unknown.append(command)
        return 2

    def _barcode(self, buf: bytearray) -> int:
        kind = _param(buf, 2)
        if kind <= 6:
            end = buf.find(0, 3)
            if end < 0:
                raise Incomplete
            data, used = bytes(buf[3:end]), end + 1
        else:
            length = _param(buf, 3)
            _param(buf, 3 + length)
            data, used = bytes(buf[4 : 4 + length]), 4 + length
        if kind == escpos.CODE128 and data[:1] == b"{":
            data = data[2:].replace(b"{{", b"{")
        self._flush_line()
        self.current.events.append(("barcode", data.decode("ascii", errors="replace")))
        return used

    def _two_d(self, buf: bytearray) -> int:
        size = _param(buf, 3) | _param(buf, 4) << 8
        _param(buf, 4 + size)
        symbol, function = buf[5], buf[6]
        if symbol == 49 and function == 80:
            self._qr_store = bytes(buf[8 : 5 + size])
        elif symbol == 49 and function == 81:
            self._flush_line()
            self.current.events.append(("qr", self._qr_store.decode("utf-8", errors="replace")))
        return 5 + size

    def _raster(self, buf: bytearray) -> int:
        from PIL import Image as PILImage
        from PIL import ImageOps

        width_bytes = _param(buf, 4) | _param(buf, 5) << 8
        height = _param(buf, 6) | _param(buf, 7) << 8
        size = width_bytes * height
        _param(buf, 7 + size)
        # In GS v 0 a 1 bit is ink; Pillow's mode "1" reads a 1 bit as white, hence the inversion.
        raw = PILImage.frombytes("1", (width_bytes * 8, height), bytes(buf[8 : 8 + size]))
        self._flush_line()
        self.current.events.append(("image", ImageOps.invert(raw.convert("L")).convert("1")))
        return 8 + size

    def _flush_line(self) -> None:
        if self._line:
            text = bytes(self._line).decode(self.code_page, errors="replace")
            s = self.style
            self.current.events.append(("text", Row(text, s.align, s.bold, s.width, s.height)))
            self._line.clear()

    def _kick(self, pin: int, on: int, off: int) -> None:
        self.current.drawer_kicks.append(escpos.DrawerKick(pin=pin & 1, on_ms=on * 2, off_ms=off * 2))
        if not self.current.events:
            # A kick on its own (no print job) is reported at once, not held until the next cut.
            kick_only, self.current = self.current, DecodedReceipt()
            self._on_receipt(kick_only)

    def _cut(self) -> None:
        self._flush_line()
        self.current.cut = True
        done, self.current = self.current, DecodedReceipt()
        self._on_receipt(done)


def _param(buf: bytearray, index: int) -> int:
    if index >= len(buf):
        raise Incomplete
    return buf[index]


@dataclass
class PrinterState:
    """The settable physical state a test or a demo can change."""

    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    drawer_open: bool = False

    def status(self) -> escpos.PrinterStatus:
        """The state as the ESC/POS status model."""
        offline = self.paper_out or self.cover_open
        return escpos.PrinterStatus(
            online=not offline,
            cover_open=self.cover_open,
            paper_out=self.paper_out,
            paper_near_end=self.paper_near_end,
            drawer_open=self.drawer_open,
            error=False,
        )


class PrinterSimulator:
    """A receipt printer with a drawer: decodes jobs, keeps the last `keep` receipts on disk."""

    def __init__(self, out_dir: Path | None = None, columns: int = 48, keep: int = 20) -> None:
        self.state = PrinterState()
        self.columns = columns
        self.receipts: list[DecodedReceipt] = []
        self.kicks = 0
        self._store = ReceiptStore(out_dir, keep) if out_dir else None
        self._lock = threading.Lock()
        self._held = bytearray()
        self._changed = threading.Condition(self._lock)
        self.decoder = EscPosDecoder(self._status_byte, self._done)

    def _status_byte(self, kind: int) -> int:
        return escpos.encode_status(kind, self.state.status())

    def _done(self, receipt: DecodedReceipt) -> None:
        if receipt.drawer_kicks:
            self.kicks += len(receipt.drawer_kicks)
            self.state.drawer_open = True
        if receipt.events:
            self.receipts.append(receipt)
        if self._store and not receipt.empty:
            self._store.save(receipt, self.columns)  # kick-only jobs too: tests outside the process count kicks
        self._changed.notify_all()

    def handle(self, data: bytes) -> bytes:
        """Bytes in from the host; replies out. Offline, only real-time DLE EOT requests are answered."""
        with self._lock:
            if self.state.paper_out or self.state.cover_open:
                return self._hold(data)
            pending, self._held = bytes(self._held) + data, bytearray()
            return self.decoder.feed(pending)

    def _hold(self, data: bytes) -> bytes:
        # Real printers keep filling the receive buffer while offline and still answer DLE EOT in real time.
        replies = bytearray()
        rest = bytearray()
        i = 0
        while i < len(data):
            if data[i : i + 2] == escpos.STATUS and i + 2 < len(data):
                replies.append(self._status_byte(data[i + 2]))
                i += 3
            else:
                rest.append(data[i])
                i += 1
        self._held += rest
        return bytes(replies)

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least `count` receipts were printed (for tests)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.receipts) >= count, timeout)

    def wait_for_kicks(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least `count` drawer kicks arrived (for tests)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.kicks >= count, timeout)


class ReceiptStore:
    """Last N receipts as NNNNNN.txt (+ .png for raster, + .json summary) in a directory."""

    def __init__(self, directory: Path, keep: int) -> None:
        self.directory = directory
        self.keep = keep
        directory.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in directory.glob("*.json") if p.stem.isdigit()]
        self._next = max(numbers, default=0) + 1

    def save(self, receipt: DecodedReceipt, columns: int) -> Path:
        """Write one receipt's files and prune the oldest beyond `keep`; return the text file's path."""
        stem = self.directory / f"{self._next:06d}"
        self._next += 1
        picture = receipt.image()
        lines = receipt.lines(columns)
        if picture is not None:
            lines.insert(0, f"[raster receipt {picture.width}x{picture.height}: {stem.name}.png]")
        stem.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if picture is not None:
            picture.save(stem.with_suffix(".png"))
        summary = {
            "barcodes": receipt.barcodes,
            "qr": receipt.qr_codes,
            "drawer_kicks": len(receipt.drawer_kicks),
            "cut": receipt.cut,
            "raster": picture is not None,
        }
        stem.with_suffix(".json").write_text(json.dumps(summary), encoding="utf-8")
        self._prune()
        return stem.with_suffix(".txt")

    def _prune(self) -> None:
        stems = sorted(int(p.stem) for p in self.directory.glob("*.json") if p.stem.isdigit())
        for number in stems[: max(0, len(stems) - self.keep)]:
            for suffix in (".txt", ".png", ".json"):
                (self.directory / f"{number:06d}{suffix}").unlink(missing_ok=True)

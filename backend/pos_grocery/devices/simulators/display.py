"""Pole display simulator: decodes the CD5220 command set into the two visible lines."""

from __future__ import annotations

import threading

from pos_grocery.devices import display

BS, HT = 0x08, 0x09


class DisplaySimulator:
    """A 2 x 20 character display: `lines` is what a customer would read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self._grid = [[" "] * display.COLUMNS for _ in range(display.ROWS)]
        self.row = 0
        self.col = 0
        self.unknown: list[int] = []

    @property
    def lines(self) -> tuple[str, str]:
        """The two visible lines, 20 characters each."""
        with self._lock:
            return "".join(self._grid[0]), "".join(self._grid[1])

    def handle(self, data: bytes) -> bytes:
        """Consume host bytes; a display never answers."""
        with self._lock:
            self._buffer += data
            while self._buffer:
                used = self._step(self._buffer)
                if used == 0:
                    break
                del self._buffer[:used]
        return b""

    def _step(self, buf: bytearray) -> int:
        """Apply one command; return bytes used, or 0 when the command is not complete yet."""
        first = buf[0]
        if first == display.ESC:
            return self._esc(buf)
        if first == display.CLEAR[0]:
            self._grid = [[" "] * display.COLUMNS for _ in range(display.ROWS)]
            self.row = self.col = 0
        elif first == display.HOME[0]:
            self.row = self.col = 0
        elif first == display.CR:
            self.col = 0
        elif first == display.LF:
            self.row = min(display.ROWS - 1, self.row + 1)
        elif first == BS:
            self.col = max(0, self.col - 1)
        elif first == HT:
            self._advance()
        elif first >= 0x20:
            self._grid[self.row][self.col] = chr(first)
            self._advance()
        else:
            self.unknown.append(first)
        return 1

    def _esc(self, buf: bytearray) -> int:
        if len(buf) < 2:
            return 0
        if buf[1] == 0x40:
            self._step(bytearray(display.CLEAR))
            return 2
        if buf[1] == 0x51:
            end = buf.find(display.CR, 3)
            if len(buf) < 3 or end < 0:
                return 0
            row = {0x41: 0, 0x42: 1}.get(buf[2])
            if row is not None:
                text = display.fit(bytes(buf[3:end]).decode(display.CODEC, errors="replace"))
                self._grid[row] = list(text)
            return end + 1
        if buf[1] == 0x6C:
            if len(buf) < 4:
                return 0
            self.col = min(display.COLUMNS, max(1, buf[2])) - 1
            self.row = min(display.ROWS, max(1, buf[3])) - 1
            return 4
        self.unknown.append(buf[1])
        return 2

    def _advance(self) -> None:
        self.col += 1
        if self.col >= display.COLUMNS:
            # Overwrite mode (the CD5220 default): wrap to the start of the other line.
            self.col = 0
            self.row = (self.row + 1) % display.ROWS

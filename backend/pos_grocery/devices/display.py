"""Customer pole display (2 x 20 characters), CD5220 command set; pure encoder.

Bytes follow the CD5220 command table (also Epson DM-D "CD5220 emulation" mode).
"""

from __future__ import annotations

ESC, CR, LF = 0x1B, 0x0D, 0x0A
INIT = bytes([ESC, 0x40])  # ESC @  initialize display
CLEAR = bytes([0x0C])  # CLR  clear both lines, cursor home
HOME = bytes([0x0B])  # HOM  cursor to the upper-left position
UPPER_LINE = bytes([ESC, 0x51, 0x41])  # ESC Q A text CR  write the upper line
LOWER_LINE = bytes([ESC, 0x51, 0x42])  # ESC Q B text CR  write the lower line
MOVE_CURSOR = bytes([ESC, 0x6C])  # ESC l x y  move the cursor to column x (1..20), row y (1..2)
COLUMNS, ROWS = 20, 2
CODEC = "ascii"  # most pole displays are Latin-only; other characters show as '?'


def fit(text: str, columns: int = COLUMNS) -> str:
    """Pad or cut to exactly one display line."""
    return text[:columns].ljust(columns)


def two_columns(left: str, right: str, columns: int = COLUMNS) -> str:
    """Left text and a right-aligned amount on one line; the left side is cut to make room."""
    room = max(0, columns - len(right) - 1)
    return fit(left[:room].ljust(room) + " " + right if room else right, columns)


def _encode(text: str) -> bytes:
    return fit(text).encode(CODEC, errors="replace")


def initialize() -> bytes:
    """ESC @ then clear: a known state after power-up or a reconnect."""
    return INIT + CLEAR


def clear() -> bytes:
    """Blank both lines."""
    return CLEAR


def home() -> bytes:
    """Cursor to the upper-left position."""
    return HOME


def line(row: int, text: str) -> bytes:
    """Replace one line (1 = upper, 2 = lower)."""
    if row not in (1, 2):
        raise ValueError("the display has rows 1 and 2")
    return (UPPER_LINE if row == 1 else LOWER_LINE) + _encode(text) + bytes([CR])


def show(upper: str, lower: str = "") -> bytes:
    """Replace both lines."""
    return line(1, upper) + line(2, lower)

"""Pure ESC/POS encoder: receipt document -> printer bytes; status requests and their replies.

Command bytes follow the Epson "ESC/POS Command Reference" (TM series); each constant names its command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_grocery.receipts.layout import Align, BarcodeBlock, QrBlock, Rule, TextRow, build_blocks, fit_row
from pos_grocery.receipts.models import Receipt

if TYPE_CHECKING:
    from PIL.Image import Image

ESC, GS, DLE, EOT, LF = 0x1B, 0x1D, 0x10, 0x04, 0x0A
INIT = bytes([ESC, 0x40])  # ESC @  initialize printer
SELECT_CODE_PAGE = bytes([ESC, 0x74])  # ESC t n  select character code table
BOLD = bytes([ESC, 0x45])  # ESC E n  emphasized mode on/off
CHAR_SIZE = bytes([GS, 0x21])  # GS ! n  select character size (bits 4-7 width, 0-3 height magnification)
ALIGN = bytes([ESC, 0x61])  # ESC a n  justification 0 left, 1 centre, 2 right
FEED_LINES = bytes([ESC, 0x64])  # ESC d n  print and feed n lines
BARCODE_HEIGHT = bytes([GS, 0x68])  # GS h n  bar code height in dots
BARCODE_WIDTH = bytes([GS, 0x77])  # GS w n  module width 2..6
BARCODE_HRI = bytes([GS, 0x48])  # GS H n  HRI characters position (2 = below)
BARCODE = bytes([GS, 0x6B])  # GS k m n d1..dn  print bar code (function B form)
QR = bytes([GS, 0x28, 0x6B])  # GS ( k pL pH cn fn ...  2D symbol functions (cn 49 = QR)
RASTER = bytes([GS, 0x76, 0x30])  # GS v 0 m xL xH yL yH d1..dk  print raster bit image
CUT = bytes([GS, 0x56])  # GS V m [n]  select cut mode and cut paper
DRAWER_PULSE = bytes([ESC, 0x70])  # ESC p m t1 t2  generate pulse (drawer kick-out connector)
STATUS = bytes([DLE, EOT])  # DLE EOT n  real-time status transmission

CODE128 = 73  # GS k m=73: CODE128, data prefixed with a code set selector
CODE128_SET_B = b"{B"  # code set B covers ASCII 32..127; "{" itself is sent as "{{"
CUT_PARTIAL_FEED = 66  # GS V m=66: feed to the cutting position plus n dots, then partial cut
QR_MODEL_2, QR_EC_M = 50, 49  # fn 165 model 2; fn 169 error correction level M
ALIGNMENTS: dict[Align, int] = {"left": 0, "center": 1, "right": 2}
# ESC t table numbers -> Python codecs (Epson "Character code tables" page).
CODE_PAGES: dict[str, int] = {
    "cp437": 0,
    "cp850": 2,
    "cp860": 3,
    "cp863": 4,
    "cp865": 5,
    "cp1252": 16,
    "cp866": 17,
    "cp852": 18,
    "cp858": 19,
}
STATUS_PRINTER, STATUS_OFFLINE, STATUS_ERROR, STATUS_PAPER = 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """What differs between printer models: paper width, code page, raster band height, barcode size."""

    columns: int = 48
    width_dots: int = 576
    code_page: str = "cp437"
    band_height: int = 128
    barcode_height: int = 64
    barcode_module: int = 2
    qr_module: int = 6


@dataclass(frozen=True, slots=True)
class DrawerKick:
    """ESC p parameters: pin 0 = connector pin 2, 1 = pin 5; on/off times in units of 2 ms."""

    pin: int = 0
    on_ms: int = 100
    off_ms: int = 500


def _byte(value: int, name: str) -> int:
    if not 0 <= value <= 255:
        raise ValueError(f"{name} must fit in one byte, got {value}")
    return value


def initialize() -> bytes:
    """ESC @: clear the buffer and reset modes."""
    return INIT


def select_code_page(code_page: str) -> bytes:
    """ESC t n for a Python codec name in CODE_PAGES."""
    return SELECT_CODE_PAGE + bytes([CODE_PAGES[code_page]])


def bold(on: bool) -> bytes:
    """ESC E n."""
    return BOLD + bytes([1 if on else 0])


def char_size(width: int, height: int) -> bytes:
    """GS ! n with magnifications 1..8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character magnification must be 1..8")
    return CHAR_SIZE + bytes([(width - 1) << 4 | (height - 1)])


def align(where: Align) -> bytes:
    """ESC a n."""
    return ALIGN + bytes([ALIGNMENTS[where]])


def feed(lines: int) -> bytes:
    """ESC d n: print the buffer and feed n lines."""
    return FEED_LINES + bytes([_byte(lines, "lines")])


def barcode_code128(value: str, height: int = 64, module: int = 2) -> bytes:
    """Centred CODE128 (code set B) with the human-readable text below; a '{' in data is doubled."""
    data = value.encode("ascii")
    if not data or any(b < 32 or b > 126 for b in data):
        raise ValueError(f"CODE128 set B takes printable ASCII only, got {value!r}")
    payload = CODE128_SET_B + data.replace(b"{", b"{{")
    if len(payload) > 255:
        raise ValueError("barcode data too long")
    return (
        BARCODE_HEIGHT
        + bytes([_byte(height, "height")])
        + BARCODE_WIDTH
        + bytes([module])
        + BARCODE_HRI
        + bytes([2])
        + BARCODE
        + bytes([CODE128, len(payload)])
        + payload
    )


def _qr_function(fn: int, params: bytes) -> bytes:
    size = len(params) + 2
    return QR + bytes([size & 0xFF, size >> 8, 49, fn]) + params


def qr_code(data: str, module: int = 6) -> bytes:
    """GS ( k sequence: model 2, module size, error level M, store data, print."""
    payload = data.encode("utf-8")
    if len(payload) > 7089:
        raise ValueError("QR data too long")
    return (
        _qr_function(65, bytes([QR_MODEL_2, 0]))
        + _qr_function(67, bytes([module]))
        + _qr_function(69, bytes([QR_EC_M]))
        + _qr_function(80, b"\x30" + payload)
        + _qr_function(81, b"\x30")
    )


def cut_partial(feed_dots: int = 0) -> bytes:
    """GS V 66 n: feed past the cutter (plus n dots) and partial-cut, so the last line is not cut off."""
    return CUT + bytes([CUT_PARTIAL_FEED, _byte(feed_dots, "feed")])


def drawer_kick(kick: DrawerKick) -> bytes:
    """ESC p m t1 t2; the printer counts t1/t2 in 2 ms units."""
    if kick.pin not in (0, 1):
        raise ValueError("drawer pin must be 0 (connector pin 2) or 1 (connector pin 5)")
    return DRAWER_PULSE + bytes([kick.pin, _byte(kick.on_ms // 2, "on"), _byte(kick.off_ms // 2, "off")])


def status_request(kind: int) -> bytes:
    """DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor."""
    if kind not in (STATUS_PRINTER, STATUS_OFFLINE, STATUS_ERROR, STATUS_PAPER):
        raise ValueError(f"unknown DLE EOT status kind {kind}")
    return STATUS + bytes([kind])


def raster_bands(bits: bytes, width_bytes: int, height: int, band: int) -> bytes:
    """GS v 0 in bands of `band` rows: receive buffers are small, so one tall image would overflow them."""
    out = bytearray()
    for top in range(0, height, band):
        rows = min(band, height - top)
        chunk = bits[top * width_bytes : (top + rows) * width_bytes]
        out += RASTER + bytes([0, width_bytes & 0xFF, width_bytes >> 8, rows & 0xFF, rows >> 8]) + chunk
    return bytes(out)


def image_bits(image: Image) -> tuple[bytes, int, int]:
    """Packed raster rows (1 = ink, MSB = leftmost dot) from a 1-bit Pillow image where 0 is ink."""
    from PIL import ImageOps

    inverted = ImageOps.invert(image.convert("L")).convert("1")
    return inverted.tobytes(), (image.width + 7) // 8, image.height


def _text_row(row: TextRow, profile: PrinterProfile) -> bytes:
    out = bytearray()
    for part in fit_row(row, profile.columns):
        # Centred rows go out unpadded with ESC a 1: the printer centres them at whatever size is selected.
        text = part.strip() if row.align != "left" else part.rstrip()
        out += text.encode(profile.code_page, errors="replace") + bytes([LF])
    return bytes(out)


def _styled(row: TextRow) -> bytes:
    return align(row.align) + bold(row.bold) + char_size(row.width, row.height)


def encode_text_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """A Latin-script receipt as printer text with styles, barcode, optional QR and a partial cut."""
    out = bytearray(initialize() + select_code_page(profile.code_page))
    style = b""
    plain = _styled(TextRow(text=""))
    for block in build_blocks(receipt):
        wanted = _styled(block) if isinstance(block, TextRow) else plain
        if wanted != style:
            out += _style_change(style, wanted)
            style = wanted
        out += _block_bytes(block, profile)
    return bytes(out + _finish(style, plain))


def _style_change(old: bytes, new: bytes) -> bytes:
    """Only the ESC a / ESC E / GS ! commands whose parameter changed (each is 3 bytes)."""
    if not old:
        return new
    return b"".join(new[i : i + 3] for i in range(0, len(new), 3) if new[i : i + 3] != old[i : i + 3])


def _block_bytes(block: TextRow | Rule | BarcodeBlock | QrBlock, profile: PrinterProfile) -> bytes:
    if isinstance(block, TextRow):
        return _text_row(block, profile)
    if isinstance(block, Rule):
        return b"-" * profile.columns + bytes([LF])
    if isinstance(block, BarcodeBlock):
        return (
            align("center")
            + barcode_code128(block.value, profile.barcode_height, profile.barcode_module)
            + align("left")
        )
    return align("center") + qr_code(block.data, profile.qr_module) + bytes([LF]) + align("left")


def _finish(style: bytes, plain: bytes) -> bytes:
    return _style_change(style, plain) + feed(3) + cut_partial()


def encode_raster_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """A Sinhala/Tamil receipt: text as GS v 0 raster bands, barcode and QR still drawn natively."""
    from pos_grocery.receipts.raster import render_segments

    out = bytearray(initialize())
    for segment in render_segments(receipt, profile.width_dots):
        if isinstance(segment, BarcodeBlock | QrBlock):
            out += _block_bytes(segment, profile)
        else:
            bits, width_bytes, height = image_bits(segment)
            out += raster_bands(bits, width_bytes, height, profile.band_height)
    return bytes(out + feed(3) + cut_partial())


def encode_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """ESC/POS bytes for a receipt: text mode for English, raster for Sinhala and Tamil."""
    if receipt.language == "en":
        return encode_text_receipt(receipt, profile)
    return encode_raster_receipt(receipt, profile)


# DLE EOT replies (Epson ESC/POS reference, "DLE EOT"): bits 1 and 4 are always 1, bits 0 and 7 always 0.
STATUS_FIXED_MASK, STATUS_FIXED_VALUE = 0x93, 0x12
PRINTER_DRAWER_PIN3, PRINTER_OFFLINE = 0x04, 0x08
OFFLINE_COVER_OPEN, OFFLINE_PAPER_END_STOP, OFFLINE_ERROR = 0x04, 0x20, 0x40
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the three DLE EOT replies say, in the words a cashier needs."""

    online: bool
    cover_open: bool
    paper_out: bool
    paper_near_end: bool
    drawer_open: bool
    error: bool


def is_status_byte(value: int) -> bool:
    """True when a byte has the fixed bits every DLE EOT reply carries (tells replies from noise)."""
    return value & STATUS_FIXED_MASK == STATUS_FIXED_VALUE


def parse_status(printer: int, offline: int, paper: int, drawer_open_high: bool = True) -> PrinterStatus:
    """Combine the DLE EOT 1, 2 and 4 replies; the drawer switch polarity depends on the drawer model."""
    for value in (printer, offline, paper):
        if not is_status_byte(value):
            raise ValueError(f"not a DLE EOT status byte: 0x{value:02x}")
    pin3_high = bool(printer & PRINTER_DRAWER_PIN3)
    return PrinterStatus(
        online=not printer & PRINTER_OFFLINE,
        cover_open=bool(offline & OFFLINE_COVER_OPEN),
        paper_out=paper & PAPER_END == PAPER_END or bool(offline & OFFLINE_PAPER_END_STOP),
        paper_near_end=paper & PAPER_NEAR_END == PAPER_NEAR_END,
        drawer_open=pin3_high == drawer_open_high,
        error=bool(offline & OFFLINE_ERROR),
    )


def encode_status(kind: int, status: PrinterStatus, drawer_open_high: bool = True) -> int:
    """The reply byte a printer in `status` sends to DLE EOT kind (the simulator's side)."""
    value = STATUS_FIXED_VALUE
    if kind == STATUS_PRINTER:
        pin3_high = status.drawer_open == drawer_open_high
        value |= (PRINTER_DRAWER_PIN3 if pin3_high else 0) | (0 if status.online else PRINTER_OFFLINE)
    elif kind == STATUS_OFFLINE:
        value |= OFFLINE_COVER_OPEN if status.cover_open else 0
        value |= OFFLINE_PAPER_END_STOP if status.paper_out else 0
        value |= OFFLINE_ERROR if status.error else 0
    elif kind == STATUS_PAPER:
        value |= PAPER_END if status.paper_out else 0
        value |= PAPER_NEAR_END if status.paper_near_end else 0
    return value

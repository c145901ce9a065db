"""Raster rendering (Pillow) of receipt blocks for scripts the printers' code pages lack (Sinhala, Tamil)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from pos_grocery.receipts.layout import BarcodeBlock, Block, QrBlock, Rule, TextRow, build_blocks
from pos_grocery.receipts.models import Receipt

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont

WIDTH_58MM = 384
WIDTH_80MM = 576
PAPER_DOTS = {58: WIDTH_58MM, 80: WIDTH_80MM}
FONT_FILES = {"si": "NotoSansSinhala-Regular.ttf", "ta": "NotoSansTamil-Regular.ttf"}
# Unicode blocks that need the bundled Noto fonts; everything else uses Pillow's own Latin face.
SCRIPT_RANGES = {"si": (0x0D80, 0x0DFF), "ta": (0x0B80, 0x0BFF)}
JOINERS = ("\u200c", "\u200d")  # ZWNJ/ZWJ belong to the script run (Sinhala yansaya/rakaransaya use ZWJ)
BASE_SIZE = 22
MARGIN = 4
INK_THRESHOLD = 160


@dataclass
class FontSet:
    """Fonts at one pixel size: Pillow's Latin face plus the bundled Sinhala and Tamil faces."""

    size: int
    faces: dict[str, FreeTypeFont] = field(default_factory=dict)

    def face(self, script: str) -> FreeTypeFont:
        """The font for a script key ('latin', 'si', 'ta'), loaded on first use."""
        if script not in self.faces:
            from PIL import ImageFont

            if script == "latin":
                self.faces[script] = ImageFont.load_default(size=self.size)  # type: ignore[assignment]
            else:
                path = resources.files("pos_grocery.receipts").joinpath("fonts", FONT_FILES[script])
                with resources.as_file(path) as file:
                    self.faces[script] = ImageFont.truetype(str(file), self.size)
        return self.faces[script]

    def line_height(self) -> int:
        """Height of a text row: the tallest ascent plus the deepest descent of the three faces."""
        metrics = [self.face(s).getmetrics() for s in ("latin", "si", "ta")]
        return max(a for a, _ in metrics) + max(d for _, d in metrics)

    def ascent(self) -> int:
        """The shared baseline offset from the top of a row."""
        return max(self.face(s).getmetrics()[0] for s in ("latin", "si", "ta"))


def script_of(ch: str, previous: str) -> str:
    """Script key for one character; joiners and spaces stay with the run they are in."""
    code = ord(ch)
    for key, (low, high) in SCRIPT_RANGES.items():
        if low <= code <= high:
            return key
    if ch in JOINERS or (ch == " " and previous != "latin"):
        return previous
    return "latin"


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (script, run) pieces so each piece is shaped with one font."""
    pieces: list[tuple[str, str]] = []
    current = "latin"
    for ch in text:
        current = script_of(ch, current)
        if pieces and pieces[-1][0] == current:
            pieces[-1] = (current, pieces[-1][1] + ch)
        else:
            pieces.append((current, ch))
    return pieces


def text_length(fonts: FontSet, text: str) -> int:
    """Advance width in dots of mixed-script text."""
    return int(sum(fonts.face(script).getlength(piece) for script, piece in runs(text)) + 0.999)


def draw_text(draw: ImageDraw, x: int, baseline: int, text: str, fonts: FontSet, bold: bool = False) -> None:
    """Draw mixed-script text with its runs sharing one baseline; bold is a one-dot stroke on Latin runs."""
    pos = float(x)
    for script, piece in runs(text):
        face = fonts.face(script)
        # A stroke fills the small counters of Sinhala/Tamil glyphs at receipt sizes, so those stay regular.
        stroke = 1 if bold and script == "latin" else 0
        draw.text((pos, baseline), piece, font=face, fill=0, anchor="ls", stroke_width=stroke)
        pos += face.getlength(piece)


def wrap_dots(fonts: FontSet, text: str, avail: int) -> list[str]:
    """Greedy word wrap by measured width in dots, keeping the leading indent on every row."""
    body = text.lstrip(" ")
    indent = text[: len(text) - len(body)]
    rows: list[str] = []
    current = ""
    for word in body.split():
        candidate = f"{current} {word}" if current else word
        if current and text_length(fonts, indent + candidate) > avail:
            rows.append(indent + current)
            current = word
        else:
            current = candidate
    rows.append(indent + current)
    return rows


@dataclass(frozen=True)
class _Op:
    """One piece of text to draw at a baseline."""

    x: int
    text: str
    fonts: FontSet
    baseline: int
    bold: bool


@dataclass
class _Canvas:
    """Rows of a raster segment, drawn once their total height is known."""

    width: int
    ops: list[_Op] = field(default_factory=list)
    rules: list[int] = field(default_factory=list)
    height: int = 0

    def add_text(self, fonts: FontSet, row: TextRow) -> None:
        """Queue one row: left text aligned as asked, `right` flush right (same row when it fits)."""
        avail = self.width - 2 * MARGIN
        end = 0
        for part in wrap_dots(fonts, row.text, avail):
            spare = max(0, avail - text_length(fonts, part))
            x = MARGIN + {"center": spare // 2, "right": spare}.get(row.align, 0)
            self._new_row(fonts)
            self.ops.append(_Op(x, part, fonts, self.height - fonts.line_height() + fonts.ascent(), row.bold))
            end = x + text_length(fonts, part)
        if row.right:
            x_right = self.width - MARGIN - text_length(fonts, row.right)
            if end + fonts.size // 2 > x_right:
                self._new_row(fonts)
            baseline = self.height - fonts.line_height() + fonts.ascent()
            self.ops.append(_Op(x_right, row.right, fonts, baseline, row.bold))

    def _new_row(self, fonts: FontSet) -> None:
        self.height += fonts.line_height()

    def add_rule(self) -> None:
        """Queue a separator line."""
        self.rules.append(self.height + 6)
        self.height += 12

    def draw(self) -> Image:
        """Render to a 1-bit image (0 = ink), thresholded from greyscale for crisp glyph edges."""
        from PIL import Image as PILImage
        from PIL import ImageDraw as PILDraw

        grey = PILImage.new("L", (self.width, max(1, self.height)), 255)
        pen = PILDraw.Draw(grey)
        for op in self.ops:
            draw_text(pen, op.x, op.baseline, op.text, op.fonts, op.bold)
        for y in self.rules:
            pen.line([(MARGIN, y), (self.width - MARGIN, y)], fill=0, width=2)
        return grey.point(lambda v: 0 if v < INK_THRESHOLD else 255, "1")


def render_segments(receipt: Receipt, width_dots: int) -> list[Image | BarcodeBlock | QrBlock]:
    """Raster images for runs of text blocks, with barcodes/QR left for the printer to draw natively."""
    if width_dots not in (WIDTH_58MM, WIDTH_80MM):
        raise ValueError(f"width must be {WIDTH_58MM} or {WIDTH_80MM} dots, got {width_dots}")
    sets: dict[int, FontSet] = {}
    segments: list[Image | BarcodeBlock | QrBlock] = []
    canvas = _Canvas(width_dots)
    for block in build_blocks(receipt):
        if isinstance(block, BarcodeBlock | QrBlock):
            if canvas.height:
                segments.append(canvas.draw())
            segments.append(block)
            canvas = _Canvas(width_dots)
        else:
            _add_block(canvas, block, sets)
    if canvas.height:
        segments.append(canvas.draw())
    return segments


def _add_block(canvas: _Canvas, block: Block, sets: dict[int, FontSet]) -> None:
    if isinstance(block, Rule):
        canvas.add_rule()
    elif isinstance(block, TextRow):
        size = BASE_SIZE * block.height
        fonts = sets.setdefault(size, FontSet(size))
        canvas.add_text(fonts, block)


def render_image(receipt: Receipt, width_dots: int) -> Image:
    """The whole receipt's text as one image (barcodes omitted), e.g. for a preview."""
    from PIL import Image as PILImage

    images = [seg for seg in render_segments(receipt, width_dots) if isinstance(seg, PILImage.Image)]
    out = PILImage.new("1", (width_dots, sum(im.height for im in images)), 1)
    top = 0
    for im in images:
        out.paste(im, (0, top))
        top += im.height
    return out

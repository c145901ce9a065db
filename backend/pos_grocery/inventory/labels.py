"""Shelf and barcode labels as a printable PDF (Pillow draws each page at 300 dpi; Pillow writes the PDF).

Presets: `a4` is a 3 x 7 sheet of 63.5 x 38.1 mm labels (the common 21-up sticker sheet); `roll` is one
50 x 30 mm label per page, which label-roll printers print page by page. Names print in the chosen language
(English when that name is missing) with the bundled Noto Sinhala/Tamil fonts (receipts/raster.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_grocery.inventory.symbols import modules_for
from pos_grocery.money import format_minor
from pos_grocery.receipts.raster import FontSet, draw_text, text_length

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw

DPI = 300
MM = DPI / 25.4
# Unit price: goods sold by the gram or millilitre are shown per kg or l (their price is per g/ml).
UNIT_PRICE = {"kg": (1, "kg"), "g": (1000, "kg"), "l": (1, "l"), "ml": (1000, "l")}


@dataclass(frozen=True, slots=True)
class Sheet:
    """A page layout: page size, label size, grid and margins, in millimetres."""

    page_w: float
    page_h: float
    label_w: float
    label_h: float
    columns: int
    rows: int
    left: float
    top: float
    gap_x: float
    gap_y: float


PRESETS = {
    "a4": Sheet(210.0, 297.0, 63.5, 38.1, 3, 7, 7.2, 15.15, 2.5, 0.0),
    "roll": Sheet(50.0, 30.0, 50.0, 30.0, 1, 1, 0.0, 0.0, 0.0, 0.0),
}


@dataclass(frozen=True, slots=True)
class LabelData:
    """What one label shows."""

    name: str
    sku: str
    unit: str
    price: int
    code: str
    currency: str
    digits: int


def _px(mm: float) -> int:
    return round(mm * MM)


def unit_price_text(item: LabelData) -> str:
    """'450.00 / kg' for weight and volume goods, 'each' for pieces."""
    if item.unit not in UNIT_PRICE:
        return "each"
    factor, unit = UNIT_PRICE[item.unit]
    return f"{format_minor(item.price * factor, item.digits)} / {unit}"


def draw_barcode(draw: ImageDraw, code: str, symbology: str, box: tuple[int, int, int, int]) -> str:
    """Bars of `code` centred in box (x, y, w, h) with the digits below; the symbology used."""
    used, modules = modules_for(code, symbology)
    x, y, w, h = box
    quiet = 11 if used == "ean13" else 10
    module = max(1, w // (len(modules) + 2 * quiet))
    left = x + (w - module * len(modules)) // 2
    fonts = FontSet(max(14, h // 5))
    bar_h = h - fonts.line_height()
    for i, bit in enumerate(modules):
        if bit == "1":
            draw.rectangle([left + i * module, y, left + (i + 1) * module - 1, y + bar_h], fill=0)
    text_x = x + (w - text_length(fonts, code)) // 2
    draw_text(draw, text_x, y + h, code, fonts)
    return used


def _fit(fonts_size: int, text: str, width: int) -> FontSet:
    size = fonts_size
    while size > 14 and text_length(FontSet(size), text) > width:
        size -= 2
    return FontSet(size)


def shelf_label(draw: ImageDraw, item: LabelData, box: tuple[int, int, int, int], symbology: str) -> None:
    """Name, price (large), unit price, barcode."""
    x, y, w, h = box
    pad = _px(2)
    inner = w - 2 * pad
    name_fonts = _fit(h // 7, item.name, inner)
    draw_text(draw, x + pad, y + pad + name_fonts.ascent(), item.name, name_fonts)
    price = f"{item.currency} {format_minor(item.price, item.digits)}"
    price_fonts = _fit(h // 4, price, inner)
    price_base = y + pad + name_fonts.line_height() + price_fonts.ascent()
    draw_text(draw, x + pad, price_base, price, price_fonts, bold=True)
    small = FontSet(max(14, h // 11))
    unit_base = price_base + small.line_height() + _px(1)
    draw_text(draw, x + pad, unit_base, unit_price_text(item), small)
    sku_x = x + w - pad - text_length(small, item.sku)
    draw_text(draw, sku_x, unit_base, item.sku, small)
    top = unit_base + _px(1.5)
    draw_barcode(draw, item.code, symbology, (x + pad, top, inner, y + h - pad - top))


def barcode_label(draw: ImageDraw, item: LabelData, box: tuple[int, int, int, int], symbology: str) -> None:
    """A short name above a large barcode."""
    x, y, w, h = box
    pad = _px(2)
    fonts = _fit(h // 8, item.name, w - 2 * pad)
    draw_text(draw, x + pad, y + pad + fonts.ascent(), item.name, fonts)
    top = y + pad + fonts.line_height() + _px(1)
    draw_barcode(draw, item.code, symbology, (x + pad, top, w - 2 * pad, y + h - pad - top))


def render_pages(items: Sequence[LabelData], kind: str, preset: str, symbology: str) -> list[Image]:
    """Greyscale 300-dpi pages with the labels laid out on the preset's grid."""
    from PIL import Image as PILImage
    from PIL import ImageDraw as PILDraw

    sheet = PRESETS[preset]
    per_page = sheet.columns * sheet.rows
    pages = []
    for start in range(0, max(len(items), 1), per_page):
        page = PILImage.new("L", (_px(sheet.page_w), _px(sheet.page_h)), 255)
        pen = PILDraw.Draw(page)
        for k, item in enumerate(items[start:start + per_page]):
            col, row = k % sheet.columns, k // sheet.columns
            box = (_px(sheet.left + col * (sheet.label_w + sheet.gap_x)),
                   _px(sheet.top + row * (sheet.label_h + sheet.gap_y)), _px(sheet.label_w), _px(sheet.label_h))
            (shelf_label if kind == "shelf" else barcode_label)(pen, item, box, symbology)
        pages.append(page)
    return pages


def to_pdf(pages: Sequence[Image]) -> bytes:
    """The pages as one PDF at 300 dpi (1-bit: crisp bars, small files)."""
    mono = [p.point(lambda v: 0 if v < 160 else 255, "1") for p in pages]
    out = io.BytesIO()
    mono[0].save(out, "PDF", save_all=True, append_images=mono[1:], resolution=float(DPI))
    return out.getvalue()

"""Receipt document -> a list of printable blocks shared by the text, ESC/POS and raster renderers."""

from __future__ import annotations

import unicodedata
from typing import Literal

import msgspec

from pos_grocery.receipts.labels import COPY_MARK, label, tender_label
from pos_grocery.receipts.models import Receipt, ReceiptLine, format_money, format_qty, format_rate

Align = Literal["left", "center", "right"]


class TextRow(msgspec.Struct, frozen=True, kw_only=True):
    """A row of text; `right` is printed flush right on the same row when it fits."""

    text: str
    right: str = ""
    align: Align = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    """A horizontal separator across the paper."""


class BarcodeBlock(msgspec.Struct, frozen=True, kw_only=True):
    """A CODE128 barcode with its human-readable text below."""

    value: str


class QrBlock(msgspec.Struct, frozen=True, kw_only=True):
    """A QR code (e.g. an e-receipt link); it has no human-readable text."""

    data: str


Block = TextRow | Rule | BarcodeBlock | QrBlock


def display_width(text: str) -> int:
    """Columns a string occupies: combining marks and joiners (Sinhala/Tamil vowel signs) take none."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Mc", "Me", "Cf"))


def wrap(text: str, avail: int) -> list[str]:
    """Greedy word wrap to `avail` columns keeping the leading indent; over-long words are cut."""
    body = text.lstrip(" ")
    indent = " " * min(len(text) - len(body), avail // 2)
    room = avail - len(indent)
    rows: list[str] = []
    current = ""
    for word in body.split():
        while display_width(word) > room:
            if current:
                rows.append(current)
                current = ""
            rows.append(word[:room])
            word = word[room:]
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= room:
            current = candidate
        else:
            rows.append(current)
            current = word
    if current or not rows:
        rows.append(current)
    return [indent + row for row in rows]


def fit_row(row: TextRow, columns: int) -> list[str]:
    """The row as padded strings for a fixed-pitch printer with `columns` normal-size columns."""
    avail = max(1, columns // row.width)
    if not row.right:
        return [align_text(part, avail, row.align) for part in wrap(row.text, avail)]
    gap = avail - display_width(row.text) - display_width(row.right)
    if gap >= 1:
        return [row.text + " " * gap + row.right]
    left_rows = wrap(row.text, avail)
    return left_rows + [align_text(row.right, avail, "right")]


def align_text(text: str, avail: int, align: Align) -> str:
    """Pad text on the left to centre or right-align it in `avail` columns (no trailing spaces)."""
    spare = max(0, avail - display_width(text))
    if align == "center":
        return " " * (spare // 2) + text
    if align == "right":
        return " " * spare + text
    return text


def build_blocks(receipt: Receipt) -> list[Block]:
    """Lay out a receipt as blocks: header, items, totals, tenders, barcode, footer."""
    blocks: list[Block] = [*_header(receipt), Rule()]
    for line in receipt.lines:
        blocks.extend(_item(line))
    blocks.append(Rule())
    blocks.extend(_totals(receipt))
    blocks.extend(_tenders(receipt))
    blocks.append(Rule())
    blocks.append(BarcodeBlock(value=receipt.receipt_no))
    if receipt.qr:
        blocks.append(QrBlock(data=receipt.qr))
    blocks.extend(_footer(receipt))
    return blocks


def _header(receipt: Receipt) -> list[Block]:
    lang = receipt.language
    rows: list[Block] = []
    for index, text in enumerate(receipt.store_lines):
        big = index == 0
        rows.append(TextRow(text=text, align="center", bold=big, width=2 if big else 1, height=2 if big else 1))
    if receipt.title:
        rows.append(TextRow(text=receipt.title, align="center", bold=True, height=2))
    if receipt.copy:
        rows.append(TextRow(text=COPY_MARK, align="center", bold=True))
    rows.append(TextRow(text=f"{label(lang, 'receipt')}: {receipt.receipt_no}"))
    rows.append(TextRow(text=f"{label(lang, 'date')}: {receipt.issued_at:%Y-%m-%d %H:%M}"))
    if receipt.business_date != receipt.issued_at.date():
        rows.append(TextRow(text=f"{label(lang, 'business_day')}: {receipt.business_date:%Y-%m-%d}"))
    rows.append(TextRow(text=f"{label(lang, 'terminal')}: {receipt.terminal}"))
    rows.append(TextRow(text=f"{label(lang, 'cashier')}: {receipt.cashier}"))
    return rows


def _item(line: ReceiptLine) -> list[Block]:
    unit = "" if line.unit == "pc" else f" {line.unit}"
    rows: list[Block] = [TextRow(text=line.name)]
    detail = f"  {format_qty(line.qty)}{unit} x {format_money(line.unit_price)}"
    rows.append(TextRow(text=detail, right=format_money(line.amount)))
    for promo in line.promotions:
        rows.append(TextRow(text=f"  {promo.text}", right=format_money(-promo.amount)))
    return rows


def _totals(receipt: Receipt) -> list[Block]:
    lang = receipt.language
    rows: list[Block] = [TextRow(text=adj.text, right=format_money(adj.amount)) for adj in receipt.adjustments]
    rows.append(TextRow(text=label(lang, "subtotal"), right=format_money(receipt.subtotal)))
    for tax in receipt.taxes:
        caption = f"{label(lang, 'tax')} {format_rate(tax.rate_bp)} {label(lang, 'on')} {format_money(tax.base)}"
        rows.append(TextRow(text=caption, right=format_money(tax.tax)))
    if receipt.cash_rounding:
        rows.append(TextRow(text=label(lang, "rounding"), right=format_money(receipt.cash_rounding)))
    total_caption = f"{label(lang, 'total')} {receipt.currency}"
    rows.append(TextRow(text=total_caption, right=format_money(receipt.total), bold=True, height=2))
    return rows


def _tenders(receipt: Receipt) -> list[Block]:
    lang = receipt.language
    rows: list[Block] = []
    for tender in receipt.tenders:
        rows.append(TextRow(text=tender_label(lang, tender.method), right=format_money(tender.amount)))
        if tender.reference:
            rows.append(TextRow(text=f"  {label(lang, 'ref')}: {tender.reference}"))
    if receipt.change:
        rows.append(TextRow(text=label(lang, "change"), right=format_money(receipt.change), bold=True))
    return rows


def _footer(receipt: Receipt) -> list[Block]:
    rows: list[Block] = [TextRow(text=label(receipt.language, "thanks"), align="center")]
    rows.extend(TextRow(text=text, align="center") for text in receipt.footer_lines)
    if receipt.copy:
        rows.append(TextRow(text=COPY_MARK, align="center", bold=True))
    return rows

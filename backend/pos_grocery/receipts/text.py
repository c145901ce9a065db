"""Plain-text rendering of a receipt for 58 mm (32 columns) and 80 mm (48 columns) paper."""

from __future__ import annotations

from pos_grocery.receipts.layout import (
    BarcodeBlock,
    Block,
    QrBlock,
    Rule,
    TextRow,
    align_text,
    build_blocks,
    fit_row,
)
from pos_grocery.receipts.models import Receipt

COLUMNS_58MM = 32
COLUMNS_80MM = 48
PAPER_COLUMNS = {58: COLUMNS_58MM, 80: COLUMNS_80MM}


def block_lines(block: Block, columns: int) -> list[str]:
    """The visible text of one block; a barcode shows as its human-readable value, a QR as nothing."""
    if isinstance(block, TextRow):
        rows = fit_row(block, columns)
        if block.width > 1:
            # Double-width rows are wrapped at half the columns but look centred on the whole plain-text line.
            rows = [align_text(row.strip(), columns, block.align) for row in rows]
        return rows
    if isinstance(block, Rule):
        return ["-" * columns]
    if isinstance(block, BarcodeBlock):
        return [fit_row(TextRow(text=block.value, align="center"), columns)[0]]
    if isinstance(block, QrBlock):
        return []
    raise TypeError(f"unknown block {block!r}")


def render_lines(receipt: Receipt, columns: int = COLUMNS_80MM) -> list[str]:
    """The receipt as text lines of at most `columns` characters."""
    if columns not in (COLUMNS_58MM, COLUMNS_80MM):
        raise ValueError(f"columns must be {COLUMNS_58MM} or {COLUMNS_80MM}, got {columns}")
    lines: list[str] = []
    for block in build_blocks(receipt):
        lines.extend(block_lines(block, columns))
    return lines


def render_text(receipt: Receipt, columns: int = COLUMNS_80MM) -> str:
    """The receipt as one newline-terminated string."""
    return "\n".join(render_lines(receipt, columns)) + "\n"

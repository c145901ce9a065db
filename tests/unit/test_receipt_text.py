"""Plain-text receipts for 58 mm and 80 mm paper, in English, Sinhala and Tamil."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from pos_grocery.receipts.layout import TextRow, display_width, fit_row, wrap
from pos_grocery.receipts.models import ReceiptLine
from pos_grocery.receipts.samples import demo_receipt
from pos_grocery.receipts.text import render_lines, render_text


@pytest.mark.parametrize("columns", [32, 48])
def test_no_line_exceeds_the_paper(columns: int) -> None:
    long_name = ReceiptLine(name="Extra long product name " * 4, qty=1000, unit="pc", unit_price=1, amount=1)
    receipt = msgspec.structs.replace(demo_receipt(), lines=(long_name,))
    for line in render_lines(receipt, columns):
        assert display_width(line) <= columns, line


def test_80mm_layout_of_the_demo_receipt() -> None:
    lines = render_lines(demo_receipt(), 48)
    assert lines[0].strip() == "Kade Grocery"
    assert "Receipt: L1-20260314-0042" in lines
    assert "  2 x 250.00" + " " * 30 + "480.00" in lines
    assert "  1.250 kg x 300.00" + " " * 23 + "375.00" in lines
    assert "  Sugar Rs 10 off" + " " * 25 + "-20.00" in lines
    assert "Tax 18% on 822.03" + " " * 25 + "147.97" in lines
    assert "TOTAL LKR" + " " * 33 + "970.00" in lines
    assert "  Ref: AUTH 123456" in lines
    assert "Change" + " " * 37 + "30.00" in lines
    assert lines[-2].strip() == "Thank you! Please come again."
    assert "COPY" not in render_text(demo_receipt())


def test_58mm_keeps_amounts_flush_right() -> None:
    lines = render_lines(demo_receipt(), 32)
    assert "TOTAL LKR" + " " * 17 + "970.00" in lines
    assert all(len(line) <= 32 for line in lines)


def test_reprint_says_copy_at_top_and_bottom() -> None:
    lines = [line.strip() for line in render_lines(demo_receipt(copy=True), 48)]
    assert lines.count("*** COPY ***") == 2
    assert lines[-1] == "*** COPY ***"


@pytest.mark.parametrize(
    ("language", "thanks", "total"),
    [("si", "ස්තූතියි! නැවත එන්න.", "මුළු එකතුව"), ("ta", "நன்றி! மீண்டும் வருக.", "மொத்தம்")],
)
def test_footer_and_captions_are_translated(language: str, thanks: str, total: str) -> None:
    text = render_text(demo_receipt(language))  # type: ignore[arg-type]
    assert thanks in text
    assert total in text
    assert "Thank you" not in text


def test_business_day_shown_when_it_differs_from_the_clock_date() -> None:
    after_midnight = msgspec.structs.replace(demo_receipt(), issued_at=dt.datetime(2026, 3, 15, 0, 30))
    assert "Business day: 2026-03-14" in render_lines(after_midnight, 48)
    assert not any(line.startswith("Business day") for line in render_lines(demo_receipt(), 48))


def test_rounding_line_only_when_there_is_rounding() -> None:
    rounded = msgspec.structs.replace(demo_receipt(), cash_rounding=-3)
    assert any(line.startswith("Rounding") and line.endswith("-0.03") for line in render_lines(rounded, 48))
    assert not any(line.startswith("Rounding") for line in render_lines(demo_receipt(), 48))


def test_rejects_other_widths() -> None:
    with pytest.raises(ValueError, match="columns"):
        render_lines(demo_receipt(), 40)


def test_wrap_keeps_indent_and_cuts_long_words() -> None:
    assert wrap("  alpha beta gamma", 12) == ["  alpha beta", "  gamma"]
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_fit_row_moves_amount_to_its_own_row_when_it_does_not_fit() -> None:
    assert fit_row(TextRow(text="a" * 30, right="1234.00"), 32) == ["a" * 30, " " * 25 + "1234.00"]


def test_display_width_ignores_combining_signs() -> None:
    assert display_width("ස්තූතියි") < len("ස්තූතියි")

"""Receipt document: money/quantity formatting and the JSON round trip the device service relies on."""

from __future__ import annotations

import msgspec
import pytest

from pos_grocery.receipts.models import Receipt, format_money, format_qty, format_rate
from pos_grocery.receipts.samples import demo_receipt


@pytest.mark.parametrize(
    ("amount", "text"),
    [(1234, "12.34"), (0, "0.00"), (5, "0.05"), (-5, "-0.05"), (-1234, "-12.34"), (100000, "1000.00")],
)
def test_format_money(amount: int, text: str) -> None:
    assert format_money(amount) == text


def test_format_money_other_minor_digits() -> None:
    assert format_money(1234, digits=0) == "1234"
    assert format_money(1234, digits=3) == "1.234"


@pytest.mark.parametrize(("qty", "text"), [(2000, "2"), (1250, "1.250"), (5, "0.005"), (-1000, "-1")])
def test_format_qty(qty: int, text: str) -> None:
    assert format_qty(qty) == text


@pytest.mark.parametrize(("rate", "text"), [(1800, "18%"), (825, "8.25%"), (850, "8.5%"), (0, "0%"), (5, "0.05%")])
def test_format_rate(rate: int, text: str) -> None:
    assert format_rate(rate) == text


def test_receipt_json_round_trip() -> None:
    receipt = demo_receipt("si", copy=True)
    assert msgspec.json.decode(msgspec.json.encode(receipt), type=Receipt) == receipt


def test_receipt_rejects_float_money() -> None:
    raw = msgspec.json.encode(demo_receipt()).replace(b'"total":97000', b'"total":970.0')
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=Receipt)

"""Golden bytes for the ESC/POS encoder, written from the Epson ESC/POS command reference."""

from __future__ import annotations

import datetime as dt

import pytest

from pos_grocery.devices import escpos
from pos_grocery.receipts.models import Receipt, ReceiptLine, Tender


def tiny_receipt() -> Receipt:
    """One line, cash payment, 58 mm."""
    return Receipt(
        store_lines=("Shop",),
        terminal="T1",
        cashier="Ann",
        receipt_no="R1",
        business_date=dt.date(2026, 1, 2),
        issued_at=dt.datetime(2026, 1, 2, 9, 5),
        lines=(ReceiptLine(name="Milk", qty=1000, unit="pc", unit_price=150, amount=150),),
        subtotal=150,
        total=150,
        tenders=(Tender(method="cash", amount=200),),
        change=50,
    )


def row(left: str, right: str, columns: int = 32) -> bytes:
    return (left + " " * (columns - len(left) - len(right)) + right + "\n").encode()


def test_small_receipt_exact_bytes() -> None:
    rule = b"-" * 32 + b"\n"
    expected = (
        b"\x1b@"  # ESC @ initialize
        + b"\x1bt\x00"  # ESC t 0: PC437
        + b"\x1ba\x01\x1bE\x01\x1d!\x11"  # centre, bold, double width and height
        + b"Shop\n"
        + b"\x1ba\x00\x1bE\x00\x1d!\x00"  # back to left, regular, normal size
        + b"Receipt: R1\nDate: 2026-01-02 09:05\nTerminal: T1\nCashier: Ann\n"
        + rule
        + b"Milk\n"
        + row("  1 x 1.50", "1.50")
        + rule
        + row("Subtotal", "1.50")
        + b"\x1bE\x01\x1d!\x01"  # total: bold, double height only (keeps 32 columns)
        + row("TOTAL LKR", "1.50")
        + b"\x1bE\x00\x1d!\x00"
        + row("Cash", "2.00")
        + b"\x1bE\x01"
        + row("Change", "0.50")
        + b"\x1bE\x00"
        + rule
        + b"\x1ba\x01"  # barcode centred
        + b"\x1dh\x40\x1dw\x02\x1dH\x02"  # GS h 64, GS w 2, GS H 2 (HRI below)
        + b"\x1dkI\x04{BR1"  # GS k 73 n=4 "{B" + data
        + b"\x1ba\x00"
        + b"\x1ba\x01"
        + b"Thank you! Please come again.\n"
        + b"\x1ba\x00"
        + b"\x1bd\x03"  # ESC d 3
        + b"\x1dVB\x00"  # GS V 66 0: feed to cutter, partial cut
    )
    profile = escpos.PrinterProfile(columns=32, width_dots=384)
    assert escpos.encode_receipt(tiny_receipt(), profile) == expected


def test_drawer_kick_bytes() -> None:
    assert escpos.drawer_kick(escpos.DrawerKick()) == b"\x1bp\x00\x32\xfa"
    assert escpos.drawer_kick(escpos.DrawerKick(pin=1, on_ms=50, off_ms=100)) == b"\x1bp\x01\x19\x32"
    with pytest.raises(ValueError):
        escpos.drawer_kick(escpos.DrawerKick(pin=2))
    with pytest.raises(ValueError):
        escpos.drawer_kick(escpos.DrawerKick(on_ms=600))


def test_cut_bytes() -> None:
    assert escpos.cut_partial() == b"\x1d\x56\x42\x00"
    assert escpos.cut_partial(24) == b"\x1d\x56\x42\x18"


def test_code128_barcode_bytes() -> None:
    assert escpos.barcode_code128("L1-0042", height=80, module=3) == (
        b"\x1d\x68\x50" + b"\x1d\x77\x03" + b"\x1d\x48\x02" + b"\x1d\x6b\x49\x09" + b"{BL1-0042"
    )
    assert escpos.barcode_code128("a{b").endswith(b"\x1d\x6b\x49\x06{Ba{{b")
    with pytest.raises(ValueError):
        escpos.barcode_code128("ස")
    with pytest.raises(ValueError):
        escpos.barcode_code128("")


def test_qr_bytes() -> None:
    assert escpos.qr_code("hi", module=4) == (
        b"\x1d(k\x04\x00\x31\x41\x32\x00"  # fn 165: model 2
        + b"\x1d(k\x03\x00\x31\x43\x04"  # fn 167: module size 4
        + b"\x1d(k\x03\x00\x31\x45\x31"  # fn 169: error correction M
        + b"\x1d(k\x05\x00\x31\x50\x30hi"  # fn 180: store 2 bytes
        + b"\x1d(k\x03\x00\x31\x51\x30"  # fn 181: print
    )


def test_style_and_status_commands() -> None:
    assert escpos.initialize() == b"\x1b\x40"
    assert escpos.select_code_page("cp1252") == b"\x1b\x74\x10"
    assert escpos.bold(True) == b"\x1b\x45\x01"
    assert escpos.char_size(2, 2) == b"\x1d\x21\x11"
    assert escpos.align("right") == b"\x1b\x61\x02"
    assert [escpos.status_request(n) for n in (1, 2, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]
    with pytest.raises(ValueError):
        escpos.status_request(5)


def test_raster_bands_split_the_image() -> None:
    bits = bytes(range(6)) * 50  # 2 bytes wide, 150 rows
    out = escpos.raster_bands(bits, 2, 150, 128)
    first = b"\x1d\x76\x30\x00\x02\x00\x80\x00" + bits[:256]
    second = b"\x1d\x76\x30\x00\x02\x00\x16\x00" + bits[256:]
    assert out == first + second


@pytest.mark.parametrize(
    ("printer", "offline", "paper", "expect"),
    [
        (0x12, 0x12, 0x12, dict(online=True, cover_open=False, paper_out=False, paper_near_end=False)),
        (0x1A, 0x16, 0x12, dict(online=False, cover_open=True, paper_out=False, paper_near_end=False)),
        (0x1A, 0x32, 0x72, dict(online=False, cover_open=False, paper_out=True, paper_near_end=False)),
        (0x12, 0x12, 0x1E, dict(online=True, cover_open=False, paper_out=False, paper_near_end=True)),
    ],
)
def test_parse_status(printer: int, offline: int, paper: int, expect: dict[str, bool]) -> None:
    status = escpos.parse_status(printer, offline, paper)
    assert {key: getattr(status, key) for key in expect} == expect


def test_drawer_polarity_is_configurable() -> None:
    assert escpos.parse_status(0x16, 0x12, 0x12, drawer_open_high=True).drawer_open
    assert not escpos.parse_status(0x16, 0x12, 0x12, drawer_open_high=False).drawer_open
    assert escpos.parse_status(0x12, 0x12, 0x12, drawer_open_high=False).drawer_open


def test_parse_status_rejects_noise() -> None:
    with pytest.raises(ValueError):
        escpos.parse_status(0x00, 0x12, 0x12)

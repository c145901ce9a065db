"""The printer simulator decodes what the encoder sends: text, barcodes, raster, cuts, drawer kicks, status."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest
from PIL import Image

from pos_grocery.devices import escpos
from pos_grocery.devices.simulators.printer import PrinterSimulator
from pos_grocery.devices.simulators.serving import FileServer, PtyServer, TcpServer
from pos_grocery.devices.transports import SerialTransport, TcpTransport
from pos_grocery.receipts.models import Language
from pos_grocery.receipts.samples import demo_receipt
from pos_grocery.receipts.text import render_lines

PROFILES = {32: escpos.PrinterProfile(columns=32, width_dots=384), 48: escpos.PrinterProfile()}


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("copy", [False, True])
def test_english_round_trip_equals_text_rendering(columns: int, copy: bool) -> None:
    receipt = demo_receipt(copy=copy)
    sim = PrinterSimulator(columns=columns)
    sim.handle(escpos.encode_receipt(receipt, PROFILES[columns]))
    [decoded] = sim.receipts
    assert decoded.lines(columns) == render_lines(receipt, columns)
    assert decoded.barcodes == [receipt.receipt_no]
    assert decoded.cut
    assert sim.decoder.unknown == []


def test_decoder_accepts_any_chunking() -> None:
    data = escpos.encode_receipt(demo_receipt(), PROFILES[48]) + escpos.encode_receipt(demo_receipt("ta"), PROFILES[48])
    sim = PrinterSimulator()
    for i in range(0, len(data), 7):
        sim.handle(data[i : i + 7])
    assert len(sim.receipts) == 2
    assert sim.receipts[0].lines(48) == render_lines(demo_receipt(), 48)
    assert sim.receipts[1].image() is not None


def test_qr_code_is_decoded() -> None:
    import msgspec

    receipt = msgspec.structs.replace(demo_receipt(), qr="https://shop.example/r/L1-0042")
    sim = PrinterSimulator()
    sim.handle(escpos.encode_receipt(receipt, PROFILES[48]))
    assert sim.receipts[0].qr_codes == ["https://shop.example/r/L1-0042"]


@pytest.mark.parametrize("language", ["si", "ta"])
@pytest.mark.parametrize(("width_mm", "dots"), [(58, 384), (80, 576)])
def test_raster_receipt_decodes_to_png(tmp_path: Path, language: Language, width_mm: int, dots: int) -> None:
    profile = PROFILES[32 if width_mm == 58 else 48]
    sim = PrinterSimulator(tmp_path, columns=profile.columns)
    data = escpos.encode_receipt(demo_receipt(language), profile)
    assert b"\x1dv0" in data and b"\x1dkI" in data  # raster text, native barcode
    sim.handle(data)
    [decoded] = sim.receipts
    assert decoded.barcodes == ["L1-20260314-0042"]
    assert all(band.height <= profile.band_height for band in decoded.images)
    with Image.open(tmp_path / "000001.png") as png:
        assert png.width == dots
        assert png.height > 300
        ink = png.convert("L").histogram()[0]
        assert 0.01 < ink / (png.width * png.height) < 0.5
    summary = json.loads((tmp_path / "000001.json").read_text())
    assert summary == {"barcodes": ["L1-20260314-0042"], "qr": [], "drawer_kicks": 0, "cut": True, "raster": True}


def test_status_round_trip_follows_the_simulated_state() -> None:
    sim = PrinterSimulator()
    ask = escpos.status_request(1) + escpos.status_request(2) + escpos.status_request(4)
    assert escpos.parse_status(*sim.handle(ask)) == sim.state.status()
    sim.state.paper_out = True
    status = escpos.parse_status(*sim.handle(ask))
    assert status.paper_out and not status.online
    sim.state.paper_out, sim.state.cover_open, sim.state.paper_near_end = False, True, True
    status = escpos.parse_status(*sim.handle(ask))
    assert status.cover_open and status.paper_near_end and not status.paper_out


def test_offline_printer_holds_the_job_until_the_cover_closes() -> None:
    sim = PrinterSimulator()
    sim.state.cover_open = True
    reply = sim.handle(escpos.encode_receipt(demo_receipt(), PROFILES[48]) + escpos.status_request(2))
    assert escpos.parse_status(0x12, reply[0], 0x12).cover_open
    assert sim.receipts == []
    sim.state.cover_open = False
    sim.handle(b"")
    assert len(sim.receipts) == 1


def test_drawer_kick_without_a_print_job() -> None:
    sim = PrinterSimulator()
    sim.handle(escpos.drawer_kick(escpos.DrawerKick(pin=1, on_ms=60, off_ms=240)))
    assert sim.kicks == 1 and sim.receipts == []
    assert sim.state.drawer_open
    ask = escpos.status_request(1) + escpos.status_request(2) + escpos.status_request(4)
    assert escpos.parse_status(*sim.handle(ask)).drawer_open


def test_store_keeps_only_the_last_receipts(tmp_path: Path) -> None:
    sim = PrinterSimulator(tmp_path, keep=3)
    for n in range(5):
        sim.handle(escpos.encode_receipt(demo_receipt(receipt_no=f"R{n}"), PROFILES[48]))
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == ["000003.txt", "000004.txt", "000005.txt"]
    assert "R4" in (tmp_path / "000005.txt").read_text()
    PrinterSimulator(tmp_path, keep=3).handle(escpos.encode_receipt(demo_receipt(), PROFILES[48]))
    assert (tmp_path / "000006.txt").exists()


def test_served_over_a_pty_with_status_replies() -> None:
    sim = PrinterSimulator()
    with PtyServer(sim) as server:
        port = SerialTransport(server.path, 38400)
        port.open()
        try:
            port.write(escpos.encode_receipt(demo_receipt(), PROFILES[48]))
            assert sim.wait_for(1, timeout=5)
            port.write(escpos.status_request(4))
            assert escpos.is_status_byte(port.read(1, 2.0)[0])
        finally:
            port.close()
    assert sim.receipts[0].lines(48) == render_lines(demo_receipt(), 48)


def test_served_over_tcp_like_port_9100() -> None:
    sim = PrinterSimulator()
    with TcpServer(sim) as server:
        link = TcpTransport("127.0.0.1", server.port)
        link.open()
        try:
            link.write(escpos.encode_receipt(demo_receipt("si"), PROFILES[48]))
            link.write(escpos.status_request(1))
            assert escpos.is_status_byte(link.read(1, 2.0)[0])
        finally:
            link.close()
        assert sim.wait_for(1, timeout=5)
    assert sim.receipts[0].image() is not None


def test_served_from_a_file(tmp_path: Path) -> None:
    sim = PrinterSimulator()
    target = tmp_path / "lp0"
    with FileServer(sim, target):
        with target.open("ab") as fh:
            fh.write(escpos.encode_receipt(demo_receipt(), PROFILES[48]))
        assert sim.wait_for(1, timeout=5)


def test_pty_server_survives_the_host_closing_the_port() -> None:
    sim = PrinterSimulator()
    with PtyServer(sim) as server:
        for _ in range(2):
            fd = os.open(server.path, os.O_RDWR | os.O_NOCTTY)
            os.write(fd, escpos.drawer_kick(escpos.DrawerKick()))
            os.close(fd)
            time.sleep(0.05)
        assert sim.wait_for_kicks(2, timeout=5)


def test_tcp_server_serves_clients_one_after_another() -> None:
    sim = PrinterSimulator()
    with TcpServer(sim) as server:
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as conn:
                conn.sendall(escpos.drawer_kick(escpos.DrawerKick()))
        assert sim.wait_for_kicks(2, timeout=5)

"""Transports and the reconnecting link: failures become states, retries back off, ports get closed."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from pos_grocery.devices import escpos
from pos_grocery.devices.link import Link
from pos_grocery.devices.simulators.printer import PrinterSimulator
from pos_grocery.devices.simulators.serving import TcpServer
from pos_grocery.devices.transports import Backoff, SerialTransport, TcpTransport


@dataclass
class FlakyTransport:
    """A test transport that fails on command and records what happened to it."""

    name: str = "flaky"
    fail_open: bool = False
    fail_write: bool = False
    opens: int = 0
    closes: int = 0
    written: list[bytes] = field(default_factory=list)

    def open(self) -> None:
        self.opens += 1
        if self.fail_open:
            raise OSError("no such device")

    def write(self, data: bytes) -> None:
        if self.fail_write:
            raise OSError("device unplugged")
        self.written.append(data)

    def read(self, size: int, timeout: float) -> bytes:
        return b"\x12" * size

    def close(self) -> None:
        self.closes += 1


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_the_cap() -> None:
    backoff = Backoff(initial=0.5, maximum=3.0)
    assert [backoff.fail() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.fail() == 0.5


def test_open_failure_is_a_state_and_retries_wait_for_the_backoff() -> None:
    transport, clock = FlakyTransport(fail_open=True), Clock()
    link = Link(transport, Backoff(initial=1.0), clock)
    assert link.send(b"x") is False
    assert (link.state, link.last_error) == ("disconnected", "no such device")
    assert link.send(b"x") is False and transport.opens == 1  # inside the backoff window: no attempt
    assert not link.available
    clock.now += 1.0
    transport.fail_open = False
    assert link.send(b"x") is True
    assert link.state == "connected" and transport.written == [b"x"]


def test_write_failure_closes_the_port_and_reconnects_later() -> None:
    transport, clock = FlakyTransport(), Clock()
    link = Link(transport, Backoff(initial=0.5), clock)
    assert link.send(b"a")
    transport.fail_write = True
    assert link.send(b"b") is False
    assert transport.closes == 1 and link.state == "disconnected"
    transport.fail_write = False
    clock.now += 0.5
    assert link.send(b"c") and transport.opens == 2
    assert link.exchange(b"\x10\x04\x01", 1, 0.1) == b"\x12"


def test_call_turns_oserror_into_none() -> None:
    link = Link(FlakyTransport())

    def boom(_: object) -> int:
        raise OSError("gone")

    assert link.call(boom) is None and link.last_error == "gone"


def test_tcp_printer_away_then_back() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = Clock()
    link = Link(TcpTransport("127.0.0.1", port, connect_timeout=0.5), Backoff(initial=0.1), clock)
    assert link.send(escpos.initialize()) is False
    assert link.state == "disconnected" and link.last_error
    sim = PrinterSimulator()
    with TcpServer(sim, port=port):
        clock.now += 0.1
        assert link.send(escpos.drawer_kick(escpos.DrawerKick()))
        assert sim.wait_for_kicks(1, timeout=5)
        status = link.exchange(escpos.status_request(1), 1, 2.0)
        assert status is not None and escpos.is_status_byte(status[0])
    link.close()
    assert link.state == "disconnected"


def test_missing_serial_port_is_an_oserror() -> None:
    link = Link(SerialTransport("/dev/does-not-exist-pos"))
    assert link.send(b"x") is False
    assert "does-not-exist" in link.last_error

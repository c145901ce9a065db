"""CD5220 pole display: encoder bytes and the simulator's two visible lines."""

from __future__ import annotations

import time

import pytest
import serial  # type: ignore[import-untyped]

from pos_grocery.devices import display
from pos_grocery.devices.simulators.display import DisplaySimulator
from pos_grocery.devices.simulators.serving import PtyServer


def test_show_bytes() -> None:
    assert display.show("Hello", "12.34") == (
        b"\x1bQA" + b"Hello".ljust(20) + b"\r" + b"\x1bQB" + b"12.34".ljust(20) + b"\r"
    )
    assert display.initialize() == b"\x1b@\x0c"
    with pytest.raises(ValueError):
        display.line(3, "x")


def test_two_columns_keeps_the_amount() -> None:
    assert display.two_columns("Coconut", "120.50") == "Coconut       120.50"
    assert display.two_columns("A very long product name", "1234.00") == "A very long  1234.00"


def test_simulator_shows_both_lines() -> None:
    sim = DisplaySimulator()
    sim.handle(display.initialize() + display.show("Sugar 1kg", display.two_columns("TOTAL", "970.00")))
    assert sim.lines == ("Sugar 1kg           ", "TOTAL         970.00")


def test_simulator_cursor_commands_and_wrap() -> None:
    sim = DisplaySimulator()
    sim.handle(display.clear() + b"x" * 21)
    assert sim.lines == ("x" * 20, "x" + " " * 19)
    sim.handle(display.home() + b"AB\rC\nD")
    assert sim.lines[0].startswith("CB") and sim.lines[1].startswith("xD")
    sim.handle(display.MOVE_CURSOR + bytes([19, 2]) + b"!?")
    assert sim.lines[1].endswith("!?")


def test_simulator_waits_for_a_split_command() -> None:
    sim = DisplaySimulator()
    data = display.show("Split", "Command")
    sim.handle(data[:5])
    sim.handle(data[5:30])
    sim.handle(data[30:])
    assert sim.lines == ("Split".ljust(20), "Command".ljust(20))


def test_non_latin_text_shows_as_question_marks() -> None:
    sim = DisplaySimulator()
    sim.handle(display.show("සීනි 250.00"))
    assert sim.lines[0].startswith("???? 250.00")


def test_display_over_a_pty() -> None:
    sim = DisplaySimulator()
    with PtyServer(sim) as server:
        port = serial.Serial(server.path, 9600, timeout=0.1)
        try:
            port.write(display.show("Welcome", "Lane 1"))
            port.flush()
        finally:
            port.close()
        for _ in range(100):
            if sim.lines[1].startswith("Lane 1"):
                break
            time.sleep(0.01)
    assert sim.lines == ("Welcome".ljust(20), "Lane 1".ljust(20))

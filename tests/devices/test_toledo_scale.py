"""Toledo 'W' protocol: pure framing, and the reader against the pty simulator (real pyserial, 9600 7E1)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial  # type: ignore[import-untyped]

from pos_grocery.devices.scales import toledo
from pos_grocery.devices.scales.toledo import ScaleReader, StatusReply, WeightReply
from pos_grocery.devices.simulators import scale as sim
from pos_grocery.devices.simulators.serving import PtyServer


def test_weight_frame_round_trip() -> None:
    assert toledo.encode_weight(1250) == b"\x0201.250\r"
    assert toledo.parse_frame(b"\x0201.250\r") == WeightReply(1250)
    assert toledo.parse_frame(b"\x02 1.25\r") == WeightReply(1250)
    assert toledo.parse_frame(b"\x02000.005\r") == WeightReply(5)
    with pytest.raises(ValueError):
        toledo.encode_weight(100_000)


def test_status_frame_bits() -> None:
    assert toledo.encode_status(toledo.MOTION) == b"\x02?a\r"  # bits 5 and 6 always set: printable
    reply = toledo.parse_frame(b"\x02?b\r")
    assert isinstance(reply, StatusReply) and reply.over_capacity and not reply.motion
    reply = toledo.parse_frame(toledo.encode_status(toledo.UNDER_ZERO))
    assert isinstance(reply, StatusReply) and reply.under_zero
    reply = toledo.parse_frame(toledo.encode_status(toledo.CENTER_OF_ZERO))
    assert isinstance(reply, StatusReply) and reply.at_zero


@pytest.mark.parametrize("frame", [b"", b"\x02\r", b"01.250\r", b"\x0201.250", b"\x02abc\r", b"\x021.2345\r"])
def test_malformed_frames(frame: bytes) -> None:
    assert toledo.parse_frame(frame) is None


@pytest.fixture
def scale() -> Iterator[tuple[sim.ScaleSimulator, ScaleReader]]:
    simulator = sim.ScaleSimulator()
    with PtyServer(simulator) as server:
        port = serial.Serial(server.path, 9600, bytesize=7, parity="E", stopbits=1, timeout=0.02)
        try:
            yield simulator, ScaleReader(port, capacity_g=15_000, reply_timeout=0.2, poll_interval=0.01)
        finally:
            port.close()


def test_stable_weight(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.weight(1250)])
    assert reader.read_stable(2.0).status == "ok"
    assert reader.awaiting_zero


def test_motion_then_stable(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.MOTION, sim.MOTION, sim.weight(730)])
    result = reader.read_stable(2.0)
    assert (result.status, result.grams) == ("ok", 730)
    assert simulator.requests == 3


def test_motion_never_settles_is_bounded(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.MOTION])
    start = time.monotonic()
    # Windows are generous: on a loaded 2-core CI machine a pty reply can take longer than 200 ms.
    assert reader.read_stable(0.8).status == "motion"
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize(
    ("step", "status"), [(sim.OVER, "over_capacity"), (sim.weight(20_000), "over_capacity"), (sim.UNDER, "under_zero")]
)
def test_no_weight_over_capacity_or_negative(
    scale: tuple[sim.ScaleSimulator, ScaleReader], step: sim.Step, status: str
) -> None:
    simulator, reader = scale
    simulator.set_script([step])
    assert reader.read_stable(0.8).status == status


def test_zero_return_guard(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.weight(500)])
    assert reader.read_stable(1.0).grams == 500
    result = reader.read_stable(0.8)
    assert result.status == "not_zeroed" and result.grams == 0
    simulator.set_script([sim.ZERO, sim.weight(640)])
    result = reader.read_stable(1.0)
    assert (result.status, result.grams) == ("ok", 640)


def test_tare_is_subtracted(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.weight(1030)])
    result = reader.read_stable(1.0, tare_g=30)
    assert (result.status, result.grams, result.gross) == ("ok", 1000, 1030)
    reader.awaiting_zero = False
    assert reader.read_stable(0.8, tare_g=2000).status == "below_tare"


def test_garbage_then_weight(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.garbage(), sim.garbage(b"noise\r"), sim.weight(250)])
    result = reader.read_stable(2.0)
    assert (result.status, result.grams) == ("ok", 250)


def test_silent_scale_times_out_within_the_bound(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.SILENT])
    start = time.monotonic()
    assert reader.read_stable(0.5).status == "timeout"
    assert time.monotonic() - start < 0.9


def test_zero_command(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.weight(15)])
    assert reader.zero()
    assert reader.read_stable(0.2).status == "zero"


def test_only_garbage_reports_error(scale: tuple[sim.ScaleSimulator, ScaleReader]) -> None:
    simulator, reader = scale
    simulator.set_script([sim.garbage()])
    assert reader.read_stable(0.2).status == "error"

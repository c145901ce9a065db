"""Device HTTP service in simulated mode: idempotent print/drawer, weighing, display, status."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from pos_grocery.devices.client import DeviceClient, DeviceServiceError
from pos_grocery.devices.config import DeviceConfig
from pos_grocery.devices.hub import DeviceHub
from pos_grocery.devices.service import build_device_app
from pos_grocery.receipts.samples import demo_receipt

RECEIPT = msgspec.to_builtins(demo_receipt())


def config(tmp_path: Path, **env: str) -> DeviceConfig:
    return DeviceConfig.from_env({"DEVICE_STATE_DIR": str(tmp_path), **env})


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=build_device_app(config(tmp_path))) as test_client:
        yield test_client


def hub_of(client: TestClient[Litestar]) -> DeviceHub:
    hub: DeviceHub = client.app.state["hub"]
    return hub


def test_print_is_idempotent(client: TestClient[Litestar], tmp_path: Path) -> None:
    first = client.post("/print", json={"action_id": "sale-1:print", "receipt": RECEIPT})
    again = client.post("/print", json={"action_id": "sale-1:print", "receipt": RECEIPT})
    assert (first.status_code, first.json()["status"]) == (200, "done")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    sims = hub_of(client).links.simulators
    assert sims is not None and sims.printer.wait_for(1)
    time.sleep(0.1)
    assert len(sims.printer.receipts) == 1
    assert "L1-20260314-0042" in (tmp_path / "printer" / "000001.txt").read_text()


def test_paper_out_fails_then_the_retry_prints(client: TestClient[Litestar]) -> None:
    client.post("/sim/printer", json={"paper_out": True})
    status = client.get("/status").json()["printer"]
    assert status["paper_out"] is True and status["online"] is False
    failed = client.post("/print", json={"action_id": "sale-2:print", "receipt": RECEIPT})
    assert (failed.status_code, failed.json()["detail"]) == (503, "paper out")
    client.post("/sim/printer", json={})
    retry = client.post("/print", json={"action_id": "sale-2:print", "receipt": RECEIPT})
    assert retry.json()["status"] == "done"


def test_drawer_kick_once_per_action(client: TestClient[Litestar]) -> None:
    assert client.post("/drawer", json={"action_id": "sale-3:drawer"}).json()["status"] == "done"
    assert client.post("/drawer", json={"action_id": "sale-3:drawer"}).json()["status"] == "duplicate"
    sims = hub_of(client).links.simulators
    assert sims is not None and sims.printer.wait_for_kicks(1)
    time.sleep(0.1)
    assert sims.printer.kicks == 1
    assert client.get("/status").json()["printer"]["drawer_open"] is True


def test_weigh_and_stuck_scale_guard(client: TestClient[Litestar]) -> None:
    client.post("/sim/scale", json={"steps": ["motion", 1250]})
    assert client.post("/scale/weigh", json={"tare_g": 50}).json() == {"status": "ok", "grams": 1200, "gross": 1250}
    assert client.post("/scale/weigh", json={"timeout_ms": 200}).json()["status"] == "not_zeroed"
    client.post("/sim/scale", json={"steps": ["over"]})
    assert client.post("/scale/weigh", json={"timeout_ms": 200}).json()["status"] == "over_capacity"


def test_display(client: TestClient[Litestar]) -> None:
    assert client.post("/display", json={"upper": "Coconut", "lower": "TOTAL 120.50"}).json() == {"shown": True}
    sims = hub_of(client).links.simulators
    assert sims is not None
    for _ in range(100):
        if sims.display.lines[1].startswith("TOTAL"):
            break
        time.sleep(0.01)
    assert sims.display.lines == ("Coconut".ljust(20), "TOTAL 120.50".ljust(20))


def test_status_and_validation(client: TestClient[Litestar]) -> None:
    body = client.get("/status").json()
    assert body["mode"] == "simulated" and body["printer"]["link"] == "connected"
    assert client.post("/print", json={"action_id": "", "receipt": RECEIPT}).status_code == 400
    assert client.post("/print", json={"action_id": "a b", "receipt": RECEIPT}).status_code == 400
    assert client.post("/scale/weigh", json={"timeout_ms": 10**9}).status_code == 400


def test_seen_action_ids_survive_a_restart(tmp_path: Path) -> None:
    for expected in ("done", "duplicate"):
        with TestClient(app=build_device_app(config(tmp_path))) as test_client:
            reply = test_client.post("/drawer", json={"action_id": "sale-9:drawer"})
            assert reply.json()["status"] == expected


def test_real_mode_without_hardware_reports_states(tmp_path: Path) -> None:
    env = {"DEVICE_MODE": "real", "DEVICE_PRINTER_TRANSPORT": "serial", "DEVICE_PRINTER_PORT": "/dev/nonexistent-lp"}
    with TestClient(app=build_device_app(config(tmp_path, **env))) as test_client:
        reply = test_client.post("/print", json={"action_id": "x1", "receipt": RECEIPT})
        assert reply.status_code == 503 and "nonexistent" in reply.json()["detail"]
        body = test_client.get("/status").json()
        assert body["printer"]["link"] == "disconnected"
        assert body["scale"] == {"configured": False, "link": "disconnected", "detail": ""}
        assert test_client.post("/scale/weigh", json={}).json()["status"] == "no_scale"
        assert test_client.post("/display", json={"upper": "x"}).json() == {"shown": False}


def test_client_against_unreachable_service() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = DeviceClient(f"http://127.0.0.1:{port}", timeout=1)
    assert client.print_receipt("a1", demo_receipt()).status == "failed"
    assert client.weigh().status == "unavailable"
    assert client.show("x") is False
    with pytest.raises(DeviceServiceError):
        client.status()


@pytest.mark.slow
def test_client_against_a_real_granian_process(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DEVICE_STATE_DIR": str(tmp_path), "DEVICE_PRINTER_TRANSPORT": "tcp"}
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "pos_grocery.devices.asgi:app_from_env"]
    log = (tmp_path / "granian.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        client = DeviceClient(f"http://127.0.0.1:{port}", timeout=5)
        deadline = time.monotonic() + 10
        while True:
            try:
                status = client.status()
                break
            except DeviceServiceError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.05)
        assert status.mode == "simulated"
        assert client.print_receipt("s1", demo_receipt()).status == "done"
        assert client.print_receipt("s1", demo_receipt()).status == "duplicate"
        assert client.kick_drawer("s1:drawer").status == "done"
        assert client.weigh(timeout_ms=200).status == "zero"
        assert client.show("Hello", "World") is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    assert (tmp_path / "printer" / "000001.txt").exists()

"""The lane with the device service (real processes): the print status of a sale on the done screen, R retries the
print once the device service is back; a weighed item takes its weight from the (simulated) scale."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DIST, screenshot, seed_demo
from tests.e2e.lane import call, login_password, scan, sign_in, wait_lines
from tests.procs import Proc, free_port, start, wait_http

pytestmark = pytest.mark.slow


@dataclass
class DeviceStack:
    api: Proc
    web: Proc
    data: Path
    pins: dict[str, str]
    device_port: int


@pytest.fixture(scope="module")
def device_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeviceStack]:
    """Demo store; the API prints on sale through a device service that is not running yet."""
    if not (DIST / "index.html").is_file():
        pytest.skip("frontend/dist is not built (make build)")
    data = tmp_path_factory.mktemp("e2e-devices")
    pins, passwords = seed_demo(data)
    device_port = free_port()
    # DISPLAY_IDLE_SECONDS=0: the customer display shows its idle message only when the lane asks (a new cart).
    api = start("serve", data, DEVICE_PRINT_ON_SALE="true", DEVICE_SERVICE_URL=f"http://127.0.0.1:{device_port}",
                DISPLAY_IDLE_SECONDS="0")
    web = start("web", data, port_var="WEB_PORT", API_UPSTREAM=f"http://127.0.0.1:{api.port}",
                FRONTEND_DIST=str(DIST))
    try:
        wait_http(api.base + "/api/health/ready")
        wait_http(web.base + "/")
        # The demo terminals name the default device service (port 8260): point them at this test's port.
        token = login_password(api.base, "admin", passwords["admin"])
        for terminal_id in (1, 2):
            status, body = call(api.base, "PATCH", f"/api/terminals/{terminal_id}",
                                {"deviceServiceUrl": f"http://127.0.0.1:{device_port}"}, token)
            assert status == 200, body
        yield DeviceStack(api, web, data, pins, device_port)
    finally:
        web.stop()
        api.stop()


def sim(port: int, device: str, body: dict[str, Any]) -> None:
    """Set the simulated printer's or scale's state."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}/sim/{device}", data=json.dumps(body).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status in (200, 204)


def display_lines(port: int) -> tuple[str, str]:
    """The simulated customer display's two lines, trailing blanks dropped."""
    status, body = call(f"http://127.0.0.1:{port}", "GET", "/sim/display")
    assert status == 200, body
    return str(body["upper"]).rstrip(), str(body["lower"]).rstrip()


def test_print_status_retry_and_scale(device_stack: DeviceStack, page: Any) -> None:
    st = device_stack
    sign_in(page, st.web.base, st.pins["cashier1"])
    scan(page, "4791000000010")
    wait_lines(page, 1)
    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    page.keyboard.press("F1")
    status = page.locator("[data-testid=print-status]")
    expect(status).to_have_attribute("data-status", "failed", timeout=20_000)  # no device service yet
    expect(page.locator("[data-testid=receipt-number]")).to_be_visible()
    screenshot(page, "40-print-failed")

    state = st.data / "devices"
    devices = start("devices", st.data, port_var="DEVICE_LISTEN_UNUSED", DEVICE_MODE="simulated",
                    DEVICE_STATE_DIR=str(state), DEVICE_PORT=str(st.device_port))
    try:
        wait_http(f"http://127.0.0.1:{st.device_port}/health")
        page.keyboard.press("r")
        expect(status).to_have_attribute("data-status", "printed", timeout=20_000)
        screenshot(page, "41-print-retried")
        # Enter = next customer: the lane asks the customer display for its idle message.
        before = display_lines(st.device_port)
        page.keyboard.press("Enter")
        deadline = time.monotonic() + 10
        while display_lines(st.device_port)[0] != "Welcome":
            assert time.monotonic() < deadline, (before, display_lines(st.device_port))
            time.sleep(0.1)
        assert before[0] != "Welcome", before

        # A weighed item (PLU 4011, bananas): the weight comes from the scale, Enter confirms it.
        sim(st.device_port, "scale", {"steps": ["motion", 750]})
        scan(page, "4011")
        page.wait_for_selector("input[name=weight]", timeout=10_000)
        expect(page.locator("input[name=weight]")).to_have_value("0.75", timeout=10_000)
        expect(page.locator("[data-testid=scale-status]")).to_contain_text("Weight from the scale")
        screenshot(page, "42-scale-weight")
        page.keyboard.press("Enter")
        expect(page.locator(".cart tbody tr").first.locator("td").nth(2)).to_contain_text("0.75", timeout=10_000)
        receipts = sorted((state / "printer").glob("*.txt"))
        assert any("4791000000010" in p.read_text() or "Samba" in p.read_text() for p in receipts), receipts
    finally:
        devices.stop()

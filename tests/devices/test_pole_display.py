"""The customer pole display driven by the API: a real `pos-grocery devices` (display simulator) and a real
`pos-grocery serve`; quotes show the changed line and the total, a cash sale the total and change, the idle
message after the idle time; a device service that is down fails nothing."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from pos_grocery.devices.display import two_columns
from pos_grocery.devices.pole import (
    Pole,
    ascii_text,
    changed_index,
    idle_lines,
    item_line,
    item_name,
    total_line,
)
from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user, bearer, issue_token
from tests.checkout_helpers import open_shift_here, seed_catalog
from tests.conftest import make_settings
from tests.devices.printer_files import wait_until
from tests.procs import Proc, start, wait_http

SECRET = "d" * 64
IDLE = ("Welcome", "Ayubowan")


def call(base: str, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None) -> Any:
    """(status, JSON body) of one HTTP call."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={**(headers or {}), "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def shown(devices: Proc) -> tuple[str, str]:
    """The simulated display's two visible lines, trailing blanks dropped."""
    _status, body = call(devices.base, "GET", "/sim/display")
    return body["upper"].rstrip(), body["lower"].rstrip()


def shows(devices: Proc, upper: str, lower: str, timeout: float = 5.0) -> bool:
    return wait_until(lambda: shown(devices) == (upper.rstrip(), lower.rstrip()), timeout)


# --- what the lines say (pure) -----------------------------------------------------------------------------


def test_line_formats_fit_twenty_columns() -> None:
    assert item_line("Milk 1L", 2000, 45000, 90000, 2) == "Milk 1L     2x450.00"
    assert item_line("Basmati rice premium", 1250, 40000, 50000, 2) == "Basmati 1.250x400.00"
    assert item_line("Milk 1L", 1000, 45000, 45000, 2) == "Milk 1L       450.00"
    # qty x price would leave the name fewer than 6 characters: the amount instead
    assert item_line("Cheese", 12345, 1234567, 99999999, 2) == "Cheese     999999.99"
    assert total_line("TOTAL", 123456, 2) == "TOTAL        1234.56"
    assert total_line("TOTAL", 1234, 0) == "TOTAL           1234"
    assert total_line("CHANGE", 5, 3) == "CHANGE         0.005"
    assert all(len(x) == 20 for x in (item_line("A" * 40, 1000, 1, 1, 2), total_line("TOTAL", 10**12, 2)))


def test_names_the_display_cannot_show_fall_back_to_the_sku() -> None:
    assert ascii_text("Crème brûlée") == "Creme brulee"
    assert ascii_text("කිරි") is None and ascii_text("பால்") is None
    assert item_name("කිරි 1L", "MILK-1") == "MILK-1"
    assert item_name("பால்", None) == "ITEM"
    assert item_name("Tea  \t bags", "T") == "Tea bags"
    assert idle_lines("Welcome|to our shop") == ("Welcome", "to our shop")
    assert idle_lines("ආයුබෝවන්") == ("Welcome", "")
    assert idle_lines("Welcome|ආයුබෝවන්") == ("Welcome", "")


def test_the_last_added_or_changed_line_is_shown() -> None:
    a, b, c = (1, 1000, 100, 100), (2, 1000, 50, 50), (3, 1000, 10, 10)
    assert changed_index((), (a,)) == 0
    assert changed_index((a,), (a, b)) == 1
    assert changed_index((a, b), ((1, 2000, 100, 200), b)) == 0
    assert changed_index((a, b, c), (a, b)) == 1  # a line removed: the last line
    assert changed_index((a, b), (a, b)) == 1  # the same cart again


# --- real processes ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    folder = tmp_path_factory.mktemp("display-devices")
    proc = start("devices", folder, port_var="DEVICE_PORT", DEVICE_MODE="simulated",
                 DEVICE_STATE_DIR=str(folder / "state"))
    try:
        wait_http(proc.base + "/health")
        yield proc
    finally:
        proc.stop()


def seed(tmp_path: Path) -> dict[str, str]:
    """A store with LANE-1 (open shift), a product named only in Sinhala, a cashier's token at the lane."""
    rt = open_runtime(make_settings(tmp_path, AUTH_SECRET=SECRET))
    try:
        seed_catalog(rt)
        with rt.db.write() as conn:
            conn.execute("UPDATE products SET name_en = 'සබන් A' WHERE id = 3")
        lane = add_terminal(rt, "LANE-1")
        cashier, manager = add_user(rt, "cashier"), add_user(rt, "manager")
        open_shift_here(rt, lane, manager.id)
        return bearer(issue_token(rt, cashier.id, lane))
    finally:
        rt.db.close()


def quote(api: Proc, headers: dict[str, str], lines: list[dict[str, Any]]) -> dict[str, Any]:
    status, body = call(api.base, "POST", "/api/sales/quote", headers, {"lines": lines})
    assert status == 200, body
    return body


def total_of(body: dict[str, Any]) -> str:
    return total_line("TOTAL", body["totals"]["amountDue"], 2)


@pytest.mark.slow
def test_quotes_sale_idle_and_a_dead_device_service(tmp_path: Path, devices: Proc) -> None:
    headers = seed(tmp_path)
    api = start("serve", tmp_path, AUTH_SECRET=SECRET, LOG_LEVEL="warn", DEVICE_SERVICE_URL=devices.base,
                DEVICE_PRINT_ON_SALE="true", DISPLAY_IDLE_SECONDS="2", DISPLAY_IDLE_MESSAGE="Welcome|Ayubowan")
    try:
        wait_http(api.base + "/api/health/live")
        milk = {"productId": 1, "quantity": 2}
        body = quote(api, headers, [milk])
        assert shows(devices, "Milk 1L     2x450.00", total_of(body))
        body = quote(api, headers, [milk, {"productId": 2, "quantity": 0.75}])  # a weighed line added
        assert shows(devices, two_columns("Sugar", "0.750x250.00"), total_of(body))
        body = quote(api, headers, [{"productId": 1, "quantity": 3}, {"productId": 2, "quantity": 0.75}])
        assert shows(devices, "Milk 1L     3x450.00", total_of(body))  # the changed line, not the last one
        body = quote(api, headers, [{"productId": 3, "quantity": 1}])  # a Sinhala-only name: the SKU
        assert shows(devices, "SOAP-A        100.00", total_of(body))

        # A fast scanner: quotes at once; the display ends on what the API last wanted (latest wins).
        carts = [[{"productId": 1, "quantity": n}] for n in range(1, 13)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda cart: quote(api, headers, cart), carts))
        assert wait_until(lambda: lane_state(api, headers)["status"] == "shown")
        state = lane_state(api, headers)
        assert shows(devices, state["upper"], state["lower"]) and state["upper"].startswith("Milk 1L")

        sale = {"lines": [milk], "tenders": [{"method": "cash", "amount": 90000, "tendered": 100000}]}
        status, done = call(api.base, "POST", "/api/sales", {**headers, "Idempotency-Key": str(uuid.uuid4())}, sale)
        sold_at = time.monotonic()
        assert status == 201, done
        assert shows(devices, "TOTAL         900.00", "CHANGE        100.00")
        assert shows(devices, *IDLE, timeout=8)  # DISPLAY_IDLE_SECONDS after the sale
        assert time.monotonic() - sold_at >= 1.9

        quote(api, headers, [milk])
        assert shows(devices, "Milk 1L     2x450.00", "TOTAL         900.00")
        status, idle = call(api.base, "POST", "/api/devices/display/idle", headers)  # a new empty cart
        assert status == 200 and idle["upper"].rstrip() == "Welcome", idle
        assert shows(devices, *IDLE, timeout=1.5)
        quote(api, headers, [milk])
        assert shows(devices, "Milk 1L     2x450.00", "TOTAL         900.00")
        status, held = call(api.base, "POST", "/api/held-sales", headers, {"lines": [milk]})  # cart parked
        assert status == 201, held
        assert shows(devices, *IDLE, timeout=1.5)

        devices_down(tmp_path, api, headers, devices)
    finally:
        api.stop()


def lane_state(api: Proc, headers: dict[str, str]) -> dict[str, Any]:
    status, body = call(api.base, "GET", "/api/devices/display", headers)
    assert status == 200, body
    return dict(body)


def devices_down(tmp_path: Path, api: Proc, headers: dict[str, str], devices: Proc) -> None:
    """The lane's device service is gone: quotes and sales succeed at once, the display state says why."""
    rt = open_runtime(make_settings(tmp_path, AUTH_SECRET=SECRET))
    try:
        with rt.db.write() as conn:
            conn.execute("UPDATE terminals SET device_service_url = 'http://127.0.0.1:9'")
    finally:
        rt.db.close()
    began = time.monotonic()
    quote(api, headers, [{"productId": 1, "quantity": 1}])
    sale = {"lines": [{"productId": 1, "quantity": 1}], "tenders": [{"method": "card", "amount": 45000,
                                                                     "reference": "AUTH1"}]}
    status, done = call(api.base, "POST", "/api/sales", {**headers, "Idempotency-Key": str(uuid.uuid4())}, sale)
    assert status == 201, done
    assert time.monotonic() - began < 3
    assert wait_until(lambda: lane_state(api, headers)["status"] == "failed")
    state = lane_state(api, headers)
    assert "Connection refused" in state["detail"] and state["upper"].startswith("TOTAL")
    assert shown(devices)[0] == "Welcome"  # the real display kept what it had


def test_updates_coalesce_latest_wins(tmp_path: Path, devices: Proc) -> None:
    """Thirty updates in one burst: one write to the display, and it shows the last."""
    rt = open_runtime(make_settings(tmp_path, DEVICE_SERVICE_URL=devices.base))
    try:
        lane = add_terminal(rt, "LANE-9")

        async def burst() -> Pole:
            pole = Pole(rt)
            for n in range(30):
                pole.want(lane, f"ITEM {n}", "TOTAL", then_idle=False)
            writer = pole.lanes[lane].writer
            assert writer is not None
            await asyncio.wait_for(writer, 5)
            return pole

        pole = asyncio.run(burst())
        assert pole.writes == 1 and pole.state(lane).status == "shown"
        assert shown(devices) == ("ITEM 29", "TOTAL")
    finally:
        rt.db.close()

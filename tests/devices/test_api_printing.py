"""The API drives a real `pos-grocery devices` process (simulated printer, drawer, scale): receipts on sale and
refund exactly once per Idempotency-Key, failures as states, retries and COPY reprints, the scale, health."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pos_grocery.devices.printing import kick_drawer_for
from tests.checkout_helpers import Shop, card, cash, line, open_shop
from tests.devices.printer_files import captured, kicks, receipts, settle, wait_until
from tests.procs import Proc, free_port, start, wait_http

SALE = {"lines": [line(1, 2)], "tenders": [cash(90000, 100000)]}


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proc, Path]]:
    """One device service (simulators) for the module; tests count what it captured from their start."""
    folder = tmp_path_factory.mktemp("devices")
    state = folder / "state"
    proc = start("devices", folder, port_var="DEVICE_PORT", DEVICE_MODE="simulated", DEVICE_STATE_DIR=str(state))
    try:
        wait_http(proc.base + "/health")
        yield proc, state
    finally:
        proc.stop()


def sim(proc: Proc, what: str, body: dict[str, Any]) -> None:
    """Set the simulated printer's or scale's state (POST /sim/printer, /sim/scale)."""
    request = urllib.request.Request(
        f"{proc.base}/sim/{what}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5):
        pass


@pytest.fixture
def shop(tmp_path: Path, devices: tuple[Proc, Path]) -> Iterator[Shop]:
    proc, _state = devices
    env = {"DEVICE_PRINT_ON_SALE": "true", "DEVICE_SERVICE_URL": proc.base, "DEVICE_STATUS_TTL_SECONDS": "1"}
    with open_shop(tmp_path, **env) as made:
        try:
            yield made
        finally:
            sim(proc, "printer", {})


def set_lane_url(shop: Shop, url: str | None) -> None:
    with shop.rt.db.write() as conn:
        conn.execute("UPDATE terminals SET device_service_url = ? WHERE id = ?", (url, shop.lane))


def new_jobs(state: Path, before: int) -> tuple[list[Any], int]:
    """Receipts and kicks captured after the first `before` jobs (once the printer has gone quiet)."""
    settle(state)
    jobs = [job for job in captured(state) if job.number > before]
    return [job for job in jobs if job.is_receipt], sum(job.kicks for job in jobs)


def last_number(state: Path) -> int:
    return max((job.number for job in captured(state)), default=0)


def test_cash_sale_prints_once_and_kicks_once_whatever_the_retries(shop: Shop, devices: tuple[Proc, Path]) -> None:
    _proc, state = devices
    before = last_number(state)
    key = str(uuid.uuid4())
    answers = [shop.sale(SALE, key=key) for _ in range(4)]
    assert [a.status_code for a in answers] == [201] * 4
    sale = answers[0].json()
    for answer in answers:
        body = answer.json()
        assert body["id"] == sale["id"]
        assert body["print"] == {"status": "printed", "detail": "", "copy": False, "actionId": f"{key}:print"}
        assert body["drawer"] == {"status": "opened", "detail": "", "actionId": f"{key}:drawer"}
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 1 and kicked == 1
    text = printed[0].text
    assert sale["receiptNumber"] in text and "Milk 1L" in text and "900.00" in text and "COPY" not in text
    assert printed[0].summary["barcodes"] == [sale["receiptNumber"]]
    again = shop.client.get(f"/api/sales/{sale['id']}", headers=shop.headers).json()
    assert again["print"]["status"] == "printed" and again["drawer"]["status"] == "opened"


def test_card_sale_prints_and_leaves_the_drawer_shut(shop: Shop, devices: tuple[Proc, Path]) -> None:
    _proc, state = devices
    before = last_number(state)
    body = shop.ok_sale({"lines": [line(1, 2)], "tenders": [card(90000)]})
    assert body["print"]["status"] == "printed"
    assert body["drawer"] == {"status": "skipped", "detail": "no cash tender", "actionId": None}
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 1 and kicked == 0


def test_paper_out_fails_the_print_not_the_sale_then_retry_and_copy(shop: Shop, devices: tuple[Proc, Path]) -> None:
    proc, state = devices
    sim(proc, "printer", {"paper_out": True})
    before = last_number(state)
    sale = shop.ok_sale(SALE)
    assert sale["print"]["status"] == "failed" and sale["print"]["detail"] == "paper out"
    assert sale["drawer"]["status"] == "failed"
    stored = shop.client.get(f"/api/sales/{sale['id']}", headers=shop.headers).json()
    assert stored["print"]["status"] == "failed"
    sim(proc, "printer", {})
    retry = shop.client.post(f"/api/sales/{sale['id']}/print", headers=shop.headers)
    assert retry.status_code == 200, retry.text
    out = retry.json()
    assert out["print"]["status"] == "printed" and out["print"]["copy"] is False and out["reprintCount"] == 0
    assert out["drawer"]["status"] == "opened"  # the failed kick is retried with the receipt
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 1 and kicked == 1 and "COPY" not in printed[0].text
    copy = shop.client.post(f"/api/sales/{sale['id']}/print", headers=shop.headers).json()
    assert copy["print"]["status"] == "printed" and copy["print"]["copy"] is True and copy["reprintCount"] == 1
    assert copy["drawer"]["status"] == "skipped"
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 2 and kicked == 1
    assert "*** COPY ***" in printed[1].text and sale["receiptNumber"] in printed[1].text


def test_device_service_down_then_the_retry_prints_once(shop: Shop, devices: tuple[Proc, Path]) -> None:
    proc, state = devices
    set_lane_url(shop, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    before = last_number(state)
    began = time.monotonic()
    sale = shop.ok_sale(SALE)
    assert time.monotonic() - began < 3
    assert sale["print"]["status"] == "failed" and "Connection refused" in sale["print"]["detail"]
    assert sale["drawer"]["status"] == "failed"
    set_lane_url(shop, proc.base)
    first = shop.client.post(f"/api/sales/{sale['id']}/print", headers=shop.headers).json()
    assert first["print"]["status"] == "printed" and first["drawer"]["status"] == "opened"
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 1 and kicked == 1


def test_cash_refund_prints_a_refund_slip_and_opens_the_drawer(shop: Shop, devices: tuple[Proc, Path]) -> None:
    _proc, state = devices
    sale = shop.ok_sale(SALE)
    before = last_number(state)
    key = str(uuid.uuid4())
    body = {"saleId": sale["id"], "refundMethod": "cash",
            "lines": [{"lineNo": 1, "quantity": 1, "reason": "customer_change"}]}
    headers = {**shop.headers, "Idempotency-Key": key}
    answers = [shop.client.post("/api/returns", json=body, headers=headers) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201], answers[0].text
    ret = answers[1].json()
    assert ret["print"]["status"] == "printed" and ret["print"]["actionId"] == f"{key}:print"
    assert ret["drawer"]["status"] == "opened"
    printed, kicked = new_jobs(state, before)
    assert len(printed) == 1 and kicked == 1
    text = printed[0].text
    assert "REFUND" in text and "-450.00" in text and f"Original receipt {sale['receiptNumber']}" in text
    assert printed[0].summary["barcodes"] == [f"RET-{ret['id']:06d}"]


def test_scale_through_the_api(shop: Shop, devices: tuple[Proc, Path]) -> None:
    proc, _state = devices
    url = f"/api/devices/scale/weight?terminalId={shop.lane}"
    sim(proc, "scale", {"steps": ["motion", 1250]})
    ok = shop.client.get(url + "&tareG=50", headers=shop.headers)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"terminalId": shop.lane, "grams": 1200, "grossGrams": 1250, "tareGrams": 50}
    again = shop.client.get("/api/devices/scale/weight", params={"timeoutMs": 300}, headers=shop.headers)
    assert (again.status_code, again.json()["code"]) == (409, "SCALE_NOT_ZEROED")
    sim(proc, "scale", {"steps": ["zero", "motion"]})
    began = time.monotonic()
    moving = shop.client.get(url + "&timeoutMs=400", headers=shop.headers)
    assert (moving.status_code, moving.json()["code"]) == (409, "SCALE_UNSTABLE")
    assert time.monotonic() - began < 2.5  # bounded wait: a scale that never settles does not hang the lane
    sim(proc, "scale", {"steps": ["over"]})
    over = shop.client.get(url + "&timeoutMs=200", headers=shop.headers)
    assert (over.status_code, over.json()["code"]) == (409, "SCALE_OVER_CAPACITY")
    sim(proc, "scale", {"steps": ["garbage"]})
    garbage = shop.client.get(url + "&timeoutMs=300", headers=shop.headers)
    assert (garbage.status_code, garbage.json()["code"]) == (503, "SCALE_UNREADABLE")
    sim(proc, "scale", {"steps": [0, 800]})
    assert shop.client.get(url, headers=shop.headers).json()["grams"] == 800
    unknown = shop.client.get("/api/devices/scale/weight?terminalId=9999", headers=shop.headers)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "TERMINAL_NOT_FOUND")
    health = shop.client.get("/api/health").json()["devices"]
    assert health["services"][0]["scale"]["configured"] is True


def test_health_and_metrics_report_device_state(shop: Shop, devices: tuple[Proc, Path]) -> None:
    proc, _state = devices
    first = shop.client.get("/api/health").json()["devices"]
    service = first["services"][0]
    assert service["url"] == proc.base and service["reachable"] is True and service["mode"] == "simulated"
    assert service["printer"]["connected"] is True and service["printer"]["paperOut"] is False
    assert first["ok"] is True
    sim(proc, "printer", {"paper_out": True, "cover_open": True})
    time.sleep(1.1)  # DEVICE_STATUS_TTL_SECONDS=1
    later = shop.client.get("/api/health")
    assert later.status_code == 200  # device trouble is reported, not an API failure
    printer = later.json()["devices"]["services"][0]["printer"]
    assert printer["paperOut"] is True and printer["coverOpen"] is True
    assert later.json()["devices"]["ok"] is False
    metrics = shop.client.get("/metrics").text
    assert f'pos_device_service_up{{url="{proc.base}"}} 1.0' in metrics
    assert f'pos_device_state{{condition="paper_out",device="printer",url="{proc.base}"}} 1.0' in metrics
    if shutil.which("promtool"):
        done = subprocess.run(["promtool", "check", "metrics"], input=metrics.encode(), capture_output=True,
                              timeout=30, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_health_names_an_unreachable_device_service(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with open_shop(tmp_path, DEVICE_SERVICE_URL=dead) as shop:
        devices = shop.client.get("/api/health").json()["devices"]
        assert devices["ok"] is False
        assert devices["services"][0]["reachable"] is False and devices["services"][0]["url"] == dead
        assert f'pos_device_service_up{{url="{dead}"}} 0.0' in shop.client.get("/metrics").text


def test_answer_before_the_print_when_told_not_to_wait(tmp_path: Path, devices: tuple[Proc, Path]) -> None:
    proc, state = devices
    env = {"DEVICE_PRINT_ON_SALE": "true", "DEVICE_SERVICE_URL": proc.base, "DEVICE_PRINT_WAIT_MS": "0"}
    with open_shop(tmp_path, **env) as shop:
        before = last_number(state)
        sale = shop.ok_sale(SALE)
        assert sale["print"]["status"] == "pending" and sale["drawer"]["status"] == "pending"

        def printed() -> bool:
            body = shop.client.get(f"/api/sales/{sale['id']}", headers=shop.headers).json()
            return bool(body["print"]["status"] == "printed" and body["drawer"]["status"] == "opened")

        assert wait_until(printed)
        got, kicked = new_jobs(state, before)
        assert len(got) == 1 and kicked == 1


def test_no_sale_drawer_kick_for_the_shifts_feature(shop: Shop, devices: tuple[Proc, Path]) -> None:
    _proc, state = devices
    before = kicks(state)
    action = f"nosale-{uuid.uuid4()}"
    first = asyncio.run(kick_drawer_for(shop.rt, shop.lane, action))
    second = asyncio.run(kick_drawer_for(shop.rt, shop.lane, action))
    assert first.status == "opened" and second.status == "opened"
    settle(state)
    assert kicks(state) == before + 1
    assert len(receipts(state)) >= 0


def test_startup_hardware_check_within_budget(tmp_path: Path, devices: tuple[Proc, Path]) -> None:
    from pos_grocery.boot import hardware_check
    from pos_grocery.runtime import open_runtime
    from tests.conftest import make_settings

    proc, _state = devices
    rt = open_runtime(make_settings(tmp_path, DEVICE_SERVICE_URL=proc.base, SKIP_HARDWARE_CHECKS="false"))
    try:
        hardware_check(rt)
        rep = rt.startup
        assert rep.hardware_status == "ok", rep.hardware_detail
        assert rep.hardware_check_ms is not None and rep.hardware_check_ms < 1000
        sim(proc, "printer", {"paper_out": True})
        hardware_check(rt)
        assert (rep.hardware_status, "paper out" in rep.hardware_detail) == ("degraded", True)
    finally:
        sim(proc, "printer", {})
        rt.db.close()
    skipped = open_runtime(make_settings(tmp_path / "skip", DEVICE_SERVICE_URL=proc.base))
    try:
        hardware_check(skipped)  # SKIP_HARDWARE_CHECKS=true in the test settings
        assert skipped.startup.hardware_status == "skipped" and skipped.startup.hardware_check_ms == 0.0
    finally:
        skipped.db.close()


def test_no_sale_opens_the_drawer_once(shop: Shop, devices: tuple[Proc, Path]) -> None:
    from pos_grocery.db.connection import fetch_value

    _proc, state = devices
    shift = fetch_value(shop.rt.db.reader, "SELECT id FROM shifts WHERE terminal_id = ? AND status = 'open'",
                        (shop.lane,))
    before = kicks(state)
    answer = shop.client.post(f"/api/shifts/{shift}/no-sale", headers=shop.sign_in(shop.manager),
                              json={"reason": "change for the till"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["drawer"] == "opened"
    settle(state)
    assert kicks(state) == before + 1


def test_without_a_device_service_nothing_prints_and_nothing_counts(tmp_path: Path) -> None:
    with open_shop(tmp_path, DEVICE_PRINT_ON_SALE="true", DEVICE_SERVICE_URL="") as shop:
        sale = shop.ok_sale(SALE)
        assert sale["print"]["status"] == "skipped" and "no device service" in sale["print"]["detail"]
        assert sale["drawer"]["status"] == "skipped"
        again = shop.client.post(f"/api/sales/{sale['id']}/print", headers=shop.headers).json()
        assert again["print"]["status"] == "skipped" and again["reprintCount"] == 0

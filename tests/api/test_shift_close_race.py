"""Sales racing a Z close on a real server: each sale lands in the shift before the Z (and is on it) or is refused."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from pos_grocery.db.connection import connect, fetch_all, fetch_value
from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user, issue_token
from tests.checkout_helpers import cash, line, open_shift_here, seed_catalog
from tests.conftest import make_settings
from tests.procs import start, wait_http

pytestmark = pytest.mark.slow
SALES = 24


def call(
    port: int, token: str, path: str, body: dict[str, Any], barrier: threading.Barrier, delay: float = 0.0
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.connect()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4()),
               "Content-Type": "application/json"}
    barrier.wait()
    time.sleep(delay)
    conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
    response = conn.getresponse()
    out = response.status, json.loads(response.read())
    conn.close()
    return out


def test_no_sale_lands_in_a_closed_shift(tmp_path: Path) -> None:
    rt = open_runtime(make_settings(tmp_path))
    try:
        seed_catalog(rt)
        lane = add_terminal(rt, "LANE-1")
        cashier, manager = add_user(rt, "cashier").id, add_user(rt, "manager").id
        shift_id = open_shift_here(rt, lane, cashier, 10_000)
        cashier_token, manager_token = issue_token(rt, cashier, lane), issue_token(rt, manager, lane)
    finally:
        rt.db.close()
    proc = start("serve", tmp_path, LOG_LEVEL="warn")
    results: list[tuple[int, Any]] = [(0, None)] * (SALES + 1)
    barrier = threading.Barrier(SALES + 1)

    def one(i: int) -> None:
        if i == SALES // 2:  # the Z goes off in the middle of the storm
            results[i] = call(proc.port, manager_token, f"/api/shifts/{shift_id}/close", {"declaredCash": 0}, barrier,
                              0.01)  # a few sales get in first
        else:
            body = {"lines": [line(8)], "tenders": [cash(15_000)]}
            results[i] = call(proc.port, cashier_token, "/api/sales", body, barrier)

    try:
        wait_http(proc.base + "/api/health/live")
        threads = [threading.Thread(target=one, args=(i,)) for i in range(SALES + 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        proc.stop()
    z_status, z = results[SALES // 2]
    assert z_status == 201, z
    sales = [r for i, r in enumerate(results) if i != SALES // 2]
    sold = [body for status, body in sales if status == 201]
    refused = [body for status, body in sales if status != 201]
    assert all(b["code"] == "SHIFT_NOT_OPEN" for b in refused), refused
    print(f"race: {len(sold)} sold before the Z, {len(refused)} refused after it")
    conn = connect(str(tmp_path / "pos.db"))
    try:
        in_shift = fetch_all(conn, "SELECT id, created_at FROM sales WHERE shift_id = ?", (shift_id,))
        assert sorted(r[0] for r in in_shift) == sorted(b["id"] for b in sold)
        assert fetch_value(conn, "SELECT count(*) FROM sales") == len(sold)
        closed_at = fetch_value(conn, "SELECT closed_at FROM shifts WHERE id = ?", (shift_id,))
        assert all(created <= closed_at for _id, created in in_shift)
    finally:
        conn.close()
    report = z["report"]
    assert report["sales"]["count"] == len(sold) and report["sales"]["amountDue"] == 15_000 * len(sold)
    assert report["cash"]["expected"] == 10_000 + 15_000 * len(sold)

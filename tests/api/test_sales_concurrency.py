"""Exactly-once sales under real concurrency: a real `pos-grocery serve`, 20 connections firing at once."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_grocery.db.connection import connect, fetch_all, fetch_value
from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user, issue_token
from tests.checkout_helpers import cash, line, open_shift_here, seed_catalog
from tests.conftest import make_settings
from tests.procs import Proc, start, wait_http

pytestmark = pytest.mark.slow
CLIENTS = 20


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Proc, str]]:
    """A seeded database served by a real API process, and a cashier's token at LANE-1."""
    rt = open_runtime(make_settings(tmp_path))
    try:
        seed_catalog(rt)
        lane = add_terminal(rt, "LANE-1")
        cashier = add_user(rt, "cashier").id
        token = issue_token(rt, cashier, lane)
        open_shift_here(rt, lane, cashier)
    finally:
        rt.db.close()
    proc = start("serve", tmp_path, LOG_LEVEL="warn")
    try:
        wait_http(proc.base + "/api/health/live")
        yield proc, token
    finally:
        proc.stop()


def fire(proc: Proc, token: str, bodies: list[tuple[str, bytes]]) -> list[tuple[int, bytes]]:
    """POST every (key, body) from its own connection, all released at the same instant."""
    conns = [http.client.HTTPConnection("127.0.0.1", proc.port, timeout=30) for _ in bodies]
    for conn in conns:
        conn.connect()
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, bytes]] = [(0, b"")] * len(bodies)

    def one(index: int) -> None:
        key, body = bodies[index]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key, "Content-Type": "application/json"}
        barrier.wait()
        conns[index].request("POST", "/api/sales", body=body, headers=headers)
        response = conns[index].getresponse()
        results[index] = (response.status, response.read())

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for conn in conns:
        conn.close()
    return results


def test_same_sale_from_many_connections_makes_exactly_one(served: tuple[Proc, str], tmp_path: Path) -> None:
    proc, token = served
    body = json.dumps({"lines": [line(1, 2), line(2, 0.5)], "tenders": [cash(110000)]}).encode()
    key = str(uuid.uuid4())
    results = fire(proc, token, [(key, body)] * CLIENTS)
    assert {status for status, _ in results} == {201}, results[0]
    assert len({payload for _, payload in results}) == 1
    conn = connect(str(tmp_path / "pos.db"))
    try:
        assert fetch_value(conn, "SELECT count(*) FROM sales") == 1
        assert fetch_value(conn, "SELECT count(*) FROM stock_movements") == 2
        assert fetch_value(conn, "SELECT count(*) FROM idempotency_keys") == 1
    finally:
        conn.close()


def test_different_sales_at_once_get_gap_free_numbers(served: tuple[Proc, str], tmp_path: Path) -> None:
    proc, token = served
    body = json.dumps({"lines": [line(8)], "tenders": [cash(15000)]}).encode()
    results = fire(proc, token, [(str(uuid.uuid4()), body) for _ in range(CLIENTS)])
    assert {status for status, _ in results} == {201}
    numbers = sorted(json.loads(payload)["receiptNumber"] for _, payload in results)
    conn = connect(str(tmp_path / "pos.db"))
    try:
        seqs = [int(r[0]) for r in fetch_all(conn, "SELECT seq FROM sales ORDER BY seq")]
    finally:
        conn.close()
    assert seqs == list(range(1, CLIENTS + 1)) and len(set(numbers)) == CLIENTS

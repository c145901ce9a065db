"""What printing on sale costs: the same cash sales with DEVICE_PRINT_ON_SALE off and on (simulated printer).

Real `pos-grocery serve` and `pos-grocery devices`; N sequential sales per phase (a lane sells one at a time),
both phases in one run. Prints median / p95 latency and the API's CPU per sale (utime + stime of its process
tree over the sales), which is robust to the noise of a shared machine. Usage:

    .venv/bin/python tests/perf/bench_printing.py --sales 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.perf.bench_checkout import tree_cpu  # noqa: E402
from tests.procs import Proc, start, wait_http  # noqa: E402

SECRET = "b" * 64
SALE = {"lines": [{"productId": 1, "quantity": 2}, {"productId": 3, "quantity": 1}],
        "tenders": [{"method": "cash", "amount": 100000, "tendered": 100000}]}


def seed(path: Path) -> str:
    """The checkout test store, one lane with an open shift; a cashier token."""
    from pos_grocery.runtime import open_runtime
    from tests.auth_helpers import add_terminal, add_user, issue_token
    from tests.checkout_helpers import open_shift_here, seed_catalog
    from tests.conftest import make_settings

    rt = open_runtime(make_settings(path, AUTH_SECRET=SECRET))
    try:
        seed_catalog(rt)
        lane = add_terminal(rt, "LANE-1")
        cashier, manager = add_user(rt, "cashier"), add_user(rt, "manager")
        open_shift_here(rt, lane, manager.id)
        return issue_token(rt, cashier.id, lane)
    finally:
        rt.db.close()


def sell(api: Proc, token: str, count: int) -> tuple[list[float], float, dict[str, int]]:
    """COUNT sequential sales: latencies (ms), server CPU seconds, print statuses seen."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps(SALE).encode()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    cpu0 = tree_cpu(api.popen.pid)
    for _ in range(count):
        request = urllib.request.Request(api.base + "/api/sales", data=body, method="POST",
                                         headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        latencies.append((time.perf_counter() - began) * 1000)
        status = answer.get("print", {}).get("status", "absent")
        statuses[status] = statuses.get(status, 0) + 1
    return latencies, tree_cpu(api.popen.pid) - cpu0, statuses


def phase(tmp: Path, devices: Proc, printing: bool, count: int) -> str:
    token = seed(tmp / ("on" if printing else "off"))
    api = start("serve", tmp / ("on" if printing else "off"), AUTH_SECRET=SECRET, LOG_LEVEL="warn",
                DEVICE_PRINT_ON_SALE=str(printing).lower(), DEVICE_SERVICE_URL=devices.base)
    try:
        wait_http(api.base + "/api/health/live")
        sell(api, token, 20)  # warm-up
        lat, cpu, statuses = sell(api, token, count)
    finally:
        api.stop()
    p95 = statistics.quantiles(lat, n=20)[-1]
    return (f"print on sale {'on ' if printing else 'off'}: median {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, "
            f"API CPU {cpu / count * 1000:.2f} ms/sale, print statuses {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-printing-"))
    for sub in ("on", "off"):
        (tmp / sub).mkdir()
    devices = start("devices", tmp, port_var="DEVICE_PORT", DEVICE_STATE_DIR=str(tmp / "devices"),
                    DEVICE_SIM_KEEP="20")
    try:
        wait_http(devices.base + "/health")
        print(phase(tmp, devices, False, args.sales))
        print(phase(tmp, devices, True, args.sales))
    finally:
        devices.stop()


if __name__ == "__main__":
    main()

"""Checkout benchmark: a 20-line sale with 2 tenders committed through HTTP, against the same transaction in APSW.

One run on one machine (the figures are only comparable within a run):
 1. open loop: LANES lanes each start a sale every INTERVAL seconds (50 x 10/s = 500 sales/s offered) for
    DURATION seconds over keep-alive connections; latency runs from each sale's *scheduled* start, so a slow
    server shows as queueing instead of being hidden (no coordinated omission);
 2. saturation: CONCURRENCY connections send sales back to back for SATURATION seconds;
 3. direct: the same commit transaction (receipt number, sale, lines, tenders, stock, audit, idempotency key)
    on an APSW connection in this process, back to back, no HTTP, no pricing.
The load comes from `loadgen.py` in its own process (blocking sockets, cheap: it shares the cores with the
server). Prints p50/p99/max, sales/s, the ratio saturation / direct, and the server's CPU per sale (utime +
stime of its process tree over the phase / sales), the figure to compare on a machine shared with other work.
Targets: p99 <= 20 ms at 500/s, ratio >= 1/3. Run with `make bench-checkout`; not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.procs import start, wait_http  # noqa: E402

HOST = "127.0.0.1"


def seed(path: Path, lanes: int) -> list[str]:
    """A store with 1000 products, two promotions and LANES terminals; one cashier token per lane."""
    from pos_grocery.clock import iso_utc
    from pos_grocery.runtime import open_runtime
    from tests.auth_helpers import add_terminal, add_user, issue_token
    from tests.checkout_helpers import open_shift_here
    from tests.conftest import make_settings

    rt = open_runtime(make_settings(path))
    now = iso_utc(time.time())
    try:
        with rt.db.write() as conn:
            conn.execute(
                "INSERT INTO tax_classes (id, name, rate_bp, created_at, updated_at) VALUES "
                "(1, 'VAT', 1800, ?, ?), (2, 'Zero', 0, ?, ?)",
                (now, now, now, now),
            )
            conn.execute(
                "INSERT INTO categories (id, name, created_at, updated_at) VALUES (1, 'All', ?, ?)", (now, now)
            )
            conn.executemany(
                "INSERT INTO products (id, sku, name_en, unit, category_id, tax_class_id, price_retail, weighed, cost, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        i,
                        f"SKU{i}",
                        f"Product {i}",
                        "kg" if i % 10 == 0 else "pc",
                        1 + i % 2,
                        5000 + 37 * i,
                        int(i % 10 == 0),
                        3000 + 20 * i,
                        now,
                        now,
                    )
                    for i in range(1, 1001)
                ],
            )
        user = add_user(rt, "cashier")
        terminals = [add_terminal(rt, f"LANE-{n}") for n in range(1, lanes + 1)]
        tokens = [issue_token(rt, user.id, terminal) for terminal in terminals]
        for terminal in terminals:  # selling needs an open shift on the terminal (docs/SHIFTS.md)
            open_shift_here(rt, terminal, user.id)
        _promotions(rt)
    finally:
        rt.db.close()
    return tokens


def _promotions(rt: Any) -> None:
    """A multibuy and a capped discount, through the promotions service (so the engine has work)."""
    from pos_grocery.audit.service import Actor
    from pos_grocery.promotions.models import DiscountRuleIn, MultibuyIn
    from pos_grocery.promotions.service import create_rule

    actor = Actor(None, "bench")
    create_rule(rt, MultibuyIn(label="3 for 2", product_ids=[101], count=3, price=2 * (5000 + 37 * 101)), actor, None)
    from decimal import Decimal

    create_rule(rt, DiscountRuleIn(label="10% off", product_ids=[151, 201], percent=Decimal(10)), actor, None)


def sale_lines() -> list[dict[str, Any]]:
    """20 lines spread over the catalog (as a real basket is): pieces 1-3 each, two weighed lines with decimals."""
    lines: list[dict[str, Any]] = []
    for n in range(20):
        product = 500 * (n // 10 + 1) if n in (9, 19) else 1 + 50 * n  # 500 and 1000 are weighed (kg)
        quantity: Any = 1.255 if n in (9, 19) else 1 + n % 3
        lines.append({"productId": product, "quantity": quantity})
    return lines


class Client:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (the load must cost little CPU)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """One request on the connection; reconnects when the server closed it."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n"
        )
        self.writer.write(head.encode() + body)
        assert self.reader is not None
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        fields = {
            k.strip().lower(): v.strip()
            for k, _, v in (line.partition(":") for line in raw.decode("latin-1").split("\r\n")[1:] if line)
        }
        if "content-length" in fields:
            return status, await self.reader.readexactly(int(fields["content-length"]))
        return status, await self._chunked()

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        data = b""
        while True:
            size = int((await self.reader.readline()).strip(), 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                return data
            data += chunk[:-2]

    def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()


def load(mode: str, port: int, tmp: Path, **options: float) -> dict[str, Any]:
    """Run the load generator (`loadgen.py`, its own process: cheap, blocking sockets) and return its result."""
    args = [sys.executable, str(Path(__file__).with_name("loadgen.py")), mode, "--port", str(port),
            "--tokens", str(tmp / "tokens.txt"), "--body", str(tmp / "body.json")]
    for name, value in options.items():
        args += [f"--{name}", str(value)]
    done = subprocess.run(args, capture_output=True, check=True, timeout=120)
    result: dict[str, Any] = json.loads(done.stdout)
    if result["bad"] or result["timeouts"]:
        raise RuntimeError(f"{len(result['bad'])} sales failed (e.g. HTTP {result['bad'][:1]}), "
                           f"{result['timeouts']} timed out")
    return result


def direct(path: Path, body: dict[str, Any], seconds: float) -> tuple[float, list[float], float]:
    """The same commit transaction through APSW in this process: sales/s, per-sale seconds, CPU s per sale."""
    import msgspec

    from pos_grocery import idempotency
    from pos_grocery.runtime import open_runtime
    from pos_grocery.sales.commit import commit
    from pos_grocery.sales.service import SCOPE
    from tests.conftest import make_settings

    rt = open_runtime(make_settings(path))
    try:
        draft, ck = _draft(rt, body)
        times: list[float] = []
        stop = time.perf_counter() + seconds
        cpu0 = time.process_time()
        while time.perf_counter() < stop:
            began = time.perf_counter()
            key = str(uuid.uuid4())
            with rt.db.write() as conn:
                idempotency.find(conn, SCOPE, key, "x")
                out = commit(conn, replace(draft, key=key, now=time.time()), ck.store_code)
                idempotency.save(
                    conn,
                    idempotency.Saved(SCOPE, key, "x", 201, msgspec.json.encode(out), "sale", out.id),
                    time.time(),
                    ck.retention_hours,
                )
            times.append(time.perf_counter() - began)
        return len(times) / sum(times), times, (time.process_time() - cpu0) / len(times)
    finally:
        rt.db.close()


def _draft(rt: Any, body: dict[str, Any]) -> tuple[Any, Any]:
    """A priced, settled sale as the HTTP path builds it (once; the loop only commits)."""
    import msgspec

    from pos_grocery.audit.service import Actor
    from pos_grocery.sales.commit import SaleDraft
    from pos_grocery.sales.context import business_date, checkout_of
    from pos_grocery.sales.models import SaleCreate
    from pos_grocery.sales.pricing_input import price_cart
    from pos_grocery.sales.tenders import settle

    ck = checkout_of(rt.settings)
    data = msgspec.json.decode(json.dumps(body).encode(), type=SaleCreate)
    now = time.time()
    cart = price_cart(rt.db.reader, ck, data, now)
    settlement = settle(data.tenders, cart.priced.totals.total_amount, ck.cash_increment, ck.rounding, False)
    draft = SaleDraft(
        terminal_id=1,
        terminal_name="LANE-1",
        cashier=Actor(1, "cashier", 1, "LANE-1"),
        cashier_name="Cashier",
        cart=cart,
        settlement=settlement,
        language="en",
        now=now,
        business_date=business_date(now, ck.tz),
        key="",
        prices_include_tax=True,
        currency="LKR",
    )
    return draft, ck


def tree_cpu(pid: int) -> float:
    """CPU seconds (utime + stime) used so far by a process and all its descendants (granian's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    tree, total, grew = {pid}, 0.0, True
    while grew:
        before = len(tree)
        tree |= {child for child, (parent, _) in stats.items() if parent in tree}
        grew = len(tree) > before
    for member in tree:
        total += stats.get(member, (0, 0.0))[1]
    return total


def ms(values: list[float], q: float) -> float:
    """Quantile q of seconds, in ms."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000.0


def report(name: str, values: list[float], seconds: float | None = None) -> str:
    """One line of figures."""
    rate = f"  {len(values) / seconds:7.0f} sales/s" if seconds else ""
    return (
        f"{name:<36} n {len(values):6d}  p50 {ms(values, 0.5):6.2f}  p99 {ms(values, 0.99):6.2f}  "
        f"max {ms(values, 1.0):7.2f} ms{rate}"
    )


def quote_total(port: int, token: str, lines: list[dict[str, Any]]) -> int:
    """The sale's total from the quote endpoint (so the tenders cover it exactly)."""

    async def ask() -> int:
        client = Client(port)
        status, payload = await client.post(
            "/api/sales/quote", json.dumps({"lines": lines}).encode(), {"Authorization": f"Bearer {token}"}
        )
        client.close()
        assert status == 200, payload
        return int(json.loads(payload)["totals"]["totalAmount"])

    return asyncio.run(ask())


def main() -> None:
    """Run the three phases and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lanes", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--saturation", type=float, default=5.0)
    parser.add_argument("--synchronous", default="FULL")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-checkout-"))
    tokens = seed(tmp, args.lanes)
    (tmp / "tokens.txt").write_text("\n".join(tokens) + "\n", encoding="ascii")
    proc = start("serve", tmp, APP_ENV="production", LOG_LEVEL="warn", DB_SYNCHRONOUS=args.synchronous)
    try:
        wait_http(proc.base + "/api/health/live")
        lines = sale_lines()
        total = quote_total(proc.port, tokens[0], lines)
        body = {
            "lines": lines,
            "tenders": [
                {"method": "card", "amount": total // 2, "reference": "AUTH1"},
                {"method": "cash", "amount": total - total // 2 + 10000},
            ],
        }
        (tmp / "body.json").write_bytes(json.dumps(body).encode())
        load("closed", proc.port, tmp, connections=8, duration=1.0)  # warm-up (code paths, page cache)
        offered = args.lanes / args.interval
        pid = proc.popen.pid
        srv0, wall0 = tree_cpu(pid), time.monotonic()
        opened = load("open", proc.port, tmp, connections=args.lanes, interval=args.interval, duration=args.duration)
        open_wall = time.monotonic() - wall0
        open_cpu = tree_cpu(pid) - srv0
        srv0 = tree_cpu(pid)
        saturated = load("closed", proc.port, tmp, connections=args.concurrency, duration=args.saturation)
        sat_cpu = tree_cpu(pid) - srv0
    finally:
        proc.stop()
    lat, sat = opened["latencies"], saturated["latencies"]
    rate, times, direct_cpu = direct(tmp, body, args.saturation)
    http_rate = len(sat) / args.saturation
    print(f"checkout benchmark: 20 lines, 2 tenders, DB_SYNCHRONOUS={args.synchronous}, database in {tmp}")
    print(report(f"HTTP open loop {offered:.0f}/s offered", lat))
    print(report(f"HTTP saturation ({args.concurrency} connections)", sat, args.saturation))
    print(report("direct APSW transaction", times, sum(times)))
    print(
        f"median latency: open loop {statistics.median(lat) * 1000:.2f} ms, saturation "
        f"{statistics.median(sat) * 1000:.2f} ms, direct {statistics.median(times) * 1000:.2f} ms"
    )
    print(
        f"server CPU per sale (utime+stime of the server's process tree / sales): open loop "
        f"{open_cpu / len(lat) * 1000:.3f} ms, saturation {sat_cpu / len(sat) * 1000:.3f} ms; "
        f"direct APSW {direct_cpu * 1000:.3f} ms"
    )
    print(
        f"during the open loop the server used {open_cpu / open_wall:.0%} of a core, the load generator "
        f"{opened['cpu'] / open_wall:.0%} ({opened['cpu'] / len(lat) * 1e6:.0f} us per sale; "
        f"{saturated['cpu'] / len(sat) * 1e6:.0f} us at saturation)"
    )
    print(
        f"ratio HTTP saturation / direct: {http_rate / rate:.2f} (target >= 0.33); "
        f"open-loop p99 {ms(lat, 0.99):.2f} ms (target <= 20 ms)"
    )


if __name__ == "__main__":
    main()

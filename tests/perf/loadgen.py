"""A cheap HTTP/1.1 load generator for the checkout benchmark, run as its own process.

It shares the machine's two cores with the server it measures, so it must cost little: blocking keep-alive
sockets on loopback, one `selectors` loop, requests pre-built as bytes (only the Idempotency-Key changes), no
asyncio, no HTTP library. Two modes:
- `open`: LANES connections, lane i sends a sale at t0 + i*INTERVAL/LANES + n*INTERVAL (500/s for 50 lanes at
  100 ms). A lane whose previous sale has not been answered sends late, and the latency still runs from the
  *scheduled* start, so a slow server shows as queueing (no coordinated omission). Bounded: nothing is sent
  after DURATION, and requests still open GRACE seconds later count as timeouts.
- `closed`: CONNECTIONS connections send back to back for DURATION seconds (saturation).
Prints one JSON object: latencies (s), non-201 statuses, timeouts, and this process's own CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import sys
import time
import uuid

HOST = "127.0.0.1"
GRACE = 10.0


class Lane:
    """One keep-alive connection and the request it is waiting on."""

    def __init__(self, port: int, token: str, body: bytes) -> None:
        self.sock = socket.create_connection((HOST, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.head = (
            f"POST /api/sales HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: "
        ).encode()
        self.body = b"\r\n\r\n" + body
        self.buf = b""
        self.started = 0.0  # when the pending request was scheduled (open) or sent (closed)
        self.busy = False

    def send(self, started: float) -> None:
        """Send one sale with a new Idempotency-Key."""
        self.started = started
        self.busy = True
        self.sock.sendall(self.head + str(uuid.uuid4()).encode() + self.body)

    def read(self) -> int | None:
        """Read what arrived; the status once a whole response is in, else None."""
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buf += chunk
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buf[:end].decode("latin-1").lower()
        marker = head.find("content-length:")
        if marker < 0:
            raise ValueError("response without content-length")
        length = int(head[marker + 15:].split("\r\n", 1)[0])
        if len(self.buf) < end + 4 + length:
            return None
        self.buf = self.buf[end + 4 + length:]
        self.busy = False
        return int(head[9:12])


class OpenLoop:
    """Lane i's n-th sale is due at t0 + i * interval / lanes + n * interval, while that is before `duration`."""

    def __init__(self, lanes: list[Lane], interval: float, duration: float) -> None:
        self.lanes = lanes
        self.interval = interval
        self.duration = duration
        self.t0 = time.monotonic() + 0.2
        self.sent = [0] * len(lanes)

    def due(self, i: int) -> float | None:
        """When lane i's next sale is due (None when its schedule is over)."""
        at = self.interval * i / len(self.lanes) + self.sent[i] * self.interval
        return self.t0 + at if at < self.duration else None

    def send_due(self, now: float) -> list[float]:
        """Send every idle lane's sale that is due; the next start of each idle lane."""
        upcoming: list[float] = []
        for i, lane in enumerate(self.lanes):
            when = self.due(i)
            if lane.busy or when is None:
                continue
            if when <= now:
                lane.send(when)
                self.sent[i] += 1
                when = self.due(i)
            if when is not None:
                upcoming.append(when)
        return upcoming


def run_open(lanes: list[Lane], interval: float, duration: float) -> tuple[list[float], list[int], int]:
    """Open loop (see the module docstring): latencies from the scheduled start, bad statuses, timeouts."""
    sel = selectors.DefaultSelector()
    for index, lane in enumerate(lanes):
        sel.register(lane.sock, selectors.EVENT_READ, index)
    schedule = OpenLoop(lanes, interval, duration)
    latencies: list[float] = []
    bad: list[int] = []
    deadline = schedule.t0 + duration + GRACE
    while time.monotonic() < deadline:
        upcoming = schedule.send_due(time.monotonic())
        if not upcoming and not any(lane.busy for lane in lanes):
            break
        timeout = max(0.0, min(upcoming) - time.monotonic()) if upcoming else 0.05
        for key, _ in sel.select(timeout):
            lane = lanes[key.data]
            status = lane.read()
            if status is not None:
                latencies.append(time.monotonic() - lane.started)
                if status != 201:
                    bad.append(status)
    return latencies, bad, sum(1 for lane in lanes if lane.busy)


def run_closed(lanes: list[Lane], duration: float) -> tuple[list[float], list[int], int]:
    """Back to back on every connection for `duration` seconds: latencies from each send."""
    sel = selectors.DefaultSelector()
    for index, lane in enumerate(lanes):
        sel.register(lane.sock, selectors.EVENT_READ, index)
    stop = time.monotonic() + duration
    for lane in lanes:
        lane.send(time.monotonic())
    latencies: list[float] = []
    bad: list[int] = []
    deadline = stop + GRACE
    while any(lane.busy for lane in lanes) and time.monotonic() < deadline:
        for key, _ in sel.select(0.05):
            lane = lanes[key.data]
            status = lane.read()
            if status is None:
                continue
            now = time.monotonic()
            latencies.append(now - lane.started)
            if status != 201:
                bad.append(status)
            if now < stop:
                lane.send(now)
    return latencies, bad, sum(1 for lane in lanes if lane.busy)


def main() -> None:
    """Parse the arguments, run one mode, print the JSON result."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["open", "closed"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tokens", required=True, help="file with one bearer token per line (one per lane)")
    parser.add_argument("--body", required=True, help="file with the JSON body of the sale")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    with open(args.tokens, encoding="ascii") as f:
        tokens = [t.strip() for t in f if t.strip()]
    with open(args.body, "rb") as f:
        body = f.read()
    lanes = [Lane(args.port, tokens[i % len(tokens)], body) for i in range(args.connections)]
    cpu0 = time.process_time()
    if args.mode == "open":
        latencies, bad, timeouts = run_open(lanes, args.interval, args.duration)
    else:
        latencies, bad, timeouts = run_closed(lanes, args.duration)
    cpu = time.process_time() - cpu0
    for lane in lanes:
        lane.sock.close()
    json.dump({"latencies": latencies, "bad": bad, "timeouts": timeouts, "cpu": cpu, "pid": os.getpid()}, sys.stdout)


if __name__ == "__main__":
    main()

"""Cold-start benchmark: exec → "listening" log line and → first /health 200, over N runs.

Baseline in the same run: granian serving a bare ASGI app (the floor this machine allows).
Prints min / median / p95 and the share of runs meeting the runbook's 300 ms SLA.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.procs import free_port  # noqa: E402

SLA_MS = 300.0
BARE_APP = '''
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            m = await receive()
            await send({"type": m["type"] + ".complete"})
            if m["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})
'''


def _first_ok(url: str, began: float, proc: subprocess.Popen[bytes], limit: float = 20.0) -> float:
    while time.perf_counter() - began < limit:
        try:
            with urllib.request.urlopen(url, timeout=0.5) as r:
                if r.status == 200:
                    return (time.perf_counter() - began) * 1000.0
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("server exited") from None
            time.sleep(0.002)
    raise TimeoutError(url)


def run_once(cmd: list[str], env: dict[str, str], port: int, log: Path) -> tuple[float, float | None]:
    """One cold start: returns (ms to first /health 200, ms to listening as the server logged it)."""
    with open(log, "wb") as out:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            health_ms = _first_ok(f"http://127.0.0.1:{port}/health", began, proc)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    match = re.search(r"listening on \S+ \((\d+) ms from exec", log.read_text())
    return health_ms, float(match.group(1)) if match else None


def summary(name: str, values: list[float]) -> str:
    """min / median / p95 / share under the SLA."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    share = sum(1 for v in values if v < SLA_MS) / len(values)
    return (f"{name:<34} min {ordered[0]:7.1f}  median {statistics.median(values):7.1f}  p95 {p95:7.1f} ms"
            f"  under {SLA_MS:.0f} ms: {share:4.0%}")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    (tmp / "bare.py").write_text(BARE_APP)
    granian = str(Path(sys.executable).parent / "granian")
    ours_health, ours_listen, bare_health = [], [], []
    for i in range(args.runs):
        port = free_port()
        env = {**os.environ, "PORT": str(port), "DB_PATH": str(tmp / "pos.db"), "SKIP_HARDWARE_CHECKS": "true",
               "APP_ENV": "production", "ENV_FILE": str(tmp / "none")}
        health, listen = run_once([sys.executable, "-m", "pos_grocery", "serve"], env, port, tmp / f"o{i}.log")
        ours_health.append(health)
        if listen is not None:
            ours_listen.append(listen)
        port = free_port()
        bare_cmd = [granian, "--interface", "asgi", "--port", str(port), "--no-access-log", "--working-dir", str(tmp),
                    "bare:app"]
        bare_health.append(run_once(bare_cmd, env, port, tmp / f"b{i}.log")[0])
    print(f"cold starts: {args.runs} (2-core machine; noisy — compare medians)")
    print(summary("pos-grocery exec -> listening (log)", ours_listen))
    print(summary("pos-grocery exec -> first /health", ours_health))
    print(summary("bare granian exec -> first 200", bare_health))
    ratio = statistics.median(ours_health) / statistics.median(bare_health)
    print(f"ratio pos-grocery/bare (median first 200): {ratio:.2f}x")


if __name__ == "__main__":
    main()

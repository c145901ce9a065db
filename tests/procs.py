"""Start and stop real processes (pos-grocery serve / web) for end-to-end tests; always by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
POS = [sys.executable, "-m", "pos_grocery"]


def free_port() -> int:
    """A currently free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes, dict[str, str]]:
    """GET a URL; returns status, body and lower-cased headers (4xx/5xx included)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}


def wait_http(url: str, timeout: float = 15.0) -> None:
    """Poll until the URL answers 200 or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http_get(url, timeout=1.0)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s")


@dataclass
class Proc:
    """A started process with its port and log file."""

    popen: subprocess.Popen[bytes]
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """Everything the process wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Signal the process and wait; kill it if it does not exit in time."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode


def start(command: str, tmp_path: Path, port_var: str = "PORT", **env: str) -> Proc:
    """Start `pos-grocery COMMAND` with a temp database and a free port."""
    port = free_port()
    full_env = {
        **os.environ, "DB_PATH": str(tmp_path / "pos.db"), "SKIP_HARDWARE_CHECKS": "true",
        "APP_ENV": "test", "ENV_FILE": str(tmp_path / "no.env"), port_var: str(port), "DEVICE_PRINT_ON_SALE": "false",
        "DEVICE_SERVICE_URL": "",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{port}"), **env,
    }
    log_path = tmp_path / f"{command}-{port}.log"
    out: IO[bytes] = open(log_path, "wb")  # noqa: SIM115 - handed to the child process
    popen = subprocess.Popen([*POS, command], env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    out.close()
    return Proc(popen, port, log_path, full_env)

"""`make run`'s script (ops/scripts/run-all.sh) stops every server it started, once, on SIGTERM or Ctrl-C.

Real processes: the script starts `pos-grocery devices`, `serve` and `web` on free ports; the test signals the
script's process group as a terminal or `kill -- -PGID` would, then the script again as `make` does when it is
terminated. Two SIGTERMs in a row reaching a granian main process can deadlock it (its signal handler sets a
threading.Event), so the servers must sit in process groups of their own and hear from the script only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.procs import ROOT, free_port

SCRIPT = ROOT / "ops" / "scripts" / "run-all.sh"


def _children(pid: int) -> list[int]:
    """Direct children of `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(text: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in the log within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def test_sigterm_stops_every_server_once(tmp_path: Path) -> None:
    api, web, devices = free_port(), free_port(), free_port()
    env = {**os.environ, "DB_PATH": str(tmp_path / "pos.db"), "ENV_FILE": str(tmp_path / "no.env"),
           "PORT": str(api), "WEB_PORT": str(web), "DEVICE_PORT": str(devices), "NO_SEED": "1",
           "API_UPSTREAM": f"http://127.0.0.1:{api}", "DEVICE_SERVICE_URL": f"http://127.0.0.1:{devices}",
           "DEVICE_STATE_DIR": str(tmp_path / "devices"), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    log = tmp_path / "run-all.log"
    with log.open("wb") as out:
        script = subprocess.Popen(["bash", str(SCRIPT)], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                  start_new_session=True)
    servers: list[int] = []
    try:
        _wait_for("POS Grocery is up", log, 90)
        servers = _children(script.pid)
        assert len(servers) == 3, servers  # devices, serve, web
        assert all(os.getpgid(pid) == pid for pid in servers)  # each in its own group
        os.killpg(script.pid, signal.SIGTERM)  # what `kill -- -PGID` or a terminal sends
        script.send_signal(signal.SIGTERM)  # and what make forwards to its child
        script.wait(timeout=20)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in servers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in servers if _alive(pid)]
        text = log.read_text(errors="replace")
        assert text.count("Granian shutdown completed") == 3, text[-3000:]
        assert "Unexpected exit" not in text  # no worker was signalled behind its main process's back
        assert "did not stop in 10 s" not in text
    finally:
        for pid in [script.pid, *servers]:
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)

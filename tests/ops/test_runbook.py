"""Every `<!-- runnable -->` shell block of docs/RUNBOOK.md, executed against a temporary installation.

The installation mirrors /opt/pos-grocery: `.venv` and `ops/` (links to this checkout), `.env`, `data/`,
`backups/`, `logs/`; blocks run from it with `bash -euo pipefail`, the API served from it on a free port
(`localhost:8250` in a block is rewritten to that port — the only change). `<!-- runnable: api-stopped -->`
blocks run with the API stopped, as the runbook tells the operator to do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.procs import ROOT, free_port, http_get, wait_http

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    os.geteuid() != 0 and not all(shutil.which(t) for t in ("curl", "jq", "promtool")),
    reason="curl, jq and promtool (Debian: curl jq prometheus) are needed to run the runbook's blocks")]
OWNER_PASSWORD = "runbook drill pass 7"
BLOCK = re.compile(r"<!-- runnable(?P<mode>: api-stopped)? -->\n```bash\n(?P<code>.*?)```", re.DOTALL)


@dataclass
class Install:
    """A temporary /opt/pos-grocery with its API process."""

    home: Path
    port: int
    env: dict[str, str]
    api: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the API from the installation directory (it reads .env there)."""
        log = open(self.home / "logs" / "api.log", "ab")  # noqa: SIM115 - handed to the child
        self.api = subprocess.Popen([str(self.home / ".venv" / "bin" / "pos-grocery"), "serve"], cwd=self.home,
                                    env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_http(f"http://127.0.0.1:{self.port}/health")

    def stop(self) -> None:
        """SIGTERM by PID, as systemctl stop does."""
        if self.api is not None and self.api.poll() is None:
            self.api.send_signal(signal.SIGTERM)
            self.api.wait(timeout=15)
        self.api = None


def blocks() -> list[tuple[bool, str]]:
    """(needs the API stopped, code) for every runnable block, in document order."""
    text = (ROOT / "docs" / "RUNBOOK.md").read_text(encoding="utf-8")
    return [(bool(m.group("mode")), m.group("code")) for m in BLOCK.finditer(text)]


@pytest.fixture
def install(tmp_path: Path) -> Iterator[Install]:
    home = tmp_path / "opt" / "pos-grocery"
    for sub in ("data", "backups", "logs"):
        (home / sub).mkdir(parents=True)
    (home / ".venv").symlink_to(ROOT / ".venv")
    (home / "ops").symlink_to(ROOT / "ops")
    port = free_port()
    (home / ".env").write_text(
        f"APP_ENV=production\nPORT={port}\nSKIP_HARDWARE_CHECKS=true\nBACKUP_DIR=./backups\n"
        "BACKUP_LOG=./logs/backup.log\nARCHIVE_DIR=./backups/archive\nARCHIVE_INTERVAL_SECONDS=1\n")
    env = {"PATH": f"{home}/.venv/bin:{os.environ['PATH']}", "HOME": os.environ.get("HOME", "/root"),
           "LANG": "C.UTF-8", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    done = subprocess.run([str(home / ".venv" / "bin" / "pos-grocery"), "migrate"], cwd=home, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    # The operator's back-office account, made as "First admin user" says; the blocks sign in with it.
    done = subprocess.run([str(home / ".venv" / "bin" / "pos-grocery"), "users", "create", "--role", "admin",
                           "--username", "owner"], cwd=home, env=env, input=OWNER_PASSWORD + "\n",
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    env |= {"POS_USER": "owner", "POS_PASSWORD": OWNER_PASSWORD}
    box = Install(home=home, port=port, env=env)
    box.start()
    try:
        deadline = time.monotonic() + 20
        while not json.loads(http_get(f"http://127.0.0.1:{port}/api/health")[1])["backup"]["archive"]["confirmedAt"]:
            assert time.monotonic() < deadline, "the archiver did not start"
            time.sleep(0.1)
        yield box
    finally:
        box.stop()


def test_runbook_has_runnable_blocks_for_each_operation() -> None:
    code = "\n".join(c for _stopped, c in blocks())
    for command in ("pos-grocery backup", "backup --verify", "pos-grocery restore", "restore latest",
                    "--to-time latest", "pos-grocery drill", "promtool test rules", "/api/health/ready",
                    '/api/products/search?q=test" -H "Authorization: Bearer $TOKEN"', "/api/refunds/create"):
        assert command in code, command
    assert any(stopped for stopped, _c in blocks())


def test_every_runnable_block_succeeds(install: Install) -> None:
    for number, (stopped, code) in enumerate(blocks(), start=1):
        script = code.replace("localhost:8250", f"127.0.0.1:{install.port}")
        if stopped:
            install.stop()
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=install.home, env=install.env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, (f"block {number} failed:\n{code}\n--- stdout\n{done.stdout}\n"
                                      f"--- stderr\n{done.stderr}")
        if "/api/refunds/create" in code:  # the runbook's step 6 by hand: 401 without a token, then signed in
            assert done.stdout.splitlines() == ["401", '{"found":0}', '{"ok":true,"backup":true}',
                                                '{"status":404,"code":"SALE_NOT_FOUND"}'], done.stdout
        if "pos-grocery drill" in code:
            assert "PASS: smoke sale completes" in done.stdout and "FAIL" not in done.stdout, done.stdout
        if stopped:
            install.start()

"""The disaster: sales flowing, the API killed with SIGKILL, the database deleted, restored from the archive.

Checkout does not exist yet, so a writer process commits stand-in sales (header, lines, tenders, stock
movements; tests/db/backup_support.py) through `Database.write()` into the database the real
`pos-grocery serve` process archives. Every sale acknowledged more than two archive intervals before the
kill must come back whole; the largest loss is reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import apsw
import pytest

from pos_grocery.db.connection import Database
from pos_grocery.db.migrate import migrate
from tests.db.backup_support import check_sales, create_schema
from tests.procs import POS, ROOT, Proc, free_port, http_get, wait_http

pytestmark = pytest.mark.slow
INTERVAL = 1
WRITER = """
import sys, time
from pos_grocery.db.connection import Database
from tests.db.backup_support import write_sale
db = Database(sys.argv[1]); db.open()
out = open(sys.argv[2], "a", buffering=1)
n = 1
while True:
    began = time.time()
    with db.write() as conn:
        write_sale(conn, n, began)
    out.write(f"{n} {began} {time.time()}\\n")
    n += 1
    time.sleep(0.002)
"""


def start_group(tmp_path: Path, env: dict[str, str]) -> Proc:
    """`pos-grocery serve` in its own process group, so one SIGKILL reaches granian's worker too."""
    port = free_port()
    full = {**os.environ, "DB_PATH": str(tmp_path / "pos.db"), "SKIP_HARDWARE_CHECKS": "true", "APP_ENV": "test",
            "ENV_FILE": str(tmp_path / "no.env"), "PORT": str(port),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{port}"), **env}
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen([*POS, "serve"], env=full, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                 start_new_session=True)
    return Proc(popen, port, log, full)


def _wait_released(db_path: str, timeout: float = 10.0) -> None:
    """Every killed process is gone: nobody holds the database any more."""
    from pos_grocery.backup.inuse import holders

    deadline = time.monotonic() + timeout
    while holders(db_path):
        assert time.monotonic() < deadline, f"still open by {holders(db_path)}"
        time.sleep(0.05)


def _wait_archiving(base: str, timeout: float = 20.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        archive = json.loads(http_get(base + "/api/health")[1])["backup"]["archive"]
        if archive["confirmedAt"]:
            return dict(archive)
        time.sleep(0.1)
    raise TimeoutError("the archiver never confirmed a position")


def test_sigkill_then_restore_brings_back_every_acknowledged_sale(tmp_path: Path) -> None:
    db_path = tmp_path / "pos.db"
    env = {"ARCHIVE_DIR": str(tmp_path / "archive"), "ARCHIVE_INTERVAL_SECONDS": str(INTERVAL),
           "BACKUP_DIR": str(tmp_path / "backups"), "BACKUP_LOG": str(tmp_path / "logs" / "backup.log")}
    db = Database(str(db_path))
    db.open()
    migrate(db.writer)
    create_schema(db)
    db.close()
    api = start_group(tmp_path, env)
    acks = tmp_path / "acks.txt"
    writer = None
    try:
        wait_http(api.base + "/health")
        assert _wait_archiving(api.base)["enabled"] is True
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(acks)], cwd=ROOT)
        time.sleep(4.0)
        lag = _wait_archiving(api.base)["lagSeconds"]
        cut = time.time()
        os.killpg(api.popen.pid, signal.SIGKILL)  # granian's main process and its worker, at once
        os.kill(writer.pid, signal.SIGKILL)
        api.popen.wait()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(api.popen.pid, signal.SIGKILL)
        api.popen.wait()
        if writer is not None:
            writer.kill()
            writer.wait()
    _wait_released(str(db_path))
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"pos.db{suffix}").unlink(missing_ok=True)

    done = subprocess.run([*POS, "restore", "--to-time", "latest"], env=api.env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in acks.read_text().splitlines() if line.strip()]
    acked = {int(n): float(t) for n, _began, t in rows}
    began = {int(n): float(b) for n, b, _t in rows}
    present = check_sales(apsw.Connection(str(db_path)))
    assert len(acked) > 100
    must = {n for n, t in acked.items() if t <= cut - 2 * INTERVAL}
    missing = sorted(set(acked) - present)
    worst = max((cut - acked[n] for n in missing), default=0.0)
    print(f"\nsales acknowledged {len(acked)}, restored {len(present & set(acked))}, "
          f"lost {len(missing)} (the oldest of them acknowledged {worst:.2f} s before the kill); "
          f"archive lag in /api/health before the kill {lag} s")
    assert must <= present, f"lost sales acknowledged >{2 * INTERVAL} s before the kill: {sorted(must - present)[:10]}"
    assert present <= set(began) | {max(began) + 1}
    assert worst <= 2 * INTERVAL + 0.5

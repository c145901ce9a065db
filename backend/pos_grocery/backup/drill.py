"""`pos-grocery drill`: the runbook's seven restore-drill steps, automated against a staging copy.

Production keeps running: the backup is restored into a temporary directory and a second API process
serves it on a free loopback port. Every success criterion gets PASS, FAIL or PENDING (a check that cannot
run yet, e.g. no sales table). The smoke sale and refund run through the API as a drill manager added to
the staging copy only (`smoke.py`). The drill log is written as it goes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import apsw

from pos_grocery.backup import restore, service, smoke
from pos_grocery.backup.models import BackupError, DrillReport, DrillStep
from pos_grocery.backup.replay import iso
from pos_grocery.settings import Settings

START_TIMEOUT = 60.0
# (table, column) pairs that hold the time of the last sale; the first that exists answers step 5.4.
LAST_SALE_COLUMNS = (("sales", "created_at"), ("invoices", "created_at"), ("sales", "completed_at"))


class DrillLog:
    """Appends sections and lines to the drill log (flushed as it goes, like the runbook's `>>`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def section(self, title: str) -> None:
        """`=== TITLE ===`."""
        self.line(f"=== {title} ===")

    def line(self, text: str) -> None:
        """One line, flushed."""
        self._file.write(text.rstrip("\n") + "\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def _http(url: str, timeout: float = 30.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError as exc:
        return 0, str(exc)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Drill:
    """One drill run: staging directory, staging API process, report and log."""

    def __init__(self, settings: Settings, log: DrillLog) -> None:
        self.settings = settings
        self.log = log
        self.report = DrillReport(log_path=log.path)
        self.staging = tempfile.mkdtemp(prefix="pos-drill-")
        self.db_path = os.path.join(self.staging, "pos.db")
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.access: smoke.DrillAccess | None = None

    def record(self, name: str, verdict: str, detail: str, seconds: float = 0.0) -> bool:
        """Add a criterion to the report and the log; True when it passed."""
        self.report.steps.append(DrillStep(name=name, verdict=verdict, detail=detail, seconds=round(seconds, 3)))
        self.log.line(f"{verdict}: {name} - {detail}")
        return verdict == "PASS"

    def preflight(self) -> None:
        """Step 1: document the current system state (production is not stopped)."""
        self.log.section("PRE-DRILL SYSTEM STATE")
        self.log.line(f"date: {iso(time.time())}")
        self.log.line(f"database: {self.settings.db_path}; backups: {self.settings.backup_dir}; "
                      f"archive: {self.settings.archive_dir or 'off'}")
        status, body = _http(f"http://{self.settings.host}:{self.settings.port}/api/health", timeout=3.0)
        self.log.line(f"production /api/health: {status or 'not reachable'} {body[:600]}")
        for line in restore.listing(self.settings):
            self.log.line(line)

    def select(self, backup: str, to_time: str | None) -> None:
        """Step 2: the backup (or archive moment) and its age against the RPO."""
        self.log.section("BACKUP SELECTION")
        if to_time is not None:
            self.log.line(f"source: archive up to {to_time}")
            return
        item = service.resolve_backup(self.settings, backup)
        age = (time.time() - item.taken_at) / 3600
        self.log.line(f"selected backup: {item.path} ({item.size_bytes} bytes)")
        self.log.line(f"backup age: {age:.1f} hours")
        limit = self.settings.backup_max_age_hours
        self.record("backup within RPO", "PASS" if age <= limit else "FAIL", f"{age:.1f} h old (RPO {limit} h)")

    def restore(self, backup: str, to_time: str | None) -> bool:
        """Step 3: restore into the staging directory (checksum, integrity, migrations)."""
        self.log.section("DATABASE RESTORE")
        began = time.monotonic()
        try:
            done = restore.restore(self.settings, None if to_time else backup, to_time, force=True,
                                   target=self.db_path)
        except BackupError as exc:
            return self.record("restore", "FAIL", str(exc), time.monotonic() - began)
        self.log.line(f"restored {done.source} (data as of {iso(done.data_as_of)}, schema {done.schema_version:04d})")
        return self.record("restore", "PASS", f"{done.seconds:.1f} s, integrity ok", done.seconds)

    def start_service(self) -> bool:
        """Step 4: a staging API on a free loopback port; archiving, schedules and the store's devices off."""
        self.log.section("SERVICE START")
        # No device service: the smoke sale must not print on, or open the drawer of, a real lane.
        env = {**os.environ, "DB_PATH": self.db_path, "PORT": str(self.port), "HOST": "127.0.0.1",
               "ARCHIVE_DIR": "", "BACKUP_SCHEDULE": "", "SKIP_HARDWARE_CHECKS": "true",
               "DEVICE_SERVICE_URL": "", "DEVICE_PRINT_ON_SALE": "false",
               "BACKUP_LOG": os.path.join(self.staging, "backup.log"),
               "PROMETHEUS_MULTIPROC_DIR": os.path.join(self.staging, "metrics")}
        began = time.monotonic()
        out = open(os.path.join(self.staging, "serve.log"), "wb")  # noqa: SIM115 - handed to the child
        # Its own process group: granian runs a worker process, and a hung stop must not leave it behind.
        self.proc = subprocess.Popen([sys.executable, "-m", "pos_grocery", "serve"], env=env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        while time.monotonic() - began < START_TIMEOUT and self.proc.poll() is None:
            if _http(self.base + "/health", timeout=1.0)[0] == 200:
                took = time.monotonic() - began
                return self.record("service starts", "PASS", f"staging API on port {self.port} in {took:.1f} s", took)
            time.sleep(0.05)
        tail = Path(self.staging, "serve.log").read_text(errors="replace")[-800:]
        return self.record("service starts", "FAIL", f"no /health within {START_TIMEOUT:.0f} s: {tail}")

    @property
    def base(self) -> str:
        """The staging API's URL."""
        return f"http://127.0.0.1:{self.port}"

    def health(self) -> None:
        """Step 5: /health, readiness and integrity of the restored database."""
        self.log.section("HEALTH VERIFICATION")
        for name, path in (("/health returns 200", "/health"), ("/api/health/ready returns 200", "/api/health/ready"),
                           ("/api/health/integrity passes all checks", "/api/health/integrity")):
            began = time.monotonic()
            status, body = _http(self.base + path)
            self.log.line(f"GET {path} -> {status} {body[:600]}")
            took = time.monotonic() - began
            self.record(name, "PASS" if status == 200 else "FAIL", f"HTTP {status} in {took:.1f} s", took)

    def last_sale(self) -> None:
        """Step 5.4: the newest restored sale is within the RPO of production's newest (or of now)."""
        restored = _newest_sale(self.db_path)
        if restored is None:
            self.record("last invoice within RPO", "PENDING", "no sales table yet (checkout not built)")
            return
        column, value = restored
        live = _newest_sale(self.settings.db_path)
        live_value = live[1] if live else None
        shown = live_value or ("no sales" if live else "not readable")
        self.log.line(f"Last invoice date: {value} ({column}); production: {shown}")
        if value is None:
            verdict = "PASS" if live_value is None else "FAIL"
            self.record("last invoice within RPO", verdict, f"no sales restored; production's newest: {live_value}")
            return
        reference = _epoch(live_value) if live_value else time.time()
        newest = _epoch(value)
        gap = None if newest is None or reference is None else (reference - newest) / 3600
        ok = gap is not None and gap <= self.settings.backup_max_age_hours
        self.record("last invoice within RPO", "PASS" if ok else "FAIL",
                    f"{value} is {'?' if gap is None else f'{gap:.1f}'} h behind "
                    f"{'production' if live_value else 'now'} (RPO {self.settings.backup_max_age_hours} h)")

    def prepare_access(self) -> bool:
        """The PIN key came back with the database; then the drill's own manager and terminal (staging only)."""
        verdict, detail = smoke.key_check(self.settings, self.db_path)
        self.record("PIN key restored", verdict, detail)
        try:
            self.access = smoke.mint_access(smoke.staging_settings(self.settings, self.db_path))
        except Exception as exc:  # noqa: BLE001 - any failure here is a drill finding, reported as such
            return self.record("drill user created in the staging copy", "FAIL", f"{type(exc).__name__}: {exc}")
        self.log.line(f"drill user {self.access.username} and terminal {self.access.terminal} added to the "
                      f"staging copy in {self.access.seconds:.2f} s (not counted in the RTO)")
        return True

    def functional(self) -> None:
        """Step 6: sign in, the runbook's search, a smoke sale and its refund through the staging API."""
        self.log.section("FUNCTIONAL TESTING")
        status, body = _http(self.base + "/api/health")
        self.log.line(f"GET /api/health -> {status} {body[:300]}")
        if self.access is None:
            for name in ("smoke sale completes", "refund completes"):
                self.record(name, "FAIL", "no drill user to sign in with")
        else:
            smoke.Smoke(smoke.Api(self.base), self.access, self.db_path,
                        lambda n, v, d, s: self.record(n, v, d, s), self.log.line).run()
        self.log.line("Functional testing completed")

    def stop(self) -> None:
        """Stop the staging API by PID (SIGTERM drains it); its whole group if it does not stop in time."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group is ours alone (start_new_session)
        self.proc.wait()


def _newest_sale(path: str) -> tuple[str, str | None] | None:
    """(column, newest value or None when empty) of the first known sales column; None when no table."""
    if not os.path.exists(path):
        return None
    try:
        conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY)
    except apsw.Error:
        return None
    try:
        for table, column in LAST_SALE_COLUMNS:
            columns = {str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")}
            if column in columns:
                for row in conn.execute(f'SELECT MAX("{column}") FROM "{table}"'):
                    return f"{table}.{column}", None if row[0] is None else str(row[0])
    except apsw.Error:
        return None
    finally:
        conn.close()
    return None


def _epoch(value: str) -> float | None:
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return None


def default_log_path(settings: Settings) -> str:
    """`drill-YYYYMMDD_HHMMSS.log` beside the backup log (the runbook keeps them in logs/)."""
    return str(Path(settings.backup_log).expanduser().parent / time.strftime("drill-%Y%m%d_%H%M%S.log"))


def run_drill(settings: Settings, backup: str = "latest", to_time: str | None = None,
              log_path: str | None = None, keep: bool = False) -> DrillReport:
    """Run every step; the report says PASS/FAIL/PENDING per criterion and the measured RTO."""
    log = DrillLog(log_path or default_log_path(settings))
    drill = Drill(replace(settings), log)
    try:
        _steps(drill, backup, to_time)
    finally:
        drill.stop()
        _results(drill)
        log.close()
        if not keep:
            shutil.rmtree(drill.staging, ignore_errors=True)
    return drill.report


def _steps(drill: Drill, backup: str, to_time: str | None) -> None:
    drill.preflight()
    try:
        drill.select(backup, to_time)
    except BackupError as exc:
        drill.record("backup selection", "FAIL", str(exc))
        return
    began = time.monotonic()
    if not drill.restore(backup, to_time):
        return
    drill.prepare_access()
    if not drill.start_service():
        return
    drill.health()
    own = drill.access.seconds if drill.access else 0.0  # the drill's own set-up is not part of a recovery
    drill.report.rto_seconds = time.monotonic() - began - own
    drill.last_sale()
    drill.functional()


def _results(drill: Drill) -> None:
    """Step 7: RTO against the target and the verdict per criterion."""
    rto, target = drill.report.rto_seconds, drill.settings.drill_rto_seconds
    drill.log.section("DRILL RESULTS")
    if rto is None:
        drill.record("total restore time within RTO", "FAIL", "the restore did not complete")
    else:
        drill.log.line(f"Restore completed at: {iso(time.time())}; RTO measured: {rto:.1f} s")
        drill.record("total restore time within RTO", "PASS" if rto <= target else "FAIL",
                     f"{rto:.1f} s (target {target} s)", rto)
    summary = {s.verdict: 0 for s in drill.report.steps}
    for s in drill.report.steps:
        summary[s.verdict] += 1
    drill.log.line("Status: " + ("SUCCESS" if drill.report.passed(strict=False) else "FAILED")
                   + " " + json.dumps(summary, sort_keys=True))
    service.log_line(drill.settings, f"Drill {'passed' if drill.report.passed(False) else 'FAILED'} - "
                                     f"RTO {'n/a' if rto is None else f'{rto:.1f} s'}; log {drill.log.path}")

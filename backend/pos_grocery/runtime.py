"""What a running API process holds: settings, database, start-up report, clock."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pos_grocery.db.connection import Database
from pos_grocery.db.migrate import migrate
from pos_grocery.settings import Settings

EXEC_TS_ENV = "POS_EXEC_TS"


def process_start_time() -> float:
    """Wall-clock time the process was exec'd, from /proc (10 ms resolution); now when unavailable.

    /proc/stat's btime has whole-second resolution, so the age is taken against /proc/uptime instead.
    """
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_after_boot = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - max(0.0, uptime - started_after_boot)
    except (OSError, ValueError, IndexError):
        return time.time()


def rss_bytes() -> int:
    """Current resident set size of this process."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass(slots=True)
class StartupReport:
    """Start-up timings; the hardware check lands after listening, from the background thread."""

    process_start: float
    db_init_ms: float = 0.0
    listening_at: float | None = None
    app_ready_at: float | None = None
    hardware_check_ms: float | None = None
    hardware_status: str = "pending"
    hardware_detail: str = ""
    rss_at_listening: int = 0
    migrations_applied: tuple[str, ...] = ()

    @property
    def listening_ms(self) -> float | None:
        """Exec to listening, in milliseconds."""
        if self.listening_at is None:
            return None
        return (self.listening_at - self.process_start) * 1000.0


@dataclass(slots=True)
class Runtime:
    """Everything a request handler may need from the process."""

    settings: Settings
    db: Database
    startup: StartupReport
    started_monotonic: float = field(default_factory=time.monotonic)
    # Wall clock in epoch seconds; tests replace it to move time (lock-outs, session expiry, holds).
    clock: Callable[[], float] = time.time

    @property
    def uptime_seconds(self) -> float:
        """Seconds since the runtime opened."""
        return time.monotonic() - self.started_monotonic


def exec_timestamp() -> float:
    """The exec time handed down by `pos-grocery serve`, else this process's own start."""
    raw = os.environ.get(EXEC_TS_ENV)
    if raw:
        try:
            return float(raw)
        except ValueError:
            pass
    return process_start_time()


def open_runtime(settings: Settings, process_start: float | None = None) -> Runtime:
    """Open the database and apply migrations (unless SKIP_MIGRATIONS), timing the work."""
    startup = StartupReport(process_start=process_start if process_start is not None else exec_timestamp())
    began = time.perf_counter()
    db = Database(settings.db_path, settings.db_synchronous, settings.db_busy_timeout_ms)
    db.open()
    if not settings.skip_migrations:
        startup.migrations_applied = tuple(migrate(db.writer))
    startup.db_init_ms = (time.perf_counter() - began) * 1000.0
    return Runtime(settings=settings, db=db, startup=startup)

"""In-process operations for one-PC shops: the WAL archiver thread and the optional daily backup time.

Started by the API after it is ready (never before listening) and stopped before the database closes,
so the archiver's last copy includes every commit. With several workers only the one holding the lock
file runs them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from pos_grocery.backup.archive import WalArchiver
from pos_grocery.settings import Settings

STOP_TIMEOUT = 4.0  # granian kills a worker 5 s after SIGTERM
BACKUP_NICE = 10


def next_run(schedule: str, now: datetime) -> datetime:
    """The next local HH:MM strictly after `now`."""
    hour, minute = (int(part) for part in schedule.split(":"))
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


def _lower_priority() -> None:
    """Backups run niced so sales keep their latency (the child process only)."""
    with contextlib.suppress(OSError):
        os.nice(BACKUP_NICE)


class OpsRunner:
    """Owns the archiver and scheduler threads of this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.archiver: WalArchiver | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._lock_fd: int | None = None

    def start(self) -> None:
        """Start what the settings ask for; a second worker of the same database starts nothing."""
        if not (self.settings.archive_dir or self.settings.backup_schedule) or not self._take_lock():
            return
        if self.settings.archive_dir:
            self.archiver = WalArchiver(self.settings)
            self._spawn(self.archiver.run, "wal-archiver")
        if self.settings.backup_schedule:
            self._spawn(self._schedule_loop, "backup-schedule")

    def _spawn(self, target: object, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _take_lock(self) -> bool:
        path = str(Path(self.settings.db_path).expanduser().resolve()) + ".ops.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def _schedule_loop(self) -> None:
        from loguru import logger

        while True:
            due = next_run(self.settings.backup_schedule, datetime.now())
            if self._stop.wait(max(0.0, (due - datetime.now()).total_seconds())):
                return
            logger.info("scheduled backup starting (BACKUP_SCHEDULE={})", self.settings.backup_schedule)
            status, last = self.run_backup_now()
            (logger.info if status == 0 else logger.error)("scheduled backup finished with status {}: {}", status, last)

    def run_backup_now(self) -> tuple[int, str]:
        """`pos-grocery backup` in a niced child process (its own memory, the API's CPU priority untouched).

        The child gets this process's database and backup places explicitly: the API's settings may have come
        from a `.env` the child would read differently. Returns the exit status and the last output line.
        """
        env = {**os.environ, "DB_PATH": self.settings.db_path, "BACKUP_DIR": self.settings.backup_dir,
               "BACKUP_LOG": self.settings.backup_log}
        done = subprocess.run([sys.executable, "-m", "pos_grocery", "backup"], capture_output=True, text=True,
                              check=False, env=env, preexec_fn=_lower_priority)  # noqa: PLW1509
        text = (done.stdout + done.stderr).strip().splitlines()
        return done.returncode, text[-1] if text else ""

    def stop(self) -> None:
        """Stop the threads: the archiver copies what is left and releases the database."""
        self._stop.set()
        if self.archiver is not None:
            self.archiver.stop_event.set()
        deadline = time.monotonic() + STOP_TIMEOUT
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def start_ops(settings: Settings) -> OpsRunner:
    """Create and start the runner (called from the API's build thread)."""
    runner = OpsRunner(settings)
    runner.start()
    return runner

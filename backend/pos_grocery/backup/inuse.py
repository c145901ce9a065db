"""Who has the database open: SQLite's own "dead man switch" lock on the -shm file, and /proc for names."""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
from pathlib import Path

from pos_grocery.backup.wal import shm_descriptor

# Every SQLite connection in WAL mode holds a shared lock on this byte of the -shm file while open
# (os_unix.c: UNIX_SHM_DMS = (22 + SQLITE_SHM_NLOCK) * 4 + SQLITE_SHM_NLOCK = 128).
SHM_DMS_BYTE = 128
FLOCK_FORMAT = "@hhqqi"
FLOCK_SIZE = 32


def _shm_holder(db_path: str) -> int | None:
    """PID of another process holding the -shm dead-man-switch lock, or None."""
    try:
        fd = shm_descriptor(db_path + "-shm")  # never closed: see wal.py on POSIX locks
    except OSError:
        return None
    query = struct.pack(FLOCK_FORMAT, fcntl.F_WRLCK, os.SEEK_SET, SHM_DMS_BYTE, 1, 0)
    query += b"\0" * (FLOCK_SIZE - len(query))
    answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
    kind, _whence, _start, _len, pid = struct.unpack(FLOCK_FORMAT, answer[:struct.calcsize(FLOCK_FORMAT)])
    return None if kind == fcntl.F_UNLCK else pid


def _proc_holders(db_path: str) -> set[int]:
    """PIDs whose open files include the database or its companions (Linux /proc)."""
    wanted = {db_path, db_path + "-wal", db_path + "-shm"}
    found: set[int] = set()
    me = os.getpid()
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        if pid == me:
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in wanted:
                        found.add(pid)
                        break
    return found


def command_line(pid: int) -> str:
    """A process's command line, or '?'."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip() or "?"


def holders(db_path: str) -> list[tuple[int, str]]:
    """Other processes that have the database open, with their command lines."""
    path = str(Path(db_path).expanduser().resolve())
    pids = _proc_holders(path)
    shm_pid = _shm_holder(path)
    if shm_pid:
        pids.add(shm_pid)
    return [(pid, command_line(pid)) for pid in sorted(pids)]


def in_use_message(db_path: str, found: list[tuple[int, str]]) -> str:
    """The refusal, with how to stop the API under each process manager."""
    who = "; ".join(f"PID {pid}: {cmd[:80]}" for pid, cmd in found)
    first = found[0][0]
    return (f"the database {db_path} is open by another process ({who}). Stop the API first: "
            f"`sudo systemctl stop pos-grocery-api` (systemd), `pm2 stop pos-server` (PM2), "
            f"or `kill -TERM {first}`; then run the restore again")

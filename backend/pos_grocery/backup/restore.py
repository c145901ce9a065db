"""`pos-grocery restore`: validate, move the current database aside, swap atomically, check, roll back."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import apsw

from pos_grocery.backup import files, inuse, replay, service
from pos_grocery.backup.models import BackupError, CheckedCopy
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import connect, fetch_all
from pos_grocery.db.migrate import MigrationError, migrate, status
from pos_grocery.settings import Settings

DB_MODE = 0o660


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What was restored, where the previous database went, how long it took."""

    target: str
    source: str
    aside: tuple[str, ...]
    schema_version: int
    data_as_of: float
    seconds: float
    notes: tuple[str, ...]


def parse_time(raw: str) -> float | None:
    """`latest`/`now` (None) or an ISO 8601 moment; without an offset it is the machine's local time."""
    word = raw.strip()
    if word.lower() in ("latest", "now"):
        return None
    try:
        moment = datetime.fromisoformat(word.replace(" ", "T", 1) if "T" not in word else word)
    except ValueError:
        raise BackupError(f"--to-time {raw!r} is not a time: use e.g. 2025-01-15T10:30:00 or latest") from None
    return moment.timestamp()


def ensure_not_in_use(target: str) -> None:
    """Refuse while any other process (the API above all) has the database open."""
    found = inuse.holders(target)
    if found:
        raise BackupError(inuse.in_use_message(target, found))


def _check_writable(directory: str) -> None:
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".restore-probe-"):
            pass
    except OSError as exc:
        raise files.explain_os_error(exc, f"cannot write the database directory {directory}") from None


def restore(settings: Settings, backup: str | None, to_time: str | None, force: bool = False,
            target: str | None = None) -> RestoreResult:
    """Restore a backup (or the archive up to a time) over DB_PATH (or `target`)."""
    began = time.monotonic()
    dest = str(Path(target or settings.db_path).expanduser().resolve())
    ensure_not_in_use(dest)
    _check_writable(os.path.dirname(dest))
    copy = _prepare(settings, backup, to_time, force, os.path.dirname(dest))
    try:
        ensure_not_in_use(dest)
        aside = _swap(copy.path, dest)
    except BaseException:
        files.remove_quietly(copy.path)
        raise
    try:
        version, ended = _post_check(dest, settings)
    except BackupError as exc:
        _roll_back(dest, aside)
        raise BackupError(f"{exc}; the previous database was put back") from None
    kept_in = settings.archive_dir if to_time is not None else settings.backup_dir
    notes = copy.notes + tuple(service.restore_companions(str(Path(kept_in).expanduser()), dest,
                                                          time.strftime("%Y%m%d_%H%M%S")))
    if ended:
        notes += (f"{ended} session(s) open in the restored data ended: lanes and back office sign in again",)
    result = RestoreResult(target=dest, source=copy.source, aside=tuple(aside), schema_version=version,
                           data_as_of=copy.taken_at, seconds=time.monotonic() - began, notes=notes)
    service.log_line(settings, f"Restore completed - {copy.source} -> {dest} in {result.seconds:.1f} s"
                               + (f" (previous database kept as {aside[0]})" if aside else ""))
    return result


def _prepare(settings: Settings, backup: str | None, to_time: str | None, force: bool, work_dir: str) -> CheckedCopy:
    if to_time is not None:
        if not settings.archive_dir:
            raise BackupError("--to-time needs the archive: ARCHIVE_DIR is not set")
        return replay.rebuild(settings.archive_dir, parse_time(to_time), work_dir)
    if backup is None:
        raise BackupError("name a backup (or `latest`), or pass --to-time")
    item = service.resolve_backup(settings, backup)
    return service.validate_backup(item, settings.backup_max_age_hours, force, work_dir)


def _swap(checked: str, dest: str) -> list[str]:
    """Move the current database (and its -wal/-shm) aside, then rename the checked copy into place."""
    stamp = time.strftime("%Y%m%d_%H%M%S")
    aside_base = f"{dest}.pre-restore.{stamp}"
    owner = os.stat(dest) if os.path.exists(dest) else None
    moved: list[str] = []
    try:
        for path in files.db_family(dest):
            new = aside_base + path[len(dest):]
            os.rename(path, new)
            moved.append(new)
        os.chmod(checked, DB_MODE)
        if owner is not None and os.geteuid() == 0:
            os.chown(checked, owner.st_uid, owner.st_gid)
        os.rename(checked, dest)
        files.fsync_dir(os.path.dirname(dest))
    except OSError as exc:
        _roll_back(dest, moved, remove_target=False)
        raise files.explain_os_error(exc, f"cannot put the restored database at {dest}") from None
    return moved


def _end_sessions(conn: apsw.Connection) -> int:
    """End every session still open in the restored data (a token signed out after the backup must not revive)."""
    if not fetch_all(conn, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sessions'"):
        return 0
    with conn:
        conn.execute("UPDATE sessions SET ended_at = ?, end_reason = 'restore' WHERE ended_at IS NULL",
                     (iso_utc(time.time()),))
        ended = conn.changes()
    return ended


def _post_check(dest: str, settings: Settings) -> tuple[int, int]:
    """The restored file opens in WAL mode, passes quick_check, its migrations are current; sessions ended."""
    try:
        conn = connect(dest, settings.db_synchronous, settings.db_busy_timeout_ms)
    except apsw.Error as exc:
        raise BackupError(f"the restored database does not open ({exc})") from None
    try:
        rows = [str(r[0]) for r in fetch_all(conn, "PRAGMA quick_check")]
        if rows != ["ok"]:
            raise BackupError("the restored database fails quick_check: " + "; ".join(rows[:3]))
        if not settings.skip_migrations:
            migrate(conn)
        state = status(conn)
        if state.problems or (state.pending and not settings.skip_migrations):
            raise BackupError("migrations are not current after restore: " + "; ".join(state.problems))
        return (max(state.applied) if state.applied else 0), _end_sessions(conn)
    except (apsw.Error, MigrationError) as exc:
        raise BackupError(f"the restored database fails its checks ({exc})") from None
    finally:
        conn.close()
        os.chmod(dest, DB_MODE)


def _roll_back(dest: str, aside: list[str], remove_target: bool = True) -> None:
    """Put the pre-restore files back exactly where they were."""
    if remove_target:
        files.remove_quietly(*files.db_family(dest))
    base = aside[0] if aside else ""
    for path in aside:
        with contextlib.suppress(OSError):
            os.rename(path, dest + path[len(base):])


def listing(settings: Settings) -> list[str]:
    """The runbook's `restore.sh` without arguments: every backup and what the archive can restore."""
    lines = [f"backups in {Path(settings.backup_dir).expanduser().resolve()}:"]
    found = files.list_backups(str(Path(settings.backup_dir).expanduser()))
    now = time.time()
    for item in found:
        check = "sha256" if item.has_checksum else "NO CHECKSUM"
        lines.append(f"  {item.name}  {item.size_bytes:>12} bytes  {(now - item.taken_at) / 3600:7.1f} h old  {check}")
    if not found:
        lines.append("  (none)")
    if settings.archive_dir:
        lines.append(f"archive in {Path(settings.archive_dir).expanduser().resolve()} (restore --to-time T):")
        spans = replay.coverage(settings.archive_dir)
        for span in spans:
            lines.append(f"  {replay.iso(span.first)} .. {replay.iso(span.last)}  stream {span.stream} "
                         f"({span.bases} base(s), {span.segments} segment(s))")
        if not spans:
            lines.append("  (empty)")
    lines.append("restore with: pos-grocery restore pos_YYYYMMDD_HHMMSS.db.gz | latest  [--force]"
                 + ("  or  --to-time 'YYYY-MM-DDTHH:MM:SS' | latest" if settings.archive_dir else ""))
    return lines

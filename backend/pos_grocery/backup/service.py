"""`pos-grocery backup` and `backup --verify`: consistent gzip copies with checksums, retention, state, log."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

import apsw
import msgspec

from pos_grocery.backup import files, snapshot
from pos_grocery.backup.models import BackupError, BackupFile, BackupResult, BackupState, CheckedCopy
from pos_grocery.settings import Settings

STATE_NAME = "backup-state.json"
# Files beside the database that must travel with it: the PIN lookup key (auth/hashing.py SECRET_FILE).
COMPANIONS = ("auth_secret",)


def state_path(settings: Settings) -> str:
    """The state file lives beside the backup log (not in BACKUP_DIR, so a full backup disk is recorded)."""
    return str(Path(settings.backup_log).expanduser().parent / STATE_NAME)


def load_state(settings: Settings) -> BackupState:
    """The recorded state, or an empty one."""
    try:
        return msgspec.json.decode(Path(state_path(settings)).read_bytes(), type=BackupState)
    except (OSError, msgspec.DecodeError):
        return BackupState()


def _save_state(settings: Settings, state: BackupState) -> None:
    path = state_path(settings)
    with contextlib.suppress(OSError):  # the log line and the exit status still report the run
        os.makedirs(os.path.dirname(path), exist_ok=True)
        files.write_atomic(path, msgspec.json.encode(state), durable=False)


def log_line(settings: Settings, message: str) -> None:
    """Append one line to the backup log (the runbook's `/var/log/pos/backup.log`)."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with contextlib.suppress(OSError):
        path = Path(settings.backup_log).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{stamp}: {message}\n")


def backup_dir(settings: Settings, create: bool = False) -> str:
    """The backup directory; missing is an error unless asked to create it (a missing mount must not pass)."""
    directory = Path(settings.backup_dir).expanduser().resolve()
    if create:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise files.explain_os_error(exc, f"cannot create backup directory {directory}") from None
    if not directory.is_dir():
        raise BackupError(
            f"backup directory {directory} does not exist (is the backup disk mounted?): create it or set BACKUP_DIR"
        )
    return str(directory)


def _fresh_name(directory: str) -> str:
    """A name not yet used: two backups within one second wait for the next second."""
    for _ in range(3):
        name = files.backup_name(time.time())
        if not os.path.exists(os.path.join(directory, name)):
            return name
        time.sleep(1.0 - time.time() % 1.0 + 0.01)
    raise BackupError(f"cannot find a free backup name in {directory}")


def run_backup(settings: Settings, create_dir: bool = False) -> BackupResult:
    """Take, check, compress and keep one backup; records success or failure in the state and the log."""
    began = time.monotonic()
    try:
        result = _take(settings, backup_dir(settings, create_dir), began)
    except BackupError as exc:
        _record_failure(settings, str(exc))
        raise
    state = load_state(settings)
    state.last_success_at = result.file.taken_at
    state.last_file, state.last_size_bytes = result.file.name, result.file.size_bytes
    state.last_duration_seconds = round(result.duration_seconds, 3)
    state.consecutive_failures, state.last_error = 0, None
    _save_state(settings, state)
    log_line(
        settings,
        f"Backup created - {result.file.name} ({result.file.size_bytes} bytes, "
        f"{result.duration_seconds:.1f} s, sha256 {result.sha256[:16]})",
    )
    return result


def _record_failure(settings: Settings, reason: str) -> None:
    state = load_state(settings)
    state.last_failure_at, state.last_error = time.time(), reason
    state.consecutive_failures += 1
    state.total_failures += 1
    _save_state(settings, state)
    log_line(settings, f"Backup FAILED - {reason}")


def _take(settings: Settings, directory: str, began: float) -> BackupResult:
    name = _fresh_name(directory)
    final = os.path.join(directory, name)
    tmp_db = os.path.join(directory, f".{name}.{os.getpid()}.db")
    tmp_gz = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        source = snapshot.open_source(settings.db_path, settings.db_busy_timeout_ms)
        try:
            snapshot.pin(source)
            snapshot.copy_snapshot(source, tmp_db)
        finally:
            source.close()
        db_bytes = os.path.getsize(tmp_db)
        version = snapshot.check_copy(tmp_db, allow_newer=True)
        digest, size = files.compress_file(tmp_db, tmp_gz, settings.backup_gzip_level)
        files.remove_quietly(tmp_db)
        os.chmod(tmp_gz, files.FILE_MODE)
        os.replace(tmp_gz, final)
        files.fsync_dir(directory)
        files.write_sidecar(final, digest)
        os.chmod(final + files.SIDECAR, files.FILE_MODE)
    except OSError as exc:
        files.remove_quietly(final, final + files.SIDECAR)
        raise files.explain_os_error(exc, f"cannot write backup into {directory}") from None
    except apsw.FullError:
        raise BackupError(
            f"cannot write backup into {directory}: the disk is full: free space or point BACKUP_DIR at a larger disk"
        ) from None
    except apsw.Error as exc:
        raise BackupError(f"copying the database into {directory} failed: {exc}") from None
    finally:
        files.remove_quietly(tmp_db, tmp_gz, tmp_db + "-journal")
    taken = files.parse_backup_name(name) or time.time()
    kept = BackupFile(path=final, name=name, taken_at=taken, size_bytes=size, has_checksum=True)
    save_companions(settings.db_path, directory)
    pruned = prune(directory, settings.backup_retention_days, settings.backup_retention_count, keep=name)
    return BackupResult(
        file=kept,
        sha256=digest,
        duration_seconds=time.monotonic() - began,
        db_bytes=db_bytes,
        schema_version=version,
        pruned=tuple(pruned),
    )


def prune(directory: str, days: int, count: int, keep: str) -> list[str]:
    """Delete backups older than `days` or beyond the newest `count` (0 = no limit); never the newest."""
    removed: list[str] = []
    now = time.time()
    for position, item in enumerate(files.list_backups(directory)):
        if position == 0 or item.name == keep:
            continue
        too_old = days > 0 and now - item.taken_at > days * 86400
        too_many = count > 0 and position >= count
        if too_old or too_many:
            files.remove_quietly(item.path, item.path + files.SIDECAR)
            removed.append(item.name)
    return removed


def resolve_backup(settings: Settings, given: str) -> BackupFile:
    """A backup named on the command line: a path, a file name in BACKUP_DIR, or `latest`."""
    directory = str(Path(settings.backup_dir).expanduser().resolve())
    if given == "latest":
        found = files.list_backups(directory)
        if not found:
            raise BackupError(f"no backups in {directory}")
        return found[0]
    path = Path(given).expanduser()
    if not path.exists() and not path.is_absolute():
        path = Path(directory) / given
    if not path.is_file():
        raise BackupError(f"backup {given} not found (looked in {directory})")
    taken = files.parse_backup_name(path.name) or path.stat().st_mtime
    return BackupFile(
        path=str(path.resolve()),
        name=path.name,
        taken_at=taken,
        size_bytes=path.stat().st_size,
        has_checksum=os.path.exists(str(path) + files.SIDECAR),
    )


def validate_backup(item: BackupFile, max_age_hours: float, force: bool, work_dir: str) -> CheckedCopy:
    """Checksum, age (RPO), decompression and integrity/schema checks; returns a checked temp copy."""
    files.check_sidecar(item.path)
    age_hours = (time.time() - item.taken_at) / 3600
    notes: list[str] = []
    if age_hours > max_age_hours:
        if not force:
            raise BackupError(
                f"{item.name} is {age_hours:.1f} h old, older than the RPO of {max_age_hours:g} h: "
                "choose a newer backup or pass --force to accept it"
            )
        notes.append(f"accepted with --force although {age_hours:.1f} h old")
    fd, tmp = tempfile.mkstemp(prefix=".restore-", suffix=".db", dir=work_dir)
    os.close(fd)
    try:
        files.decompress_file(item.path, tmp)
        version = snapshot.check_copy(tmp)
    except OSError as exc:
        files.remove_quietly(tmp)
        raise files.explain_os_error(exc, f"cannot unpack {item.name} into {work_dir}") from None
    except BaseException:
        files.remove_quietly(tmp)
        raise
    return CheckedCopy(path=tmp, schema_version=version, taken_at=item.taken_at, source=item.name, notes=tuple(notes))


def verify_latest(settings: Settings) -> str:
    """`backup --verify`: the newest backup passes checksum, gzip, integrity, schema and RPO checks."""
    directory = backup_dir(settings)
    found = files.list_backups(directory)
    if not found:
        raise BackupError(f"no backups in {directory}")
    newest = found[0]
    copy = validate_backup(newest, settings.backup_max_age_hours, False, tempfile.gettempdir())
    files.remove_quietly(copy.path)
    age = (time.time() - newest.taken_at) / 3600
    message = (
        f"OK {newest.name}: checksum ok, integrity ok, schema {copy.schema_version:04d}, "
        f"age {age:.1f} h (RPO {settings.backup_max_age_hours} h)"
    )
    log_line(settings, f"Backup verified - {message}")
    return message


def save_companions(db_path: str, directory: str) -> None:
    """Copy the database's companion files (the PIN key) into the backup or archive directory, mode 0600."""
    source_dir = Path(db_path).expanduser().resolve().parent
    for name in COMPANIONS:
        source, kept = source_dir / name, Path(directory) / name
        if source.is_file() and (not kept.is_file() or kept.read_bytes() != source.read_bytes()):
            files.write_atomic(str(kept), source.read_bytes())
            kept.chmod(0o600)


def restore_companions(directory: str, db_path: str, stamp: str) -> list[str]:
    """Put the kept companion files next to a restored database (a different one is moved aside)."""
    notes: list[str] = []
    target_dir = Path(db_path).parent
    for name in COMPANIONS:
        kept, target = Path(directory) / name, target_dir / name
        if not kept.is_file() or (target.is_file() and target.read_bytes() == kept.read_bytes()):
            continue
        if target.is_file():
            aside = target.with_name(f"{name}.pre-restore.{stamp}")
            os.replace(target, aside)
            notes.append(f"{name} replaced by the backed-up one (previous kept as {aside.name})")
        else:
            notes.append(f"{name} restored from {directory}")
        files.write_atomic(str(target), kept.read_bytes())
        target.chmod(0o600)
    return notes

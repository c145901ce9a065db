"""Files of the backup directory: names, gzip with SHA-256, atomic writes, and plain-words disk errors."""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import os
import re
import time
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pos_grocery.backup.models import BackupError, BackupFile

NAME_PATTERN = re.compile(r"^pos_(\d{8})_(\d{6})\.db\.gz$")
CHUNK = 1 << 20
SYNC_EVERY_CHUNKS = 4
SIDECAR = ".sha256"
# Backups hold everything (customers, PIN digests): owner and group only, whatever the caller's umask.
FILE_MODE = 0o640
DIR_MODE = 0o750


def backup_name(moment: float) -> str:
    """`pos_YYYYMMDD_HHMMSS.db.gz` in the machine's local time (the runbook's `date +%Y%m%d_%H%M%S`)."""
    return time.strftime("pos_%Y%m%d_%H%M%S.db.gz", time.localtime(moment))


def parse_backup_name(name: str) -> float | None:
    """The moment a backup name stands for, or None for other files."""
    match = NAME_PATTERN.match(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").timestamp()
    except ValueError:
        return None


def list_backups(directory: str) -> list[BackupFile]:
    """Every backup in the directory, newest first."""
    found: list[BackupFile] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(directory):
            taken = parse_backup_name(entry.name)
            if taken is None or not entry.is_file():
                continue
            found.append(
                BackupFile(
                    path=entry.path,
                    name=entry.name,
                    taken_at=taken,
                    size_bytes=entry.stat().st_size,
                    has_checksum=os.path.exists(entry.path + SIDECAR),
                )
            )
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def explain_os_error(exc: OSError, what: str) -> BackupError:
    """Turn an OSError into one sentence an operator can act on."""
    hints = {
        errno.ENOSPC: "the disk is full: free space or point it at a larger disk",
        errno.EDQUOT: "the disk quota is exhausted: free space or raise the quota",
        errno.EROFS: "the file system is read-only: remount it read-write or choose another place",
        errno.EACCES: "permission denied: run as the service user or fix the directory's owner/mode",
        errno.EPERM: "operation not permitted: run as the service user or fix the directory's owner/mode",
        errno.ENOENT: "it does not exist",
    }
    hint = hints.get(exc.errno or 0, exc.strerror or str(exc))
    return BackupError(f"{what}: {hint} ({exc.strerror or exc})")


def fsync_dir(directory: str) -> None:
    """Make a rename durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str, data: bytes, durable: bool = True) -> None:
    """Write via a temp file and rename, so readers never see half a file."""
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(os.path.dirname(os.path.abspath(path)))


def compress_file(source: str, dest: str, level: int) -> tuple[str, int]:
    """gzip `source` into `dest` (synced); returns the SHA-256 and size of the compressed file."""
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(dest, "wb") as raw:
        with gzip.GzipFile(
            filename=os.path.basename(source), mode="wb", fileobj=_Hashing(raw, digest), compresslevel=level, mtime=0
        ) as out:
            for number, chunk in enumerate(iter(lambda: src.read(CHUNK), b""), start=1):
                out.write(chunk)
                if number % SYNC_EVERY_CHUNKS == 0:  # steady write-back, no giant flush at the end
                    raw.flush()
                    os.fdatasync(raw.fileno())
        raw.flush()
        os.fsync(raw.fileno())
        size = raw.tell()
    return digest.hexdigest(), size


class _Hashing:
    """A write-only file wrapper that hashes what passes through."""

    def __init__(self, raw: object, digest: hashlib._Hash) -> None:
        self.raw = raw
        self.digest = digest

    def write(self, data: bytes) -> int:
        """Hash then write."""
        self.digest.update(data)
        written: int = self.raw.write(data)  # type: ignore[attr-defined]
        return written

    def flush(self) -> None:
        """Flush the wrapped file."""
        self.raw.flush()  # type: ignore[attr-defined]


def decompress_file(source: str, dest: str) -> int:
    """gunzip `source` into `dest` (synced); a truncated or corrupt archive is a BackupError."""
    try:
        with gzip.open(source, "rb") as src, open(dest, "wb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            return out.tell()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{os.path.basename(source)} is not a complete gzip file ({exc})") from None
    except OSError as exc:
        if exc.errno is None:  # gzip reports a CRC or length mismatch as a bare OSError
            raise BackupError(f"{os.path.basename(source)} is corrupt ({exc})") from None
        raise


def sha256_file(path: str) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_sidecar(path: str, sha256: str) -> None:
    """`NAME.sha256` in `sha256sum` format, so `sha256sum -c` works too."""
    write_atomic(path + SIDECAR, f"{sha256}  {os.path.basename(path)}\n".encode())


def check_sidecar(path: str) -> str:
    """Verify a backup against its `.sha256` file; returns the digest or raises BackupError."""
    name = os.path.basename(path)
    try:
        expected = Path(path + SIDECAR).read_text(encoding="utf-8").split()[0].lower()
    except FileNotFoundError:
        raise BackupError(f"{name} has no checksum file ({name}{SIDECAR}): it cannot be verified") from None
    except (IndexError, UnicodeDecodeError):
        raise BackupError(f"the checksum file of {name} is empty or unreadable") from None
    actual = sha256_file(path)
    if actual != expected:
        raise BackupError(
            f"{name} does not match its checksum (expected {expected[:12]}…, "
            f"got {actual[:12]}…): the file is damaged or was changed"
        )
    return actual


def remove_quietly(*paths: str) -> None:
    """Delete files that may not exist (temp files on the way out)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def db_family(path: str) -> Iterator[str]:
    """The database file and its -wal / -shm companions that exist."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            yield path + suffix

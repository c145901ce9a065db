"""Continuous archiving: committed WAL frames are copied to ARCHIVE_DIR every few seconds.

Layout: `streams/<id>/bases/base-<seq>.db.gz` (+ `.json`) and `streams/<id>/segments/<seq>.seg.gz`. A
stream starts with a base snapshot at a known WAL position; each segment holds the frames committed since
the previous one. Restore = newest base not after the target time + the segments after it.

Why nothing committed can slip past: SQLite only restarts the log (overwriting frames) when every frame
has been checkpointed and no reader holds a WAL snapshot. The archiver always holds a read transaction
("pin"), taking the next pin before releasing the previous one, and copies every frame up to the end the
new pin sees, so a restart can only happen after those frames were copied. When the log grows past
CHECKPOINT_FRAMES the archiver lets it restart under its own write lock: copy the tail, checkpoint,
re-pin, release (milliseconds). See docs/BACKUP.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sys
import threading
import time
import uuid
from pathlib import Path

import apsw
import msgspec

from pos_grocery.backup import files, snapshot, wal
from pos_grocery.backup.archive_files import (
    SEGMENT_LEVEL,
    next_generation,
    prune_bases,
    prune_streams,
    snapshot_page_size,
    write_segment,
)
from pos_grocery.backup.models import ArchiveStatus, BackupError, BaseMeta, SegmentHeader
from pos_grocery.backup.service import save_companions
from pos_grocery.settings import Settings

CHECKPOINT_FRAMES = 1000
WRITE_LOCK_MS = 1000
GIVE_UP_SECONDS = 600.0
ARCHIVER_NICE = 10
RETRY_BASE_SECONDS = 60.0


class ArchiveGap(Exception):
    """Frames may have been lost (the log was restarted behind our back): a new stream must begin."""


class WalArchiver:
    """Copies committed frames of one database into ARCHIVE_DIR; run by one thread (or the CLI loop)."""

    def __init__(self, settings: Settings) -> None:
        self.db_path = str(Path(settings.db_path).expanduser().resolve())
        self.wal_path, self.shm_path = self.db_path + "-wal", self.db_path + "-shm"
        self.root = Path(settings.archive_dir).expanduser().resolve()
        self.interval = float(settings.archive_interval_seconds)
        self.base_every = settings.archive_base_hours * 3600.0
        self.busy_ms = settings.db_busy_timeout_ms
        self.retention_days = settings.backup_retention_days
        self.stop_event = threading.Event()
        self._pins: list[apsw.Connection] = []
        self._active = -1
        self._writer: apsw.Connection | None = None
        self._lock_fd: int | None = None
        self.stream_dir: Path | None = None
        self.seq = 0
        self.salt: bytes | None = None
        self.copied = 0
        self.confirmed_at: float | None = None
        self.last_base_at = 0.0
        self.bases = 0
        self.last_error: str | None = None
        self.failing_since: float | None = None
        self._last_cycle = 0.0
        self._backfilled_ok = True
        self._next_attempt = 0.0

    # --- connections and pins ------------------------------------------------------------------
    def open(self) -> None:
        """Take the single-archiver lock and open the connections."""
        (self.root / "streams").mkdir(parents=True, exist_ok=True, mode=files.DIR_MODE)
        self._lock_fd = os.open(self.root / "archiver.lock", os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise BackupError(f"another archiver is already writing to {self.root}") from None
        os.ftruncate(self._lock_fd, 0)
        os.write(self._lock_fd, f"{os.getpid()}\n".encode())
        self._pins = [snapshot.open_source(self.db_path, self.busy_ms) for _ in range(2)]
        self._writer = snapshot.open_source(self.db_path, WRITE_LOCK_MS)

    def _repin(self) -> None:
        """Pin a fresh snapshot on the idle connection, then release the older pin (never a gap)."""
        nxt = 1 - self._active if self._active >= 0 else 0
        snapshot.pin(self._pins[nxt])
        if self._active >= 0:
            snapshot.unpin(self._pins[self._active])
        self._active = nxt

    def _unpin_all(self) -> None:
        for conn in self._pins:
            snapshot.unpin(conn)
        self._active = -1

    # --- copying -------------------------------------------------------------------------------
    def _copy(self) -> int:
        """Copy every committed frame not yet archived into a new segment; returns the frame count."""
        index = wal.read_index_header(self.shm_path)
        observed = time.time()
        header = wal.read_wal_header(self.wal_path)
        if index.max_frame == 0 or header is None or header.salt != index.salt:
            self._confirm(observed, index.salt if index.max_frame == 0 else None)
            return 0
        if index.salt != self.salt:
            if self.copied and self.salt is not None and not next_generation(self.salt, index.salt):
                raise ArchiveGap(f"the log went from salt {self.salt.hex()} to {index.salt.hex()} unseen")
            start = 1
        else:
            start = self.copied + 1
            if index.max_frame < self.copied:
                raise ArchiveGap("the log is shorter than what was archived")
        if index.max_frame < start:
            self._confirm(observed, None)
            return 0
        self._backfilled_ok = index.backfilled >= index.max_frame
        raw = wal.read_frames(self.wal_path, index.page_size, start, index.max_frame)
        wal.check_block(raw, index.page_size, index.salt)
        assert self.stream_dir is not None
        self.seq += 1
        seg = SegmentHeader(
            seq=self.seq,
            observed_at=observed,
            wal_salt=index.salt.hex(),
            first_frame=start,
            last_frame=index.max_frame,
            page_size=index.page_size,
            sha256=hashlib.sha256(raw).hexdigest(),
        )
        try:
            write_segment(self.stream_dir, seg, raw)
        except BaseException:
            self.seq -= 1
            raise
        self.salt, self.copied = index.salt, index.max_frame
        self._confirm(observed, None)
        return index.max_frame - start + 1

    def _confirm(self, observed: float, empty_salt: bytes | None) -> None:
        if empty_salt is not None and self.salt is None:
            self.salt, self.copied = empty_salt, 0
        if self.bases:
            self.confirmed_at = observed

    def cycle(self) -> int:
        """One archiving step: re-pin, copy, and let the log restart when it has grown."""
        self._repin()
        copied = self._copy()
        if self.copied >= CHECKPOINT_FRAMES and not self._backfilled_ok:
            self.checkpoint()
        return copied

    def checkpoint(self) -> None:
        """Under our write lock: copy the tail, checkpoint everything, re-pin (likely on the bare file)."""
        writer = self._writer
        assert writer is not None
        try:
            writer.execute("BEGIN IMMEDIATE")
        except apsw.BusyError:
            return  # a long write is running; try again next cycle
        try:
            self._copy()
            self._unpin_all()
            with contextlib.suppress(apsw.BusyError, apsw.LockedError):
                self._pins[0].wal_checkpoint(mode=apsw.SQLITE_CHECKPOINT_PASSIVE)
            self._repin()
        finally:
            writer.execute("ROLLBACK")

    # --- streams and bases ---------------------------------------------------------------------
    def new_stream(self) -> None:
        """Begin a stream: directories, then a base snapshot at an exactly known WAL position."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.stream_dir = self.root / "streams" / f"{stamp}-{uuid.uuid4().hex[:8]}"
        (self.stream_dir / "segments").mkdir(parents=True, mode=files.DIR_MODE)
        (self.stream_dir / "bases").mkdir(mode=files.DIR_MODE)
        save_companions(self.db_path, str(self.root))
        self.seq, self.salt, self.copied = 0, None, 0
        self.bases, self.confirmed_at = 0, None
        self.take_base()

    def _lock_writes(self) -> None:
        """BEGIN IMMEDIATE on our connection, retried while the API keeps the lock busy (until stopped)."""
        assert self._writer is not None
        while True:
            try:
                self._writer.execute("BEGIN IMMEDIATE")
                return
            except apsw.BusyError:
                if self.stop_event.wait(0.01):
                    raise BackupError("stopped while waiting for the write lock") from None

    def _mark_position(self) -> None:
        """A new stream starts at the log's current end (called under our write lock: nothing moves)."""
        index = wal.read_index_header(self.shm_path)
        self.salt, self.copied = index.salt, index.max_frame

    def take_base(self) -> None:
        """Snapshot the database as of the archived position; cycles keep running between copy steps."""
        assert self.stream_dir is not None and self._writer is not None
        source = snapshot.open_source(self.db_path, self.busy_ms)
        try:
            self._lock_writes()
            try:
                self._repin()
                if self.bases:
                    self._copy()
                else:
                    self._mark_position()
                snapshot.pin(source)  # the same snapshot the segments so far end at
            finally:
                self._writer.execute("ROLLBACK")
            meta = self._write_base(source)
        finally:
            source.close()
        self.bases += 1
        self.last_base_at = meta.created_at
        self.confirmed_at = meta.created_at
        prune_streams(self.root, self.retention_days, keep=self.stream_dir)
        prune_bases(self.stream_dir, self.retention_days)

    def _write_base(self, source: apsw.Connection) -> BaseMeta:
        assert self.stream_dir is not None
        created, after = time.time(), self.seq
        salt, frame = (self.salt or b"").hex(), self.copied
        name = self.stream_dir / "bases" / f"base-{after:010d}"
        tmp_db, tmp_gz = f"{name}.db.tmp", f"{name}.gz.tmp"
        try:
            snapshot.copy_snapshot(source, tmp_db, should_stop=self.stop_event.is_set, between_steps=self._cycle_if_due)
            page_size = snapshot_page_size(tmp_db)
            digest, size = files.compress_file(tmp_db, tmp_gz, SEGMENT_LEVEL)
            os.chmod(tmp_gz, files.FILE_MODE)
            os.replace(tmp_gz, f"{name}.db.gz")
            meta = BaseMeta(
                created_at=created,
                after_segment=after,
                wal_salt=salt,
                wal_frame=frame,
                page_size=page_size,
                size_bytes=size,
                sha256=digest,
            )
            files.write_atomic(f"{name}.json", msgspec.json.encode(meta))
        finally:
            files.remove_quietly(tmp_db, tmp_gz)
        return meta

    def _cycle_if_due(self) -> None:
        if time.time() - self._last_cycle >= self.interval:
            self._guarded_cycle(during_base=True)

    # --- the loop ------------------------------------------------------------------------------
    def _guarded_cycle(self, during_base: bool = False) -> None:
        """A cycle whose failure is recorded (and retried) instead of stopping the archiver."""
        self._last_cycle = time.time()
        try:
            self.cycle()
            self.last_error, self.failing_since = None, None
        except ArchiveGap as exc:
            if during_base:
                raise BackupError(f"archive gap while taking a base ({exc})") from None
            self._log(f"archive gap ({exc}): starting a new stream", error=True)
            self.new_stream()
        except (OSError, apsw.Error, wal.WalFormatError, BackupError) as exc:
            self._failed(exc)
        self.write_status()

    def _failed(self, exc: Exception) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        now = time.time()
        self.failing_since = self.failing_since or now
        self._log(f"archive cycle failed: {self.last_error}", error=True)
        if now - self.failing_since > GIVE_UP_SECONDS and self.bases:
            # Keeping the pin would let the WAL grow without bound; give up continuity instead:
            # the next successful step starts a new stream with a new base.
            self._log("archiving has failed for 10 minutes: releasing the WAL, a new stream will follow")
            self._unpin_all()
            self.bases = 0

    def run(self) -> None:
        """Archive until `stop_event` is set; then copy what is left and close."""
        lower_thread_priority()
        try:
            self.open()
            while not self.stop_event.is_set():
                self._step()
                self.write_status()
                self.stop_event.wait(self.interval)
        except (OSError, apsw.Error, BackupError) as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._log(f"archiver not started: {self.last_error}", error=True)
        finally:
            self.close()

    def _step(self) -> None:
        """A new stream when there is none (or it broke), a base when due, else a cycle; failures retry."""
        now = time.time()
        try:
            if not self.bases:
                if now >= self._next_attempt:
                    self.new_stream()
            elif self.base_every and now - self.last_base_at >= self.base_every and now >= self._next_attempt:
                self.take_base()
            else:
                self._guarded_cycle()
        except (OSError, apsw.Error, wal.WalFormatError, BackupError) as exc:
            if not self.stop_event.is_set():
                self._next_attempt = time.time() + RETRY_BASE_SECONDS  # a base is heavy: no retry storm
                self._failed(exc)

    def close(self) -> None:
        """Final copy, release every pin and lock."""
        with contextlib.suppress(OSError, apsw.Error, wal.WalFormatError, ArchiveGap, AssertionError):
            if self._pins and self.stream_dir is not None and self.bases:
                self.cycle()
        with contextlib.suppress(apsw.Error):
            self._unpin_all()
        for conn in [*self._pins, *([self._writer] if self._writer else [])]:
            with contextlib.suppress(apsw.Error):
                conn.close()
        self._pins, self._writer = [], None
        self.write_status()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def write_status(self) -> None:
        """The heartbeat read by /api/health and /metrics."""
        status = ArchiveStatus(
            stream=self.stream_dir.name if self.stream_dir else "",
            pid=os.getpid(),
            confirmed_at=self.confirmed_at,
            segments=self.seq,
            bases=self.bases,
            last_error=self.last_error,
        )
        with contextlib.suppress(OSError):
            files.write_atomic(str(self.root / "status.json"), msgspec.json.encode(status), durable=False)

    def _log(self, message: str, error: bool = False) -> None:
        from loguru import logger

        (logger.error if error else logger.info)(message)


def lower_thread_priority() -> None:
    """Nice the calling thread only (Linux schedules threads as tasks): the API's own threads keep theirs."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ARCHIVER_NICE)

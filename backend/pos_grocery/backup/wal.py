"""SQLite write-ahead-log and wal-index formats (sqlite.org/fileformat2.html#walformat, /walformat.html).

The archiver copies committed WAL frames verbatim; restore writes their page images back into a base
copy. The committed end of the log is read from the wal-index header (the -shm file), exactly as SQLite's
own readers find it: two identical header copies with a valid checksum.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass

WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24
INDEX_HEADER = 48
INDEX_VERSION = 3007000
CHECKPOINT_INFO_END = 2 * INDEX_HEADER + 4  # nBackfill follows the two header copies
READ_ATTEMPTS = 100


class WalFormatError(Exception):
    """The log or its index is not what SQLite writes (or changed while we read it)."""


@dataclass(frozen=True, slots=True)
class WalHeader:
    """The 32-byte header of the -wal file."""

    page_size: int
    checkpoint_seq: int
    salt: bytes


@dataclass(frozen=True, slots=True)
class IndexHeader:
    """The part of the wal-index header the archiver needs: committed frames and their salts."""

    page_size: int
    max_frame: int
    salt: bytes
    backfilled: int = 0


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: the page it replaces, the database size if it commits a transaction, the page image."""

    page_number: int
    commit_size: int
    salt: bytes
    data: bytes


def frame_size(page_size: int) -> int:
    """Bytes per frame in the log."""
    return FRAME_HEADER + page_size


def frame_offset(index: int, page_size: int) -> int:
    """Byte offset of 1-based frame `index` in the log."""
    return WAL_HEADER + (index - 1) * frame_size(page_size)


def read_wal_header(wal_path: str) -> WalHeader | None:
    """The -wal header, or None when the log is missing or empty (nothing written since a truncate)."""
    try:
        with open(wal_path, "rb") as f:
            raw = f.read(WAL_HEADER)
    except FileNotFoundError:
        return None
    if len(raw) < WAL_HEADER:
        return None
    magic, version, page_size, seq = struct.unpack(">IIII", raw[:16])
    if magic not in WAL_MAGICS or version != INDEX_VERSION:
        raise WalFormatError(f"{wal_path} is not a SQLite write-ahead log")
    return WalHeader(page_size=page_size, checkpoint_seq=seq, salt=raw[16:24])


def _index_checksum(data: bytes) -> tuple[int, int]:
    """SQLite's WAL checksum in native byte order, over whole 8-byte pairs."""
    s0 = s1 = 0
    words = struct.unpack(f"={len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _parse_index(raw: bytes) -> IndexHeader | None:
    first, second = raw[:INDEX_HEADER], raw[INDEX_HEADER : 2 * INDEX_HEADER]
    (backfilled,) = struct.unpack("=I", raw[2 * INDEX_HEADER : 2 * INDEX_HEADER + 4])
    if first != second:
        return None  # a writer is updating the header: read again
    version, _unused, _change, is_init, _big, page_size, max_frame = struct.unpack("=IIIBBHI", first[:20])
    if version != INDEX_VERSION or not is_init:
        return None
    if struct.unpack("=2I", first[40:48]) != _index_checksum(first[:40]):
        return None
    return IndexHeader(
        page_size=65536 if page_size == 1 else page_size, max_frame=max_frame, salt=first[32:40], backfilled=backfilled
    )


# POSIX releases every fcntl lock a process holds on a file as soon as *any* descriptor of that file is
# closed. Opening and closing the -shm would silently drop the locks of every SQLite connection in this
# process (sqlite.org/howtocorrupt.html, "POSIX advisory locks canceled by a separate thread doing
# close()"), and other processes would then checkpoint and restart the log under our readers. So each
# -shm is opened once and its descriptor is kept for the life of the process, never closed.
_SHM_DESCRIPTORS: dict[tuple[int, int], int] = {}


def shm_descriptor(shm_path: str) -> int:
    """The process-lifetime read descriptor of a -shm file (see above for why it is never closed)."""
    info = os.stat(shm_path)
    key = (info.st_dev, info.st_ino)
    fd = _SHM_DESCRIPTORS.get(key)
    if fd is None:
        fd = os.open(shm_path, os.O_RDONLY)
        opened = os.fstat(fd)
        _SHM_DESCRIPTORS.setdefault((opened.st_dev, opened.st_ino), fd)
    return fd


def read_index_header(shm_path: str) -> IndexHeader:
    """A consistent wal-index header, retried while a writer is mid-update."""
    fd = shm_descriptor(shm_path)
    for _ in range(READ_ATTEMPTS):
        raw = os.pread(fd, CHECKPOINT_INFO_END, 0)
        if len(raw) == CHECKPOINT_INFO_END and (header := _parse_index(raw)) is not None:
            return header
        os.sched_yield()
    raise WalFormatError(f"no consistent wal-index header in {shm_path}")


def read_frames(wal_path: str, page_size: int, first: int, last: int) -> bytes:
    """The raw bytes of frames first..last (inclusive) of the log."""
    start = frame_offset(first, page_size)
    length = (last - first + 1) * frame_size(page_size)
    with open(wal_path, "rb") as f:
        data = os.pread(f.fileno(), length, start)
    if len(data) != length:
        raise WalFormatError(f"{wal_path} is shorter than its index says ({len(data)} of {length} bytes)")
    return data


def parse_frame(raw: bytes, page_size: int) -> Frame:
    """Decode one frame's header (big-endian) and keep its page image."""
    page_number, commit_size = struct.unpack(">II", raw[:8])
    return Frame(
        page_number=page_number,
        commit_size=commit_size,
        salt=raw[8:16],
        data=raw[FRAME_HEADER : FRAME_HEADER + page_size],
    )


def iter_frames(raw: bytes, page_size: int) -> Iterator[Frame]:
    """Every frame in a block of consecutive frames."""
    size = frame_size(page_size)
    if len(raw) % size:
        raise WalFormatError(f"frame block of {len(raw)} bytes is not a multiple of {size}")
    for start in range(0, len(raw), size):
        yield parse_frame(raw[start : start + size], page_size)


def check_block(raw: bytes, page_size: int, salt: bytes) -> None:
    """A copied block must end on a commit frame and every frame must carry the log's salts."""
    frames = list(iter_frames(raw, page_size))
    if not frames:
        raise WalFormatError("empty frame block")
    if any(frame.salt != salt for frame in frames):
        raise WalFormatError("a frame carries other salts: the log was restarted while it was read")
    if frames[-1].commit_size == 0:
        raise WalFormatError("the block does not end on a commit frame")


class PageWriter:
    """Writes page images into a database file; each commit frame sets the file's size."""

    def __init__(self, path: str, page_size: int) -> None:
        self.page_size = page_size
        self.fd = os.open(path, os.O_RDWR)
        self.pages = os.fstat(self.fd).st_size // page_size

    def apply(self, raw: bytes) -> int:
        """Apply a block of frames; returns how many frames were written."""
        count = 0
        for frame in iter_frames(raw, self.page_size):
            os.pwrite(self.fd, frame.data, (frame.page_number - 1) * self.page_size)
            self.pages = max(self.pages, frame.page_number)
            count += 1
            if frame.commit_size:
                if frame.commit_size < self.pages:  # the transaction shrank the file (VACUUM, freelist)
                    os.ftruncate(self.fd, frame.commit_size * self.page_size)
                self.pages = frame.commit_size
        return count

    def close(self) -> None:
        """Size the file to the last commit, sync and close."""
        os.ftruncate(self.fd, self.pages * self.page_size)
        os.fsync(self.fd)
        os.close(self.fd)

"""The archive's files: stream folders, segment files and their names, base metadata, status, pruning."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import time
from pathlib import Path

import msgspec

from pos_grocery.backup import files
from pos_grocery.backup.models import ArchiveStatus, BaseMeta, SegmentHeader

SEGMENT_LEVEL = 1


def stream_root(archive_dir: str) -> Path:
    """Where the streams live."""
    return Path(archive_dir).expanduser().resolve() / "streams"


def write_segment(stream_dir: Path, header: SegmentHeader, frames: bytes) -> None:
    """One gzip file: a JSON header line, then the raw frames; synced and renamed into place."""
    # The name carries the moment too, so a restore to a time can stop before a damaged segment.
    final = stream_dir / "segments" / f"{header.seq:010d}-{int(header.observed_at * 1000):013d}.seg.gz"
    tmp = str(final) + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=SEGMENT_LEVEL, mtime=0) as out:
            out.write(msgspec.json.encode(header) + b"\n")
            out.write(frames)
        raw.flush()
        os.fsync(raw.fileno())
    os.chmod(tmp, files.FILE_MODE)
    os.replace(tmp, final)
    files.fsync_dir(str(final.parent))


def next_generation(old: bytes, new: bytes) -> bool:
    """Each restart of the log adds one to its first salt (wal.c walRestartHdr); anything else is a gap."""
    return int.from_bytes(new[:4], "big") == (int.from_bytes(old[:4], "big") + 1) % (1 << 32)


def segment_seq(path: Path) -> int:
    """Sequence number from a segment's name (`SEQ-MILLIS.seg.gz`)."""
    return int(path.name.split("-")[0].split(".")[0])


def segment_moment(path: Path) -> float:
    """The moment (seconds, millisecond precision) from a segment's name."""
    return int(path.name.split("-")[1].split(".")[0]) / 1000.0


def snapshot_page_size(path: str) -> int:
    """Page size from a database file's header (offset 16, big-endian, 1 means 65536)."""
    with open(path, "rb") as f:
        raw = f.read(18)
    size = int.from_bytes(raw[16:18], "big")
    return 65536 if size == 1 else size


def read_status(archive_dir: str) -> ArchiveStatus | None:
    """The archiver's last heartbeat, or None."""
    try:
        return msgspec.json.decode((Path(archive_dir).expanduser() / "status.json").read_bytes(), type=ArchiveStatus)
    except (OSError, msgspec.DecodeError):
        return None


def prune_bases(stream_dir: Path, days: int) -> None:
    """Within a long-running stream: drop bases older than `days` (keeping the newest) and their segments."""
    if days <= 0:
        return
    limit = time.time() - days * 86400
    metas: list[tuple[Path, BaseMeta]] = []
    for meta_path in sorted((stream_dir / "bases").glob("base-*.json")):
        with contextlib.suppress(OSError, msgspec.DecodeError):
            metas.append((meta_path, msgspec.json.decode(meta_path.read_bytes(), type=BaseMeta)))
    old = [(p, m) for p, m in metas[:-1] if m.created_at < limit]
    if not old:
        return
    first_kept = metas[len(old)][1]
    for meta_path, _meta in old:
        files.remove_quietly(str(meta_path), str(meta_path.with_suffix(".db.gz")))
    for seg in (stream_dir / "segments").glob("*.seg.gz"):
        if segment_seq(seg) <= first_kept.after_segment:
            files.remove_quietly(str(seg))


def prune_streams(root: Path, days: int, keep: Path) -> list[str]:
    """Delete whole streams whose newest file is older than `days` (never the current one)."""
    removed: list[str] = []
    if days <= 0:
        return removed
    limit = time.time() - days * 86400
    for stream in sorted((root / "streams").iterdir()):
        if stream == keep or not stream.is_dir():
            continue
        newest = max((p.stat().st_mtime for p in stream.rglob("*") if p.is_file()), default=0.0)
        if newest < limit:
            shutil.rmtree(stream, ignore_errors=True)
            removed.append(stream.name)
    return removed

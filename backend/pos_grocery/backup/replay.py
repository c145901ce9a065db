"""Rebuild a database from the archive: a base snapshot plus the WAL segments after it, up to a time."""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import msgspec

from pos_grocery.backup import files, snapshot, wal
from pos_grocery.backup.archive_files import segment_moment, segment_seq, stream_root
from pos_grocery.backup.models import BackupError, BaseMeta, CheckedCopy, SegmentHeader


@dataclass(frozen=True, slots=True)
class BaseRef:
    """A base snapshot found on disk."""

    stream: Path
    meta: BaseMeta
    path: Path


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one stream can restore: from its first base to its last archived commit."""

    stream: str
    first: float
    last: float
    bases: int
    segments: int


def iso(moment: float) -> str:
    """Local time with milliseconds and offset, for messages an operator can paste back into --to-time."""
    return datetime.fromtimestamp(moment).astimezone().isoformat(timespec="milliseconds")


def find_bases(archive_dir: str) -> list[BaseRef]:
    """Every complete base of every stream, oldest first."""
    found: list[BaseRef] = []
    root = stream_root(archive_dir)
    if not root.is_dir():
        return found
    for stream in sorted(p for p in root.iterdir() if p.is_dir()):
        for meta_path in sorted((stream / "bases").glob("base-*.json")):
            gz = meta_path.with_suffix(".db.gz")
            try:
                meta = msgspec.json.decode(meta_path.read_bytes(), type=BaseMeta)
            except (OSError, msgspec.DecodeError):
                continue
            if gz.is_file():
                found.append(BaseRef(stream=stream, meta=meta, path=gz))
    return sorted(found, key=lambda b: b.meta.created_at)


def read_segment(path: Path) -> tuple[SegmentHeader, bytes]:
    """Header and frames of one segment; damage is a BackupError naming the file."""
    try:
        with gzip.open(path, "rb") as f:
            blob = f.read()
        line, _, frames = blob.partition(b"\n")
        header = msgspec.json.decode(line, type=SegmentHeader)
    except (OSError, EOFError, zlib.error, msgspec.DecodeError) as exc:
        raise BackupError(f"archive segment {path.name} is damaged ({exc})") from None
    if hashlib.sha256(frames).hexdigest() != header.sha256:
        raise BackupError(f"archive segment {path.name} does not match its checksum")
    return header, frames


def coverage(archive_dir: str) -> list[Coverage]:
    """Per stream: the restorable time range (from segment headers only; nothing is unpacked)."""
    result: list[Coverage] = []
    by_stream: dict[Path, list[BaseRef]] = {}
    for ref in find_bases(archive_dir):
        by_stream.setdefault(ref.stream, []).append(ref)
    for stream, refs in sorted(by_stream.items(), key=lambda item: item[1][0].meta.created_at):
        segments = sorted((stream / "segments").glob("*.seg.gz"))
        last = max([refs[-1].meta.created_at, *(segment_moment(p) for p in segments[-1:])])
        result.append(Coverage(stream=stream.name, first=refs[0].meta.created_at, last=last,
                               bases=len(refs), segments=len(segments)))
    return result


def choose_base(archive_dir: str, target: float | None) -> BaseRef:
    """The newest base of the newest stream (target None) or the newest base taken at or before target."""
    bases = find_bases(archive_dir)
    if not bases:
        raise BackupError(f"the archive {archive_dir} holds no complete base snapshot")
    if target is None:
        return bases[-1]  # the newest base; its stream's segments carry on from it
    eligible = [b for b in bases if b.meta.created_at <= target]
    if not eligible:
        raise BackupError(f"nothing in the archive reaches back to {iso(target)}; "
                          f"the earliest restorable moment is {iso(bases[0].meta.created_at)}")
    return eligible[-1]


def rebuild(archive_dir: str, target: float | None, work_dir: str) -> CheckedCopy:
    """Unpack the chosen base next to the target and replay its segments (all, or those seen by target)."""
    base = choose_base(archive_dir, target)
    if files.sha256_file(str(base.path)) != base.meta.sha256:
        raise BackupError(f"archive base {base.path} does not match its checksum")
    fd, tmp = tempfile.mkstemp(prefix=".restore-", suffix=".db", dir=work_dir)
    os.close(fd)
    try:
        files.decompress_file(str(base.path), tmp)
        reached, applied = _replay(base, tmp, target)
        version = snapshot.check_copy(tmp)
    except OSError as exc:
        files.remove_quietly(tmp)
        raise files.explain_os_error(exc, f"cannot rebuild the database in {work_dir}") from None
    except BaseException:
        files.remove_quietly(tmp)
        raise
    note = f"archive stream {base.stream.name}: base of {iso(base.meta.created_at)} + {applied} segment(s)"
    return CheckedCopy(path=tmp, schema_version=version, taken_at=reached, source=note, notes=(note,))


def _replay(base: BaseRef, db_file: str, target: float | None) -> tuple[float, int]:
    """Apply segments after the base in order; returns the last archived moment reached and the count."""
    salt, frame = base.meta.wal_salt, base.meta.wal_frame
    reached, applied = base.meta.created_at, 0
    writer = wal.PageWriter(db_file, base.meta.page_size)
    try:
        expected = base.meta.after_segment + 1
        for path in sorted((base.stream / "segments").glob("*.seg.gz")):
            seq = segment_seq(path)
            if seq <= base.meta.after_segment:
                continue
            if target is not None and segment_moment(path) > target:
                break
            if seq != expected:
                raise BackupError(_gap_message(base, expected, reached))
            try:
                header, frames = read_segment(path)
            except BackupError as exc:
                raise BackupError(f"{exc}; " + _gap_message(base, seq, reached)) from None
            if target is not None and header.observed_at > target:
                break
            continuing = header.wal_salt == salt
            if header.first_frame != (frame + 1 if continuing else 1) or header.page_size != base.meta.page_size:
                raise BackupError(_gap_message(base, seq, reached))
            writer.apply(frames)
            salt, frame, reached = header.wal_salt, header.last_frame, header.observed_at
            applied, expected = applied + 1, expected + 1
    finally:
        writer.close()
    return reached, applied


def _gap_message(base: BaseRef, seq: int, reached: float) -> str:
    upto = iso(math.ceil(reached * 1000) / 1000)  # rounded up, so the last good segment is included
    return (f"archive stream {base.stream.name} is missing or has a damaged segment {seq:010d}; "
            f"it can restore up to {upto}: run again with --to-time '{upto}'")

"""Values passed between the backup, archive, restore and drill modules (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec


class BackupError(Exception):
    """An operator-facing failure: one clear sentence, printed as is, exit status non-zero."""


class Base(msgspec.Struct, rename="camel"):
    """camelCase on the wire and in the JSON files we keep beside backups and archives."""


class BackupState(Base):
    """What the last backup runs did; read by /api/health and the Prometheus gauges."""

    last_success_at: float | None = None
    last_file: str | None = None
    last_size_bytes: int = 0
    last_duration_seconds: float = 0.0
    last_failure_at: float | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    total_failures: int = 0


class BaseMeta(Base):
    """A base snapshot of an archive stream: the database as of WAL position (salt, frame)."""

    created_at: float
    after_segment: int
    wal_salt: str
    wal_frame: int
    page_size: int
    size_bytes: int
    sha256: str


class SegmentHeader(Base):
    """The first line of an archive segment: which WAL frames follow and when they were seen committed."""

    seq: int
    observed_at: float
    wal_salt: str
    first_frame: int
    last_frame: int
    page_size: int
    sha256: str


class ArchiveStatus(Base):
    """Heartbeat of the archiver, rewritten every cycle (`ARCHIVE_DIR/status.json`)."""

    stream: str
    pid: int
    confirmed_at: float | None
    segments: int
    bases: int
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One `pos_YYYYMMDD_HHMMSS.db.gz` in the backup directory."""

    path: str
    name: str
    taken_at: float
    size_bytes: int
    has_checksum: bool


@dataclass(frozen=True, slots=True)
class BackupResult:
    """A kept backup."""

    file: BackupFile
    sha256: str
    duration_seconds: float
    db_bytes: int
    schema_version: int
    pruned: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckedCopy:
    """A decompressed, validated database file ready to be moved into place."""

    path: str
    schema_version: int
    taken_at: float
    source: str
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class DrillStep:
    """One success criterion of the drill: PASS, FAIL or PENDING (feature not built yet)."""

    name: str
    verdict: str
    detail: str
    seconds: float = 0.0


@dataclass(slots=True)
class DrillReport:
    """Everything the drill measured."""

    steps: list[DrillStep] = field(default_factory=list)
    rto_seconds: float | None = None
    log_path: str = ""

    def passed(self, strict: bool) -> bool:
        """All criteria pass; pending ones count as failures only when strict."""
        bad = {"FAIL", "PENDING"} if strict else {"FAIL"}
        return not any(step.verdict in bad for step in self.steps)

"""Response shapes of the health endpoints (camelCase on the wire)."""

from __future__ import annotations

import msgspec

from pos_grocery.devices.health_models import DevicesHealth


class Base(msgspec.Struct, rename="camel", omit_defaults=False):
    """camelCase base."""


class BasicHealth(Base):
    """`GET /health`."""

    ok: bool
    timestamp: str
    uptime: float
    version: str
    environment: str
    service: str


class DatabaseHealth(Base):
    """Database probe result."""

    ok: bool
    response_time: float
    error: str | None = None


class MemoryHealth(Base):
    """Memory use against the configured limit."""

    ok: bool
    usage: float
    rss_bytes: int
    limit_bytes: int


class Services(Base):
    """Per-service health."""

    database: DatabaseHealth
    memory: MemoryHealth


class DetailedHealth(Base):
    """`GET /api/health`: the runbook's Health Check Response Format."""

    ok: bool
    timestamp: str
    uptime: float
    version: str
    environment: str
    services: Services
    backup: BackupHealth | None = None
    devices: DevicesHealth | None = None


class ArchiveHealth(Base):
    """Continuous WAL archiving: how far back a restore can lose commits (docs/BACKUP.md)."""

    enabled: bool
    ok: bool
    confirmed_at: str | None = None
    lag_seconds: float | None = None
    stream: str | None = None
    error: str | None = None


class BackupHealth(Base):
    """The `backup` section of `/api/health`: last backup, its age, stale after 24 h; the archive."""

    ok: bool
    last_backup_at: str | None
    last_backup: str | None
    age_hours: float | None
    stale: bool
    consecutive_failures: int
    last_error: str | None
    archive: ArchiveHealth


class Check(Base):
    """One named check."""

    name: str
    ok: bool
    detail: str = ""


class ReadyHealth(Base):
    """`GET /api/health/ready`."""

    ok: bool
    timestamp: str
    checks: list[Check]
    failing: list[str]


class LiveHealth(Base):
    """`GET /api/health/live`."""

    ok: bool
    timestamp: str
    uptime: float


class SlaItem(Base):
    """One SLA verdict."""

    threshold_ms: float
    actual_ms: float | None
    pass_: bool = msgspec.field(name="pass")


class Sla(Base):
    """All SLA verdicts."""

    listening: SlaItem
    database_init: SlaItem
    hardware_checks: SlaItem
    memory_ok: bool
    all_passed: bool


class Performance(Base):
    """Start-up score (0–100) and grade."""

    score: int
    grade: str
    total_startup_ms: float | None
    listening_ms: float | None
    database_init_ms: float
    hardware_check_ms: float | None
    app_ready_ms: float | None


class StartupMetrics(Base):
    """Start-up timestamps, durations, memory, SLA and performance."""

    process_start: str
    listening_at: str | None
    app_ready_at: str | None
    hardware_status: str
    hardware_detail: str
    memory_rss_bytes: int
    memory_usage: float
    migrations_applied: list[str]
    sla: Sla
    performance: Performance


class StartupHealth(Base):
    """`GET /api/health/startup`."""

    ok: bool
    timestamp: str
    metrics: StartupMetrics


class IntegritySummary(Base):
    """Counts of integrity checks."""

    total: int
    passed: int
    failed: int


class IntegrityHealth(Base):
    """`GET /api/health/integrity`."""

    ok: bool
    timestamp: str
    checks: list[Check]
    summary: IntegritySummary

"""Backup and archive state for `/api/health` (the `backup` section) and the Prometheus gauges."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pos_grocery.backup import files
from pos_grocery.backup.archive_files import read_status
from pos_grocery.backup.service import load_state
from pos_grocery.health import models as m
from pos_grocery.settings import Settings

if TYPE_CHECKING:
    from pos_grocery.metrics import Metrics
    from pos_grocery.runtime import Runtime

STALE_HOURS = 24.0


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    from pos_grocery.health.service import now_iso

    return now_iso(moment)


def archive_health(settings: Settings, now: float) -> m.ArchiveHealth:
    """Continuous archiving: enabled, the last confirmed moment and the lag (RPO in seconds)."""
    if not settings.archive_dir:
        return m.ArchiveHealth(enabled=False, ok=True)
    status = read_status(settings.archive_dir)
    confirmed = status.confirmed_at if status else None
    lag = None if confirmed is None else round(max(0.0, now - confirmed), 1)
    limit = max(60.0, 3.0 * settings.archive_interval_seconds)
    return m.ArchiveHealth(enabled=True, ok=lag is not None and lag <= limit, confirmed_at=_iso(confirmed),
                           lag_seconds=lag, stream=status.stream if status else None,
                           error=status.last_error if status else "the archiver has not reported yet")


def backup_health(settings: Settings, now: float | None = None) -> m.BackupHealth:
    """The last backup, its age in hours, stale after 24 h, failures, and the archive."""
    moment = time.time() if now is None else now
    state = load_state(settings)
    last_at, last_file = state.last_success_at, state.last_file
    if last_at is None:  # backups made by hand or copied in still count
        found = files.list_backups(str(settings.backup_dir))
        if found:
            last_at, last_file = found[0].taken_at, found[0].name
    age = None if last_at is None else round((moment - last_at) / 3600, 2)
    stale = age is None or age > STALE_HOURS
    return m.BackupHealth(
        ok=not stale and state.consecutive_failures == 0, last_backup_at=_iso(last_at), last_backup=last_file,
        age_hours=age, stale=stale, consecutive_failures=state.consecutive_failures,
        last_error=state.last_error, archive=archive_health(settings, moment),
    )


def refresh_gauges(rt: Runtime, metrics: Metrics) -> None:
    """Set the backup, archive, readiness and memory gauges (called on each /metrics scrape)."""
    from pos_grocery.health.service import memory, ready

    settings = rt.settings
    state = load_state(settings)
    metrics.backup_last_success.set(state.last_success_at or 0)
    metrics.backup_duration.set(state.last_duration_seconds)
    metrics.backup_size.set(state.last_size_bytes)
    metrics.backup_failures.set(state.consecutive_failures)
    status = read_status(settings.archive_dir) if settings.archive_dir else None
    metrics.archive_last_confirmed.set((status.confirmed_at if status else None) or 0)
    metrics.ready.set(1 if ready(rt).ok else 0)
    metrics.memory_usage_ratio.set(memory(rt).usage)

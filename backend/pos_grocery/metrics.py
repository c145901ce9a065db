"""Every Prometheus metric, declared once per app; multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass(slots=True)
class Metrics:
    """The registry and the metrics the API updates."""

    registry: CollectorRegistry
    multiprocess: bool
    request_duration: Histogram
    requests_total: Counter
    startup_seconds: Gauge
    db_size_bytes: Gauge
    db_wal_bytes: Gauge
    db_probe_seconds: Gauge
    # Backups and continuous archiving (refreshed from their state files on each scrape; docs/BACKUP.md).
    backup_last_success: Gauge
    backup_duration: Gauge
    backup_size: Gauge
    backup_failures: Gauge
    archive_last_confirmed: Gauge
    # Readiness and memory as numbers, for the runbook's alert thresholds (ops/prometheus/alerts.yml).
    ready: Gauge
    memory_usage_ratio: Gauge
    # Device services (docs/DEVICES.md "The API side"): reachability, printer/drawer/scale state, actions.
    device_up: Any = None  # Gauge
    device_state: Any = None  # Gauge
    device_actions: Any = None  # Counter

    def render(self) -> tuple[bytes, str]:
        """Classic text exposition (promtool-clean) aggregated over workers when multiprocess."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

        if not self.multiprocess:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)  # type: ignore[no-untyped-call]
        return generate_latest(collected), CONTENT_TYPE_LATEST


def create_metrics() -> Metrics:
    """Declare every metric on a fresh registry."""
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

    registry = CollectorRegistry(auto_describe=True)
    multiproc = bool(os.environ.get(MULTIPROC_ENV))
    labels = ("method", "route", "status_code")
    return Metrics(
        registry=registry,
        multiprocess=multiproc,
        request_duration=Histogram(
            "http_request_duration_seconds", "Duration of HTTP requests in seconds", labels,
            buckets=BUCKETS, registry=registry,
        ),
        requests_total=Counter("http_requests", "HTTP requests served", labels, registry=registry),
        startup_seconds=Gauge(
            "pos_startup_phase_seconds", "Start-up phase durations of the API process", ("phase",),
            registry=registry, multiprocess_mode="max",
        ),
        db_size_bytes=Gauge(
            "pos_db_size_bytes", "Size of the SQLite database file", registry=registry, multiprocess_mode="max"
        ),
        db_wal_bytes=Gauge(
            "pos_db_wal_size_bytes", "Size of the SQLite write-ahead log", registry=registry,
            multiprocess_mode="max",
        ),
        db_probe_seconds=Gauge(
            "pos_db_probe_seconds", "Duration of the last database health probe", registry=registry,
            multiprocess_mode="max",
        ),
        **_ops_gauges(registry),
        **_device_metrics(registry),
    )


def _device_metrics(registry: CollectorRegistry) -> dict[str, Any]:  # Any: Gauges and a Counter
    """Device-service gauges (refreshed on each scrape from a cached /status) and the print/kick counter."""
    from prometheus_client import Counter, Gauge

    return {
        "device_up": Gauge("pos_device_service_up", "1 when the device service answered its last status request",
                           ("url",), registry=registry, multiprocess_mode="livemax"),
        "device_state": Gauge("pos_device_state", "Device conditions as 0/1 (printer paper_out, cover_open, ...)",
                              ("url", "device", "condition"), registry=registry, multiprocess_mode="livemax"),
        "device_actions": Counter("pos_device_actions", "Receipts, reprints and drawer kicks asked of devices",
                                  ("kind", "status"), registry=registry),
    }


def _ops_gauges(registry: CollectorRegistry) -> dict[str, Gauge]:
    """Backup, archive, readiness and memory gauges (alert rules in ops/prometheus/alerts.yml)."""
    from prometheus_client import Gauge

    def gauge(name: str, text: str, lowest: bool = False) -> Gauge:
        return Gauge(name, text, registry=registry, multiprocess_mode="livemin" if lowest else "livemax")

    return {
        "backup_last_success": gauge("pos_backup_last_success_timestamp_seconds",
                                     "Unix time of the last successful backup (0 = never)"),
        "backup_duration": gauge("pos_backup_last_duration_seconds", "Duration of the last successful backup"),
        "backup_size": gauge("pos_backup_last_size_bytes", "Compressed size of the last successful backup"),
        "backup_failures": gauge("pos_backup_consecutive_failures", "Backup failures since the last success"),
        "archive_last_confirmed": gauge("pos_archive_last_confirmed_timestamp_seconds",
                                        "Unix time up to which every commit is archived (0 = not archiving)"),
        "ready": gauge("pos_ready", "1 when the readiness probe passes, else 0", lowest=True),
        "memory_usage_ratio": gauge("pos_memory_usage_ratio", "Resident memory over MEMORY_LIMIT_MB"),
    }

"""Run the API and web processes under granian."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pos_grocery.settings import Settings

METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _metrics_dir(settings: Settings) -> str:
    """A clean per-port directory for prometheus-client's multiprocess files (set before workers start)."""
    default = Path(tempfile.gettempdir()) / f"pos-grocery-metrics-{settings.port}"
    chosen = os.environ.get(METRICS_DIR_ENV) or str(default)
    shutil.rmtree(chosen, ignore_errors=True)
    Path(chosen).mkdir(parents=True, exist_ok=True)
    return chosen


def _granian(target: str, address: str, port: int, settings: Settings, **options: Any) -> int:
    """Serve the ASGI factory `target` on address:port with the options every process here shares (JSON logs,
    no access log, a 5 s kill timeout, no websockets); `options` adds to or overrides them. Blocks until stopped."""
    from granian import Granian
    from granian.constants import Interfaces

    from pos_grocery.logging import granian_log_config

    shared: dict[str, Any] = {"workers": 1, "log_dictconfig": granian_log_config(settings), "log_access": False,
                              "workers_kill_timeout": 5, "websockets": False}
    Granian(target, factory=True, address=address, port=port, interface=Interfaces.ASGI,
            **{**shared, **options}).serve()
    return 0


def run_api(settings: Settings) -> int:
    """Serve `pos_grocery.boot:create` on HOST:PORT; SIGTERM drains requests and closes the database."""
    from granian.log import LogLevels

    os.environ[METRICS_DIR_ENV] = _metrics_dir(settings)
    return _granian("pos_grocery.boot:create", settings.host, settings.port, settings, workers=settings.workers,
                    log_level=LogLevels.warning if settings.is_production else LogLevels.info,
                    respawn_failed_workers=settings.is_production)


def run_web(settings: Settings) -> int:
    """Serve the built SPA with granian (a tiny ASGI app: SPA fallback and cache headers)."""
    return _granian("pos_grocery.web:create", settings.web_host, settings.web_port, settings)


def run_devices(settings: Settings) -> int:
    """Serve the device service with granian (its own DEVICE_* settings are read in the worker)."""
    from pos_grocery.devices.config import DeviceConfig
    from pos_grocery.settings import merged_environment

    config = DeviceConfig.from_env(merged_environment())
    return _granian("pos_grocery.devices.asgi:app_from_env", config.host, config.port, settings)

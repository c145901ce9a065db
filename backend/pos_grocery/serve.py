"""Run the API and web processes under granian."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pos_grocery.settings import Settings

METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _metrics_dir(settings: Settings) -> str:
    """A clean per-port directory for prometheus-client's multiprocess files (set before workers start)."""
    default = Path(tempfile.gettempdir()) / f"pos-grocery-metrics-{settings.port}"
    chosen = os.environ.get(METRICS_DIR_ENV) or str(default)
    shutil.rmtree(chosen, ignore_errors=True)
    Path(chosen).mkdir(parents=True, exist_ok=True)
    return chosen


def run_api(settings: Settings) -> int:
    """Serve `pos_grocery.boot:create` on HOST:PORT; SIGTERM drains requests and closes the database."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from pos_grocery.logging import granian_log_config

    os.environ[METRICS_DIR_ENV] = _metrics_dir(settings)
    Granian(
        "pos_grocery.boot:create",
        factory=True,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=settings.workers,
        log_level=LogLevels.warning if settings.is_production else LogLevels.info,
        log_dictconfig=granian_log_config(settings),
        log_access=False,
        workers_kill_timeout=5,
        respawn_failed_workers=settings.is_production,
        websockets=False,
    ).serve()
    return 0


def run_web(settings: Settings) -> int:
    """Serve the built SPA with granian (a tiny ASGI app: SPA fallback and cache headers)."""
    from granian import Granian
    from granian.constants import Interfaces

    from pos_grocery.logging import granian_log_config

    Granian(
        "pos_grocery.web:create",
        factory=True,
        address=settings.web_host,
        port=settings.web_port,
        interface=Interfaces.ASGI,
        workers=1,
        log_dictconfig=granian_log_config(settings),
        log_access=False,
        workers_kill_timeout=5,
        websockets=False,
    ).serve()
    return 0


def run_devices(settings: Settings) -> int:
    """Serve the device service with granian (its own DEVICE_* settings are read in the worker)."""
    from granian import Granian
    from granian.constants import Interfaces

    from pos_grocery.devices.config import DeviceConfig
    from pos_grocery.logging import granian_log_config
    from pos_grocery.settings import merged_environment

    config = DeviceConfig.from_env(merged_environment())
    Granian(
        "pos_grocery.devices.asgi:app_from_env",
        factory=True,
        address=config.host,
        port=config.port,
        interface=Interfaces.ASGI,
        workers=1,
        log_dictconfig=granian_log_config(settings),
        log_access=False,
        workers_kill_timeout=5,
        websockets=False,
    ).serve()
    return 0

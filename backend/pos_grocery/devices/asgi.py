"""ASGI factory for servers that import an app by name (granian --factory): config from os.environ."""

from __future__ import annotations

import os

from litestar import Litestar

from pos_grocery.devices.config import DeviceConfig
from pos_grocery.devices.service import build_device_app


def app_from_env() -> Litestar:
    """The device service app configured from the process environment (read at call time, not import)."""
    from pos_grocery.settings import merged_environment

    return build_device_app(DeviceConfig.from_env(merged_environment(os.environ)))

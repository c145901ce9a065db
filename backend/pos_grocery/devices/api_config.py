"""The API's device settings (merged into Settings); light: start-up reads them on the listening path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_grocery.envvars import boolean as _bool
from pos_grocery.envvars import integer as _int

DEFAULT_IDLE_MESSAGE = "Welcome"


def device_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """DEVICE_PRINT_ON_SALE, DEVICE_CALL_TIMEOUT_MS, DISPLAY_IDLE_SECONDS, ... (docs/DEVICES.md "The API side")."""
    return {
        "device_print_on_sale": _bool(env, "DEVICE_PRINT_ON_SALE", True),
        "device_print_wait_ms": _int(env, "DEVICE_PRINT_WAIT_MS", 4000, 0, 60_000),
        "device_call_timeout_ms": _int(env, "DEVICE_CALL_TIMEOUT_MS", 5000, 100, 60_000),
        "device_weigh_timeout_ms": _int(env, "DEVICE_WEIGH_TIMEOUT_MS", 3000, 100, 60_000),
        "device_status_ttl_seconds": _int(env, "DEVICE_STATUS_TTL_SECONDS", 10, 1, 3600),
        "display_enabled": _bool(env, "DISPLAY_ENABLED", True),
        "display_idle_seconds": _int(env, "DISPLAY_IDLE_SECONDS", 60, 0, 86_400),
        "display_idle_message": env.get("DISPLAY_IDLE_MESSAGE", DEFAULT_IDLE_MESSAGE).strip(),
    }

"""Reading a lane's scale through the API: a stable positive net weight, or a problem saying why not."""

from __future__ import annotations

import asyncio

from pos_grocery.devices import records
from pos_grocery.devices.api_models import ScaleWeightOut
from pos_grocery.devices.monitor import Monitor
from pos_grocery.devices.scales.toledo import Weighing
from pos_grocery.errors import Conflict, DomainError, NotFound, Unavailable
from pos_grocery.runtime import Runtime

MAX_WAIT_MS = 30_000  # the device service refuses longer waits
HTTP_MARGIN_SECONDS = 2.0

# Why a reading gave no weight -> (error class, stable code, what the lane shows).
PROBLEMS: dict[str, tuple[type[DomainError], str, str]] = {
    "motion": (Conflict, "SCALE_UNSTABLE", "The scale did not settle: let the item rest and read again."),
    "over_capacity": (Conflict, "SCALE_OVER_CAPACITY", "The weight is above the scale's capacity."),
    "not_zeroed": (Conflict, "SCALE_NOT_ZEROED",
                   "The scale has not returned to zero since the last reading: lift the item off, then weigh."),
    "zero": (Conflict, "SCALE_EMPTY", "Nothing is on the scale."),
    "under_zero": (Conflict, "SCALE_UNDER_ZERO", "The scale reads below zero: empty it and zero it."),
    "below_tare": (Conflict, "SCALE_BELOW_TARE", "The weight is not more than the container's tare."),
    "no_scale": (Conflict, "SCALE_NOT_CONFIGURED", "This lane has no scale (DEVICE_SCALE_PORT)."),
    "timeout": (Unavailable, "SCALE_NOT_RESPONDING", "The scale did not answer (cable, power, baud rate?)."),
    "error": (Unavailable, "SCALE_UNREADABLE", "The scale's answers could not be read (garbage on the line)."),
    "unavailable": (Unavailable, "DEVICE_SERVICE_UNAVAILABLE", "The lane's device service or scale port is down."),
}


def _weigh(url: str, tare_g: int, wait_ms: int, http_timeout: float) -> Weighing:
    """Blocking: one stable-weight request to the device service."""
    from pos_grocery.devices.client import DeviceClient

    return DeviceClient(url, timeout=http_timeout).weigh(tare_g, wait_ms)


async def read_weight(
    rt: Runtime, monitor: Monitor, terminal_id: int, tare_g: int, timeout_ms: int | None
) -> ScaleWeightOut:
    """Wait at most timeout_ms (default DEVICE_WEIGH_TIMEOUT_MS) for a stable weight from the lane's scale."""
    exists, own = records.terminal_url(rt.db.reader, terminal_id)
    if not exists:
        raise NotFound(f"There is no terminal with id {terminal_id}.", "TERMINAL_NOT_FOUND")
    url = (own or rt.settings.device_service_url).strip()
    if not url:
        raise Conflict("No device service is configured for this lane.", "SCALE_NOT_CONFIGURED")
    wait_ms = min(timeout_ms or rt.settings.device_weigh_timeout_ms, MAX_WAIT_MS)
    loop = asyncio.get_running_loop()
    got = await loop.run_in_executor(None, _weigh, url, tare_g, wait_ms, wait_ms / 1000 + HTTP_MARGIN_SECONDS)
    monitor.readings[url] = got.status
    if got.status == "ok":
        return ScaleWeightOut(terminal_id=terminal_id, grams=got.grams, gross_grams=got.gross, tare_grams=tare_g)
    error, code, text = PROBLEMS.get(got.status, PROBLEMS["error"])
    raise error(f"{text} (waited up to {wait_ms} ms)", code)

"""The cash drawer kick of a no-sale, through the device service (`devices/printing.py: kick_drawer_for`).

`open_drawer` is called after the no-sale is committed (the record exists even if the drawer does not open);
its answer is shown as `drawer` in the response: `opened`, `failed` (e.g. paper out on an Epson-style printer,
device service down), `pending` (no answer within DEVICE_PRINT_WAIT_MS) or `not_connected` (no device service
for the lane: empty DEVICE_SERVICE_URL and no terminal deviceServiceUrl).
"""

from __future__ import annotations

from pos_grocery.runtime import Runtime


async def open_drawer(rt: Runtime, terminal_id: int, action_id: str) -> str:
    """Kick the terminal's drawer once per `action_id` ("no-sale-<id>-<epoch ms>"); the outcome as a short word."""
    from pos_grocery.devices.printing import kick_drawer_for

    out = await kick_drawer_for(rt, terminal_id, action_id)
    return "not_connected" if out.status == "skipped" else out.status

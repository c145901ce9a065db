"""Device state for `/api/health` and `/metrics`, and the start-up hardware check (bounded waits everywhere).

The device services' `/status` is asked on a worker thread at most every DEVICE_STATUS_TTL_SECONDS; a health
request waits at most HEALTH_WAIT_SECONDS for a refresh and otherwise answers the last snapshot (`stale`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import connect
from pos_grocery.devices import records
from pos_grocery.devices.health_models import (
    DeviceServiceHealth,
    DevicesHealth,
    DisplayHealth,
    DrawerHealth,
    PrinterHealth,
    ScaleHealth,
)
from pos_grocery.devices.status import DeviceStatus, LinkReport
from pos_grocery.runtime import Runtime

HEALTH_WAIT_SECONDS = 1.0
STATUS_TIMEOUT_SECONDS = 3.0
STARTUP_BUDGET_SECONDS = 0.9  # the runbook's hardware-check SLA is 1000 ms
UNSTABLE_READINGS = frozenset({"motion", "timeout"})


@dataclass
class Monitor:
    """The last snapshot of every device service, and the last scale reading per service."""

    services: list[DeviceServiceHealth] = field(default_factory=list)
    checked_at: float | None = None
    checked_mono: float = 0.0
    task: asyncio.Task[None] | None = None
    readings: dict[str, str] = field(default_factory=dict)


def fetch_status(url: str, timeout: float) -> DeviceStatus | str:
    """Blocking: the device service's status, or why it could not be had."""
    from pos_grocery.devices.client import DeviceClient, DeviceServiceError

    try:
        return DeviceClient(url, timeout=timeout).status()
    except DeviceServiceError as exc:
        return str(exc)


def _printer_ok(p: PrinterHealth) -> bool:
    return p.connected and p.online is not False and not p.paper_out and not p.cover_open


def _link(report: LinkReport) -> tuple[bool, bool, str]:
    return report.configured, report.link == "connected", report.detail


def service_health(url: str, lanes: list[str], got: DeviceStatus | str, reading: str | None) -> DeviceServiceHealth:
    """One service's health entry from its `/status` answer (or the error)."""
    if isinstance(got, str):
        return DeviceServiceHealth(url=url, terminals=lanes, reachable=False, ok=False, error=got)
    p = got.printer
    printer = PrinterHealth(
        connected=p.link == "connected", online=p.online, paper_out=p.paper_out, paper_near_end=p.paper_near_end,
        cover_open=p.cover_open, detail=p.detail,
    )
    configured, connected, detail = _link(got.scale)
    scale = ScaleHealth(
        configured=configured, connected=connected, detail=detail, last_reading=reading,
        unstable=None if reading is None else reading in UNSTABLE_READINGS,
    )
    d_configured, d_connected, d_detail = _link(got.display)
    display = DisplayHealth(configured=d_configured, connected=d_connected, detail=d_detail)
    return DeviceServiceHealth(
        url=url, terminals=lanes, reachable=True, ok=_printer_ok(printer), mode=got.mode, printer=printer,
        drawer=DrawerHealth(open=p.drawer_open), scale=scale, display=display,
    )


async def _refresh(rt: Runtime, monitor: Monitor) -> None:
    urls = records.service_urls(rt.db.reader, rt.settings.device_service_url.strip())
    timeout = min(STATUS_TIMEOUT_SECONDS, rt.settings.device_call_timeout_ms / 1000)
    loop = asyncio.get_running_loop()
    answers = await asyncio.gather(*(loop.run_in_executor(None, fetch_status, url, timeout) for url in urls))
    monitor.services = [
        service_health(url, lanes, got, monitor.readings.get(url))
        for (url, lanes), got in zip(urls.items(), answers, strict=True)
    ]
    monitor.checked_at, monitor.checked_mono = time.time(), time.monotonic()


async def device_health(rt: Runtime, monitor: Monitor) -> DevicesHealth:
    """The devices section: fresh within the TTL, else refreshed (waiting at most HEALTH_WAIT_SECONDS)."""
    age = time.monotonic() - monitor.checked_mono
    fresh = monitor.checked_at is not None and age < rt.settings.device_status_ttl_seconds
    if not fresh:
        if monitor.task is None or monitor.task.done():
            monitor.task = asyncio.ensure_future(_refresh(rt, monitor))
        # A refresh that fails (or takes longer) leaves the last snapshot; health never fails on devices.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(monitor.task), HEALTH_WAIT_SECONDS)
    stale = monitor.task is not None and not monitor.task.done()
    return DevicesHealth(
        ok=all(s.ok for s in monitor.services) and not stale,
        checked_at=None if monitor.checked_at is None else iso_utc(monitor.checked_at),
        stale=stale,
        services=list(monitor.services),
    )


def set_gauges(metrics: Any, health: DevicesHealth) -> None:
    """pos_device_service_up{url} and pos_device_state{url,device,condition} (1 = true; unknown = absent)."""
    up, state = getattr(metrics, "device_up", None), getattr(metrics, "device_state", None)
    if up is None or state is None:
        return
    state.clear()
    for svc in health.services:
        up.labels(svc.url).set(1 if svc.reachable else 0)
        for device, condition, value in _conditions(svc):
            if value is not None:
                state.labels(svc.url, device, condition).set(1 if value else 0)


def _conditions(svc: DeviceServiceHealth) -> list[tuple[str, str, bool | None]]:
    p, s, d = svc.printer, svc.scale, svc.display
    out: list[tuple[str, str, bool | None]] = []
    if p is not None:
        out += [("printer", "connected", p.connected), ("printer", "online", p.online),
                ("printer", "paper_out", p.paper_out), ("printer", "paper_near_end", p.paper_near_end),
                ("printer", "cover_open", p.cover_open)]
    if svc.drawer is not None:
        out.append(("drawer", "open", svc.drawer.open))
    if s is not None and s.configured:
        out += [("scale", "connected", s.connected), ("scale", "unstable", s.unstable)]
    if d is not None and d.configured:
        out.append(("display", "connected", d.connected))
    return out


def startup_check(rt: Runtime, budget: float = STARTUP_BUDGET_SECONDS) -> tuple[str, str]:
    """Ask every device service in use for its status, in parallel, within the budget: (status, detail).

    Runs on the app-build thread after the API is ready (never on the listening path); its own database
    connection, since the inline reader belongs to the event loop.
    """
    conn = connect(rt.settings.db_path, rt.settings.db_synchronous, rt.settings.db_busy_timeout_ms)
    try:
        urls = records.service_urls(conn, rt.settings.device_service_url.strip())
    finally:
        conn.close()
    if not urls:
        return "skipped", "no device service configured (DEVICE_SERVICE_URL empty, no lane has one)"
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(8, len(urls)), thread_name_prefix="hw-check")
    futures = {url: pool.submit(fetch_status, url, budget) for url in urls}
    done, _late = concurrent.futures.wait(futures.values(), timeout=budget)
    pool.shutdown(wait=False, cancel_futures=True)
    problems: list[str] = []
    unreachable = False
    for url, future in futures.items():
        got: DeviceStatus | str = future.result() if future in done else f"no answer within {budget * 1000:.0f} ms"
        entry = service_health(url, urls[url], got, None)
        if not entry.reachable:
            unreachable = True
            problems.append(f"device service at {url}: {entry.error}")
        elif not entry.ok:
            problems.append(f"printer at {url}: {_printer_problem(entry.printer)}")
    if unreachable:
        return "unavailable", "; ".join(problems)
    if problems:
        return "degraded", "; ".join(problems)
    return "ok", f"{len(urls)} device service(s) reachable, printers ready"


def _printer_problem(p: PrinterHealth | None) -> str:
    if p is None or not p.connected:
        return f"not connected ({p.detail if p else ''})"
    if p.paper_out:
        return "paper out"
    if p.cover_open:
        return "cover open"
    return "offline"

"""The API's side of printing: receipts when a sale or refund completes, retries and reprints, drawer kicks.

Every device call runs on a worker thread (the client is blocking) after the sale's transaction committed;
the request waits for it at most DEVICE_PRINT_WAIT_MS and then answers `pending` while the job finishes and
records its outcome. Action ids derive from the request's Idempotency-Key (`<key>:print`, `<key>:drawer`), so
the device service never prints or kicks twice for one sale, however often the lane retries; the outcome is
kept in `device_actions`, so a retry does not even ask again once it is done. A failed print never fails the
sale: the answer says `failed` with the reason and `POST /api/sales/{id}/print` tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import apsw

from pos_grocery.clock import iso_utc
from pos_grocery.devices import records
from pos_grocery.devices.actions import ActionResult
from pos_grocery.devices.api_models import DrawerOut, PrintOut
from pos_grocery.receipts.models import Receipt
from pos_grocery.runtime import Runtime

Submit = Callable[[Callable[[apsw.Connection], Any]], Awaitable[Any]]
Finals = dict[str, tuple[str, str]]  # action id -> ("done" | "failed" | "skipped", detail)
UNKNOWN = ("failed", "no outcome: the device job failed (see the API log)")
NO_SERVICE = "no device service is configured for this lane (terminal deviceServiceUrl or DEVICE_SERVICE_URL)"


@dataclass
class Gateway:
    """Per app: device jobs in flight by entity (concurrent retries of one sale share one job), metrics."""

    metrics: Any = None
    jobs: dict[str, asyncio.Task[Finals]] = field(default_factory=dict)
    monitor: Any = None  # devices.monitor.Monitor, made on first use

    def count(self, kind: str, status: str) -> None:
        """Count a device action's outcome (pos_device_actions_total)."""
        counter = getattr(self.metrics, "device_actions", None)
        if counter is not None:
            counter.labels(kind, status).inc()


def gateway_of(state: Any) -> Gateway:
    """The app's gateway (made on first use, kept on the app state)."""
    found = state.get("device_gateway")
    if not isinstance(found, Gateway):
        found = Gateway(metrics=state.get("metrics"))
        state["device_gateway"] = found
    return found


@dataclass(frozen=True, slots=True)
class Job:
    """What to ask one device service for: a receipt and/or a drawer kick, and how to record it."""

    entity: str
    entity_id: int | None
    terminal_id: int | None
    receipt: Receipt | None = None
    print_id: str | None = None
    print_kind: str = "print"
    drawer_id: str | None = None


def device_url(rt: Runtime, terminal_id: int | None) -> str:
    """The lane's own device-service URL, else DEVICE_SERVICE_URL ('' = none)."""
    _exists, own = records.terminal_url(rt.db.reader, terminal_id)
    return (own or rt.settings.device_service_url).strip()


def _call_devices(url: str, timeout: float, job: Job) -> dict[str, ActionResult]:
    """Blocking: print, then kick (the kick queues behind the receipt in the printer, as cashiers expect)."""
    from pos_grocery.devices.client import DeviceClient  # urllib stays off the start-up path

    client = DeviceClient(url, timeout=timeout)
    results: dict[str, ActionResult] = {}
    if job.print_id is not None and job.receipt is not None:
        results[job.print_id] = client.print_receipt(job.print_id, job.receipt)
    if job.drawer_id is not None:
        results[job.drawer_id] = client.kick_drawer(job.drawer_id)
    return results


async def _write(rt: Runtime, work: Callable[[apsw.Connection], None], submit: Submit | None) -> None:
    if submit is not None:
        await submit(work)  # joins the sale committer's next batch: no fsync of its own under load
        return
    with rt.db.write() as conn:
        work(conn)


async def run_job(rt: Runtime, job: Job, submit: Submit | None = None, gateway: Gateway | None = None) -> Finals:
    """Ask the device service (worker thread, bounded by DEVICE_CALL_TIMEOUT_MS) and record the outcomes."""
    wanted = [a for a in (job.print_id, job.drawer_id) if a is not None]
    if not wanted:
        return {}
    url = device_url(rt, job.terminal_id)
    if not url:
        return {a: ("skipped", NO_SERVICE) for a in wanted}
    timeout = rt.settings.device_call_timeout_ms / 1000
    loop = asyncio.get_running_loop()
    try:
        results = await loop.run_in_executor(None, _call_devices, url, timeout, job)
    except Exception as exc:  # the client returns values; anything else is a bug, still not the sale's problem
        results = {a: ActionResult(action_id=a, status="failed", detail=f"device call failed: {exc}") for a in wanted}
    finals: Finals = {}
    outcomes = []
    for action_id, result in results.items():
        kind = job.print_kind if action_id == job.print_id else "drawer"
        status = "failed" if result.status == "failed" else "done"
        detail = result.detail if status == "failed" else ("already done" if result.status == "duplicate" else "")
        finals[action_id] = (status, detail)
        outcomes.append(
            records.Outcome(action_id, job.entity, job.entity_id, kind, status, detail, job.terminal_id, url)
        )
        if gateway is not None:
            gateway.count(kind, status)
    now = iso_utc(rt.clock())
    try:
        await _write(rt, lambda conn: records.save(conn, outcomes, now), submit)
    except Exception as exc:  # the print happened (or not) either way; the device service still dedups by id
        _log_error("device outcome not recorded: {}", exc)
    return finals


def _log_error(message: str, exc: BaseException) -> None:
    from loguru import logger

    logger.opt(exception=exc).error(message, exc)


async def settle(gateway: Gateway, key: str, start: Callable[[], Awaitable[Finals]], wait_s: float) -> Finals | None:
    """Run (or join) the job for `key`; its outcome within wait_s, else None (it goes on and records itself)."""
    task = gateway.jobs.get(key)
    if task is None or task.done():
        task = asyncio.ensure_future(start())
        gateway.jobs[key] = task
        task.add_done_callback(lambda done: _forget(gateway, key, done))
    try:
        return await asyncio.wait_for(asyncio.shield(task), wait_s)
    except TimeoutError:
        return None
    except Exception as exc:  # a bug in a job must not turn a committed sale into a 500
        _log_error("device job failed: {}", exc)
        return {}


def _forget(gateway: Gateway, key: str, task: asyncio.Task[Finals]) -> None:
    if gateway.jobs.get(key) is task:
        del gateway.jobs[key]
    _quiet(task)


def _quiet(task: asyncio.Task[Finals]) -> None:
    if not task.cancelled():
        with contextlib.suppress(Exception):
            task.result()  # a job that raised is logged by the caller's await; never "exception never retrieved"


def print_out(finals: Finals | None, action_id: str | None, *, copy: bool = False, wait_ms: int = 0) -> PrintOut:
    """The receipt part of an answer."""
    if action_id is None:
        return PrintOut(status="skipped", detail="nothing to print")
    if finals is None:
        return PrintOut(status="pending", detail=f"still printing after {wait_ms} ms", copy=copy, action_id=action_id)
    state, detail = finals.get(action_id, UNKNOWN)
    status = {"done": "printed", "failed": "failed"}.get(state, "skipped")
    return PrintOut(status=status, detail=detail, copy=copy, action_id=action_id)  # type: ignore[arg-type]


def drawer_out(finals: Finals | None, action_id: str | None, why_not: str = "no cash tender") -> DrawerOut:
    """The drawer part of an answer."""
    if action_id is None:
        return DrawerOut(status="skipped", detail=why_not)
    if finals is None:
        return DrawerOut(status="pending", detail="the drawer kick is still on its way", action_id=action_id)
    state, detail = finals.get(action_id, UNKNOWN)
    status = {"done": "opened", "failed": "failed"}.get(state, "skipped")
    return DrawerOut(status=status, detail=detail, action_id=action_id)  # type: ignore[arg-type]


def still_needed(rt: Runtime, job: Job) -> tuple[Job, Finals]:
    """Drop the parts already done (recorded), so a retry asks the device service only for what is missing."""
    ids = [a for a in (job.print_id, job.drawer_id) if a is not None]
    known = records.load(rt.db.reader, ids)
    done: Finals = {a: ("done", "") for a, rec in known.items() if rec.status == "done"}
    trimmed = Job(
        entity=job.entity, entity_id=job.entity_id, terminal_id=job.terminal_id,
        receipt=job.receipt if job.print_id not in done else None,
        print_id=job.print_id if job.print_id not in done else None, print_kind=job.print_kind,
        drawer_id=job.drawer_id if job.drawer_id not in done else None,
    )
    return trimmed, done


async def kick_drawer_for(
    rt: Runtime,
    terminal_id: int | None,
    action_id: str,
    *,
    entity: str = "no_sale",
    entity_id: int | None = None,
    submit: Submit | None = None,
) -> DrawerOut:
    """Open a lane's cash drawer once per action id (e.g. an audited "no sale"); the caller audits it.

    Blocking I/O runs on a worker thread; waits at most DEVICE_PRINT_WAIT_MS (then `pending`). A repeated
    action id answers `opened` without a second kick.
    """
    job, done = still_needed(rt, Job(entity=entity, entity_id=entity_id, terminal_id=terminal_id,
                                     drawer_id=action_id))
    if job.drawer_id is None:
        return drawer_out(done, action_id)
    task = asyncio.ensure_future(run_job(rt, job, submit))
    task.add_done_callback(_quiet)
    try:
        finals = await asyncio.wait_for(asyncio.shield(task), rt.settings.device_print_wait_ms / 1000)
    except TimeoutError:
        finals = None
    except Exception as exc:
        _log_error("drawer kick failed: {}", exc)
        finals = {}
    return drawer_out(finals, action_id)

"""Receipts and drawer kicks of checkout: after a sale, after a refund, and `POST /api/sales/{id}/print`."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses

import msgspec

from pos_grocery.audit.service import Actor
from pos_grocery.auth.identity import Identity
from pos_grocery.db.connection import fetch_value
from pos_grocery.devices import records
from pos_grocery.devices.api_models import PrintOut, ReturnCompleted, SaleCompleted, SalePrintOut
from pos_grocery.devices.printing import (
    NO_SERVICE,
    Finals,
    Gateway,
    Job,
    Submit,
    device_url,
    drawer_out,
    print_out,
    run_job,
    settle,
    still_needed,
)
from pos_grocery.devices.refund_receipt import refund_receipt
from pos_grocery.errors import NotFound
from pos_grocery.returns.models import ReturnOut
from pos_grocery.runtime import Runtime
from pos_grocery.sales import read
from pos_grocery.sales.context import checkout_of
from pos_grocery.sales.models import SaleOut
from pos_grocery.sales.receipt import build_receipt, issue_receipt


def _wait(rt: Runtime) -> float:
    return rt.settings.device_print_wait_ms / 1000


async def after_sale(rt: Runtime, gw: Gateway, sale: SaleOut, key: str, submit: Submit | None) -> SaleCompleted:
    """Print the receipt (`<key>:print`) and, for cash, kick the drawer (`<key>:drawer`) once, whatever retries."""
    base = msgspec.structs.asdict(sale)
    if not rt.settings.device_print_on_sale or sale.status != "completed":
        return SaleCompleted(**base)
    cash = any(t.method == "cash" for t in sale.tenders)
    print_id, drawer_id = f"{key}:print", f"{key}:drawer" if cash else None

    async def start() -> Finals:
        job, done = still_needed(rt, Job("sale", sale.id, sale.terminal_id, None, print_id, "print", drawer_id))
        if job.print_id is not None:
            job = dataclasses.replace(job, receipt=build_receipt(sale, checkout_of(rt.settings), copy=False))
        return {**done, **await run_job(rt, job, submit, gw)}

    finals = await settle(gw, f"sale:{sale.id}", start, _wait(rt))
    wait_ms = rt.settings.device_print_wait_ms
    receipt = print_out(finals, print_id, wait_ms=wait_ms)
    return SaleCompleted(**base, print_=receipt, drawer=drawer_out(finals, drawer_id))


async def print_sale(
    rt: Runtime, gw: Gateway, sale_id: int, actor: Actor | None, request_id: str | None, submit: Submit | None
) -> SalePrintOut:
    """The original when it never printed (a failed drawer kick is retried with it), else a counted COPY."""
    ck = checkout_of(rt.settings)
    sale = read.load_sale(rt.db.reader, sale_id, ck.currency)
    if sale is None:
        raise NotFound(f"There is no sale with id {sale_id}.", "SALE_NOT_FOUND")
    if not device_url(rt, sale.terminal_id):  # nothing can print: do not count (or audit) a reprint
        skipped = PrintOut(status="skipped", detail=NO_SERVICE)
        return SalePrintOut(sale_id=sale_id, receipt_number=sale.receipt_number, reprint_count=_reprints(rt, sale_id),
                            print_=skipped, drawer=drawer_out({}, None, "no drawer kick to retry"))
    running = gw.jobs.get(f"sale:{sale_id}")
    if running is not None and not running.done():  # the sale's own print is still on its way: join it
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(running), _wait(rt))
    key = records.sale_key(rt.db.reader, sale_id) or f"sale-{sale_id}"
    print_id, drawer_id = f"{key}:print", f"{key}:drawer"
    known = records.load(rt.db.reader, [print_id, drawer_id])
    if running is not None and not running.done():
        job = Job("sale", sale_id, sale.terminal_id, print_id=print_id)
        finals: Finals | None = None
    elif print_id not in known or known[print_id].status != "done":
        kick = drawer_id if drawer_id in known and known[drawer_id].status != "done" else None
        job = Job("sale", sale_id, sale.terminal_id, build_receipt(sale, ck, copy=False), print_id, "print", kick)
        finals = await settle(gw, f"sale:{sale_id}", lambda: run_job(rt, job, submit, gw), _wait(rt))
    else:
        doc, count = issue_receipt(rt, sale_id, actor, request_id)
        job = Job("sale", sale_id, sale.terminal_id, doc, f"{key}:reprint:{count}", "reprint")
        finals = await settle(gw, f"sale:{sale_id}", lambda: run_job(rt, job, submit, gw), _wait(rt))
    copy = job.receipt is not None and job.receipt.copy
    return SalePrintOut(
        sale_id=sale_id,
        receipt_number=sale.receipt_number,
        reprint_count=_reprints(rt, sale_id),
        print_=print_out(finals, job.print_id, copy=copy, wait_ms=rt.settings.device_print_wait_ms),
        drawer=drawer_out(finals, job.drawer_id, "no drawer kick to retry"),
    )


def _reprints(rt: Runtime, sale_id: int) -> int:
    return int(fetch_value(rt.db.reader, "SELECT reprint_count FROM sales WHERE id = ?", (sale_id,)) or 0)


async def after_return(
    rt: Runtime, gw: Gateway, ret: ReturnOut, key: str | None, caller: Identity, submit: Submit | None = None
) -> ReturnCompleted:
    """Print the refund slip and, for a cash refund, open the drawer, once per return (same rules as sales)."""
    base = msgspec.structs.asdict(ret)
    if not rt.settings.device_print_on_sale:
        return ReturnCompleted(**base)
    stem = key or f"return-{ret.id}"
    print_id, drawer_id = f"{stem}:print", f"{stem}:drawer" if ret.refund_method == "cash" else None
    terminal_id = caller.terminal_id

    async def start() -> Finals:
        job, done = still_needed(rt, Job("return", ret.id, terminal_id, None, print_id, "print", drawer_id))
        if job.print_id is not None:
            ck = checkout_of(rt.settings)
            slip = refund_receipt(rt.db.reader, ret, ck, caller.terminal_name or "-", caller.display_name)
            job = dataclasses.replace(job, receipt=slip)
        return {**done, **await run_job(rt, job, submit, gw)}

    finals = await settle(gw, f"return:{ret.id}", start, _wait(rt))
    wait_ms = rt.settings.device_print_wait_ms
    slip_out = print_out(finals, print_id, wait_ms=wait_ms)
    return ReturnCompleted(**base, print_=slip_out, drawer=drawer_out(finals, drawer_id, "not a cash refund"))


def sale_with_devices(rt: Runtime, gw: Gateway, sale: SaleOut) -> SaleCompleted:
    """A stored sale with what its receipt and drawer did (as recorded; `pending` while a job runs)."""
    base = msgspec.structs.asdict(sale)
    key = records.sale_key(rt.db.reader, sale.id) or f"sale-{sale.id}"
    cash = any(t.method == "cash" for t in sale.tenders)
    print_id, drawer_id = f"{key}:print", f"{key}:drawer" if cash else None
    known = records.load(rt.db.reader, [a for a in (print_id, drawer_id) if a is not None])
    if not known and not rt.settings.device_print_on_sale:
        return SaleCompleted(**base)
    running = gw.jobs.get(f"sale:{sale.id}")
    finals: Finals | None = None
    if running is None or running.done():
        finals = {a: (rec.status, rec.detail) for a, rec in known.items()}
        for action_id in (print_id, drawer_id):
            if action_id is not None and action_id not in known:
                finals[action_id] = ("skipped", "not asked of the device service")
    receipt = print_out(finals, print_id, wait_ms=rt.settings.device_print_wait_ms)
    return SaleCompleted(**base, print_=receipt, drawer=drawer_out(finals, drawer_id))

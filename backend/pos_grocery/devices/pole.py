"""The API's side of the customer pole display (2 x 20, CD5220): what each lane's display shows, and when.

- After a quote (`POST /api/sales/quote`, the lane asks one whenever its cart changes): line 1 the last added or
  changed line (name cut to fit, `qty x price` or the amount), line 2 `TOTAL <amount due>`.
- After a completed sale: `TOTAL <amount due>` and `CHANGE <change>` (cash) or `PAID <amount>` (no cash).
- After DISPLAY_IDLE_SECONDS without an update, when a cart is held, or on `POST /api/devices/display/idle`
  (the lane's new empty cart): DISPLAY_IDLE_MESSAGE.

Nothing here waits for the display: a request only records the lines it wants for its lane and returns. One
writer task per lane sends them on a worker thread (the client is blocking), bounded by DEVICE_CALL_TIMEOUT_MS;
lines wanted while a write is on its way replace each other (latest wins), so a fast scanner never queues
display writes. A failure is only recorded (lane state, `pos_device_actions_total{kind="display"}`, the log).

The display is ASCII only: accents are dropped (e -> e); a name with letters that have no ASCII form (Sinhala,
Tamil) shows the product's SKU instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import msgspec

from pos_grocery.catalog.config import minor_digits
from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_value
from pos_grocery.devices import display
from pos_grocery.devices.printing import NO_SERVICE, device_url
from pos_grocery.receipts.models import format_money, format_qty
from pos_grocery.runtime import Runtime
from pos_grocery.sales.models import LineOut, QuoteOut, SaleOut

LineKey = tuple[int, int, int | None, int]  # product id, quantity (thousandths), unit price, amount
MIN_NAME = 6  # qty x price gives way to the amount when it would leave the name fewer characters
DisplayState = str  # "shown" | "failed" | "skipped" | "pending" | "none"


class DisplayOut(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    """`GET /api/devices/display`: what the API last asked a lane's pole display to show, and what became of it."""

    terminal_id: int
    upper: str
    lower: str
    status: str
    detail: str = ""
    at: str | None = None


def ascii_text(text: str) -> str | None:
    """The text as the display can show it (accents dropped, spaces collapsed); None when letters have no ASCII."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    folded = " ".join(folded.split())
    return folded if folded.isascii() and folded.isprintable() else None


def item_name(name: str, sku: str | None) -> str:
    """The name when the display can show it, else the SKU (Sinhala/Tamil names), else `ITEM`."""
    return ascii_text(name) or ascii_text(sku or "") or "ITEM"


def item_line(name: str, qty: int, unit_price: int | None, amount: int, digits: int) -> str:
    """Line 1 after a quote: name cut to fit and `qty x price` (quantity other than 1) or the amount."""
    right = format_money(amount, digits)
    if qty != 1000 and unit_price is not None:
        each = f"{format_qty(qty)}x{format_money(unit_price, digits)}"
        if len(each) <= display.COLUMNS - 1 - MIN_NAME:
            right = each
    return display.two_columns(name, right)


def total_line(caption: str, amount: int, digits: int) -> str:
    """`CAPTION          123.45` on one display line."""
    return display.two_columns(caption, format_money(amount, digits))


def idle_lines(message: str) -> tuple[str, str]:
    """DISPLAY_IDLE_MESSAGE: `|` separates the two lines; a line without an ASCII form is left blank."""
    upper, _sep, lower = message.partition("|")
    shown = (ascii_text(upper) or "", ascii_text(lower) or "")
    if not any(shown) and message.strip():
        return "Welcome", ""  # a message in Sinhala or Tamil only: the display cannot show it
    return shown


def line_key(line: LineOut) -> LineKey:
    """What makes a cart line 'changed' between two quotes."""
    return line.product_id, round(line.quantity * 1000), line.unit_price, line.total_amount


def changed_index(before: tuple[LineKey, ...], now: tuple[LineKey, ...]) -> int:
    """The last position whose line is new or differs from the previous quote; the last line when none does."""
    for i in range(len(now) - 1, -1, -1):
        if i >= len(before) or before[i] != now[i]:
            return i
    return len(now) - 1


def sale_lines(sale: SaleOut, digits: int) -> tuple[str, str]:
    """After a completed sale: total, and the change (cash) or what was paid."""
    upper = total_line("TOTAL", sale.totals.amount_due, digits)
    if any(t.method == "cash" for t in sale.tenders):
        return upper, total_line("CHANGE", sum(t.change for t in sale.tenders), digits)
    return upper, total_line("PAID", sum(t.amount for t in sale.tenders), digits)


@dataclass
class Lane:
    """One lane's display: the lines waiting to be written, the writer, the idle timer, the last outcome."""

    pending: tuple[str, str] | None = None
    writer: asyncio.Task[None] | None = None
    idle: asyncio.TimerHandle | None = None
    cart: tuple[LineKey, ...] = ()
    wanted: tuple[str, str] = ("", "")
    status: DisplayState = "none"
    detail: str = ""
    at: float | None = None
    failing: bool = False  # logged once per run of failures


@dataclass
class Pole:
    """Every lane's display driver (one per app, kept on the app state)."""

    rt: Runtime
    metrics: Any = None
    lanes: dict[int, Lane] = field(default_factory=dict)
    writes: int = 0  # display writes sent (coalesced updates are not counted)

    @property
    def digits(self) -> int:
        """Minor digits of the store's currency."""
        return minor_digits(self.rt.settings.currency)

    def want(self, terminal_id: int, upper: str, lower: str, *, then_idle: bool = True) -> None:
        """Show these lines on the lane's display soon (latest wins); never waits, never raises on device trouble."""
        lane = self.lanes.setdefault(terminal_id, Lane())
        if lane.idle is not None:
            lane.idle.cancel()
            lane.idle = None
        lane.pending = lane.wanted = (display.fit(upper), display.fit(lower))
        loop = asyncio.get_running_loop()
        idle_s = self.rt.settings.display_idle_seconds
        if then_idle and idle_s > 0:
            lane.idle = loop.call_later(idle_s, self._go_idle, terminal_id)
        lane.status = "pending"
        if lane.writer is None or lane.writer.done():
            lane.writer = asyncio.ensure_future(self._drain(terminal_id, lane))
            lane.writer.add_done_callback(_quiet)

    def go_idle(self, terminal_id: int) -> None:
        """The idle message now (a new empty cart); the next quote starts from an empty cart."""
        lane = self.lanes.setdefault(terminal_id, Lane())
        lane.cart = ()
        self.want(terminal_id, *idle_lines(self.rt.settings.display_idle_message), then_idle=False)

    def _go_idle(self, terminal_id: int) -> None:
        lane = self.lanes.get(terminal_id)
        if lane is not None:
            lane.idle = None
        try:
            self.go_idle(terminal_id)
        except Exception as exc:  # a timer callback must never take anything down
            _log("display idle failed: {}", exc)

    def after_quote(self, terminal_id: int, quote: QuoteOut) -> None:
        """The last added or changed line and the total."""
        if not quote.lines:
            self.go_idle(terminal_id)
            return
        lane = self.lanes.setdefault(terminal_id, Lane())
        keys = tuple(line_key(line) for line in quote.lines)
        line = quote.lines[changed_index(lane.cart, keys)]
        lane.cart = keys
        name = ascii_text(line.name) or item_name(line.name, self._sku(line.product_id))
        digits = self.digits
        upper = item_line(name, round(line.quantity * 1000), line.unit_price, line.total_amount, digits)
        self.want(terminal_id, upper, total_line("TOTAL", quote.totals.amount_due, digits))

    def after_sale(self, sale: SaleOut) -> None:
        """Total and change; the next quote starts a new cart."""
        if sale.status != "completed":
            return
        lane = self.lanes.setdefault(sale.terminal_id, Lane())
        lane.cart = ()
        self.want(sale.terminal_id, *sale_lines(sale, self.digits))

    def state(self, terminal_id: int) -> DisplayOut:
        """What the lane's display was last asked to show and the outcome."""
        lane = self.lanes.get(terminal_id) or Lane()
        return DisplayOut(
            terminal_id=terminal_id, upper=lane.wanted[0], lower=lane.wanted[1], status=lane.status,
            detail=lane.detail, at=None if lane.at is None else iso_utc(lane.at),
        )

    def _sku(self, product_id: int) -> str | None:
        found = fetch_value(self.rt.db.reader, "SELECT sku FROM products WHERE id = ?", (product_id,))
        return None if found is None else str(found)

    async def _drain(self, terminal_id: int, lane: Lane) -> None:
        loop = asyncio.get_running_loop()
        while lane.pending is not None:
            (upper, lower), lane.pending = lane.pending, None
            url = device_url(self.rt, terminal_id)
            if not url:
                self._record(lane, "skipped", NO_SERVICE)
                continue
            timeout = self.rt.settings.device_call_timeout_ms / 1000
            self.writes += 1
            try:
                shown, detail = await loop.run_in_executor(None, _send, url, timeout, upper, lower)
            except Exception as exc:  # the client returns values; anything else is a bug, still nobody's problem
                shown, detail = False, f"display call failed: {exc}"
            self._record(lane, "shown" if shown else "failed", detail, terminal_id, url)

    def _record(self, lane: Lane, status: str, detail: str, terminal_id: int = 0, url: str = "") -> None:
        if status == "failed" and not lane.failing:
            from loguru import logger

            logger.warning("customer display of terminal {} at {}: {}", terminal_id, url, detail)
        lane.failing = status == "failed"
        lane.detail, lane.at = detail, time.time()
        lane.status = "pending" if lane.pending is not None else status  # newer lines are on their way
        counter = getattr(self.metrics, "device_actions", None)
        if counter is not None and status != "skipped":
            counter.labels("display", "done" if status == "shown" else "failed").inc()


def _send(url: str, timeout: float, upper: str, lower: str) -> tuple[bool, str]:
    """Blocking: one display write."""
    from pos_grocery.devices.client import DeviceClient  # http.client stays off the start-up path

    return DeviceClient(url, timeout=timeout).show_lines(upper, lower)


def _quiet(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        with contextlib.suppress(Exception):
            task.result()


def _log(message: str, exc: BaseException) -> None:
    from loguru import logger

    logger.opt(exception=exc).error(message, exc)


def pole_of(state: Any, rt: Runtime) -> Pole | None:
    """The app's display driver (made on first use); None when DISPLAY_ENABLED is off."""
    if not rt.settings.display_enabled:
        return None
    found = state.get("pole_display")
    if not isinstance(found, Pole):
        found = Pole(rt, metrics=state.get("metrics"))
        state["pole_display"] = found
    return found


def show_quote(state: Any, rt: Runtime, terminal_id: int | None, quote: QuoteOut) -> None:
    """After `POST /api/sales/quote` at a lane (no lane, no display); never raises."""
    pole = pole_of(state, rt) if terminal_id is not None else None
    if pole is not None and terminal_id is not None:
        try:
            pole.after_quote(terminal_id, quote)
        except Exception as exc:
            _log("customer display (quote) failed: {}", exc)


def show_sale(state: Any, rt: Runtime, sale: SaleOut) -> None:
    """After a sale committed; never waits or raises."""
    pole = pole_of(state, rt)
    if pole is not None:
        try:
            pole.after_sale(sale)
        except Exception as exc:
            _log("customer display (sale) failed: {}", exc)


def show_idle(state: Any, rt: Runtime, terminal_id: int | None) -> None:
    """The idle message on a lane (a held cart, a new empty cart); never raises."""
    pole = pole_of(state, rt) if terminal_id is not None else None
    if pole is not None and terminal_id is not None:
        try:
            pole.go_idle(terminal_id)
        except Exception as exc:
            _log("customer display (idle) failed: {}", exc)

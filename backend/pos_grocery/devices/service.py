"""The device HTTP service (port 8260): thin Litestar handlers over the DeviceHub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from pos_grocery.devices.actions import ActionResult
from pos_grocery.devices.config import DeviceConfig
from pos_grocery.devices.hub import DeviceHub
from pos_grocery.devices.scales.toledo import Weighing
from pos_grocery.devices.simulators import scale as scale_sim
from pos_grocery.devices.status import DeviceStatus
from pos_grocery.receipts.models import Receipt

ActionId = Annotated[str, msgspec.Meta(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")]
FAILED_STATUS = 503


class PrintRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Print a receipt document once per action id."""

    action_id: ActionId
    receipt: Receipt


class DrawerRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Kick the drawer once per action id."""

    action_id: ActionId


class WeighRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Wait up to timeout_ms for a stable weight; tare_g is subtracted (per-product tare)."""

    tare_g: Annotated[int, msgspec.Meta(ge=0, le=99_999)] = 0
    timeout_ms: Annotated[int, msgspec.Meta(ge=100, le=30_000)] = 3000


class DisplayRequest(msgspec.Struct, frozen=True, kw_only=True):
    """The two lines of the customer display."""

    upper: Annotated[str, msgspec.Meta(max_length=40)]
    lower: Annotated[str, msgspec.Meta(max_length=40)] = ""


class DisplayResult(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the display took the lines."""

    shown: bool


class SimScaleRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Simulated mode only: what the platter reports next (grams, or 'motion'/'over'/'under'/'zero')."""

    steps: list[int | str]


class SimPrinterRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Simulated mode only: the printer's physical state."""

    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    drawer_open: bool = False


def _hub(request: Request[Any, Any, Any]) -> DeviceHub:
    hub: DeviceHub = request.app.state["hub"]
    return hub


def _action_response(result: ActionResult) -> Response[ActionResult]:
    return Response(result, status_code=FAILED_STATUS if result.status == "failed" else 200)


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: the process is up."""
    return {"status": "ok"}


@get("/status", sync_to_thread=True)
def status(request: Request[Any, Any, Any]) -> DeviceStatus:
    """Link states and printer condition (paper, cover, drawer)."""
    return _hub(request).status()


@post("/print", sync_to_thread=True, status_code=200)
def print_receipt(request: Request[Any, Any, Any], data: JSONBody[PrintRequest]) -> Response[ActionResult]:
    """Print a receipt; 200 done/duplicate, 503 failed (nothing printed, retry with the same id)."""
    return _action_response(_hub(request).print_receipt(data.action_id, data.receipt))


@post("/drawer", sync_to_thread=True, status_code=200)
def kick_drawer(request: Request[Any, Any, Any], data: JSONBody[DrawerRequest]) -> Response[ActionResult]:
    """Open the cash drawer; same idempotency as printing."""
    return _action_response(_hub(request).kick_drawer(data.action_id))


@post("/scale/weigh", sync_to_thread=True, status_code=200)
def weigh(request: Request[Any, Any, Any], data: JSONBody[WeighRequest]) -> Weighing:
    """A stable net weight in grams, or the reason there is none."""
    return _hub(request).weigh(data.tare_g, data.timeout_ms)


@post("/display", sync_to_thread=True, status_code=200)
def show(request: Request[Any, Any, Any], data: JSONBody[DisplayRequest]) -> DisplayResult:
    """Show two lines on the pole display."""
    return DisplayResult(shown=_hub(request).show(data.upper, data.lower))


@post("/sim/scale", sync_to_thread=False, status_code=204)
def sim_scale(request: Request[Any, Any, Any], data: JSONBody[SimScaleRequest]) -> None:
    """Script the simulated scale."""
    sims = _hub(request).links.simulators
    if sims is not None:
        named = {"motion": scale_sim.MOTION, "over": scale_sim.OVER, "under": scale_sim.UNDER, "zero": scale_sim.ZERO}
        sims.scale.set_script(
            scale_sim.weight(step) if isinstance(step, int) else named.get(step, scale_sim.garbage())
            for step in data.steps
        )


@post("/sim/printer", sync_to_thread=False, status_code=204)
def sim_printer(request: Request[Any, Any, Any], data: JSONBody[SimPrinterRequest]) -> None:
    """Set the simulated printer's paper, cover and drawer state."""
    sims = _hub(request).links.simulators
    if sims is not None:
        state = sims.printer.state
        state.paper_out, state.paper_near_end = data.paper_out, data.paper_near_end
        state.cover_open, state.drawer_open = data.cover_open, data.drawer_open


@get("/sim/display", sync_to_thread=False)
def sim_display(request: Request[Any, Any, Any]) -> DisplayRequest:
    """What the simulated pole display shows now (its two 20-character lines)."""
    sims = _hub(request).links.simulators
    upper, lower = sims.display.lines if sims is not None else ("", "")
    return DisplayRequest(upper=upper, lower=lower)


def build_device_app(config: DeviceConfig) -> Litestar:
    """The device service ASGI app; hardware (or simulators) opens in the lifespan, not here."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        hub = DeviceHub.open(config)
        app.state["hub"] = hub
        try:
            yield
        finally:
            hub.close()

    handlers: list[Any] = [health, status, print_receipt, kick_drawer, weigh, show]
    if config.simulated:
        handlers += [sim_scale, sim_printer, sim_display]
    return Litestar(route_handlers=handlers, lifespan=[lifespan], state=State({}))

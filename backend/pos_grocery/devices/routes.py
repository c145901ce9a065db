"""Device routes of the API: print a sale's receipt again, read a lane's scale (thin handlers)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.devices.api_models import SalePrintOut, ScaleWeightOut
from pos_grocery.devices.checkout import print_sale
from pos_grocery.devices.monitor import Monitor
from pos_grocery.devices.pole import DisplayOut, Pole, pole_of
from pos_grocery.devices.printing import Gateway, gateway_of
from pos_grocery.devices.scale_api import MAX_WAIT_MS, read_weight
from pos_grocery.errors import ValidationFailed
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import MAX_ID
from pos_grocery.problems import PROBLEM_MEDIA_TYPE, Problem

AnyRequest = Request[Any, Any, Any]
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
LaneId = Annotated[int | None, QueryParameter(name="terminalId", ge=1, le=MAX_ID, description="Default: my lane")]
TareG = Annotated[int, QueryParameter(name="tareG", ge=0, le=99_999, description="Container tare in grams")]
TimeoutMs = Annotated[
    int | None,
    QueryParameter(name="timeoutMs", ge=100, le=MAX_WAIT_MS, description="Longest wait for a stable weight"),
]

UNAVAILABLE = {
    503: ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        description="SCALE_NOT_RESPONDING, SCALE_UNREADABLE or DEVICE_SERVICE_UNAVAILABLE",
    )
}


def gateway(request: AnyRequest) -> Gateway:
    """The app's device gateway."""
    return gateway_of(request.app.state)


def monitor_of(request: AnyRequest) -> Monitor:
    """The app's device-state monitor (made on first use)."""
    gw = gateway(request)
    if not isinstance(gw.monitor, Monitor):
        gw.monitor = Monitor()
    return gw.monitor


class DevicesController(Controller):
    """Receipts on demand and the lane's scale; printing on sale happens in the sale and return routes."""

    path = "/api"
    tags = ["devices"]  # noqa: RUF012

    @post(
        "/sales/{sale_id:int}/print",
        guards=[requires(P.RECEIPTS_REPRINT)],
        status_code=200,
        summary="Print a sale's receipt on its lane's printer (retry, or a COPY)",
    )
    async def print_receipt(self, request: AnyRequest, sale_id: RowId) -> SalePrintOut:
        """The original if it never printed (a failed drawer kick is retried too), else a counted COPY."""
        from pos_grocery.sales.routes import committer_of

        rt, caller = runtime_of(request), identity_of(request)
        submit = committer_of(request).submit
        return await print_sale(rt, gateway(request), sale_id, caller.actor, request_id_of(request), submit)

    @get(
        "/devices/scale/weight",
        guards=[requires(P.DEVICES_USE)],
        summary="A stable weight from a lane's scale (bounded wait)",
        responses=UNAVAILABLE,
    )
    async def scale_weight(
        self, request: AnyRequest, terminal_id: LaneId = None, tare_g: TareG = 0, timeout_ms: TimeoutMs = None
    ) -> ScaleWeightOut:
        """Stable positive net grams of `terminalId`'s scale (default: my lane), or 409 / 503 saying why not."""
        lane = terminal_id if terminal_id is not None else identity_of(request).terminal_id
        if lane is None:
            raise ValidationFailed("Name a terminalId, or sign in at a lane to use its scale.", "TERMINAL_REQUIRED")
        return await read_weight(runtime_of(request), monitor_of(request), lane, tare_g, timeout_ms)

    @post(
        "/devices/display/idle",
        guards=[requires(P.SALES_CREATE)],
        status_code=200,
        summary="Show the idle message on my lane's customer display (a new empty cart)",
    )
    async def display_idle(self, request: AnyRequest) -> DisplayOut:
        """Never waits for the display: answers what was asked (`pending`) or why not (`skipped`)."""
        lane = _my_lane(request)
        pole = _pole(request)
        if pole is None:
            return DisplayOut(terminal_id=lane, upper="", lower="", status="skipped", detail=DISPLAY_OFF)
        pole.go_idle(lane)
        return pole.state(lane)

    @get(
        "/devices/display",
        guards=[requires(P.DEVICES_USE)],
        summary="What a lane's customer display was last asked to show, and what became of it",
    )
    async def display_state(self, request: AnyRequest, terminal_id: LaneId = None) -> DisplayOut:
        """status: none, pending, shown, failed (detail says why) or skipped (no device service or display off)."""
        lane = terminal_id if terminal_id is not None else _my_lane(request)
        pole = _pole(request)
        if pole is None:
            return DisplayOut(terminal_id=lane, upper="", lower="", status="skipped", detail=DISPLAY_OFF)
        return pole.state(lane)


DISPLAY_OFF = "the customer display is off (DISPLAY_ENABLED)"


def _my_lane(request: AnyRequest) -> int:
    lane = identity_of(request).terminal_id
    if lane is None:
        raise ValidationFailed("Sign in at a lane to use its customer display.", "TERMINAL_REQUIRED")
    return lane


def _pole(request: AnyRequest) -> Pole | None:
    return pole_of(request.app.state, runtime_of(request))

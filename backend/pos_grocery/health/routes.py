"""Health endpoints (public: no sign-in)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from pos_grocery.health import models as m
from pos_grocery.health import service
from pos_grocery.health.startup import startup_health
from pos_grocery.http import runtime_of


def _unavailable(container: type[Any]) -> dict[int, ResponseSpec]:
    """The 503 answer carries the same body as the 200, with the failing parts marked."""
    return {503: ResponseSpec(data_container=container, description="A check failed")}


def _status(ok: bool) -> int:
    return HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE


@get("/health", tags=["health"], summary="Basic health: 200 while the process serves")
async def basic_health(request: Request) -> m.BasicHealth:  # type: ignore[type-arg]
    """Always 200 while serving."""
    return service.basic(runtime_of(request))


class HealthController(Controller):
    """`/api/health/*`."""

    path = "/api/health"
    tags = ["health"]  # noqa: RUF012

    @get("/", summary="Detailed health (runbook format)", responses=_unavailable(m.DetailedHealth))
    async def detailed(self, request: Request) -> Response[m.DetailedHealth]:  # type: ignore[type-arg]
        """Database and memory; 503 when the database is unusable."""
        rt = runtime_of(request)
        body = service.detailed(rt)
        # Informational, like backup: a printer out of paper does not make the API unhealthy (bounded wait).
        from pos_grocery.devices.monitor import device_health
        from pos_grocery.devices.routes import monitor_of

        body = msgspec.structs.replace(body, devices=await device_health(rt, monitor_of(request)))
        return Response(body, status_code=_status(body.services.database.ok))

    @get("/ready", summary="Readiness: write probe and migrations", responses=_unavailable(m.ReadyHealth))
    async def ready(self, request: Request) -> Response[m.ReadyHealth]:  # type: ignore[type-arg]
        """200 only when the database takes a write and migrations are current."""
        body = service.ready(runtime_of(request))
        return Response(body, status_code=_status(body.ok))

    @get("/live", summary="Liveness: the event loop runs")
    async def live(self, request: Request) -> m.LiveHealth:  # type: ignore[type-arg]
        """200 while the loop answers."""
        return service.live(runtime_of(request))

    @get("/startup", summary="Start-up metrics and SLA", responses=_unavailable(m.StartupHealth))
    async def startup(self, request: Request) -> Response[m.StartupHealth]:  # type: ignore[type-arg]
        """Timings and SLA verdicts; 503 when an SLA was missed."""
        body = startup_health(runtime_of(request))
        return Response(body, status_code=_status(body.ok))

    @get("/integrity", summary="Database integrity checks", responses=_unavailable(m.IntegrityHealth))
    async def integrity(self, request: Request) -> Response[m.IntegrityHealth]:  # type: ignore[type-arg]
        """integrity_check, foreign keys, migrations and feature checks; 503 when any fails."""
        rt = runtime_of(request)
        body = await rt.db.run_in_thread(service.integrity)
        return Response(body, status_code=_status(body.ok))

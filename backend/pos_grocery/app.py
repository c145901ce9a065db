"""create_app(runtime) -> the ASGI application: Litestar routes wrapped by the request-context layer."""

from __future__ import annotations

import os
import time
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from pos_grocery import __version__
from pos_grocery.audit.routes import AuditController
from pos_grocery.auth.guard import deny_unmarked, document_security
from pos_grocery.auth.routes import AuthController
from pos_grocery.catalog.routes import catalog_routers
from pos_grocery.catalog.scan_fast import ScanFastPath
from pos_grocery.devices.routes import DevicesController
from pos_grocery.health.routes import HealthController, basic_health
from pos_grocery.http import runtime_of
from pos_grocery.inventory.routes import inventory_routers
from pos_grocery.metrics import Metrics, create_metrics
from pos_grocery.middleware import RequestContext
from pos_grocery.openapi_decimals import document_decimals
from pos_grocery.problems import EXCEPTION_HANDLERS, document_problems
from pos_grocery.reports.routes import report_routers
from pos_grocery.runtime import Runtime
from pos_grocery.sales.fast import SaleFastPath
from pos_grocery.sales.routes import checkout_routers
from pos_grocery.shifts.routes import ShiftsController
from pos_grocery.storeinfo.routes import get_settings
from pos_grocery.terminals.routes import TerminalsController
from pos_grocery.users.routes import UsersController

# Routes anyone may call without signing in (the identity feature enforces everything else).
PUBLIC_PATHS = frozenset({"/health", "/metrics", "/schema/openapi.json"})
PUBLIC_PREFIXES = ("/api/health",)


@get("/metrics", tags=["health"], summary="Prometheus metrics (classic text format)", include_in_schema=True)
async def metrics_endpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Refresh the database gauges and render every metric."""
    rt = runtime_of(request)
    metrics: Metrics = request.app.state["metrics"]
    _refresh_db_gauges(rt, metrics)
    from pos_grocery.backup.status import refresh_gauges

    refresh_gauges(rt, metrics)  # backup, archive, readiness, memory (ops/prometheus/alerts.yml)
    from pos_grocery.devices.monitor import device_health, set_gauges
    from pos_grocery.devices.routes import monitor_of

    set_gauges(metrics, await device_health(rt, monitor_of(request)))  # printer, drawer, scale (bounded wait)
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def _refresh_db_gauges(rt: Runtime, metrics: Metrics) -> None:
    path = rt.settings.db_path
    for gauge, file in ((metrics.db_size_bytes, path), (metrics.db_wal_bytes, path + "-wal")):
        try:
            gauge.set(os.path.getsize(file))
        except OSError:
            gauge.set(0)


def route_handlers() -> list[Any]:
    """Every feature's routers, in one list."""
    return [basic_health, HealthController, metrics_endpoint,
            AuthController, UsersController, TerminalsController, AuditController, *catalog_routers(),
            *checkout_routers(), ShiftsController, *report_routers(), DevicesController, *inventory_routers(),
            get_settings]


def _startup_gauges(rt: Runtime, metrics: Metrics) -> None:
    rep = rt.startup
    metrics.startup_seconds.labels("database_init").set(rep.db_init_ms / 1000.0)
    if rep.listening_ms is not None:
        metrics.startup_seconds.labels("listening").set(rep.listening_ms / 1000.0)
    if rep.hardware_check_ms is not None:
        metrics.startup_seconds.labels("hardware_checks").set(rep.hardware_check_ms / 1000.0)


def create_litestar(rt: Runtime, metrics: Metrics, extra_handlers: list[Any] | None = None) -> Litestar:
    """The Litestar app with every route, error mapping, CORS and body limit."""
    settings = rt.settings
    app = Litestar(
        route_handlers=route_handlers() + (extra_handlers or []),
        exception_handlers=EXCEPTION_HANDLERS,
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=False,
                               allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
                               expose_headers=["X-Request-ID"]),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="POS Grocery API", version=__version__, path="/schema",
                                     render_plugins=[JsonRenderPlugin()]),
        state=State({"runtime": rt, "metrics": metrics}),
        debug=False,
        logging_config=None,
        # Deny by default: a route without `requires(...)` that is not public answers 403 (auth/guard.py).
        guards=[deny_unmarked],
    )
    document_problems(app.openapi_schema)
    document_decimals(app.openapi_schema)
    document_security(app)
    return app


def create_app(rt: Runtime, metrics: Metrics | None = None, access_log: bool = True,
               extra_handlers: list[Any] | None = None) -> RequestContext:
    """The full ASGI app for a runtime (used by the boot layer and by in-process tests)."""
    if rt.startup.listening_at is None:
        rt.startup.listening_at = time.time()
    if rt.settings.skip_hardware_checks and rt.startup.hardware_status == "pending":
        rt.startup.hardware_status, rt.startup.hardware_check_ms = "skipped", 0.0
    used = metrics or create_metrics()
    _startup_gauges(rt, used)
    app = ScanFastPath(create_litestar(rt, used, extra_handlers), rt)  # lanes' scans skip Litestar when they can
    sales_first = SaleFastPath(app, rt)  # so do plain sales (sales/fast.py, ADR 0003)
    return RequestContext(sales_first, used, access_log=access_log)

"""The ASGI entry point granian loads (`pos_grocery.boot:create --factory`).

Start-up SLA: the runbook wants "listening" in < 300 ms from exec, and importing Litestar alone takes
≈ 200 ms here. So this layer imports only what listening needs (settings, APSW, loguru), opens and
migrates the database, answers `/health` itself, and builds the full Litestar app on a background
thread. Every other request waits (asynchronously) for that build, then goes to the full app, which
from then on serves `/health` too.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from typing import Any

from pos_grocery import __version__
from pos_grocery.runtime import Runtime, open_runtime, rss_bytes
from pos_grocery.settings import Settings, load_settings

Scope = dict[str, Any]


class BootApp:
    """Lifespan owner and front door; delegates to the full app once it is built."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runtime: Runtime | None = None
        self.app: Any = None  # the full application once built
        self._ready: asyncio.Event | None = None
        self._failure: str | None = None
        self._ops: Any = None  # backup.runner.OpsRunner: archiver and backup schedule, started after ready

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Route one ASGI call."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif self.app is not None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http" and scope["path"] == "/health":
            await self._fast_health(send)
        else:
            await self._wait_for_app()
            full: Any = self.app
            await full(scope, receive, send)

    async def _wait_for_app(self) -> None:
        if self._ready is None:
            raise RuntimeError("lifespan did not run")
        await self._ready.wait()

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self._startup()
                except Exception as exc:  # start-up must fail loudly, in one line
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self._shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _startup(self) -> None:
        from pos_grocery.logging import write_line

        self.runtime = open_runtime(self.settings)
        self._ready = asyncio.Event()
        loop = asyncio.get_running_loop()
        rep = self.runtime.startup
        rep.listening_at = time.time()
        rep.rss_at_listening = rss_bytes()
        # loguru is imported on the build thread: the "listening" line is written directly, same format.
        write_line(
            self.settings, "INFO",
            f"listening on http://{self.settings.host}:{self.settings.port} "
            f"({rep.listening_ms or 0.0:.0f} ms from exec, database init {rep.db_init_ms:.0f} ms)",
            port=self.settings.port, env=self.settings.app_env, pid=_pid(),
        )
        threading.Thread(target=self._build, args=(loop,), name="app-build", daemon=True).start()

    def _build(self, loop: asyncio.AbstractEventLoop) -> None:
        """Configure loguru, import and build the full app, then run the hardware check (background thread)."""
        from loguru import logger

        from pos_grocery.logging import configure_logging

        configure_logging(self.settings)
        assert self.runtime is not None
        try:
            from pos_grocery.app import create_app

            app: Any = create_app(self.runtime)
        except Exception as exc:
            logger.opt(exception=exc).critical("application build failed: {}", exc)
            self._failure = str(exc)
            app = _unavailable_app
        freeze_startup_objects()
        self.runtime.startup.app_ready_at = time.time()
        self.app = app
        ready = self._ready
        if ready is not None:
            loop.call_soon_threadsafe(ready.set)
        logger.info("application ready ({:.0f} ms from exec)", self._ready_ms())
        self._start_ops()
        hardware_check(self.runtime)

    def _start_ops(self) -> None:
        """Continuous archiving and the in-process backup schedule (when configured); never before listening."""
        from loguru import logger

        if self.settings.is_production and not self.settings.archive_dir:
            logger.warning("ARCHIVE_DIR is not set: continuous archiving is off (RPO = the last backup)")
        if not (self.settings.archive_dir or self.settings.backup_schedule):
            return
        from pos_grocery.backup.runner import start_ops

        self._ops = start_ops(self.settings)

    def _ready_ms(self) -> float:
        rep = self.runtime.startup if self.runtime else None
        if rep is None or rep.app_ready_at is None:
            return 0.0
        return (rep.app_ready_at - rep.process_start) * 1000.0

    async def _fast_health(self, send: Any) -> None:
        import json

        from pos_grocery.health.service import SERVICE, now_iso

        uptime = self.runtime.uptime_seconds if self.runtime else 0.0
        body = json.dumps({
            "ok": True, "timestamp": now_iso(), "uptime": round(uptime, 3), "version": __version__,
            "environment": self.settings.app_env, "service": SERVICE,
        }).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _shutdown(self) -> None:
        from loguru import logger

        if self._ops is not None:
            self._ops.stop()  # the archiver's last copy, before the database closes
        if self.runtime is not None:
            self.runtime.db.close()
        logger.info("shutdown complete: database checkpointed and closed")


def hardware_check(rt: Runtime) -> None:
    """Reach the device service within the runbook's 1000 ms budget (or skip when told to)."""
    rep = rt.startup
    if rt.settings.skip_hardware_checks:
        rep.hardware_status, rep.hardware_check_ms, rep.hardware_detail = "skipped", 0.0, "SKIP_HARDWARE_CHECKS"
        return
    began = time.perf_counter()
    # Every device service in use (DEVICE_SERVICE_URL and the lanes' own) answers /status in parallel:
    # printer connected, paper, cover. Runs after the app is ready, on the build thread (docs/DEVICES.md).
    from pos_grocery.devices.monitor import startup_check

    try:
        rep.hardware_status, rep.hardware_detail = startup_check(rt)
    except Exception as exc:  # a check must never stop the API
        rep.hardware_status, rep.hardware_detail = "unavailable", f"hardware check failed: {exc}"
    rep.hardware_check_ms = (time.perf_counter() - began) * 1000.0


def freeze_startup_objects() -> None:
    """Move everything start-up built (modules, the Litestar app, its routes and models) out of the GC's reach.

    Why (docs/PERFORMANCE.md "Checkout"): those ~100k long-lived objects are never garbage, yet every
    full (generation 2) collection walked them all: under the checkout benchmark the server ran 14 full
    collections of up to 36 ms each (343 ms in all), each one a stall of the event loop that every waiting
    request pays. After `gc.freeze()` the same 14 collections took 8 ms in all (at most 0.8 ms). One collection
    first, so that start-up's garbage is freed rather than frozen; it runs before the app is marked ready.
    """
    gc.collect()
    gc.freeze()


async def _unavailable_app(scope: Scope, receive: Any, send: Any) -> None:
    body = b'{"type":"urn:pos-grocery:problem:service-unavailable","title":"Service unavailable",' \
        b'"status":503,"detail":"The application failed to start; see the log.","code":"SERVICE_UNAVAILABLE"}'
    headers = [(b"content-type", b"application/problem+json")]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _pid() -> int:
    import os

    return os.getpid()


def create() -> BootApp:
    """granian factory: settings are built here, in the worker, never at import."""
    return BootApp(load_settings())

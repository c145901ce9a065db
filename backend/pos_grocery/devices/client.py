"""Client for the device service (standard library HTTP; blocking — call it from a worker thread)."""

from __future__ import annotations

import http.client
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msgspec

from pos_grocery.devices.actions import ActionResult
from pos_grocery.devices.scales.toledo import Weighing
from pos_grocery.devices.status import DeviceStatus
from pos_grocery.receipts.models import Receipt

T = TypeVar("T")


class DeviceServiceError(Exception):
    """The device service could not be reached or answered something unexpected."""


class DeviceClient:
    """Calls the device service; device trouble comes back as result values, transport trouble as failed."""

    def __init__(self, base_url: str = "http://127.0.0.1:8260", timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        parts = urlsplit(self.base_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")

    def _exchange(self, method: str, path: str, data: bytes | None) -> tuple[int, bytes]:
        # http.client, not urllib.request: a print is two calls per sale and urllib's opener machinery
        # costs the API about twice the CPU per call.
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = kind(self._host, self._port, timeout=self.timeout)
        try:
            conn.request(method, self._prefix + path, body=data, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def _call(self, method: str, path: str, body: Any, result: type[T]) -> T:
        data = msgspec.json.encode(body) if body is not None else None
        try:
            status, payload = self._exchange(method, path, data)
        except (OSError, http.client.HTTPException) as exc:
            raise DeviceServiceError(f"{method} {path}: {exc or type(exc).__name__}") from exc
        # 503 carries an ActionResult explaining the failure; anything else but 200 is unexpected.
        if status not in (200, 503):
            raise DeviceServiceError(f"{method} {path}: HTTP {status}: {payload[:200]!r}")
        try:
            return msgspec.json.decode(payload, type=result)
        except msgspec.DecodeError as exc:
            raise DeviceServiceError(f"{method} {path}: bad reply: {exc}") from exc

    def _action(self, path: str, body: dict[str, Any], action_id: str) -> ActionResult:
        try:
            return self._call("POST", path, body, ActionResult)
        except DeviceServiceError as exc:
            return ActionResult(action_id=action_id, status="failed", detail=str(exc))

    def print_receipt(self, action_id: str, receipt: Receipt) -> ActionResult:
        """Print once per action id; unreachable service -> status 'failed' (safe to retry)."""
        return self._action("/print", {"action_id": action_id, "receipt": receipt}, action_id)

    def kick_drawer(self, action_id: str) -> ActionResult:
        """Open the drawer once per action id."""
        return self._action("/drawer", {"action_id": action_id}, action_id)

    def weigh(self, tare_g: int = 0, timeout_ms: int = 3000) -> Weighing:
        """A stable net weight or the reason there is none; unreachable -> status 'error'."""
        try:
            body = {"tare_g": tare_g, "timeout_ms": timeout_ms}
            return self._call("POST", "/scale/weigh", body, Weighing)
        except DeviceServiceError:
            return Weighing(status="unavailable")

    def show(self, upper: str, lower: str = "") -> bool:
        """Show two lines on the pole display; False when it did not happen."""
        return self.show_lines(upper, lower)[0]

    def show_lines(self, upper: str, lower: str = "") -> tuple[bool, str]:
        """Show two lines on the pole display: (shown, why not)."""
        try:
            reply = self._call("POST", "/display", {"upper": upper, "lower": lower}, dict[str, bool])
        except DeviceServiceError as exc:
            return False, str(exc)
        if reply.get("shown", False):
            return True, ""
        return False, "the device service has no display or it is not connected"

    def status(self) -> DeviceStatus:
        """Device states; raises DeviceServiceError when the service is down (health checks want to know)."""
        return self._call("GET", "/status", None, DeviceStatus)

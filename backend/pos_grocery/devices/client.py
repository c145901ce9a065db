"""Client for the device service (standard library HTTP; blocking — call it from a worker thread)."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any, TypeVar

import msgspec

from pos_grocery.devices.actions import ActionResult
from pos_grocery.devices.hub import DeviceStatus
from pos_grocery.devices.scales.toledo import Weighing
from pos_grocery.receipts.models import Receipt

T = TypeVar("T")


class DeviceServiceError(Exception):
    """The device service could not be reached or answered something unexpected."""


class DeviceClient:
    """Calls the device service; device trouble comes back as result values, transport trouble as failed."""

    def __init__(self, base_url: str = "http://127.0.0.1:8260", timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any, result: type[T]) -> T:
        data = msgspec.json.encode(body) if body is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            # 503 carries an ActionResult explaining the failure; anything else is unexpected.
            payload = exc.read()
            if exc.code != 503:
                raise DeviceServiceError(f"{method} {path}: HTTP {exc.code}: {payload[:200]!r}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeviceServiceError(f"{method} {path}: {exc}") from exc
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
            return Weighing(status="error")

    def show(self, upper: str, lower: str = "") -> bool:
        """Show two lines on the pole display; False when it did not happen."""
        try:
            reply = self._call("POST", "/display", {"upper": upper, "lower": lower}, dict[str, bool])
        except DeviceServiceError:
            return False
        return reply.get("shown", False)

    def status(self) -> DeviceStatus:
        """Device states; raises DeviceServiceError when the service is down (health checks want to know)."""
        return self._call("GET", "/status", None, DeviceStatus)

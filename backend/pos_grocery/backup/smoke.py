"""The drill's functional step: sign in, search, a smoke sale and its refund through the staging API.

Credentials: the drill knows nobody's PIN and needs no setting. After the restore, before the staging API
starts, it adds a manager `drill-YYYYMMDDHHMMSS` with a random PIN and a terminal `DRILL` to the *staging
copy* — through the users and terminals services, so the audit chain stays whole — and then signs in with
that PIN over HTTP like a lane does. Production is only ever read; the staging copy is deleted afterwards.
A shift is opened on the drill terminal when the sale asks for one (`SHIFT_NOT_OPEN`).
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import apsw

from pos_grocery.money import format_minor
from pos_grocery.settings import Settings

TERMINAL = "DRILL"
SEARCH = "/api/products/search?q=test"  # the runbook's step 6 call, now with a token
# The runbook's refund body for an order that does not exist: a 404 with a stable code, not a 500.
RUNBOOK_REFUND = ('{"orderId":"test","items":[{"productId":"1","quantity":1,"unitPrice":10.00}],'
                  '"refundReason":"Test refund","paymentMethod":"cash","managerPin":"1234"}')
PICK_PRODUCT = """
SELECT id, name_en FROM products
WHERE active = 1 AND deleted_at IS NULL AND min_age IS NULL AND price_retail > 0
ORDER BY weighed, id LIMIT 1
"""
Record = Callable[[str, str, str, float], bool]


@dataclass(frozen=True, slots=True)
class DrillAccess:
    """The drill's own manager and terminal in the staging copy (the PIN lives only in this process)."""

    username: str
    pin: str
    terminal: str
    seconds: float


def mint_access(settings: Settings) -> DrillAccess:
    """Add the drill manager and terminal to the staging database `settings.db_path` (API not yet started)."""
    from pos_grocery.audit.service import Actor
    from pos_grocery.auth.permissions import Role
    from pos_grocery.runtime import open_runtime
    from pos_grocery.terminals import queries as terminal_queries
    from pos_grocery.terminals import service as terminals
    from pos_grocery.terminals.models import TerminalCreate
    from pos_grocery.users.models import UserCreate
    from pos_grocery.users.service import insert_user, prepare_secrets

    began = time.monotonic()
    username = time.strftime("drill-%Y%m%d%H%M%S")
    actor = Actor(None, "drill")
    rt = open_runtime(settings)
    try:
        terminal = TERMINAL
        for n in range(2, 100):  # a restored store may already have a DRILL lane (an inactive one cannot sign in)
            row = terminal_queries.by_name(rt.db.reader, terminal)
            if row is None or row.active:
                break
            terminal = f"{TERMINAL}-{n}"
        if terminal_queries.by_name(rt.db.reader, terminal) is None:
            terminals.create(rt, TerminalCreate(name=terminal, store_code=settings.store_code), actor, None)
        data = UserCreate(username=username, display_name="Restore drill", role=Role.MANAGER, generate_pin=True)
        secrets = prepare_secrets(settings, rt.db.reader, None, None, True)
        with rt.db.write() as conn:
            insert_user(conn, data, secrets, actor, None, rt.clock())
    finally:
        rt.db.close()
    assert secrets.generated_pin is not None
    return DrillAccess(username, secrets.generated_pin, terminal, time.monotonic() - began)


def key_check(settings: Settings, staging_db: str) -> tuple[str, str]:
    """Did the PIN key (`auth_secret`) come back with the database? Without it nobody signs in by PIN."""
    from pos_grocery.auth.hashing import SECRET_FILE

    if settings.auth_secret:
        return "PASS", "AUTH_SECRET is set in the configuration (not a file in the data directory)"
    live = Path(settings.db_path).expanduser().resolve().parent / SECRET_FILE
    restored = Path(staging_db).parent / SECRET_FILE
    if not live.is_file():
        return "PASS", f"production has no {SECRET_FILE} yet (no PIN was ever set)"
    if not restored.is_file():
        return "FAIL", f"{SECRET_FILE} was not restored: the backup directory holds no copy of it"
    with contextlib.suppress(OSError):
        if restored.read_bytes() == live.read_bytes():
            return "PASS", f"{SECRET_FILE} restored beside the database and equal to production's"
    return "FAIL", f"the restored {SECRET_FILE} differs from production's: PINs set since would not sign in"


class Api:
    """JSON over HTTP to the staging API with the drill's bearer token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""

    def call(self, method: str, path: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
        """Status and decoded JSON (or text); status 0 when the API cannot be reached."""
        data = body.encode() if isinstance(body, str) else None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                return answer.status, _decode(answer.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _decode(exc.read())
        except OSError as exc:
            return 0, str(exc)


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _code(answer: Any) -> str:
    return str(answer.get("code", "")) if isinstance(answer, dict) else ""


def _brief(answer: Any) -> str:
    text = json.dumps(answer) if isinstance(answer, dict | list) else str(answer)
    return text[:300]


@dataclass
class Smoke:
    """Step 6 of the runbook against the staging API; every outcome goes through `record`."""

    api: Api
    access: DrillAccess
    staging_db: str
    record: Record
    log: Callable[[str], None]

    def run(self) -> None:
        """Sign in, search, sell, refund; later criteria fail with the reason when an earlier one did."""
        began = time.monotonic()
        if not self.sign_in(began):
            for name in ("smoke sale completes", "refund completes"):
                self.record(name, "FAIL", "the drill user could not sign in", 0.0)
            return
        self.search()
        sale = self.sale()
        if sale is None:
            self.record("refund completes", "FAIL", "no smoke sale to refund", 0.0)
            return
        self.refund(sale)
        status, answer = self.api.call("POST", "/api/refunds/create", RUNBOOK_REFUND)
        self.log(f"POST /api/refunds/create (the runbook's orderId \"test\") -> {status} {_code(answer)}")

    def sign_in(self, began: float) -> bool:
        """PIN sign-in at the drill terminal, as a lane does."""
        status, answer = self.api.call("POST", "/api/auth/login/pin",
                                       {"pin": self.access.pin, "terminal": self.access.terminal})
        if status == 200 and isinstance(answer, dict) and answer.get("token"):
            self.api.token = str(answer["token"])
            return self.record("drill user signs in by PIN", "PASS",
                               f"{self.access.username} at {self.access.terminal}", time.monotonic() - began)
        return self.record("drill user signs in by PIN", "FAIL", f"HTTP {status} {_brief(answer)}",
                           time.monotonic() - began)

    def search(self) -> None:
        """The runbook's product search, with the token."""
        began = time.monotonic()
        status, answer = self.api.call("GET", SEARCH)
        found = len(answer.get("items", [])) if isinstance(answer, dict) else 0
        self.log(f"GET {SEARCH} -> {status} ({found} products)")
        self.record("product search answers", "PASS" if status == 200 else "FAIL",
                    f"HTTP {status}, {found} products", time.monotonic() - began)

    def product(self) -> tuple[int, str] | None:
        """A restored product that sells without an age check, else one the drill adds to the staging catalog."""
        conn = apsw.Connection(self.staging_db, flags=apsw.SQLITE_OPEN_READONLY)
        try:
            rows = list(conn.execute(PICK_PRODUCT))
        except apsw.Error:
            rows = []
        finally:
            conn.close()
        if rows:
            return int(rows[0][0]), str(rows[0][1])
        name = "Restore drill smoke test"
        body = {"sku": time.strftime("DRILL-%Y%m%d%H%M%S"), "names": {"en": name}, "prices": {"retail": 100}}
        status, answer = self.api.call("POST", "/api/products", body)
        self.log(f"no sellable product restored; POST /api/products (staging only) -> {status}")
        return (int(answer["id"]), name) if status == 201 and isinstance(answer, dict) else None

    def sale(self) -> dict[str, Any] | None:
        """Quote one unit, pay it in cash, replay the key: one sale, same receipt number."""
        began = time.monotonic()
        picked = self.product()
        if picked is None:
            self.record("smoke sale completes", "FAIL", "no product to sell", time.monotonic() - began)
            return None
        product_id, name = picked
        lines = [{"productId": product_id, "quantity": 1}]
        status, quote = self.api.call("POST", "/api/sales/quote", {"lines": lines})
        if status != 200 or not isinstance(quote, dict):
            self.record("smoke sale completes", "FAIL", f"quote: HTTP {status} {_brief(quote)}", 0.0)
            return None
        body = {"lines": lines, "tenders": [{"method": "cash", "amount": quote["amountDueCash"]}]}
        key = str(uuid.uuid4())
        status, sale = self.api.call("POST", "/api/sales", body, key)
        if "SHIFT" in _code(sale) and self.open_shift():
            status, sale = self.api.call("POST", "/api/sales", body, key)  # the refused try stored nothing
        if status != 201 or not isinstance(sale, dict):
            self.record("smoke sale completes", "FAIL", f"HTTP {status} {_brief(sale)}", time.monotonic() - began)
            return None
        again, replay = self.api.call("POST", "/api/sales", body, key)
        same = again == 201 and isinstance(replay, dict) and replay.get("receiptNumber") == sale["receiptNumber"]
        self.log(f"sold 1 x {name} (product {product_id}): receipt {sale['receiptNumber']}, "
                 f"amount due {format_minor(sale['totals']['amountDue'])} {sale.get('currency', '')}; "
                 f"retry with the same Idempotency-Key -> {again}, same receipt: {same}")
        self.record("smoke sale completes", "PASS" if same else "FAIL",
                    f"receipt {sale['receiptNumber']}" + ("" if same else f"; key replay answered {again}"),
                    time.monotonic() - began)
        return sale if same else None

    def open_shift(self) -> bool:
        """Open a shift on the drill terminal (staging copy) when selling needs one."""
        status, answer = self.api.call("POST", "/api/shifts", {"openingFloat": 0}, str(uuid.uuid4()))
        self.log(f"selling needs an open shift: POST /api/shifts -> {status} {_brief(answer)[:160]}")
        return status in (200, 201)

    def refund(self, sale: dict[str, Any]) -> None:
        """The runbook's `/api/refunds/create` for the smoke sale's line; it refunds what was paid."""
        began = time.monotonic()
        line = sale["lines"][0]
        unit = line["unitPrice"] if line.get("unitPrice") is not None else line["totalAmount"]
        body = json.dumps({"orderId": sale["receiptNumber"], "items": [
            {"productId": str(line["productId"]), "quantity": 1, "unitPrice": "@PRICE@"}],
            "refundReason": "Restore drill refund", "paymentMethod": "cash", "managerPin": self.access.pin})
        status, answer = self.api.call("POST", "/api/refunds/create", body.replace('"@PRICE@"', format_minor(unit)),
                                       str(uuid.uuid4()))
        ok = status == 201 and isinstance(answer, dict) and answer.get("totalAmount") == line["totalAmount"]
        detail = (f"return {answer['id']}, {format_minor(answer['totalAmount'])} refunded in cash" if ok
                  else f"HTTP {status} {_brief(answer)}")
        self.log(f"POST /api/refunds/create {sale['receiptNumber']} -> {status}")
        self.record("refund completes", "PASS" if ok else "FAIL", detail, time.monotonic() - began)


def staging_settings(settings: Settings, db_path: str) -> Settings:
    """The production settings pointed at the staging database."""
    return replace(settings, db_path=db_path)

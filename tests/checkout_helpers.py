"""Checkout test helpers: a small seeded store (tax classes, categories, products, customers) and request helpers."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_value
from pos_grocery.runtime import Runtime
from tests.auth_helpers import MadeUser, add_terminal, add_user, bearer, issue_token

# 2026-03-14 04:00 UTC = 09:30 in Asia/Colombo: business day 2026-03-14.
T0 = 1_773_460_800.0
VAT = 1800

# id, sku, name, unit, category, tax class, retail, wholesale, weighed, min_age, cost
PRODUCTS: tuple[tuple[Any, ...], ...] = (
    (1, "MILK", "Milk 1L", "pc", 1, 1, 45000, 42000, 0, None, 30000),
    (2, "SUGAR", "Sugar", "kg", 2, 2, 25000, None, 1, None, 18000),
    (3, "SOAP-A", "Soap A", "pc", 3, 1, 10000, None, 0, None, 6000),
    (4, "SOAP-B", "Soap B", "pc", 3, 1, 12000, None, 0, None, 7000),
    (5, "BEER", "Beer", "pc", 4, 1, 30000, None, 0, 21, 20000),
    (6, "BANANA", "Bananas", "kg", 2, 2, 30000, None, 1, None, 15000),
    (7, "RICE", "Rice", "kg", 2, 2, 20000, None, 0, None, 15000),
    (8, "BREAD", "Bread", "pc", 1, 2, 15000, None, 0, None, 9000),
)
TABLES = (
    "sales",
    "sale_lines",
    "sale_tenders",
    "stock_movements",
    "idempotency_keys",
    "receipt_sequences",
    "returns",
    "return_lines",
    "held_sales",
    "store_credits",
)


def seed_catalog(rt: Runtime) -> None:
    """Tax classes (18 % VAT, zero-rated), categories, products with barcodes, two customers."""
    now = iso_utc(rt.clock())
    with rt.db.write() as conn:
        conn.executemany(
            "INSERT INTO tax_classes (id, name, rate_bp, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(1, "VAT", VAT, now, now), (2, "Zero", 0, now, now)],
        )
        conn.executemany(
            "INSERT INTO categories (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(i, name, now, now) for i, name in ((1, "Dairy"), (2, "Staples"), (3, "Soap"), (4, "Drinks"))],
        )
        conn.executemany(
            "INSERT INTO products (id, sku, name_en, unit, category_id, tax_class_id, price_retail, price_wholesale, "
            "weighed, min_age, cost, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*p, now, now) for p in PRODUCTS],
        )
        conn.execute("UPDATE products SET name_si = 'කිරි' WHERE id = 1")
        conn.executemany(
            "INSERT INTO product_barcodes (code, product_id, kind, created_at) VALUES (?, ?, ?, ?)",
            [("4011", 6, "plu", now), ("4006381333931", 1, "ean13", now)],
        )
        conn.executemany(
            "INSERT INTO customers (id, name, phone, type, credit_limit, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (1, "Wholesale Ltd", "0111", "wholesale", 0, now, now),
                (2, "Credit Co", "0112", "credit", 100000, now, now),
            ],
        )


@dataclass
class Shop:
    """A seeded store with a cashier at LANE-1 and a manager (their PIN approves overrides)."""

    rt: Runtime
    client: Any
    cashier: MadeUser
    manager: MadeUser
    lane: int
    headers: dict[str, str]

    def sign_in(self, user: MadeUser, terminal: str = "LANE-1") -> dict[str, str]:
        """Fresh bearer headers for a user at a terminal (after moving the clock, sessions lock)."""
        return bearer(issue_token(self.rt, user.id, add_terminal(self.rt, terminal)))

    def sale(self, body: dict[str, Any], key: str | None = None, headers: dict[str, str] | None = None) -> Any:
        """POST /api/sales with an Idempotency-Key (a new one unless given)."""
        hdrs = {**(headers or self.headers), "Idempotency-Key": key or str(uuid.uuid4())}
        return self.client.post("/api/sales", json=body, headers=hdrs)

    def ok_sale(self, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """A sale that must succeed (201)."""
        response = self.sale(body, **kw)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def count(self, table: str) -> int:
        """Rows in a table."""
        return int(fetch_value(self.rt.db.reader, f"SELECT count(*) FROM {table}"))

    def counts(self) -> dict[str, int]:
        """Rows in every checkout table."""
        return {t: self.count(t) for t in TABLES}

    def stock(self, product_id: int) -> int:
        """A product's stock on hand (thousandths)."""
        return int(
            fetch_value(
                self.rt.db.reader, "SELECT stock_on_hand FROM product_stock WHERE product_id = ?", (product_id,)
            )
        )


def make_shop(rt: Runtime, client: Any) -> Shop:
    """Seed the store and sign a cashier in at LANE-1."""
    rt.clock = lambda: T0
    seed_catalog(rt)
    lane = add_terminal(rt, "LANE-1")
    add_terminal(rt, "LANE-2")
    cashier = add_user(rt, "cashier")
    manager = add_user(rt, "manager")
    shop = Shop(rt, client, cashier, manager, lane, bearer(issue_token(rt, cashier.id, lane)))
    for terminal in ("LANE-1", "LANE-2"):  # selling needs an open shift on the terminal (docs/SHIFTS.md)
        open_shift(rt, client, add_terminal(rt, terminal), manager.id)
    return shop


def open_shift_here(rt: Runtime, terminal_id: int, user_id: int, opening_float: int = 0) -> int:
    """Open a shift through the shifts service, without an HTTP client (for tests that serve a real process)."""
    from pos_grocery.auth.sessions import SessionTimes, resolve
    from pos_grocery.shifts.models import ShiftOpen
    from pos_grocery.shifts.service import open_shift as open_with_service

    token = issue_token(rt, user_id, terminal_id)
    caller = resolve(rt.db.reader, token, rt.clock(), SessionTimes.from_settings(rt.settings), False).identity
    return open_with_service(rt, caller, ShiftOpen(opening_float=opening_float), None).id


def open_shift(rt: Runtime, client: Any, terminal_id: int, manager_id: int, opening_float: int = 0) -> dict[str, Any]:
    """Open a shift on a terminal through the API, as a manager in the back office."""
    headers = bearer(issue_token(rt, manager_id, None, "password"))
    body = {"openingFloat": opening_float, "terminalId": terminal_id}
    response = client.post("/api/shifts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@contextlib.contextmanager
def open_shop(path: Path, **env: str) -> Iterator[Shop]:
    """A shop on its own database and app (for module-scoped fixtures and other settings)."""
    from litestar.testing import TestClient

    from pos_grocery.app import create_app
    from pos_grocery.runtime import open_runtime
    from tests.conftest import make_settings

    rt = open_runtime(make_settings(path, **env))
    try:
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[arg-type,type-var,unused-ignore]
            yield make_shop(rt, client)
    finally:
        rt.db.close()


def line(product_id: int, quantity: float | str = 1, **extra: Any) -> dict[str, Any]:
    """A sale line."""
    return {"productId": product_id, "quantity": quantity, **extra}


def cash(amount: int, tendered: int | None = None) -> dict[str, Any]:
    """A cash tender."""
    tender: dict[str, Any] = {"method": "cash", "amount": amount}
    if tendered is not None:
        tender["tendered"] = tendered
    return tender


def card(amount: int, reference: str = "AUTH123") -> dict[str, Any]:
    """A card tender."""
    return {"method": "card", "amount": amount, "reference": reference}


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json answer with this status and code."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body

"""Helpers of the lane end-to-end tests: API calls for set-up, and keyboard-only driving of the lane."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

# Demo store codes (backend/pos_grocery/catalog/seed.py: deterministic).
RICE_1KG = "4791000000010"  # Serendib Samba Rice 1kg, product 1, LKR 240.00
BEER = "4791000002212"  # age-restricted (21)


def weight_label(item5: str, grams: int) -> str:
    """A GS1 variable-measure label (layout 20-24:item5,weight5) with its check digit."""
    data = f"20{item5}{grams:05d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(data))
    return data + str((10 - total % 10) % 10)


def call(base: str, method: str, path: str, body: Any = None, token: str | None = None,
         key: str | None = None) -> tuple[int, Any]:
    """One JSON request to the API; returns (status, decoded body)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if key:
        req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def login_password(base: str, username: str, password: str) -> str:
    status, body = call(base, "POST", "/api/auth/login/password", {"username": username, "password": password})
    assert status == 200, body
    return str(body["token"])


def login_pin(base: str, pin: str, terminal: str = "LANE-1") -> str:
    status, body = call(base, "POST", "/api/auth/login/pin", {"pin": pin, "terminal": terminal})
    assert status == 200, body
    return str(body["token"])


def product_by_code(base: str, token: str, code: str) -> dict[str, Any]:
    status, body = call(base, "GET", f"/api/products/barcode/{code}", token=token)
    assert status == 200, body
    return dict(body)


def ensure_shift(base: str, token: str, opening_float: int = 0) -> None:
    """Open a shift on the token's terminal unless one is open (selling needs one)."""
    status, body = call(base, "POST", "/api/shifts", {"openingFloat": opening_float}, token)
    assert status == 201 or (status == 409 and body["code"] == "SHIFT_ALREADY_OPEN"), body


def sell(base: str, token: str, lines: list[dict[str, Any]], cash: int) -> dict[str, Any]:
    """Complete a cash sale through the API (set-up for returns); opens the terminal's shift if needed."""
    ensure_shift(base, token)
    body = {"lines": lines, "tenders": [{"method": "cash", "amount": cash}], "language": "en"}
    status, out = call(base, "POST", "/api/sales", body, token, key=str(uuid.uuid4()))
    assert status == 201, out
    return dict(out)


def sales_count(base: str, token: str) -> int:
    status, body = call(base, "GET", "/api/sales?limit=200", token=token)
    assert status == 200, body
    return len(body["items"])


def sign_in(page: Any, base: str, pin: str, open_shift: str | None = "5000") -> None:
    """Open the lane and sign in with the PIN typed on the keyboard.

    Once the lane knows its shift (the top bar's shift chip), a lane without an open shift shows the shift-open
    screen: with `open_shift` (the float, typed) it is opened here; with None the screen is left to the test.
    """
    page.goto(base + "/")
    page.wait_for_selector(".pin-dots", timeout=10_000)
    page.keyboard.type(pin)
    page.keyboard.press("Enter")
    try:
        page.wait_for_selector("#scan", timeout=10_000)
        page.wait_for_selector("[data-testid=shift-chip]", timeout=10_000)
    except Exception:
        page.screenshot(path="/tmp/fe/signin-fail.png")
        raise
    if open_shift is not None and page.locator("input[name=float]").count() > 0:
        page.keyboard.type(open_shift)
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-testid=shift-chip]:not(.warn)", timeout=10_000)
        page.wait_for_selector(".dialog", state="detached", timeout=10_000)


def scan(page: Any, code: str) -> None:
    """A keyboard-wedge burst: the code typed a few ms per key, then Enter."""
    page.keyboard.type(code, delay=4)
    page.keyboard.press("Enter")


def wait_lines(page: Any, count: int) -> None:
    """Until the cart shows `count` rows (a locator wait: the page's CSP forbids eval)."""
    from playwright.sync_api import expect

    expect(page.locator(".cart tbody tr")).to_have_count(count, timeout=10_000)


def wait_priced(page: Any) -> None:
    """Until the lane shows the server's price (the quote) rather than its own estimate."""
    page.wait_for_selector("[data-testid=total].priced", timeout=10_000)

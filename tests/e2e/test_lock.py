"""Inactivity lock at the lane: the cart stays behind the lock screen; the cashier's own PIN unlocks
(`POST /api/auth/unlock`). The lock time comes from the sign-in answer; here it is shortened in the stored
session (the server's minimum is one minute)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, scan, sign_in, wait_lines

pytestmark = pytest.mark.slow


def test_lock_after_inactivity_keeps_the_cart(demo_stack: DemoStack, page: Any) -> None:
    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    page.evaluate("""() => {
        const s = JSON.parse(sessionStorage.getItem('pos.session'));
        sessionStorage.setItem('pos.session', JSON.stringify({ ...s, inactivityLockSeconds: 2 }));
    }""")
    page.reload()
    page.wait_for_selector("#scan")
    scan(page, RICE_1KG)
    wait_lines(page, 1)
    page.wait_for_selector("[data-testid=lock-screen]", timeout=6_000)
    page.keyboard.type("4791000000010")  # a scan while locked goes nowhere
    page.keyboard.press("Enter")
    expect(page.locator(".lock .error-text")).not_to_be_empty()
    screenshot(page, "17-locked")
    page.fill("input[name=unlock-pin]", demo_stack.pins["cashier1"])
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=lock-screen]")).to_have_count(0, timeout=5_000)
    wait_lines(page, 1)
    expect(page.locator(".cart tbody tr td").nth(2)).to_have_text("1")

"""The API goes down mid-sale and comes back: the sale waits in the IndexedDB outbox (also across a reload)
and lands exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, login_pin, sales_count, scan, sign_in, wait_lines, wait_priced

pytestmark = pytest.mark.slow


def test_sale_lands_exactly_once_after_the_api_comes_back(demo_stack: DemoStack, page: Any) -> None:
    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    scan(page, RICE_1KG)
    scan(page, RICE_1KG)
    wait_lines(page, 1)
    expect(page.locator(".cart tbody tr td").nth(2)).to_have_text("2", timeout=10_000)
    wait_priced(page)

    demo_stack.api.stop()  # mid-sale: the cart is priced, the payment is not sent yet
    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    page.keyboard.type("1000")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=receipt-waiting]", timeout=10_000)
    assert page.locator("[data-testid=change-due]").inner_text() == "LKR 520.00"
    expect(page.locator(".badge.warn")).to_have_text("Unsent sales: 1", timeout=10_000)
    screenshot(page, "13-api-down-sale-waiting")

    page.reload()  # the outbox is in IndexedDB: a reload keeps the sale
    page.wait_for_selector("#scan", timeout=10_000)
    expect(page.locator(".badge.warn")).to_have_text("Unsent sales: 1", timeout=10_000)
    screenshot(page, "14-api-down-after-reload")

    demo_stack.restart_api()
    expect(page.locator(".topbar [role=status]")).to_have_text("Unsent sales: 0", timeout=30_000)
    screenshot(page, "15-api-back-sent")
    token = login_pin(demo_stack.api.base, demo_stack.pins["cashier2"], "LANE-2")
    assert sales_count(demo_stack.api.base, token) == 1

"""A refund at the lane by receipt number: lines and quantities, reason, refund method, the manager's PIN."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import call, login_pin, sell, sign_in

pytestmark = pytest.mark.slow


def test_refund_by_receipt_number_with_manager_pin(demo_stack: DemoStack, page: Any) -> None:
    api = demo_stack.api.base
    token = login_pin(api, demo_stack.pins["cashier2"], "LANE-2")
    # 25 × rice 1kg (LKR 240.00) = 6,000.00: above the 5,000.00 refund threshold, so a manager must approve.
    sale = sell(api, token, [{"productId": 1, "quantity": 25}, {"productId": 118, "quantity": 1}], 6_330_00)

    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    page.keyboard.press("F11")
    page.wait_for_selector("input[name=receipt-number]")
    page.keyboard.type(sale["receiptNumber"].lower(), delay=3)  # scanners and people differ in case
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=return-qty-1]", timeout=10_000)
    page.keyboard.type("25")
    page.keyboard.press("Alt+1")  # damaged
    page.keyboard.press("F5")  # cash
    expect(page.locator("[data-testid=refund-total]")).to_have_text("LKR 6,000.00")
    screenshot(page, "10-return-lines")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=manager-pin]", timeout=10_000)
    page.keyboard.type(demo_stack.pins["manager1"])
    screenshot(page, "11-return-manager-pin")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.ok")).to_contain_text("Refunded LKR 6,000.00", timeout=10_000)
    screenshot(page, "12-return-done")

    status, lookup = call(api, "GET", f"/api/returns/lookup?receiptNumber={sale['receiptNumber']}", token=token)
    assert status == 200, lookup
    assert lookup["refundedAmount"] == 6_000_00
    assert lookup["lines"][0]["returnableQuantity"] == 0

"""Customer attach (sets the tier), a line discount above the threshold approved with a manager's PIN, and a
quantity edit, keyboard only; the sale carries the customer, the tier and the approved discount."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, call, login_pin, scan, sign_in, wait_lines, wait_priced

pytestmark = pytest.mark.slow


def test_customer_tier_discount_with_manager_pin(demo_stack: DemoStack, page: Any) -> None:
    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    scan(page, "4791000000041")  # Ruhuna Farms Samba Rice 1kg: retail 750.00, wholesale 712.50
    scan(page, RICE_1KG)
    wait_lines(page, 2)
    wait_priced(page)

    page.keyboard.press("F5")
    page.wait_for_selector("input[name=customer-query]")
    page.keyboard.type("Green")
    page.wait_for_selector(".results li[aria-selected=true]", timeout=10_000)
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=customer]")).to_have_text("Green Cafe")
    expect(page.locator("[data-testid=tier]")).to_contain_text("Wholesale")
    wait_priced(page)
    expect(page.locator(".cart tbody tr").first).to_contain_text("712.50")

    page.keyboard.press("ArrowUp")  # select the first line
    page.keyboard.press("F3")
    page.wait_for_selector("input[name=qty]")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page.locator(".cart tbody tr").first.locator("td").nth(2)).to_have_text("2")

    page.keyboard.press("F4")
    page.wait_for_selector("input[name=discount]")
    page.keyboard.type("20%")
    page.keyboard.press("Enter")
    page.keyboard.type("damaged pack")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=manager-pin]", timeout=10_000)
    page.keyboard.type("000000")  # a wrong PIN is refused before it reaches the sale
    page.keyboard.press("Enter")
    expect(page.locator(".dialog .error-text")).to_contain_text("not accepted", timeout=10_000)
    page.fill("input[name=manager-pin]", "")
    page.keyboard.type(demo_stack.pins["manager1"])
    page.keyboard.press("Enter")
    expect(page.locator(".notice.ok")).to_contain_text("Discount applied", timeout=10_000)
    wait_priced(page)
    expect(page.locator(".cart tbody tr").first).to_contain_text("1,140.00")  # 2 × 712.50 − 20%
    screenshot(page, "16-discount-customer")

    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    page.keyboard.press("F1")
    page.wait_for_selector("[data-testid=receipt-number]", timeout=10_000)
    page.keyboard.press("Enter")

    token = login_pin(demo_stack.api.base, demo_stack.pins["cashier2"], "LANE-2")
    status, sales = call(demo_stack.api.base, "GET", "/api/sales?limit=1", token=token)
    assert status == 200
    sale = sales["items"][0]
    assert sale["customerId"] == 5 and sale["priceTier"] == "wholesale"
    assert sale["lines"][0]["totalAmount"] == 1140_00

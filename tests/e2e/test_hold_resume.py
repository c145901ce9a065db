"""Hold a cart (F8), resume it from the list (F9), pay it: the sale records the held sale it completes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, call, login_pin, scan, sign_in, wait_lines, wait_priced

pytestmark = pytest.mark.slow


def test_hold_then_resume_and_pay(demo_stack: DemoStack, page: Any) -> None:
    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    scan(page, RICE_1KG)
    scan(page, "4791000001185")
    wait_lines(page, 2)
    wait_priced(page)
    page.keyboard.press("F8")
    expect(page.locator(".notice.ok")).to_contain_text("held as #", timeout=10_000)
    page.wait_for_selector(".empty-cart")
    screenshot(page, "07-held")

    page.keyboard.press("F9")
    page.wait_for_selector(".results li[aria-selected=true]", timeout=10_000)
    screenshot(page, "08-resume-list")
    page.keyboard.press("Enter")
    wait_lines(page, 2)
    wait_priced(page)
    expect(page.locator(".sale-info")).to_contain_text("Resumed #")
    screenshot(page, "09-resumed")

    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    page.keyboard.press("F1")  # exact cash
    page.wait_for_selector("[data-testid=receipt-number]", timeout=10_000)
    assert page.locator("[data-testid=change-due]").inner_text() == "LKR 0.00"
    page.keyboard.press("Enter")

    token = login_pin(demo_stack.api.base, demo_stack.pins["cashier2"], "LANE-2")
    status, sales = call(demo_stack.api.base, "GET", "/api/sales?limit=5", token=token)
    assert status == 200
    assert sales["items"][0]["heldSaleId"] is not None
    status, held = call(demo_stack.api.base, "GET", "/api/held-sales?status=held", token=token)
    assert status == 200 and held["items"] == []

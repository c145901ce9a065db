"""Back office: customers created and edited (type → price tier, credit limit, notes; the balance read-only), and
the store settings (`/api/settings`) shown read-only on the operations page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import call, login_password
from tests.e2e.test_office import office_sign_in

pytestmark = pytest.mark.slow


def test_customers_create_edit_and_settings(demo_stack: DemoStack, page: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    office_sign_in(page, demo_stack.web.base, "admin", demo_stack.passwords["admin"])
    page.get_by_role("button", name="Customers").click()
    page.get_by_role("button", name="New customer").click()
    page.wait_for_selector(".dialog input[name=name]")
    page.fill(".dialog input[name=name]", "Perera Traders")
    page.fill(".dialog input[name=phone]", "0771234567")
    page.select_option(".dialog select[name=type]", "wholesale")
    page.fill(".dialog input[name=creditLimit]", "1500.00")
    page.fill(".dialog input[name=notes]", "weekly rice order")
    screenshot(page, "27-office-customer-new")
    page.keyboard.press("Enter")
    page.wait_for_selector(".dialog", state="detached", timeout=10_000)

    page.fill("input[name=q]", "Perera Traders")
    row = page.locator(".grid tbody tr, table tbody tr", has_text="Perera Traders")
    expect(row).to_have_count(1, timeout=10_000)
    expect(row).to_contain_text("Wholesale")
    expect(row).to_contain_text("LKR 1,500.00")

    row.get_by_role("button", name="Edit").click()
    page.wait_for_selector(".dialog input[name=balance]")
    expect(page.locator(".dialog input[name=balance]")).to_have_value("LKR 0.00")
    assert page.locator(".dialog input[name=balance]").get_attribute("readonly") is not None
    page.select_option(".dialog select[name=type]", "credit")
    page.fill(".dialog input[name=creditLimit]", "2500")
    page.fill(".dialog input[name=phone]", "0779999999")
    screenshot(page, "28-office-customer-edit")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".dialog", state="detached", timeout=10_000)
    expect(row).to_contain_text("LKR 2,500.00", timeout=10_000)
    expect(row).to_contain_text("Credit")

    token = login_password(demo_stack.api.base, "admin", demo_stack.passwords["admin"])
    status, page_body = call(demo_stack.api.base, "GET", "/api/customers?q=Perera%20Traders", token=token)
    assert status == 200, page_body
    (c,) = [c for c in page_body["items"] if c["name"] == "Perera Traders"]
    assert (c["type"], c["priceTier"], c["creditLimit"], c["phone"], c["notes"], c["balance"]) == (
        "credit", "credit", 2500_00, "0779999999", "weekly rice order", 0)

    # Operations: the store settings, read-only.
    page.get_by_role("button", name="Operations").click()
    card = page.locator("[data-testid='ops-Store settings (read-only)']")
    expect(card).to_contain_text("Asia/Colombo", timeout=10_000)
    expect(card).to_contain_text("500000")
    expect(card).to_contain_text("LKR")
    screenshot(page, "29-office-operations-settings")
    assert errors == []

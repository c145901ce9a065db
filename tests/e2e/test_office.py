"""The back office at /office: password sign-in, products (search, edit a price), users, operations; the
auditor's audit journal."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import call, login_pin

pytestmark = pytest.mark.slow


def office_sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/office")
    page.wait_for_selector("input[name=username]", timeout=10_000)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_selector(".office-nav", timeout=10_000)


def test_admin_edits_a_price_and_sees_operations(demo_stack: DemoStack, page: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    office_sign_in(page, demo_stack.web.base, "admin", demo_stack.passwords["admin"])
    expect(page.locator(".grid tbody tr").first).to_be_visible(timeout=10_000)
    page.fill("input[name=q]", "samba rice 1kg")
    expect(page.locator(".grid tbody tr").first).to_contain_text("Serendib Samba Rice 1kg", timeout=10_000)
    screenshot(page, "20-office-products")
    page.locator(".grid tbody tr").first.get_by_role("button").click()
    page.fill("input[name=retail]", "255.00")
    screenshot(page, "21-office-edit-product")
    page.keyboard.press("Enter")
    expect(page.locator(".grid tbody tr").first).to_contain_text("255.00", timeout=10_000)
    token = login_pin(demo_stack.api.base, demo_stack.pins["cashier1"])
    status, product = call(demo_stack.api.base, "GET", "/api/products/1", token=token)
    assert status == 200 and product["prices"]["retail"] == 25500

    page.keyboard.press("Alt+8")  # Users (Alt+1…9, 0 follow the navigation order)
    expect(page.locator(".grid tbody")).to_contain_text("manager1", timeout=10_000)
    screenshot(page, "22-office-users")
    page.get_by_role("button", name="Operations").click()
    expect(page.locator(".ops-card").first).to_contain_text("database", timeout=10_000)
    expect(page.locator(".ops-grid")).to_contain_text("allPassed", timeout=10_000)
    screenshot(page, "23-office-operations")
    assert errors == []


def test_auditor_reads_the_audit_journal(demo_stack: DemoStack, page: Any) -> None:
    office_sign_in(page, demo_stack.web.base, "auditor", demo_stack.passwords["auditor"])
    page.get_by_role("button", name="Audit journal").click()
    expect(page.locator(".grid tbody tr").first).to_be_visible(timeout=10_000)
    expect(page.locator(".grid tbody")).to_contain_text("login", timeout=10_000)
    screenshot(page, "24-office-audit")

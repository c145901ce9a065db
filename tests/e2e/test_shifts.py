"""Shifts on the lane, keyboard only: the shift-open screen with a float, a sale, the X report, cash out, a pickup
and a no-sale approved by a manager's PIN, the Z close counted by denomination with a variance, the Z reprint
(COPY) by the cashier with a manager's PIN and by a manager; after the Z, paying asks for a new shift."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, call, login_pin, scan, sign_in, wait_lines

pytestmark = pytest.mark.slow


def close_open_shift(base: str, manager_pin: str, terminal: str) -> None:
    """Close the terminal's shift if one is open (a fixture may have opened it), so the lane starts without one."""
    token = login_pin(base, manager_pin, terminal)
    status, shift = call(base, "GET", "/api/shifts/current", token=token)
    if status == 200:
        status, x = call(base, "GET", f"/api/shifts/{shift['id']}/x", token=token)
        assert status == 200, x
        status, z = call(base, "POST", f"/api/shifts/{shift['id']}/close",
                         {"declaredCash": x["cash"]["expected"]}, token)
        assert status == 201, z
    else:
        assert shift["code"] == "SHIFT_NOT_OPEN", shift


def shift_menu(page: Any, choice: str) -> None:
    page.keyboard.press("Alt+s")
    page.wait_for_selector("[data-testid=shift-info]")
    page.keyboard.press(choice)


def test_shift_open_sale_x_cash_z_with_variance(demo_stack: DemoStack, page: Any) -> None:
    api, pins = demo_stack.api.base, demo_stack.pins
    close_open_shift(api, pins["manager1"], "LANE-1")

    sign_in(page, demo_stack.web.base, pins["cashier1"], open_shift=None)
    page.wait_for_selector("input[name=float]", timeout=10_000)
    expect(page.locator("[data-testid=shift-chip]")).to_contain_text("No shift open")
    screenshot(page, "30-shift-open")
    page.keyboard.type("5000")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=shift-chip]")).to_contain_text("Shift ", timeout=10_000)
    expect(page.locator(".notice.ok")).to_contain_text("Shift open")

    scan(page, RICE_1KG)  # LKR 240.00
    wait_lines(page, 1)
    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    page.keyboard.press("F1")  # exact cash
    page.wait_for_selector("[data-testid=receipt-number]", timeout=10_000)
    page.keyboard.press("Enter")

    shift_menu(page, "1")  # X report
    report = page.locator("[data-testid=report-text]")
    expect(report).to_contain_text("Sales (1)", timeout=10_000)
    expect(report).to_contain_text("5,240.00")  # float 5,000.00 + one cash sale of 240.00
    screenshot(page, "31-shift-x-report")
    page.keyboard.press("Enter")

    shift_menu(page, "2")  # cash out 100.00 (under the cashier's limit)
    page.wait_for_selector("input[name=cash-amount]")
    page.keyboard.press("Alt+2")
    page.keyboard.type("100")
    page.keyboard.press("Enter")
    page.keyboard.type("bank fees")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.ok")).to_contain_text("Cash out: LKR 100.00 recorded", timeout=10_000)

    shift_menu(page, "2")  # a pickup always needs a manager
    page.wait_for_selector("input[name=cash-amount]")
    page.keyboard.press("Alt+4")
    page.keyboard.type("1000")
    page.keyboard.press("Enter")
    page.keyboard.type("mid-day pickup")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=manager-pin]", timeout=10_000)
    page.keyboard.type(pins["manager1"])
    screenshot(page, "32-shift-pickup-manager")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.ok")).to_contain_text("Pickup (manager): LKR 1,000.00 recorded", timeout=10_000)

    shift_menu(page, "3")  # no sale: a cashier needs the manager's PIN
    page.wait_for_selector("input[name=nosale-reason]")
    page.keyboard.type("change for the bus")
    page.keyboard.press("Enter")
    page.keyboard.type(pins["manager1"])
    page.keyboard.press("Enter")
    # recorded either way; this store's lane has no drawer answering, so the cashier sees it as an error
    expect(page.locator(".notice.error")).to_contain_text("Drawer: did not open", timeout=10_000)
    screenshot(page, "32b-no-sale-drawer-failed")

    # Z: expected 5,000 + 240 − 100 − 1,000 = 4,140.00; counted 2×2,000 + 100 + 20 + 10 = 4,130.00 → 10.00 short.
    shift_menu(page, "4")
    page.wait_for_selector("input[name=declared]")
    page.keyboard.press("F2")
    page.wait_for_selector("input[name=den-500000]")
    for key in ["ArrowDown", "2", "ArrowDown", "ArrowDown", "ArrowDown", "1", "ArrowDown", "ArrowDown", "1",
                "ArrowDown", "1"]:  # 5000 · 2000 ×2 · 1000 · 500 · 100 ×1 · 50 · 20 ×1 · 10 ×1
        page.keyboard.press(key)
    expect(page.locator("[data-testid=counted-total]")).to_have_text("LKR 4,130.00")
    page.keyboard.press("Enter")  # → the manager's PIN (a cashier may not close alone)
    page.keyboard.type(pins["manager1"])
    screenshot(page, "33-shift-z-count")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=report-note]")).to_have_text("Variance LKR -10.00 (short)", timeout=10_000)
    expect(page.locator("[data-testid=report-text]")).to_contain_text("4,130.00")
    screenshot(page, "34-shift-z-report")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=shift-chip]")).to_contain_text("No shift open")

    # Selling now asks for a shift first.
    scan(page, RICE_1KG)
    wait_lines(page, 1)
    page.keyboard.press("F10")
    page.wait_for_selector("input[name=float]", timeout=10_000)
    expect(page.locator(".notice")).to_contain_text("Open a shift first")
    page.keyboard.press("Escape")

    # The cashier reprints the Z: the server wants a manager's PIN (POST /api/shifts/{id}/z/reprint).
    shift_menu(page, "5")
    page.wait_for_selector("input[name=manager-pin]", timeout=10_000)
    page.keyboard.type(pins["manager1"])
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=report-text]")).to_contain_text("COPY", timeout=10_000)
    screenshot(page, "35-shift-z-reprint-cashier")
    page.keyboard.press("Escape")
    page.wait_for_selector(".dialog", state="detached", timeout=10_000)

    # The manager reprints the Z (a COPY) from the lane.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector(".pin-dots", timeout=10_000)  # signed out before the next sign-in reloads the page
    sign_in(page, demo_stack.web.base, pins["manager1"], open_shift=None)
    page.keyboard.press("Escape")  # no shift: the shift-open screen is closed for now
    shift_menu(page, "5")
    expect(page.locator("[data-testid=report-text]")).to_contain_text("COPY", timeout=10_000)
    screenshot(page, "35-shift-z-reprint")

    token = login_pin(api, pins["manager1"], "LANE-2")
    status, shifts = call(api, "GET", "/api/shifts?status=closed&limit=10", token=token)
    assert status == 200
    closed = next(s for s in shifts["items"] if s["terminal"] == "LANE-1")
    assert (closed["expectedCash"], closed["declaredCash"], closed["variance"]) == (4140_00, 4130_00, -10_00)

"""Sales the API refuses for good (409 SHIFT_NOT_OPEN: the shift was closed behind the lane's back) wait on the
lane's outbox screen (Alt+O) with the server's problem text: one is retried once the shift is open again and
lands exactly once; another is discarded with a manager's PIN and never lands."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, ensure_shift, login_pin, sales_count, scan, sign_in, wait_priced
from tests.e2e.test_shifts import close_open_shift

pytestmark = pytest.mark.slow


def landed(api: str, token: str, expected: int) -> None:
    """Until the API holds `expected` sales (the retried sale is sent right after it left the list)."""
    deadline = time.monotonic() + 15
    while sales_count(api, token) != expected:
        assert time.monotonic() < deadline, f"{sales_count(api, token)} sales, expected {expected}"
        time.sleep(0.2)


def refused_sale(st: DemoStack, page: Any) -> None:
    """A priced cart paid in exact cash while a manager closed the lane's shift through the API."""
    scan(page, RICE_1KG)
    wait_priced(page)
    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    close_open_shift(st.api.base, st.pins["manager1"], "LANE-1")  # behind the lane's back, mid-payment
    page.keyboard.press("F1")  # exact cash
    expect(page.locator("[data-testid=attention]")).to_contain_text("Need attention: 1", timeout=15_000)
    page.keyboard.press("Escape")
    # The change screen closes (not "any dialog": the shift-open offer below may take its place at once).
    page.wait_for_selector("[data-testid=change-due]", state="detached", timeout=10_000)
    # The refusal makes the lane ask the server for its shift; the answer ("none") turns the chip to a warning
    # and, when it comes after the change screen closed, also offers the shift-open screen (Esc declines it).
    page.wait_for_selector("[data-testid=shift-chip].warn", timeout=10_000)
    offer = page.locator(".dialog", has_text="Open a shift")
    if offer.count():
        page.keyboard.press("Escape")
        offer.wait_for(state="detached", timeout=10_000)


def test_refused_sales_are_retried_or_discarded_with_a_manager_pin(demo_stack: DemoStack, page: Any) -> None:
    api, pins = demo_stack.api.base, demo_stack.pins
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    reader = login_pin(api, pins["cashier2"], "LANE-2")
    before = sales_count(api, reader)
    sign_in(page, demo_stack.web.base, pins["cashier1"])

    refused_sale(demo_stack, page)
    page.keyboard.press("Alt+o")
    dialog = page.locator("[data-testid=outbox-dialog]")
    expect(dialog).to_contain_text("SHIFT_NOT_OPEN", timeout=10_000)
    expect(dialog.locator("tbody tr")).to_have_count(1)
    expect(dialog.locator("tbody tr")).to_contain_text("LKR 240.00")
    screenshot(page, "16-outbox-attention")
    # The cause is fixed (a shift is open again): R sends it, once.
    ensure_shift(api, login_pin(api, pins["manager1"], "LANE-1"), 0)
    page.keyboard.press("r")
    expect(page.locator("[data-testid=outbox-empty]")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-testid=attention]")).to_have_count(0)
    landed(api, reader, before + 1)
    page.keyboard.press("Escape")

    page.reload()  # the lane learnt that its shift closed: it reads the re-opened one on load
    page.wait_for_selector("[data-testid=shift-chip]:not(.warn)", timeout=10_000)

    # Another refused sale is discarded: a manager's PIN is asked (a cashier's own PIN is refused).
    refused_sale(demo_stack, page)
    page.get_by_test_id("attention").click()
    expect(page.locator("[data-testid=outbox-dialog] tbody tr")).to_have_count(1, timeout=10_000)
    page.keyboard.press("d")
    page.wait_for_selector("input[name=manager-pin]", timeout=10_000)
    page.keyboard.type(pins["cashier1"])
    page.keyboard.press("Enter")
    expect(page.locator(".dialog [role=alert]")).not_to_be_empty(timeout=10_000)
    page.fill("input[name=manager-pin]", "")
    page.keyboard.type(pins["manager1"])
    screenshot(page, "17-outbox-discard-pin")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=outbox-empty]")).to_be_visible(timeout=15_000)
    expect(page.locator(".notice.ok")).to_contain_text("discarded")
    expect(page.locator("[data-testid=attention]")).to_have_count(0)
    expect(page.locator("[data-testid=outbox-discarded]")).to_contain_text("deleted after 7 days): 1")
    screenshot(page, "18-outbox-discarded")
    page.keyboard.press("Escape")
    assert sales_count(api, reader) == before + 1
    # The discarded sale stays in IndexedDB as a record: a reload does not resurrect it.
    page.reload()
    page.wait_for_selector("#scan", timeout=10_000)
    expect(page.locator("[data-testid=attention]")).to_have_count(0)
    expect(page.locator(".topbar [role=status]")).to_have_text("Unsent sales: 0", timeout=10_000)
    assert sales_count(api, reader) == before + 1
    kept = page.evaluate(DISCARDED_RECORDS)
    assert len(kept) == 1 and kept[0]["discardedAt"] > 0 and "managerPin" not in kept[0]["body"], kept
    assert errors == []


# The outbox's discarded records in the lane's IndexedDB (they are deleted 7 days after the discard).
DISCARDED_RECORDS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('pos-grocery');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const all = open.result.transaction('outbox').objectStore('outbox').getAll();
    all.onsuccess = () => { resolve(all.result.filter((e) => e.status === 'discarded')); open.result.close(); };
    all.onerror = () => reject(all.error);
  };
})"""

"""A full sale at the lane, keyboard only, in real Chromium against the real API: wedge scans, a scale label,
a promotion, an age check, split payment, the change and the API's receipt."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import (
    BEER,
    RICE_1KG,
    call,
    login_password,
    login_pin,
    scan,
    sign_in,
    wait_lines,
    wait_priced,
    weight_label,
)

pytestmark = pytest.mark.slow


def test_sale_with_promotion_weighed_item_and_split_payment(demo_stack: DemoStack, page: Any) -> None:
    api = demo_stack.api.base
    manager = login_password(api, "manager1", demo_stack.passwords["manager1"])
    # A promotion on the rice: 2 for LKR 450.00 (regular 240.00 each).
    status, rule = call(api, "POST", "/api/promotions", {"kind": "multibuy", "label": "Rice 2 for 450",
                                                          "productIds": [1], "count": 2, "price": 45000}, manager)
    assert status == 201, rule
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    screenshot(page, "02-lane-ready")
    scan(page, RICE_1KG)
    scan(page, RICE_1KG)  # repeat scan: the same line, quantity 2
    scan(page, "4791000001185")  # ginger beer
    wait_lines(page, 2)
    scan(page, weight_label("02004", 750))  # loose rice 0.750 kg from the scale label
    wait_lines(page, 3)
    scan(page, BEER)
    page.wait_for_selector("text=is the customer at least 21", timeout=5_000)
    screenshot(page, "03-age-check")
    page.keyboard.press("y")
    wait_lines(page, 4)
    wait_priced(page)
    rows = page.locator(".cart tbody tr")
    assert "2" in rows.nth(0).locator("td").nth(2).inner_text()
    assert "0.75 kg" in rows.nth(2).inner_text()
    assert "Rice 2 for 450" in rows.nth(0).inner_text()  # the promotion shown on the line it touches
    total_text = page.locator("[data-testid=total]").inner_text()
    screenshot(page, "04-cart-priced")

    # Split: LKR 1,000.00 by card (reference), the rest in cash with a quick-cash button.
    page.keyboard.press("F10")
    page.wait_for_selector("[data-testid=pay-due]")
    assert page.locator("[data-testid=pay-due]").inner_text() == total_text
    page.keyboard.press("F6")
    page.keyboard.type("1000")
    page.keyboard.press("Enter")  # asks for the reference
    page.keyboard.type("AUTH-778")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=tenders]")
    screenshot(page, "05-pay-split")
    page.keyboard.press("F5")
    page.keyboard.press("F2")  # the first round-note quick cash button
    page.wait_for_selector("[data-testid=receipt-text]", timeout=10_000)
    receipt = page.locator("[data-testid=receipt-text]").inner_text()
    assert "Rice 2 for 450" in receipt
    assert "AUTH-778" in receipt or "Card" in receipt or "CARD" in receipt
    change = page.locator("[data-testid=change-due]").inner_text()
    assert change.startswith("LKR ") and change != "LKR 0.00"
    screenshot(page, "06-receipt")
    page.keyboard.press("Enter")
    page.wait_for_selector(".empty-cart")
    assert errors == []

    cashier = login_pin(api, demo_stack.pins["cashier2"], "LANE-2")
    status, sales = call(api, "GET", "/api/sales?limit=10", token=cashier)
    assert status == 200 and len(sales["items"]) == 1
    sale = sales["items"][0]
    assert [t["method"] for t in sale["tenders"]] == ["card", "cash"]
    assert sale["lines"][2]["quantity"] == 0.75

"""A fast cashier types ahead: keys pressed right after an F-key opens a dialog reach that dialog (nothing lost).

Regression test of a lost-keystroke race: a dialog used to focus its field in an after-paint effect, so keys
typed in the first frame after F3 went to the scan field, the quantity dialog stayed empty and the Enter was lost.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoStack, screenshot
from tests.e2e.lane import RICE_1KG, scan, sign_in, wait_lines

pytestmark = pytest.mark.slow


def test_keys_typed_ahead_of_dialogs_are_not_lost(demo_stack: DemoStack, page: Any) -> None:
    sign_in(page, demo_stack.web.base, demo_stack.pins["cashier1"])
    scan(page, "4791000000041")
    scan(page, RICE_1KG)
    wait_lines(page, 2)
    rows = page.locator(".cart tbody tr")
    for n in range(2, 6):  # several rounds: the race was a matter of frames
        page.keyboard.press("ArrowUp")
        page.keyboard.press("F3")  # no wait for the dialog: a cashier does not wait either
        page.keyboard.type(str(n))
        page.keyboard.press("Enter")
        expect(rows.first.locator("td").nth(2)).to_have_text(str(n), timeout=5_000)
        expect(page.locator(".dialog")).to_have_count(0)
    # A click on the backdrop takes the focus out of the dialog: the keys still go to its field.
    page.keyboard.press("F3")
    page.wait_for_selector("input[name=qty]")
    page.mouse.click(5, 795)
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    expect(rows.first.locator("td").nth(2)).to_have_text("7", timeout=5_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("F12")
    page.keyboard.press("1")  # void reason 1 (scan error), typed at once
    expect(rows.nth(1)).to_have_class(re.compile(r"\bvoided\b"), timeout=5_000)
    screenshot(page, "17-fast-keys")

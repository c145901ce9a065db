"""The lane loads from `pos-grocery web` in real Chromium and shows the PIN sign-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Stack, screenshot

pytestmark = pytest.mark.slow


def test_sign_in_screen(stack: Stack, page: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(stack.web.base + "/")
    page.wait_for_selector(".pin-dots", timeout=10_000)
    assert page.title() == "POS Grocery"
    shot = screenshot(page, "01-sign-in")
    assert shot.stat().st_size > 1000
    assert errors == []


def test_spa_fallback_route(stack: Stack, page: Any) -> None:
    response = page.goto(stack.web.base + "/lane/anything")
    assert response is not None and response.status == 200
    page.wait_for_selector(".pin-dots", timeout=10_000)

"""Real Chromium (Debian's, driven by Playwright for Python) against real API, web and device processes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.procs import ROOT, Proc, start, wait_http

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DIST = ROOT / "frontend" / "dist"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


@dataclass
class Stack:
    """The running system: API, web (serving the built SPA and forwarding /api) and its data folder."""

    api: Proc
    web: Proc
    data: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not (DIST / "index.html").is_file():
        pytest.skip("frontend/dist is not built (make build)")
    data = tmp_path_factory.mktemp("e2e")
    api = start("serve", data)
    web = start("web", data, port_var="WEB_PORT", API_UPSTREAM=f"http://127.0.0.1:{api.port}",
                FRONTEND_DIST=str(DIST))
    try:
        wait_http(api.base + "/api/health/ready")
        wait_http(web.base + "/")
        yield Stack(api, web, data)
    finally:
        web.stop()
        api.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot as a test artifact (look at it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

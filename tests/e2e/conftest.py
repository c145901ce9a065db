"""Real Chromium (Debian's, driven by Playwright for Python) against real API, web and device processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.procs import POS, ROOT, Proc, start, wait_http

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


@dataclass
class DemoStack(Stack):
    """A stack over the seeded demo store; `pins`/`passwords` by username (printed once by `seed --demo`)."""

    pins: dict[str, str]
    passwords: dict[str, str]

    def restart_api(self) -> None:
        """Start the API again on the same port and database (after `api.stop()`)."""
        port = self.api.port
        self.api = replace(start("serve", self.data, PORT=str(port)), port=port)
        wait_http(self.api.base + "/api/health/ready")


def seed_demo(data: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Run `pos-grocery seed --demo` against the stack's database; return the printed PINs and passwords."""
    env = {**os.environ, "DB_PATH": str(data / "pos.db"), "SKIP_HARDWARE_CHECKS": "true", "APP_ENV": "test",
           "ENV_FILE": str(data / "no.env")}
    out = subprocess.run([*POS, "seed", "--demo"], env=env, cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=60).stdout
    pins: dict[str, str] = {}
    passwords: dict[str, str] = {}
    for m in re.finditer(r"^\s+\w+\s+(\S+)\s+PIN (\S+)\s+password (\S+)", out, re.M):
        if m[2] != "-":
            pins[m[1]] = m[2]
        if m[3] != "-":
            passwords[m[1]] = m[3]
    assert pins, out
    return pins, passwords


def open_demo_shifts(st: DemoStack) -> None:
    """Selling needs an open shift: `seed --demo` opens none, so a manager opens LANE-1 and LANE-2 through the API
    (until the lane's own shift screen does it in the tests that sell)."""
    from tests.e2e.lane import ensure_shift, login_pin

    for lane in ("LANE-1", "LANE-2"):
        ensure_shift(st.api.base, login_pin(st.api.base, st.pins["manager1"], lane), 500_000)


@pytest.fixture(scope="module")
def demo_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    """API + web over a database seeded with the demo store and users (one per test module)."""
    if not (DIST / "index.html").is_file():
        pytest.skip("frontend/dist is not built (make build)")
    data = tmp_path_factory.mktemp("e2e-demo")
    pins, passwords = seed_demo(data)
    api = start("serve", data)
    web = start("web", data, port_var="WEB_PORT", API_UPSTREAM=f"http://127.0.0.1:{api.port}",
                FRONTEND_DIST=str(DIST))
    st = DemoStack(api, web, data, pins, passwords)
    try:
        wait_http(api.base + "/api/health/ready")
        wait_http(web.base + "/")
        open_demo_shifts(st)
        yield st
    finally:
        st.web.stop()
        st.api.stop()


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

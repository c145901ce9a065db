"""Shared fixtures: real SQLite files in tmp dirs, the real app in-process, helpers for real processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.runtime import Runtime, open_runtime
from pos_grocery.settings import Settings

BASE_ENV = {
    "APP_ENV": "test",
    "SKIP_HARDWARE_CHECKS": "true",
    # No receipt printing unless a test starts a device service (tests/devices/test_api_printing.py).
    "DEVICE_PRINT_ON_SALE": "false",
    "DEVICE_SERVICE_URL": "",  # never reach a device service a developer may be running on 8260
    "LOG_LEVEL": "warn",
    # argon2id at its cheapest: tests sign in hundreds of times (production cost: docs/SECURITY.md).
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "64",
}


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    """Settings for a test: a fresh database file under tmp_path."""
    env = {**BASE_ENV, "DB_PATH": str(tmp_path / "pos.db"), **overrides}
    return Settings.from_env(env)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default test settings."""
    return make_settings(tmp_path)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """An open, migrated runtime on a temp database; closed afterwards."""
    rt = open_runtime(settings)
    try:
        yield rt
    finally:
        rt.db.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """In-process HTTP client over the full ASGI stack (request id, metrics, problems)."""
    app = create_app(runtime, access_log=False)
    with TestClient(app=app) as test_client:  # type: ignore[arg-type]
        yield test_client


@pytest.fixture(autouse=True)
def _quiet_loguru() -> Iterator[None]:
    """Tests that configure logging must not leak their sinks into the next test."""
    yield
    from loguru import logger

    logger.remove()


@pytest.fixture
def signed_in(client: TestClient, runtime: Runtime) -> Callable[..., dict[str, str]]:  # type: ignore[type-arg]
    """`signed_in("manager")` -> Authorization headers of a new user of that role, signed in by PIN at LANE-1."""
    from tests.auth_helpers import headers_for

    def sign(role: str, terminal: str = "LANE-1") -> dict[str, str]:
        return headers_for(client, runtime, role, terminal)

    return sign

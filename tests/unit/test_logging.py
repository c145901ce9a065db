"""Log lines: the runbook's JSON fields in production, secrets never written."""

from __future__ import annotations

import io
import json
from pathlib import Path

from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.logging import configure_logging, redact_text
from pos_grocery.runtime import open_runtime
from tests.conftest import make_settings

RUNBOOK_FIELDS = {"level", "time", "service", "version", "environment", "requestId", "method", "url", "ip", "msg"}


def test_production_request_lines_are_runbook_json(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, APP_ENV="production", LOG_LEVEL="info")
    stream = io.StringIO()
    configure_logging(settings, stream)
    rt = open_runtime(settings)
    try:
        with TestClient(app=create_app(rt)) as c:  # type: ignore[arg-type]
            c.get("/api/health", headers={"X-Request-ID": "req-123"})
    finally:
        rt.db.close()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_lines = [line for line in lines if line["requestId"] == "req-123"]
    assert request_lines, lines
    line = request_lines[0]
    assert line.keys() >= RUNBOOK_FIELDS
    assert line["service"] == "pos-grocery" and line["environment"] == "production"
    assert line["method"] == "GET" and line["url"] == "/api/health" and line["level"] == "info"
    assert line["time"].endswith("Z") and line["statusCode"] == 200


def test_secrets_are_masked(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, APP_ENV="production", LOG_LEVEL="debug")
    stream = io.StringIO()
    configure_logging(settings, stream)
    from loguru import logger

    logger.bind(pin="4321", password="hunter2", token="tok-abc").info("login pin=9876 with Bearer abc.def.ghi")
    logger.info('body {"managerPin": "5555", "password": "pw-secret"}')
    text = stream.getvalue()
    for secret in ("4321", "hunter2", "tok-abc", "9876", "abc.def.ghi", "5555", "pw-secret"):
        assert secret not in text
    assert "[REDACTED]" in text


def test_redact_keeps_ordinary_text() -> None:
    assert redact_text("sold 3 items for 1234") == "sold 3 items for 1234"


def test_development_lines_are_text(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, APP_ENV="development", LOG_LEVEL="info")
    stream = io.StringIO()
    configure_logging(settings, stream)
    from loguru import logger

    logger.bind(requestId="r1").info("hello")
    line = stream.getvalue().strip()
    assert "hello" in line and "[r1]" in line and not line.startswith("{")

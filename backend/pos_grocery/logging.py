"""loguru set-up: JSON lines in production (the runbook's log structure), readable text in development.

Secrets never reach a line: extras whose key names a secret are replaced, and bearer tokens, PINs and
passwords that appear in a message are masked before formatting.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from loguru import Message

    from pos_grocery.settings import Settings

SERVICE = "pos-grocery"
SECRET_KEYS = re.compile(r"(pin|password|passwd|secret|token|authorization|cookie)", re.IGNORECASE)
SECRET_TEXT = (
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[REDACTED]"),
    (re.compile(r"(?i)(\"?(?:manager_?pin|pin|password|token)\"?\s*[:=]\s*\"?)[^\",\s}]+"), r"\1[REDACTED]"),
)
REDACTED = "[REDACTED]"
LEVEL_NAMES = {"WARNING": "warn", "CRITICAL": "fatal", "SUCCESS": "info"}


def redact_text(text: str) -> str:
    """Mask bearer tokens and pin/password/token assignments inside free text."""
    for pattern, replacement in SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def redact_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """Copy of the extras with every secret-named key masked."""
    return {k: (REDACTED if SECRET_KEYS.search(k) else v) for k, v in extra.items()}


def format_line(settings: Settings, level: str, when: datetime, message: str, extra: dict[str, Any]) -> str:
    """One log line (JSON with the runbook's fields, or readable text) from plain values."""
    extra = redact_extra(extra)
    if settings.log_format != "json":
        return _text(level, when, message, extra)
    body: dict[str, Any] = {
        "level": LEVEL_NAMES.get(level, level.lower()),
        "time": when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "service": SERVICE,
        "version": _version(),
        "environment": settings.app_env,
        "requestId": extra.pop("requestId", None),
        "method": extra.pop("method", None),
        "url": extra.pop("url", None),
        "ip": extra.pop("ip", None),
        "msg": redact_text(message),
    }
    body.update(extra)
    return json.dumps(body, ensure_ascii=False, default=str)


def _text(level: str, when: datetime, message: str, extra: dict[str, Any]) -> str:
    rid = extra.pop("requestId", None)
    fields = " ".join(f"{k}={v}" for k, v in extra.items() if v is not None)
    stamp = when.strftime("%H:%M:%S.%f")[:-3]
    rid_part = f" [{rid}]" if rid else ""
    return f"{stamp} {level:<7}{rid_part} {redact_text(message)} {fields}".rstrip()


def write_line(settings: Settings, level: str, message: str, **extra: Any) -> None:
    """Write one line to stderr without loguru (the boot layer logs "listening" before loguru is imported)."""
    sys.stderr.write(format_line(settings, level, datetime.now(UTC), message, extra) + "\n")
    sys.stderr.flush()


def _version() -> str:
    from pos_grocery import __version__

    return __version__


def make_sink(settings: Settings, stream: TextIO | None = None) -> Callable[[Message], None]:
    """A loguru sink writing one line per record to the stream (stderr by default)."""
    out = stream

    def sink(message: Message) -> None:
        target = out if out is not None else sys.stderr
        record = message.record
        extra = dict(record["extra"])
        if record["exception"] is not None and not settings.is_production:
            extra["exception"] = repr(record["exception"].value)
        line = format_line(settings, record["level"].name, record["time"], record["message"], extra)
        target.write(line + "\n")
        target.flush()

    return sink


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Replace loguru's default handler with ours."""
    from loguru import logger

    logger.remove()
    logger.add(make_sink(settings, stream), level=settings.log_level, format="{message}", catch=True)


class StdlibJsonFormatter:
    """A logging.Formatter-compatible class granian's own lines use in production (same fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        import os

        self.environment = os.environ.get("APP_ENV") or os.environ.get("NODE_ENV") or "development"

    def format(self, record: Any) -> str:
        """One JSON line."""
        moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        level = {"WARNING": "warn", "CRITICAL": "fatal"}.get(record.levelname, record.levelname.lower())
        return json.dumps({
            "level": level, "time": moment.replace("+00:00", "Z"), "service": SERVICE, "version": _version(),
            "environment": self.environment, "requestId": None, "method": None, "url": None, "ip": None,
            "msg": redact_text(record.getMessage()), "logger": "granian",
        }, ensure_ascii=False)

    def formatTime(self, record: Any, datefmt: str | None = None) -> str:  # noqa: N802 - stdlib name
        """Unused; present for the Formatter protocol."""
        return str(record.created)

    def usesTime(self) -> bool:  # noqa: N802 - stdlib name
        """Unused; present for the Formatter protocol."""
        return False


def granian_log_config(settings: Settings) -> dict[str, Any]:
    """dictConfig for granian's own logger: JSON in production, its plain format otherwise (stderr)."""
    formatter = {"()": "pos_grocery.logging.StdlibJsonFormatter"} if settings.log_format == "json" else {
        "()": "logging.Formatter", "fmt": "%(asctime)s granian %(levelname)s %(message)s",
    }
    return {
        "formatters": {"generic": formatter, "access": formatter},
        "handlers": {
            "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
            "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        },
    }

"""Every setting the code reads is listed in .env.example and documented in docs/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ_PATTERNS = (
    re.compile(r"""env(?:iron)?\.get\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""),
    re.compile(r"""getenv\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""env\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""),
    re.compile(r"""_(?:int|bool|env|text|choice|hex)\(\s*env,\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""^[A-Z_]+_ENV\s*=\s*["']([A-Z][A-Z0-9_]+)["']""", re.MULTILINE),
)


def settings_read_by_code() -> set[str]:
    """Names of environment variables read anywhere in backend/."""
    names: set[str] = set()
    for path in (ROOT / "backend").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in READ_PATTERNS:
            names.update(pattern.findall(text))
    return names


def test_scanner_finds_the_runbook_variables() -> None:
    found = settings_read_by_code()
    for name in ("PORT", "DB_PATH", "CORS_ORIGINS", "LOG_LEVEL", "NODE_ENV", "APP_ENV", "SKIP_MIGRATIONS"):
        assert name in found


def test_every_setting_is_in_env_example() -> None:
    listed = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = sorted(n for n in settings_read_by_code() if not re.search(rf"\b{n}\b", listed))
    assert missing == []


def test_every_setting_is_documented() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    internal = {"POS_EXEC_TS", "PROMETHEUS_MULTIPROC_DIR", "ENV_FILE"}
    missing = sorted(n for n in settings_read_by_code() - internal if not re.search(rf"\b{n}\b", docs))
    assert missing == []

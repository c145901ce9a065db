"""Frozen settings built once at start-up from an environment mapping (never at import)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos_grocery.catalog.config import catalog_fields
from pos_grocery.devices.api_config import device_fields
from pos_grocery.envvars import boolean as _bool
from pos_grocery.envvars import integer as _int
from pos_grocery.errors import ConfigError
from pos_grocery.inventory.config import inventory_fields
from pos_grocery.sales.config import checkout_fields
from pos_grocery.shifts.config import shift_fields

ENVIRONMENTS = ("development", "production", "test")
LOG_LEVELS = {
    "trace": "TRACE",
    "debug": "DEBUG",
    "info": "INFO",
    "warn": "WARNING",
    "warning": "WARNING",
    "error": "ERROR",
    "fatal": "CRITICAL",
    "critical": "CRITICAL",
}
SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every runtime setting of the API and web processes; each field is in .env.example."""

    app_env: str = "development"
    host: str = "127.0.0.1"
    port: int = 8250
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    workers: int = 1
    db_path: str = "./data/pos.db"
    db_synchronous: str = "FULL"
    db_busy_timeout_ms: int = 5000
    cors_origins: tuple[str, ...] = ("http://localhost:5173",)
    log_level: str = "INFO"
    log_format: str = "text"
    fast_dev: bool = False
    skip_migrations: bool = False
    skip_hardware_checks: bool = False
    max_body_bytes: int = 16 * 1024 * 1024
    memory_limit_mb: int = 1024
    frontend_dist: str = "./frontend/dist"
    device_service_url: str = "http://127.0.0.1:8260"
    # The API's side of the device service (docs/DEVICES.md "The API side"): print on sale, bounded waits.
    device_print_on_sale: bool = True
    device_print_wait_ms: int = 4000
    device_call_timeout_ms: int = 5000
    device_weigh_timeout_ms: int = 3000
    device_status_ttl_seconds: int = 10
    # The customer pole display (docs/DEVICES.md "Customer display").
    display_enabled: bool = True
    display_idle_seconds: int = 60
    display_idle_message: str = "Welcome"
    api_upstream: str = "http://127.0.0.1:8250"
    # Identity (docs/SECURITY.md): lock-out, sessions, the PIN lookup key and argon2id cost.
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    session_ttl_hours: int = 12
    inactivity_lock_minutes: int = 30
    auth_secret: str = field(default="", repr=False)
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    # Backup, continuous archiving, restore and drills (docs/BACKUP.md).
    backup_dir: str = "./backups"
    backup_retention_days: int = 30
    backup_retention_count: int = 60
    backup_log: str = "./logs/backup.log"
    backup_schedule: str = ""
    backup_max_age_hours: int = 24
    backup_gzip_level: int = 6
    archive_dir: str = ""
    archive_interval_seconds: int = 5
    archive_base_hours: int = 24
    drill_rto_seconds: int = 1800
    # Catalog (docs/CATALOG.md): barcode layouts and internal codes, price sanity bound, currency, imports.
    barcode_variable_layouts: str = "20-24:item5,weight5;25-29:item5,check,price4;02:item5,price5"
    barcode_internal_prefixes: str = ""
    barcode_internal_ranges: str = ""
    price_max_minor: int = 100_000_000
    currency: str = "LKR"
    import_max_rows: int = 200_000
    # Checkout (docs/CHECKOUT.md): store identity, tax convention, cash rounding, holds, approval thresholds.
    store_code: str = "MAIN"
    store_name: str = "POS Grocery"
    store_address: str = ""
    store_timezone: str = "Asia/Colombo"
    receipt_footer: str = ""
    tax_inclusive: bool = True
    tax_rounding: str = "half_up"
    cash_rounding_increment: int = 0
    max_held_sales: int = 10
    hold_expiry_hours: int = 12
    refund_manager_threshold: int = 500_000
    discount_manager_threshold_bp: int = 1000
    discount_manager_threshold_amount: int = 100_000
    idempotency_retention_hours: int = 48
    # Inventory (docs/INVENTORY.md): negative stock, approval threshold for stock losses, near-expiry window.
    stock_allow_negative: bool = True
    stock_adjust_approval_threshold: int = 100_000
    near_expiry_days: int = 30
    # Shifts and reports (docs/SHIFTS.md): a cashier's cash movement above this needs a manager; report range cap.
    cash_movement_cashier_limit: int = 500_000
    report_max_range_days: int = 400
    cash_denominations: tuple[int, ...] = (
        500_000, 200_000, 100_000, 50_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100)

    @property
    def is_production(self) -> bool:
        """True when running in production mode."""
        return self.app_env == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from a mapping of variable names to strings; raise ConfigError on bad values."""
        app_env = _check_choice("APP_ENV", _app_env_default(env), ENVIRONMENTS)
        level_word = env.get("LOG_LEVEL", "info").strip().lower()
        if level_word not in LOG_LEVELS:
            raise ConfigError("LOG_LEVEL", f"unknown log level {level_word!r}; use one of {sorted(LOG_LEVELS)}")
        default_format = "json" if app_env == "production" else "text"
        return cls(
            app_env=app_env,
            host=env.get("HOST", "127.0.0.1").strip() or "127.0.0.1",
            port=_int(env, "PORT", 8250, 1, 65535),
            web_host=env.get("WEB_HOST", "127.0.0.1").strip() or "127.0.0.1",
            web_port=_int(env, "WEB_PORT", 8080, 1, 65535),
            workers=_int(env, "WORKERS", 1, 1, 64),
            db_path=env.get("DB_PATH", "./data/pos.db").strip() or "./data/pos.db",
            db_synchronous=_check_choice("DB_SYNCHRONOUS", env.get("DB_SYNCHRONOUS", "FULL"), SYNCHRONOUS_MODES),
            db_busy_timeout_ms=_int(env, "DB_BUSY_TIMEOUT_MS", 5000, 0, 600_000),
            cors_origins=_origins(env.get("CORS_ORIGINS", "http://localhost:5173")),
            log_level=LOG_LEVELS[level_word],
            log_format=_check_choice("LOG_FORMAT", env.get("LOG_FORMAT", default_format), ("json", "text")),
            fast_dev=_bool(env, "FAST_DEV", False),
            skip_migrations=_bool(env, "SKIP_MIGRATIONS", False),
            skip_hardware_checks=_bool(env, "SKIP_HARDWARE_CHECKS", False),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 16 * 1024 * 1024, 1024, 1 << 31),
            memory_limit_mb=_int(env, "MEMORY_LIMIT_MB", 1024, 16, 1 << 20),
            frontend_dist=env.get("FRONTEND_DIST", "./frontend/dist").strip() or "./frontend/dist",
            device_service_url=env.get("DEVICE_SERVICE_URL", "http://127.0.0.1:8260").strip(),
            api_upstream=_upstream(env),
            lockout_attempts=_int(env, "LOCKOUT_ATTEMPTS", 5, 1, 100),
            lockout_minutes=_int(env, "LOCKOUT_MINUTES", 15, 1, 24 * 60),
            session_ttl_hours=_int(env, "SESSION_TTL_HOURS", 12, 1, 24 * 30),
            inactivity_lock_minutes=_int(env, "INACTIVITY_LOCK_MINUTES", 30, 1, 24 * 60),
            auth_secret=_auth_secret(env.get("AUTH_SECRET", "")),
            argon2_time_cost=_int(env, "ARGON2_TIME_COST", 3, 1, 20),
            argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB", 19456, 8, 4 * 1024 * 1024),
            argon2_parallelism=_int(env, "ARGON2_PARALLELISM", 1, 1, 8),
            **_backup_fields(env),
            **catalog_fields(env),
            **checkout_fields(env),
            **device_fields(env),
            **inventory_fields(env),
            **shift_fields(env),
        )

    def check_paths(self) -> None:
        """Fail with ConfigError when the database directory cannot be created or written."""
        directory = Path(self.db_path).expanduser().resolve().parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError("DB_PATH", f"cannot create directory {directory}: {exc.strerror}") from None
        if not os.access(directory, os.W_OK | os.X_OK):
            raise ConfigError("DB_PATH", f"directory {directory} is not writable")


def _upstream(env: Mapping[str, str]) -> str:
    """Where `pos-grocery web` forwards /api and /health; default the local API; "off" disables."""
    raw = env.get("API_UPSTREAM", "").strip()
    if raw.lower() == "off":
        return ""
    if not raw:
        return f"http://127.0.0.1:{_int(env, 'PORT', 8250, 1, 65535)}"
    if not raw.startswith(("http://", "https://")):
        raise ConfigError("API_UPSTREAM", f"must be an http(s) URL or off, got {raw!r}")
    return raw.rstrip("/")


def _app_env_default(env: Mapping[str, str]) -> str:
    """APP_ENV is our name; NODE_ENV (the runbook's) is accepted as an alias."""
    if "APP_ENV" in env:
        return env["APP_ENV"]
    return env.get("NODE_ENV", "development")


def _check_choice(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    value = raw.strip()
    for candidate in allowed:
        if value.lower() == candidate.lower():
            return candidate
    raise ConfigError(name, f"must be one of {', '.join(allowed)}, got {raw!r}")




def _auth_secret(raw: str) -> str:
    """Empty means "generate one into the data directory"; a set value must be long enough to be a key."""
    value = raw.strip()
    if value and len(value) < 32:
        raise ConfigError("AUTH_SECRET", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    return value


def _backup_fields(env: Mapping[str, str]) -> dict[str, Any]:
    """BACKUP_* / ARCHIVE_* / DRILL_* settings (docs/BACKUP.md)."""
    schedule = env.get("BACKUP_SCHEDULE", "").strip()
    if schedule and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", schedule):
        raise ConfigError("BACKUP_SCHEDULE", f"must be HH:MM (24-hour local time) or empty, got {schedule!r}")
    return {
        "backup_dir": env.get("BACKUP_DIR", "./backups").strip() or "./backups",
        "backup_retention_days": _int(env, "BACKUP_RETENTION_DAYS", 30, 0, 36500),
        "backup_retention_count": _int(env, "BACKUP_RETENTION_COUNT", 60, 0, 100_000),
        "backup_log": env.get("BACKUP_LOG", "./logs/backup.log").strip() or "./logs/backup.log",
        "backup_schedule": schedule,
        "backup_max_age_hours": _int(env, "BACKUP_MAX_AGE_HOURS", 24, 1, 24 * 365),
        "backup_gzip_level": _int(env, "BACKUP_GZIP_LEVEL", 6, 1, 9),
        "archive_dir": env.get("ARCHIVE_DIR", "").strip(),
        "archive_interval_seconds": _int(env, "ARCHIVE_INTERVAL_SECONDS", 5, 1, 50),
        "archive_base_hours": _int(env, "ARCHIVE_BASE_HOURS", 24, 0, 24 * 30),
        "drill_rto_seconds": _int(env, "DRILL_RTO_SECONDS", 1800, 1, 86400),
    }


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ConfigError("CORS_ORIGINS", f"origin {origin!r} must start with http:// or https://")
    return origins


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a .env file (KEY=VALUE lines, # comments, optional quotes); missing file gives {}."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError(str(path), f"line {number} is not KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def merged_environment(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> dict[str, str]:
    """The optional .env file's values with the process environment over them."""
    env = dict(environ if environ is not None else os.environ)
    file_path = env_file if env_file is not None else Path(env.get("ENV_FILE", ".env"))
    return {**read_env_file(file_path), **env}


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Merge the optional .env file under the process environment and build Settings."""
    return Settings.from_env(merged_environment(environ, env_file))

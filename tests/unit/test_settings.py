"""Settings: runbook defaults, aliases, and one clear error per bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_grocery.errors import ConfigError
from pos_grocery.settings import Settings, load_settings, read_env_file


def test_runbook_defaults() -> None:
    s = Settings.from_env({})
    assert (s.app_env, s.port, s.db_path, s.cors_origins, s.log_level) == (
        "development", 8250, "./data/pos.db", ("http://localhost:5173",), "INFO")
    assert (s.fast_dev, s.skip_migrations, s.skip_hardware_checks) == (False, False, False)
    assert s.log_format == "text"


def test_node_env_is_an_alias_and_app_env_wins() -> None:
    assert Settings.from_env({"NODE_ENV": "production"}).app_env == "production"
    assert Settings.from_env({"NODE_ENV": "production"}).log_format == "json"
    assert Settings.from_env({"NODE_ENV": "production", "APP_ENV": "test"}).app_env == "test"


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "abc"), ("PORT", "70000"), ("LOG_LEVEL", "loud"), ("APP_ENV", "staging"),
     ("FAST_DEV", "maybe"), ("SKIP_MIGRATIONS", "2"), ("CORS_ORIGINS", "example.com"),
     ("DB_SYNCHRONOUS", "OFF"), ("MAX_BODY_BYTES", "-1"), ("WORKERS", "0")],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({name: value})
    assert info.value.variable == name
    assert value in str(info.value) or name in str(info.value)


def test_booleans_and_origins() -> None:
    s = Settings.from_env({"FAST_DEV": "TRUE", "SKIP_HARDWARE_CHECKS": "1",
                           "CORS_ORIGINS": "https://a.example, https://b.example/"})
    assert s.fast_dev and s.skip_hardware_checks
    assert s.cors_origins == ("https://a.example", "https://b.example")


def test_unwritable_db_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DB_PATH": str(blocker / "sub" / "pos.db")}).check_paths()
    assert info.value.variable == "DB_PATH"


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nPORT=9001\nLOG_LEVEL="debug"\nexport FAST_DEV=true\n')
    assert read_env_file(env_file) == {"PORT": "9001", "LOG_LEVEL": "debug", "FAST_DEV": "true"}
    s = load_settings({"PORT": "9002"}, env_file)
    assert (s.port, s.log_level, s.fast_dev) == (9002, "DEBUG", True)
    assert load_settings({}, tmp_path / "missing").port == 8250


def test_settings_are_frozen() -> None:
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(("name", "value"), [("PORT", "abc"), ("LOG_LEVEL", "shout")])
def test_cli_stops_with_one_line(tmp_path: Path, name: str, value: str) -> None:
    env = {**os.environ, "DB_PATH": str(tmp_path / "db" / "pos.db"), name: value, "ENV_FILE": str(tmp_path / "none")}
    done = subprocess.run([sys.executable, "-m", "pos_grocery", "serve"], env=env, capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and value in lines[0]
    assert not (tmp_path / "db" / "pos.db").exists()

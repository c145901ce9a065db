"""ops/: systemd units, logrotate policy, Prometheus rules and the PM2 file, each checked by its real tool."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.procs import ROOT

OPS = ROOT / "ops"
ROOT_USER = os.geteuid() == 0
BIN = ROOT / ".venv" / "bin" / "pos-grocery"


def _missing(tool: str, package: str) -> pytest.MarkDecorator:
    """Skip only when the tool is absent and we are not root (as root, `make test` installs it)."""
    return pytest.mark.skipif(shutil.which(tool) is None and not ROOT_USER,
                              reason=f"{tool} is not installed (Debian package {package})")


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, check=False, cwd=cwd)


# --- systemd -------------------------------------------------------------------------------------
UNITS = sorted(p.name for p in (OPS / "systemd").iterdir())


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not available here (no systemd in this container)")
def test_systemd_units_verify(tmp_path: Path) -> None:
    for name in UNITS:  # point ExecStart at this checkout's venv: verify checks the binary exists
        text = (OPS / "systemd" / name).read_text().replace("/opt/pos-grocery/.venv/bin/pos-grocery", str(BIN))
        (tmp_path / name).write_text(text)
    done = _run("systemd-analyze", "verify", "--man=no", *UNITS, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    calendar = _run("systemd-analyze", "calendar", "*-*-* 02:00:00")
    assert calendar.returncode == 0 and "Next elapse" in calendar.stdout


def test_units_carry_the_runbook_hardening() -> None:
    assert {"pos-grocery-api.service", "pos-grocery-web.service", "pos-grocery-devices.service",
            "pos-grocery-backup.service", "pos-grocery-backup.timer"} <= set(UNITS)
    for name in UNITS:
        if not name.endswith(".service"):
            continue
        text = (OPS / "systemd" / name).read_text()
        for line in ("NoNewPrivileges=true", "PrivateTmp=true", "ProtectSystem=strict", "ProtectHome=true",
                     "User=pos", "Group=pos"):
            assert line in text, f"{name} lacks {line}"
    api = (OPS / "systemd" / "pos-grocery-api.service").read_text()
    assert "ReadWritePaths=/opt/pos-grocery/data /opt/pos-grocery/backups /var/log/pos" in api
    assert "Restart=always" in api and "RestartSec=10" in api
    assert "OnCalendar=*-*-* 02:00:00" in (OPS / "systemd" / "pos-grocery-backup.timer").read_text()


# --- logrotate -----------------------------------------------------------------------------------
def _logrotate_conf(tmp_path: Path, logs: str) -> Path:
    """The shipped policy with the log folder and owner of this machine (the pos user may not exist)."""
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    text = (OPS / "logrotate" / "pos-grocery").read_text().replace("/var/log/pos", logs)
    text = text.replace("pos pos", f"{user} {group}")
    if not ROOT_USER:
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("su "))
    conf = tmp_path / "pos-grocery"
    conf.write_text(text + "\n")
    conf.chmod(0o644)
    return conf


@_missing("logrotate", "logrotate")
def test_logrotate_debug_run_passes(tmp_path: Path) -> None:
    conf = _logrotate_conf(tmp_path, "/var/log/pos")
    done = _run("logrotate", "-d", "-s", str(tmp_path / "state"), str(conf))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stderr.lower()
    text = (OPS / "logrotate" / "pos-grocery").read_text()
    for word in ("daily", "missingok", "rotate 30", "compress", "delaycompress", "notifempty"):
        assert re.search(rf"^\s+{word}$", text, re.MULTILINE), word


@_missing("logrotate", "logrotate")
def test_logrotate_rotates_and_compresses_a_day_late(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o750)
    conf = _logrotate_conf(tmp_path, str(logs))
    (logs / "backup.log").write_text("2025-01-15T02:00:03: Backup created - pos_20250115_020000.db.gz\n")
    first = _run("logrotate", "-f", "-s", str(tmp_path / "state"), str(conf))
    assert first.returncode == 0, first.stderr
    assert (logs / "backup.log.1").exists() and (logs / "backup.log").exists()  # recreated by `create`
    (logs / "backup.log").write_text("next day\n")
    second = _run("logrotate", "-f", "-s", str(tmp_path / "state"), str(conf))
    assert second.returncode == 0, second.stderr
    assert (logs / "backup.log.2.gz").exists() and (logs / "backup.log.1").exists()


# --- Prometheus ----------------------------------------------------------------------------------
@_missing("promtool", "prometheus")
def test_promtool_checks_and_unit_tests_the_rules() -> None:
    rules = _run("promtool", "check", "rules", "alerts.yml", cwd=OPS / "prometheus")
    assert rules.returncode == 0, rules.stdout + rules.stderr
    config = _run("promtool", "check", "config", "prometheus.yml", cwd=OPS / "prometheus")
    assert config.returncode == 0, config.stdout + config.stderr
    tested = _run("promtool", "test", "rules", "alerts.test.yml", cwd=OPS / "prometheus")
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


def test_every_runbook_threshold_has_a_rule() -> None:
    text = (OPS / "prometheus" / "alerts.yml").read_text()
    for needle in ('phase="listening"}) > 0.3', 'phase="listening"}) > 0.2', "pos_ready) == 0",
                   'status_code=~"5.."', "> 0.05", "pos_memory_usage_ratio) > 0.8",
                   'phase="database_init"}) > 0.3', "> 24 * 3600", "pos_archive_last_confirmed"):
        assert needle in text, needle
    tests = (OPS / "prometheus" / "alerts.test.yml").read_text()
    for alert in re.findall(r"- alert: (\w+)", text):
        assert f"alertname: {alert}" in tests, f"{alert} has no promtool test"


# --- PM2 -----------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_pm2_ecosystem_file_loads() -> None:
    script = ("const c = require(process.argv[1]); console.log(JSON.stringify(c.apps.map(a => "
              "[a.name, a.args, a.interpreter, a.cron_restart || ''])));")
    done = _run("node", "-e", script, str(OPS / "pm2" / "ecosystem.config.js"))
    assert done.returncode == 0, done.stderr
    assert '["pos-server","serve","none",""]' in done.stdout
    assert '["pos-backup","backup","none","0 2 * * *"]' in done.stdout

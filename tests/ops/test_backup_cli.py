"""The backup commands as an operator runs them: exit codes, messages, the drill, faults on real mounts."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_grocery.db.connection import Database
from pos_grocery.db.migrate import migrate
from tests.db.backup_support import create_schema, write_sale
from tests.procs import POS, ROOT

ROOT_USER = os.geteuid() == 0


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "APP_ENV": "test", "DB_PATH": str(tmp_path / "data" / "pos.db"),
            "BACKUP_DIR": str(tmp_path / "backups"), "BACKUP_LOG": str(tmp_path / "logs" / "backup.log"),
            "ENV_FILE": str(tmp_path / "no.env"), "SKIP_HARDWARE_CHECKS": "true", **extra}


def pos(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `pos-grocery ARGS` and capture its output."""
    return subprocess.run([*POS, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    variables = _env(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "backups").mkdir()
    db = Database(variables["DB_PATH"])
    db.open()
    migrate(db.writer)
    create_schema(db)
    for n in range(1, 11):
        with db.write() as conn:
            write_sale(conn, n, time.time())
    db.close()
    yield variables


def test_backup_verify_list_restore_round_trip(env: dict[str, str]) -> None:
    made = pos(env, "backup")
    assert made.returncode == 0 and "sha256" in made.stdout, made.stderr
    verified = pos(env, "backup", "--verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK pos_"), verified.stderr
    listed = pos(env, "restore")
    assert listed.returncode == 0 and "pos_" in listed.stdout and "restore with:" in listed.stdout
    restored = pos(env, "restore", "latest")
    assert restored.returncode == 0, restored.stderr
    assert "previous database kept as" in restored.stdout and ".pre-restore." in restored.stdout


def test_verify_without_backups_fails_with_a_reason(env: dict[str, str]) -> None:
    done = pos(env, "backup", "--verify")
    assert done.returncode == 1 and "no backups in" in done.stderr


def test_drill_passes_and_lists_what_is_pending(env: dict[str, str], tmp_path: Path) -> None:
    assert pos(env, "backup").returncode == 0
    log = tmp_path / "logs" / "drill.log"
    done = pos(env, "drill", "--log", str(log))
    text = log.read_text()
    assert done.returncode == 0, done.stdout + done.stderr + text
    for section in ("PRE-DRILL SYSTEM STATE", "BACKUP SELECTION", "DATABASE RESTORE", "SERVICE START",
                    "HEALTH VERIFICATION", "FUNCTIONAL TESTING", "DRILL RESULTS"):
        assert f"=== {section} ===" in text
    for criterion in ("backup within RPO", "restore", "service starts", "/api/health/ready returns 200",
                      "/api/health/integrity passes all checks", "total restore time within RTO"):
        assert f"PASS: {criterion} -" in text
    assert "PENDING: smoke sale completes - SKIPPED (checkout not built yet)" in text
    assert "RTO measured:" in text
    assert pos(env, "drill", "--log", str(log), "--strict").returncode == 1  # pending counts when strict
    assert Path(env["DB_PATH"]).exists() and "Drill passed" in Path(env["BACKUP_LOG"]).read_text()


def test_drill_fails_without_a_backup(env: dict[str, str], tmp_path: Path) -> None:
    done = pos(env, "drill", "--log", str(tmp_path / "d.log"))
    assert done.returncode == 1 and "FAIL: backup selection" in (tmp_path / "d.log").read_text()


@pytest.fixture
def tiny_mount(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: a backup disk that is full, or a read-only data disk (root only)."""
    if not ROOT_USER:
        pytest.skip("mounting a tiny tmpfs needs root")
    point = tmp_path / "mnt"
    point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_full_backup_disk_fails_cleanly(env: dict[str, str], tiny_mount: Path) -> None:
    db = Database(env["DB_PATH"])
    db.open()
    with db.write() as conn:
        conn.execute("CREATE TABLE bulk (x BLOB)")
        conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                     "INSERT INTO bulk SELECT randomblob(1024) FROM n")
    db.close()
    before = Path(env["DB_PATH"]).read_bytes()
    done = pos({**env, "BACKUP_DIR": str(tiny_mount)}, "backup")
    assert done.returncode == 1 and "disk is full" in done.stderr, done.stderr
    assert os.listdir(tiny_mount) == []
    assert Path(env["DB_PATH"]).read_bytes() == before
    assert "Backup FAILED" in Path(env["BACKUP_LOG"]).read_text()


def test_read_only_restore_target_leaves_the_database_untouched(env: dict[str, str], tiny_mount: Path) -> None:
    assert pos(env, "backup").returncode == 0
    target = tiny_mount / "pos.db"
    target.write_bytes(b"the live database")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_mount)], check=True)
    done = pos({**env, "DB_PATH": str(target)}, "restore", "latest")
    assert done.returncode != 0 and "DB_PATH" in done.stderr and "not writable" in done.stderr, done.stderr
    from pos_grocery.backup import restore
    from pos_grocery.backup.models import BackupError
    from tests.conftest import make_settings

    settings = make_settings(Path(env["DB_PATH"]).parent, BACKUP_DIR=env["BACKUP_DIR"], BACKUP_LOG=env["BACKUP_LOG"])
    with pytest.raises(BackupError, match="read-only"):  # the library path (the drill's) says why
        restore.restore(settings, "latest", None, target=str(target))
    assert target.read_bytes() == b"the live database"

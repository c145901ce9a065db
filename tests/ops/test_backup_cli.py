"""The backup commands as an operator runs them: exit codes, messages, the drill, faults on real mounts."""

from __future__ import annotations

import contextlib
import json
import os
import socket
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


def test_drill_passes_every_criterion_and_leaves_production_alone(env: dict[str, str], tmp_path: Path) -> None:
    assert pos(env, "backup").returncode == 0
    before = Path(env["DB_PATH"]).read_bytes()
    log = tmp_path / "logs" / "drill.log"
    done = pos(env, "drill", "--log", str(log), "--strict")
    text = log.read_text()
    assert done.returncode == 0, done.stdout + done.stderr + text
    for section in ("PRE-DRILL SYSTEM STATE", "BACKUP SELECTION", "DATABASE RESTORE", "SERVICE START",
                    "HEALTH VERIFICATION", "FUNCTIONAL TESTING", "DRILL RESULTS"):
        assert f"=== {section} ===" in text
    for criterion in ("backup within RPO", "restore", "PIN key restored", "service starts",
                      "/api/health/ready returns 200", "/api/health/integrity passes all checks",
                      "drill user signs in by PIN", "product search answers", "smoke sale completes",
                      "refund completes", "total restore time within RTO"):
        assert f"PASS: {criterion} -" in text, criterion
    assert "FAIL" not in text and "PENDING" not in text
    assert "no sellable product restored; POST /api/products (staging only) -> 201" in text
    assert '(the runbook\'s orderId "test") -> 404 SALE_NOT_FOUND' in text
    assert "RTO measured:" in text
    # production: same bytes, no drill user, no drill sale
    assert Path(env["DB_PATH"]).read_bytes() == before and "Drill passed" in Path(env["BACKUP_LOG"]).read_text()


def test_drill_sells_a_restored_product_and_needs_the_pin_key(tmp_path: Path) -> None:
    from tests.checkout_helpers import cash, line, open_shop

    env = _env(tmp_path)
    (tmp_path / "backups").mkdir()
    with open_shop(tmp_path / "data") as shop:  # a store with a catalog, PIN users and two sales
        for _ in range(2):
            shop.ok_sale({"lines": [line(1, 2)], "tenders": [cash(90000)]})
    key = tmp_path / "data" / "auth_secret"
    assert key.is_file()
    assert pos(env, "backup").returncode == 0
    assert (tmp_path / "backups" / "auth_secret").read_bytes() == key.read_bytes()
    log = tmp_path / "drill.log"
    with socket.socket() as device_service:  # the store's device service: the smoke sale must not reach it
        device_service.bind(("127.0.0.1", 0))
        device_service.listen()
        device_service.setblocking(False)
        url = f"http://127.0.0.1:{device_service.getsockname()[1]}"
        done = pos({**env, "DEVICE_SERVICE_URL": url, "DEVICE_PRINT_ON_SALE": "true"}, "drill", "--log", str(log),
                   "--strict")
        with pytest.raises(BlockingIOError):
            device_service.accept()  # nothing printed, no drawer opened
    text = log.read_text()
    assert done.returncode == 0, done.stdout + done.stderr + text
    assert "PASS: PIN key restored - auth_secret restored beside the database and equal to production's" in text
    assert "sold 1 x Milk 1L (product 1)" in text and "PASS: refund completes - return 1, 450.00 refunded" in text
    assert "PASS: last invoice within RPO - 2026-03-14T04:00:00" in text  # the shop's clock: its sales' time

    (tmp_path / "backups" / "auth_secret").unlink()  # a backup disk that lost the key
    done = pos(env, "drill", "--log", str(log))
    text = log.read_text().split("=== PRE-DRILL SYSTEM STATE ===")[-1]
    assert done.returncode == 1
    assert "FAIL: PIN key restored - auth_secret was not restored: the backup directory holds no copy of it" in text
    assert "PASS: smoke sale completes" in text  # the drill's own user still signs in (with a new key)
    assert key.is_file()


def test_drill_fails_without_a_backup(env: dict[str, str], tmp_path: Path) -> None:
    done = pos(env, "drill", "--log", str(tmp_path / "d.log"))
    assert done.returncode == 1 and "FAIL: backup selection" in (tmp_path / "d.log").read_text()


def _damage(env: dict[str, str], fault: str) -> None:
    """Damage the newest backup the way `fault` says (its checksum rewritten unless the checksum is the fault)."""
    import gzip
    import shutil
    import sqlite3

    from pos_grocery.backup import files

    path = files.list_backups(env["BACKUP_DIR"])[0].path
    raw = Path(path).read_bytes()
    if fault == "truncated gzip":
        Path(path).write_bytes(raw[: len(raw) // 2])
    elif fault == "wrong checksum":
        Path(path + ".sha256").write_text("0" * 64 + f"  {Path(path).name}\n")
        return
    elif fault == "checksum missing":
        Path(path + ".sha256").unlink()
        return
    elif fault == "not a database":
        Path(path).write_bytes(gzip.compress(os.urandom(64 * 1024)))
    else:  # a real database inside: one with a damaged page, or one migrated by newer code
        work = Path(env["BACKUP_DIR"]).parent / "work.db"
        with gzip.open(path) as unpacked, work.open("wb") as out:
            shutil.copyfileobj(unpacked, out)
        if fault == "corrupt page":
            with work.open("r+b") as db:  # page 2 onwards: scribble over b-tree pages, header intact
                db.seek(4096 + 100)
                db.write(os.urandom(3 * 4096))
        else:
            with contextlib.closing(sqlite3.connect(work)) as conn, conn:
                conn.execute("INSERT INTO schema_migrations VALUES (9999, '9999_from_the_future', 'x', '2099-01-01')")
        Path(path).write_bytes(gzip.compress(work.read_bytes()))
        work.unlink()
    files.write_sidecar(path, files.sha256_file(path))


FAULTS = {
    "truncated gzip": "is not a complete gzip file",
    "wrong checksum": "does not match its checksum",
    "checksum missing": "has no checksum file",
    "not a database": "not a SQLite database",
    "corrupt page": "integrity check",
    "newer schema": "newer schema than this code knows",
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_bad_backups_exit_1_with_a_reason_and_leave_the_live_database(env: dict[str, str], fault: str) -> None:
    assert pos(env, "backup").returncode == 0
    _damage(env, fault)
    before = Path(env["DB_PATH"]).read_bytes()
    for args in (("backup", "--verify"), ("restore", "latest"), ("restore", "latest", "--force")):
        done = pos(env, *args)
        assert done.returncode == 1 and FAULTS[fault] in done.stderr, (args, done.stderr)
    assert Path(env["DB_PATH"]).read_bytes() == before
    assert [p.name for p in Path(env["DB_PATH"]).parent.iterdir()] == ["pos.db"]  # no temp or pre-restore files


def test_missing_backup_directory_fails_cleanly(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "unmounted"
    done = pos({**env, "BACKUP_DIR": str(missing)}, "backup")
    assert done.returncode == 1 and "does not exist (is the backup disk mounted?)" in done.stderr
    assert not missing.exists() and "Backup FAILED" in Path(env["BACKUP_LOG"]).read_text()
    state = json.loads((Path(env["BACKUP_LOG"]).parent / "backup-state.json").read_text())
    assert state["consecutiveFailures"] == 1 and "does not exist" in state["lastError"]


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

"""`pos-grocery backup` and `backup --verify` on real files: consistency under writes, checksums, retention."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import apsw
import pytest

from pos_grocery.backup import files, service
from pos_grocery.backup.models import BackupError
from pos_grocery.db.connection import Database, fetch_value
from pos_grocery.db.migrate import migrate
from pos_grocery.settings import Settings
from tests.db.backup_support import check_sales, create_schema, settings_for, write_sale


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Settings, Database]]:
    settings = settings_for(tmp_path)
    db = Database(settings.db_path)
    db.open()
    migrate(db.writer)
    create_schema(db)
    for n in range(1, 51):
        with db.write() as conn:
            write_sale(conn, n, time.time())
    yield settings, db
    db.close()


def _unpack(path: str, dest: Path) -> apsw.Connection:
    files.decompress_file(path, str(dest))
    return apsw.Connection(str(dest))


def test_backup_is_named_checksummed_logged_and_complete(setup: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, _db = setup
    result = service.run_backup(settings)
    assert files.NAME_PATTERN.match(result.file.name)
    assert abs(result.file.taken_at - time.time()) < 5
    done = subprocess.run(["sha256sum", "-c", result.file.name + ".sha256"], cwd=settings.backup_dir,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    copy = _unpack(result.file.path, tmp_path / "copy.db")
    assert check_sales(copy) == set(range(1, 51))
    log = Path(settings.backup_log).read_text()
    assert f"Backup created - {result.file.name}" in log
    state = service.load_state(settings)
    assert state.last_file == result.file.name and state.consecutive_failures == 0
    assert [p.name for p in Path(settings.backup_dir).iterdir() if p.name.startswith(".")] == []
    assert oct(os.stat(result.file.path).st_mode & 0o777) == "0o640"


def test_backup_is_consistent_while_sales_keep_landing(setup: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, db = setup
    stop = threading.Event()
    written: list[int] = []

    def sell() -> None:
        writer = Database(settings.db_path)
        writer.open()
        n = 1000
        while not stop.is_set():
            with writer.write() as conn:
                write_sale(conn, n, time.time(), note_bytes=400)
            written.append(n)
            n += 1
        writer.close()

    thread = threading.Thread(target=sell)
    thread.start()
    try:
        time.sleep(0.3)
        results = [service.run_backup(settings)]
        time.sleep(1.05)
        results.append(service.run_backup(settings))
    finally:
        stop.set()
        thread.join()
    assert len(written) > 50
    for i, result in enumerate(results):
        ids = check_sales(_unpack(result.file.path, tmp_path / f"c{i}.db")) - set(range(1, 51))
        assert ids == set(range(1000, 1000 + len(ids))), "a backup holds a gap: it was not one snapshot"


def test_verify_passes_then_reports_each_kind_of_damage(setup: tuple[Settings, Database]) -> None:
    settings, _db = setup
    result = service.run_backup(settings)
    assert service.verify_latest(settings).startswith(f"OK {result.file.name}")
    good = Path(result.file.path).read_bytes()
    Path(result.file.path).write_bytes(good[: len(good) // 2])
    with pytest.raises(BackupError, match="does not match its checksum"):
        service.verify_latest(settings)
    files.write_sidecar(result.file.path, files.sha256_file(result.file.path))
    with pytest.raises(BackupError, match="not a complete gzip file"):
        service.verify_latest(settings)
    Path(result.file.path).write_bytes(gzip.compress(b"this is not a database" * 100))
    files.write_sidecar(result.file.path, files.sha256_file(result.file.path))
    with pytest.raises(BackupError, match="not a SQLite database|integrity"):
        service.verify_latest(settings)
    Path(result.file.path + ".sha256").unlink()
    with pytest.raises(BackupError, match="no checksum file"):
        service.verify_latest(settings)


def test_verify_refuses_an_old_backup_and_a_newer_schema(setup: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, db = setup
    result = service.run_backup(settings)
    old = Path(settings.backup_dir) / files.backup_name(time.time() - 30 * 3600)
    shutil.copy(result.file.path, old)
    files.write_sidecar(str(old), files.sha256_file(str(old)))
    os.unlink(result.file.path)
    with pytest.raises(BackupError, match=r"30\.\d h old, older than the RPO of 24 h"):
        service.verify_latest(settings)
    with db.write() as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (9999, '9999_from_the_future', 'x', '2099-01-01')")
    time.sleep(1.0)
    service.run_backup(settings)
    with pytest.raises(BackupError, match="newer schema"):
        service.verify_latest(settings)


def test_retention_by_age_and_count_keeps_the_newest(setup: tuple[Settings, Database]) -> None:
    settings, _db = setup
    directory = Path(settings.backup_dir)
    now = time.time()
    for days in (1, 2, 3, 40, 41):
        fake = directory / files.backup_name(now - days * 86400)
        fake.write_bytes(b"x")
        (directory / (fake.name + ".sha256")).write_text("0  x\n")
    removed = service.prune(str(directory), days=30, count=3, keep="")
    names = [b.name for b in files.list_backups(str(directory))]
    assert len(removed) == 2 and len(names) == 3
    assert not any(name.endswith(".sha256") and name[:-7] in removed for name in os.listdir(directory))
    service.prune(str(directory), days=0, count=1, keep="")
    assert len(files.list_backups(str(directory))) == 1
    only = files.list_backups(str(directory))[0]
    assert service.prune(str(directory), days=1, count=0, keep="") == []  # the newest always stays
    assert files.list_backups(str(directory))[0] == only


def test_missing_backup_directory_is_a_clear_error(setup: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, _db = setup
    gone = settings_for(tmp_path, BACKUP_DIR=str(tmp_path / "not-mounted" / "backups"))
    with pytest.raises(BackupError, match="does not exist .is the backup disk mounted"):
        service.run_backup(gone)
    assert service.load_state(gone).consecutive_failures == 1
    assert "Backup FAILED" in Path(gone.backup_log).read_text()
    assert service.run_backup(gone, create_dir=True).file.size_bytes > 0


def test_database_file_is_never_touched(setup: tuple[Settings, Database]) -> None:
    settings, db = setup
    before = fetch_value(db.reader, "SELECT count(*) FROM t_sales")
    service.run_backup(settings)
    assert fetch_value(db.reader, "SELECT count(*) FROM t_sales") == before
    assert fetch_value(db.reader, "PRAGMA journal_mode") == "wal"


def test_health_section_and_gauges_follow_the_backups(tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from pos_grocery.app import create_app
    from pos_grocery.runtime import open_runtime

    settings = settings_for(tmp_path)
    rt = open_runtime(settings)
    try:
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[arg-type]
            section = client.get("/api/health").json()["backup"]
            assert section["stale"] is True and section["lastBackupAt"] is None and section["ageHours"] is None
            assert section["archive"] == {"enabled": False, "ok": True, "confirmedAt": None, "lagSeconds": None,
                                          "stream": None, "error": None}
            result = service.run_backup(settings)
            answer = client.get("/api/health")
            section = answer.json()["backup"]
            assert answer.status_code == 200 and section["stale"] is False and section["ok"] is True
            assert section["lastBackup"] == result.file.name and section["ageHours"] < 0.1
            metrics = client.get("/metrics").text
            assert f"pos_backup_last_size_bytes {float(result.file.size_bytes)}" in metrics
            assert "pos_backup_consecutive_failures 0.0" in metrics and "pos_ready 1.0" in metrics
    finally:
        rt.db.close()


def test_schedule_setting_and_next_run() -> None:
    from datetime import datetime

    from pos_grocery.backup.runner import next_run
    from pos_grocery.errors import ConfigError

    assert next_run("02:00", datetime(2025, 1, 15, 1, 59)) == datetime(2025, 1, 15, 2, 0)
    assert next_run("02:00", datetime(2025, 1, 15, 2, 0)) == datetime(2025, 1, 16, 2, 0)
    with pytest.raises(ConfigError, match="BACKUP_SCHEDULE"):
        Settings.from_env({"BACKUP_SCHEDULE": "25:00"})


def test_scheduled_backup_runs_a_real_backup_of_this_database(setup: tuple[Settings, Database]) -> None:
    from pos_grocery.backup.runner import OpsRunner

    settings, _db = setup
    status, last = OpsRunner(settings).run_backup_now()
    assert status == 0 and last.startswith("backup "), last
    (made,) = files.list_backups(settings.backup_dir)
    assert made.has_checksum and "Backup created - " + made.name in Path(settings.backup_log).read_text()
    status, last = OpsRunner(replace(settings, backup_dir=settings.backup_dir + "-unmounted")).run_backup_now()
    assert status == 1 and "does not exist (is the backup disk mounted?)" in last


def test_ops_runner_starts_once_per_database_and_stops_quickly(tmp_path: Path) -> None:
    from pos_grocery.backup.runner import OpsRunner

    settings = settings_for(tmp_path, BACKUP_SCHEDULE="03:30", ARCHIVE_DIR=str(tmp_path / "archive"))
    db = Database(settings.db_path)
    db.open()
    migrate(db.writer)
    first, second = OpsRunner(settings), OpsRunner(settings)
    try:
        first.start()
        second.start()  # a second worker of the same database starts nothing
        assert [t.name for t in first._threads] == ["wal-archiver", "backup-schedule"]
        assert second._threads == []
        deadline = time.monotonic() + 10
        while not (Path(settings.archive_dir) / "status.json").exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        began = time.monotonic()
        first.stop()
        second.stop()
        db.close()
    assert time.monotonic() - began < 3
    assert not any(t.is_alive() for t in first._threads)

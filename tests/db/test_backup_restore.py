"""`pos-grocery restore`: refusal while in use, validation, move-aside, atomic swap, mode, roll-back."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import apsw
import pytest

from pos_grocery.backup import files, restore, service
from pos_grocery.backup.models import BackupError
from pos_grocery.db.connection import Database, fetch_all, fetch_value
from pos_grocery.db.migrate import migrate
from pos_grocery.settings import Settings
from tests.db.backup_support import check_sales, create_schema, settings_for, write_sale


@pytest.fixture
def backed_up(tmp_path: Path) -> Iterator[Settings]:
    """A database with 20 sales, one backup of it, then 5 more sales (which a restore must drop)."""
    settings = settings_for(tmp_path)
    db = Database(settings.db_path)
    db.open()
    migrate(db.writer)
    create_schema(db)
    for n in range(1, 26):
        if n == 21:
            service.run_backup(settings)
        with db.write() as conn:
            write_sale(conn, n, time.time())
    db.close()
    yield settings


def _sales(path: str) -> set[int]:
    conn = apsw.Connection(path)
    try:
        return check_sales(conn)
    finally:
        conn.close()


def test_listing_without_arguments(backed_up: Settings) -> None:
    lines = restore.listing(backed_up)
    assert any(files.NAME_PATTERN.match(line.split()[0]) for line in lines[1:] if line.strip())
    assert "sha256" in "\n".join(lines)


def test_restore_moves_the_current_database_aside_and_sets_mode(backed_up: Settings) -> None:
    done = restore.restore(backed_up, "latest", None)
    assert _sales(backed_up.db_path) == set(range(1, 21))
    assert len(done.aside) >= 1 and ".pre-restore." in done.aside[0]
    assert _sales(done.aside[0]) == set(range(1, 26))
    assert stat.S_IMODE(os.stat(backed_up.db_path).st_mode) == 0o660
    assert "Restore completed" in Path(backed_up.backup_log).read_text()
    leftovers = [p for p in os.listdir(os.path.dirname(backed_up.db_path)) if p.startswith(".restore-")]
    assert leftovers == []


def test_restore_refuses_while_another_process_has_the_database_open(backed_up: Settings) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import apsw,sys,time; c=apsw.Connection(sys.argv[1]); "
         "c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT 1').fetchall(); print('open', flush=True); "
         "time.sleep(30)", backed_up.db_path], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"open"
        with pytest.raises(BackupError, match=rf"open by another process \(PID {holder.pid}.*systemctl stop"):
            restore.restore(backed_up, "latest", None)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert _sales(backed_up.db_path) == set(range(1, 26))


def test_old_backup_needs_force(backed_up: Settings) -> None:
    newest = files.list_backups(backed_up.backup_dir)[0]
    old = os.path.join(backed_up.backup_dir, files.backup_name(time.time() - 48 * 3600))
    os.rename(newest.path, old)
    os.rename(newest.path + ".sha256", old + ".sha256")
    with pytest.raises(BackupError, match="--force"):
        restore.restore(backed_up, "latest", None)
    assert _sales(backed_up.db_path) == set(range(1, 26))
    assert "--force" in restore.restore(backed_up, "latest", None, force=True).notes[0]


@pytest.mark.parametrize("damage", ["truncate", "checksum", "garbage"])
def test_damaged_backup_leaves_the_live_database_untouched(backed_up: Settings, damage: str) -> None:
    path = files.list_backups(backed_up.backup_dir)[0].path
    raw = Path(path).read_bytes()
    if damage == "truncate":
        Path(path).write_bytes(raw[:-200])
        files.write_sidecar(path, files.sha256_file(path))
    elif damage == "checksum":
        Path(path + ".sha256").write_text("0" * 64 + "  x\n")
    else:
        import gzip

        Path(path).write_bytes(gzip.compress(os.urandom(8192)))
        files.write_sidecar(path, files.sha256_file(path))
    before = Path(backed_up.db_path).read_bytes()
    with pytest.raises(BackupError):
        restore.restore(backed_up, "latest", None)
    assert Path(backed_up.db_path).read_bytes() == before
    assert not [p for p in os.listdir(os.path.dirname(backed_up.db_path)) if "pre-restore" in p or ".restore-" in p]


def test_failure_after_the_swap_rolls_back(backed_up: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(dest: str, settings: Settings) -> tuple[int, int]:  # fault injection: the post-restore check fails
        raise BackupError("injected post-restore failure")

    monkeypatch.setattr(restore, "_post_check", broken)
    with pytest.raises(BackupError, match="previous database was put back"):
        restore.restore(backed_up, "latest", None)
    assert _sales(backed_up.db_path) == set(range(1, 26))
    assert not [p for p in os.listdir(os.path.dirname(backed_up.db_path)) if "pre-restore" in p]


def test_restore_into_an_empty_place_and_migrations_apply(backed_up: Settings, tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "pos.db"
    done = restore.restore(backed_up, "latest", None, target=str(target))
    assert done.aside == () and _sales(str(target)) == set(range(1, 21))
    conn = apsw.Connection(str(target))
    assert fetch_value(conn, "PRAGMA journal_mode") == "wal"
    assert fetch_value(conn, "SELECT count(*) FROM schema_migrations") >= 1


def test_bad_time_and_missing_backup_are_clear(backed_up: Settings) -> None:
    with pytest.raises(BackupError, match="not found"):
        restore.restore(backed_up, "pos_19990101_000000.db.gz", None)
    with pytest.raises(BackupError, match="ARCHIVE_DIR is not set"):
        restore.restore(backed_up, None, "latest")
    with pytest.raises(BackupError, match="is not a time"):
        restore.parse_time("yesterday-ish")


def test_the_pin_key_travels_with_the_database(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    db = Database(settings.db_path)
    db.open()
    migrate(db.writer)
    db.close()
    secret = Path(settings.db_path).parent / "auth_secret"
    secret.write_text("k" * 64)
    service.run_backup(settings)
    kept = Path(settings.backup_dir) / "auth_secret"
    assert kept.read_text() == "k" * 64 and stat.S_IMODE(kept.stat().st_mode) == 0o600
    secret.write_text("regenerated-after-a-disk-loss" * 3)  # the API made a new key on a fresh disk
    done = restore.restore(settings, "latest", None)
    assert secret.read_text() == "k" * 64 and stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert any("auth_secret replaced" in note for note in done.notes)
    assert [p.name for p in secret.parent.glob("auth_secret.pre-restore.*")]


def test_a_restore_ends_the_sessions_of_the_restored_data(tmp_path: Path) -> None:
    from pos_grocery.runtime import open_runtime
    from tests.auth_helpers import add_terminal, add_user, issue_token
    from tests.conftest import make_settings

    settings = settings_for(tmp_path)
    rt = open_runtime(make_settings(tmp_path, AUTH_SECRET="k" * 40))
    try:
        user = add_user(rt, "cashier")
        issue_token(rt, user.id, add_terminal(rt))
        issue_token(rt, user.id)
    finally:
        rt.db.close()
    service.run_backup(settings)  # a backup holding two live sessions (one signed out later, say)
    done = restore.restore(settings, "latest", None)
    assert "2 session(s) open in the restored data ended" in " ".join(done.notes)
    conn = apsw.Connection(settings.db_path)
    try:
        rows = fetch_all(conn, "SELECT ended_at IS NOT NULL, end_reason FROM sessions")
    finally:
        conn.close()
    assert [tuple(r) for r in rows] == [(1, "restore"), (1, "restore")]

"""Migration runner on real SQLite files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pos_grocery.db.connection import connect, fetch_value
from pos_grocery.db.migrate import Migration, MigrationError, load_migrations, migrate, status


def _two(tmp_path: Path) -> list[Migration]:
    return [Migration(1, "0001_a", "CREATE TABLE a (x INTEGER) STRICT;"),
            Migration(2, "0002_b", "CREATE TABLE b (y INTEGER) STRICT; INSERT INTO b VALUES (1);")]


def test_packaged_migrations_apply_and_are_idempotent(tmp_path: Path) -> None:
    conn = connect(str(tmp_path / "pos.db"))
    first = migrate(conn)
    assert first and first[0] == "0001_foundation"
    assert migrate(conn) == []
    assert status(conn).current
    assert fetch_value(conn, "PRAGMA journal_mode") == "wal"
    assert fetch_value(conn, "PRAGMA foreign_keys") == 1


def test_checksums_are_recorded_and_edits_refused(tmp_path: Path) -> None:
    conn = connect(str(tmp_path / "pos.db"))
    files = _two(tmp_path)
    migrate(conn, files)
    edited = [files[0], Migration(2, "0002_b", files[1].sql + " -- edited")]
    state = status(conn, edited)
    assert not state.current and "0002_b.sql was edited" in state.problems[0]
    with pytest.raises(MigrationError, match="edited"):
        migrate(conn, edited)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = connect(str(tmp_path / "pos.db"))
    migrate(conn, _two(tmp_path))
    with pytest.raises(MigrationError, match="newer schema"):
        migrate(conn, _two(tmp_path)[:1])


def test_failed_migration_leaves_nothing(tmp_path: Path) -> None:
    conn = connect(str(tmp_path / "pos.db"))
    bad = [Migration(1, "0001_bad", "CREATE TABLE ok (x INTEGER); CREATE TABLE broken (;")]
    with pytest.raises(MigrationError, match="0001_bad"):
        migrate(conn, bad)
    assert fetch_value(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'ok'") == 0
    assert status(conn, bad).pending == (1,)


def test_concurrent_runners_apply_once(tmp_path: Path) -> None:
    path = str(tmp_path / "pos.db")
    files = _two(tmp_path)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(connect(path), files)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn = connect(path)
    assert errors == []
    assert fetch_value(conn, "SELECT count(*) FROM b") == 1
    assert fetch_value(conn, "SELECT count(*) FROM schema_migrations") == 2


def test_file_names_are_checked(tmp_path: Path) -> None:
    (tmp_path / "0001_ok.sql").write_text("SELECT 1;")
    (tmp_path / "bad-name.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="bad-name.sql"):
        load_migrations(tmp_path)

"""Consistent copies through SQLite's online backup API, and the checks a copy must pass before it is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import apsw

from pos_grocery.backup.models import BackupError
from pos_grocery.db.connection import fetch_all
from pos_grocery.db.migrate import MigrationError, load_migrations, status

STEP_PAGES = 4096


def open_source(db_path: str, busy_timeout_ms: int) -> apsw.Connection:
    """A connection to the live database for reading; never creates a missing file."""
    path = Path(db_path).expanduser()
    if not path.is_file():
        raise BackupError(f"database {path} does not exist (check DB_PATH)")
    try:
        conn = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE)
    except apsw.Error as exc:
        raise BackupError(f"cannot open database {path}: {exc}") from None
    conn.set_busy_timeout(busy_timeout_ms)
    return conn


def pin(conn: apsw.Connection) -> None:
    """Start a read transaction: the connection sees one snapshot until `unpin`."""
    conn.execute("BEGIN")
    for _ in conn.execute("SELECT count(*) FROM sqlite_schema"):
        pass


def unpin(conn: apsw.Connection) -> None:
    """End the read transaction started by `pin` (no-op when none is open)."""
    if not conn.get_autocommit():
        conn.execute("ROLLBACK")


def copy_snapshot(
    source: apsw.Connection,
    dest_path: str,
    should_stop: Callable[[], bool] = lambda: False,
    between_steps: Callable[[], None] = lambda: None,
) -> int:
    """Copy the source's open snapshot page by page into a new file; returns the page count.

    The source must hold a read transaction (`pin`): every step then reads the same snapshot, so commits
    landing meanwhile neither restart the copy nor leak into it.
    """
    dest = apsw.Connection(dest_path)
    try:
        dest.execute("PRAGMA journal_mode=OFF")
        # Never synced: this copy is checked, compressed and deleted. Syncing a gigabyte that is about to
        # be deleted only stalls the API's own WAL fsyncs (ext4 orders them behind it); only the .gz is synced.
        dest.execute("PRAGMA synchronous=OFF")
        with dest.backup("main", source, "main") as job:
            while not job.step(STEP_PAGES):
                if should_stop():
                    raise BackupError("stopped before the copy was complete")
                between_steps()
            pages = job.page_count
    finally:
        dest.close()
    return pages


def _open_copy(path: str) -> apsw.Connection:
    try:
        conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READWRITE)
        conn.execute("PRAGMA journal_mode=DELETE")  # leave no -wal/-shm beside a temp copy
    except apsw.Error as exc:
        raise BackupError(f"the copy is not a SQLite database ({exc})") from None
    return conn


def check_copy(path: str, allow_newer: bool = False) -> int:
    """integrity_check and schema version of a copy; BackupError names the problem.

    A backup of a database migrated by newer code is still taken (`allow_newer`); restoring it is refused.
    """
    conn = _open_copy(path)
    try:
        try:
            rows = fetch_all(conn, "PRAGMA integrity_check")
        except apsw.Error as exc:
            raise BackupError(f"the copy fails the integrity check ({exc})") from None
        messages = [str(r[0]) for r in rows]
        if messages != ["ok"]:
            raise BackupError("the copy fails the integrity check: " + "; ".join(messages[:3]))
        return schema_version_of(conn, allow_newer)
    finally:
        conn.close()


def schema_version_of(conn: apsw.Connection, allow_newer: bool = False) -> int:
    """Highest applied migration; a copy from a newer schema or with edited migrations is refused."""
    try:
        state = status(conn, load_migrations())
    except (apsw.Error, MigrationError) as exc:
        raise BackupError(f"cannot read the copy's migration ledger ({exc})") from None
    if state.problems and allow_newer:
        return max(state.applied) if state.applied else 0
    if state.problems:
        newer = [p for p in state.problems if "newer schema" in p]
        if newer:
            raise BackupError(
                "the copy is from a newer schema than this code knows ("
                + "; ".join(newer)
                + "): upgrade POS Grocery before restoring it"
            )
        raise BackupError("the copy's migrations do not match this code: " + "; ".join(state.problems))
    return max(state.applied) if state.applied else 0

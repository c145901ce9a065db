"""Forward-only numbered SQL migrations with checksums (NNNN_name.sql in db/migrations)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import apsw

from pos_grocery.db.connection import fetch_all, transaction

NAME_PATTERN = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
LEDGER_SQL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT
"""


class MigrationError(Exception):
    """A migration cannot be applied or an applied one was changed."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the file's text."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """What is applied and what is pending."""

    applied: tuple[int, ...]
    pending: tuple[int, ...]
    problems: tuple[str, ...]

    @property
    def current(self) -> bool:
        """True when nothing is pending and nothing is wrong."""
        return not self.pending and not self.problems


def default_directory() -> Path:
    """The packaged migrations folder."""
    return Path(str(resources.files("pos_grocery.db") / "migrations"))


def load_migrations(directory: Path | None = None) -> list[Migration]:
    """Read every NNNN_name.sql file in version order; refuse duplicates and stray names."""
    folder = directory or default_directory()
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = NAME_PATTERN.match(path.name)
        if match is None:
            raise MigrationError(f"migration file {path.name} does not match NNNN_name.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"two migrations share version {version:04d}")
        found[version] = Migration(version, path.stem, path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def _applied(conn: apsw.Connection) -> dict[int, tuple[str, str]]:
    conn.execute(LEDGER_SQL)
    rows = fetch_all(conn, "SELECT version, name, checksum FROM schema_migrations")
    return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}


def status(conn: apsw.Connection, migrations: list[Migration] | None = None) -> MigrationStatus:
    """Compare the database's ledger with the migration files."""
    files = migrations if migrations is not None else load_migrations()
    applied = _applied(conn)
    by_version = {m.version: m for m in files}
    problems: list[str] = []
    for version, (name, checksum) in sorted(applied.items()):
        migration = by_version.get(version)
        if migration is None:
            problems.append(f"database has migration {version:04d}_{name} that this code does not know (newer schema)")
        elif migration.checksum != checksum:
            problems.append(f"migration {migration.name}.sql was edited after it was applied (checksum differs)")
    pending = tuple(m.version for m in files if m.version not in applied)
    return MigrationStatus(tuple(sorted(applied)), pending, tuple(problems))


def migrate(conn: apsw.Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied."""
    files = migrations if migrations is not None else load_migrations()
    current = status(conn, files)
    if current.problems:
        raise MigrationError("; ".join(current.problems))
    done: list[str] = []
    for migration in files:
        if migration.version not in current.pending:
            continue
        _apply(conn, migration)
        done.append(migration.name)
    return done


def _apply(conn: apsw.Connection, migration: Migration) -> None:
    try:
        with transaction(conn):
            # Another worker may have applied it since we looked: the ledger is re-read under the lock.
            if fetch_all(conn, "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)):
                return
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                (migration.version, migration.name, migration.checksum, datetime.now(UTC).isoformat()),
            )
    except apsw.Error as exc:
        raise MigrationError(f"migration {migration.name}.sql failed: {exc}") from None


def schema_version(conn: apsw.Connection) -> int:
    """Highest applied migration version (0 for an empty database)."""
    applied = _applied(conn)
    return max(applied) if applied else 0

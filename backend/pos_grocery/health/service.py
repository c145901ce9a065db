"""Health computations; no Litestar imports."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import apsw

from pos_grocery import __version__
from pos_grocery.audit.service import chain_check as audit_chain
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.db.migrate import status as migration_status
from pos_grocery.health import models as m
from pos_grocery.inventory.ledger import ledger_check as stock_ledger_check
from pos_grocery.runtime import Runtime, rss_bytes

SERVICE = "pos-grocery"
# The runbook's start-up SLA thresholds (Health & Monitoring → SLA Requirements).
LISTENING_SLA_MS = 300.0
DB_INIT_SLA_MS = 500.0
HARDWARE_SLA_MS = 1000.0
MEMORY_SLA = 0.8

IntegrityCheck = Callable[[apsw.Connection], m.Check]


def now_iso(ts: float | None = None) -> str:
    """RFC 3339 UTC timestamp with milliseconds and Z."""
    moment = datetime.fromtimestamp(ts if ts is not None else time.time(), UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def basic(rt: Runtime) -> m.BasicHealth:
    """`/health`: the process serves."""
    return m.BasicHealth(
        ok=True, timestamp=now_iso(), uptime=round(rt.uptime_seconds, 3), version=__version__,
        environment=rt.settings.app_env, service=SERVICE,
    )


def probe_database(conn: apsw.Connection) -> m.DatabaseHealth:
    """A read round trip timed in milliseconds."""
    began = time.perf_counter()
    try:
        fetch_value(conn, "SELECT count(*) FROM schema_migrations")
    except apsw.Error as exc:
        return m.DatabaseHealth(ok=False, response_time=_ms_since(began), error=type(exc).__name__)
    return m.DatabaseHealth(ok=True, response_time=_ms_since(began))


def memory(rt: Runtime) -> m.MemoryHealth:
    """RSS against MEMORY_LIMIT_MB (the PM2 max_memory_restart of the runbook is 1G)."""
    rss = rss_bytes()
    limit = rt.settings.memory_limit_mb * 1024 * 1024
    usage = round(rss / limit, 4)
    return m.MemoryHealth(ok=usage < MEMORY_SLA, usage=usage, rss_bytes=rss, limit_bytes=limit)


def detailed(rt: Runtime) -> m.DetailedHealth:
    """`/api/health`."""
    from pos_grocery.backup.status import backup_health

    database = probe_database(rt.db.reader)
    mem = memory(rt)
    return m.DetailedHealth(
        ok=database.ok and mem.ok, timestamp=now_iso(), uptime=round(rt.uptime_seconds, 3),
        version=__version__, environment=rt.settings.app_env, services=m.Services(database=database, memory=mem),
        backup=backup_health(rt.settings),  # informational: a stale backup alerts, it does not fail health
    )


def write_probe(conn: apsw.Connection) -> m.Check:
    """Write and roll back a row: proves the file is writable and the lock can be taken."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO health_probe (probed_at) VALUES (?)", (now_iso(),))
        finally:
            conn.execute("ROLLBACK")
    except apsw.Error as exc:
        return m.Check(name="database", ok=False, detail=f"write probe failed: {type(exc).__name__}")
    return m.Check(name="database", ok=True, detail="write-and-rollback probe passed")


def migrations_check(conn: apsw.Connection) -> m.Check:
    """Migrations applied, none pending, none edited."""
    try:
        state = migration_status(conn)
    except apsw.Error as exc:
        return m.Check(name="migrations", ok=False, detail=type(exc).__name__)
    if state.problems:
        return m.Check(name="migrations", ok=False, detail="; ".join(state.problems))
    if state.pending:
        pending = ", ".join(f"{v:04d}" for v in state.pending)
        return m.Check(name="migrations", ok=False, detail=f"pending: {pending}")
    return m.Check(name="migrations", ok=True, detail=f"{len(state.applied)} applied")


def ready(rt: Runtime) -> m.ReadyHealth:
    """`/api/health/ready`: write probe plus current migrations."""
    checks = [write_probe(rt.db.writer), migrations_check(rt.db.writer)]
    failing = [c.name for c in checks if not c.ok]
    return m.ReadyHealth(ok=not failing, timestamp=now_iso(), checks=checks, failing=failing)


def live(rt: Runtime) -> m.LiveHealth:
    """`/api/health/live`: the event loop answered."""
    return m.LiveHealth(ok=True, timestamp=now_iso(), uptime=round(rt.uptime_seconds, 3))


def _ms_since(began: float) -> float:
    return round((time.perf_counter() - began) * 1000.0, 3)


def sqlite_integrity(conn: apsw.Connection) -> m.Check:
    """PRAGMA integrity_check."""
    rows = fetch_all(conn, "PRAGMA integrity_check")
    messages = [str(r[0]) for r in rows]
    ok = messages == ["ok"]
    return m.Check(name="sqlite_integrity", ok=ok, detail="ok" if ok else "; ".join(messages[:5]))


def foreign_keys(conn: apsw.Connection) -> m.Check:
    """PRAGMA foreign_key_check."""
    rows = fetch_all(conn, "PRAGMA foreign_key_check")
    if not rows:
        return m.Check(name="foreign_keys", ok=True, detail="no violations")
    sample = ", ".join(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in rows[:5])
    return m.Check(name="foreign_keys", ok=False, detail=f"{len(rows)} violations: {sample}")


def migrations_integrity(conn: apsw.Connection) -> m.Check:
    """Migration status as an integrity check."""
    return migrations_check(conn)


# Later features append their checks here (the audit chain, the stock ledger).
INTEGRITY_CHECKS: tuple[IntegrityCheck, ...] = (
    sqlite_integrity, foreign_keys, migrations_integrity, audit_chain, stock_ledger_check
)


def integrity(conn: apsw.Connection, checks: tuple[IntegrityCheck, ...] = INTEGRITY_CHECKS) -> m.IntegrityHealth:
    """Run every integrity check (slow on big files: call from a thread)."""
    results = [check(conn) for check in checks]
    passed = sum(1 for c in results if c.ok)
    summary = m.IntegritySummary(total=len(results), passed=passed, failed=len(results) - passed)
    return m.IntegrityHealth(ok=summary.failed == 0, timestamp=now_iso(), checks=results, summary=summary)

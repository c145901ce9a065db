"""Idempotency log for device actions: a print or drawer kick with a given action id happens at most once."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Literal

import msgspec

ActionStatus = Literal["done", "duplicate", "failed"]
KEEP_ROWS = 20_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    action_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
    detail TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL
)
"""


class ActionResult(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to an action: done now, already done before (duplicate), or failed (retry allowed)."""

    action_id: str
    status: ActionStatus
    detail: str = ""


class ActionLog:
    """Seen action ids in a small SQLite file (stdlib sqlite3: this process is its only user)."""

    def __init__(self, path: Path | None) -> None:
        target = ":memory:"
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(SCHEMA)

    def claim(self, action_id: str, kind: str) -> bool:
        """Reserve an action id; False when it was already claimed (done, or in progress when we crashed)."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO actions (action_id, kind, state, at) VALUES (?, ?, 'in_progress', ?)",
                (action_id, kind, time.time()),
            )
            return cur.rowcount == 1

    def complete(self, action_id: str, detail: str = "") -> None:
        """Mark a claimed action as done for good."""
        with self._lock:
            self._conn.execute("UPDATE actions SET state = 'done', detail = ? WHERE action_id = ?", (detail, action_id))
            self._prune()

    def release(self, action_id: str) -> None:
        """Forget a claim whose action did not reach the device, so a retry may do it."""
        with self._lock:
            self._conn.execute("DELETE FROM actions WHERE action_id = ?", (action_id,))

    def state(self, action_id: str) -> str | None:
        """'in_progress', 'done' or None."""
        with self._lock:
            row = self._conn.execute("SELECT state FROM actions WHERE action_id = ?", (action_id,)).fetchone()
        return None if row is None else str(row[0])

    def _prune(self) -> None:
        self._conn.execute(
            "DELETE FROM actions WHERE at < (SELECT at FROM actions ORDER BY at DESC LIMIT 1 OFFSET ?)",
            (KEEP_ROWS,),
        )

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

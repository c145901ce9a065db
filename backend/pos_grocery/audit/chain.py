"""The hash chain of the audit journal: one canonical encoding, one hash function, one verifier."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import apsw

GENESIS = "0" * 64
# Column order of the hashed content; prev_hash is part of it, which is what makes a chain.
CONTENT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_name",
    "approver_id",
    "approver_name",
    "terminal_id",
    "terminal_name",
    "action",
    "entity",
    "entity_id",
    "request_id",
    "details",
    "prev_hash",
)
SELECT_CHAIN = f"SELECT {', '.join(CONTENT_COLUMNS)}, hash FROM audit_events ORDER BY id"


def event_hash(content: tuple[Any, ...]) -> str:
    """SHA-256 (hex) of the canonical JSON array of a row's content columns, in CONTENT_COLUMNS order."""
    if len(content) != len(CONTENT_COLUMNS):
        raise ValueError("content must have one value per CONTENT_COLUMNS entry")
    canonical = json.dumps(list(content), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The verdict on the whole chain."""

    ok: bool
    events: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def detail(self) -> str:
        """One line for the integrity endpoint."""
        if self.ok:
            return f"{self.events} events, chain intact"
        return f"chain broken at event {self.broken_at}: {self.reason}"


def verify_rows(rows: Iterable[tuple[Any, ...]]) -> ChainReport:
    """Walk rows (content columns + stored hash, in id order) and report the first broken link."""
    expected_prev = GENESIS
    count = 0
    for row in rows:
        content, stored = tuple(row[:-1]), row[-1]
        event_id = content[0]
        if content[-1] != expected_prev:
            return ChainReport(
                False,
                count,
                event_id,
                "prev_hash does not match the previous event's hash "
                "(an event before it was changed, removed or inserted)",
            )
        if event_hash(content) != stored:
            return ChainReport(False, count, event_id, "content does not match its hash (the event was edited)")
        expected_prev = stored
        count += 1
    return ChainReport(True, count)


def verify_chain(conn: apsw.Connection) -> ChainReport:
    """Verify the whole journal (streams the rows; call from a thread on large files)."""
    return verify_rows(tuple(row) for row in conn.execute(SELECT_CHAIN))


def head(conn: apsw.Connection) -> tuple[int, str]:
    """Id and hash of the newest event, (0, GENESIS) for an empty journal."""
    for row in conn.execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1"):
        return int(row[0]), str(row[1])
    return 0, GENESIS

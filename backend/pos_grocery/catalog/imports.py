"""CSV imports in two steps: a preview (plan) of every row, then an atomic commit of exactly that plan.

The preview reads the file and the current catalog and decides, row by row: create, update, unchanged or
rejected (with the row's line and the reason). Nothing is written. The commit applies the plan in one
transaction; before writing it checks, under the write lock, that every row it touches still looks as it did
in the preview (IMPORT_STALE otherwise), so what was previewed is what is written, or nothing is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import apsw

from pos_grocery.audit.service import Actor
from pos_grocery.catalog.csv_cells import RowError
from pos_grocery.catalog.csv_read import CsvTable, Record
from pos_grocery.catalog.rules import Rules
from pos_grocery.errors import Conflict

Kind = Literal["products", "prices", "suppliers", "customers", "stock"]
KINDS: tuple[Kind, ...] = ("products", "prices", "suppliers", "customers", "stock")
Action = Literal["create", "update", "unchanged"]
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 2_000


@dataclass(frozen=True, slots=True)
class Planned:
    """What the commit will do with one row: the values to write and those it expects to find."""

    line: int
    action: Action
    key: str
    target_id: int | None
    new: tuple[Any, ...]
    old: tuple[Any, ...] | None = None
    codes: tuple[tuple[str, str], ...] | None = None
    old_codes: tuple[tuple[str, str], ...] | None = None
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that will not be imported, and why."""

    line: int
    key: str
    column: str | None
    code: str
    reason: str


@dataclass(slots=True)
class Plan:
    """The preview of one file."""

    kind: Kind
    columns: tuple[str, ...]
    rows: list[Planned] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def count(self, action: Action) -> int:
        """Rows planned for this action."""
        return sum(1 for row in self.rows if row.action == action)

    def reject(self, record: Record, key: str, error: RowError) -> None:
        """Record a rejected row."""
        self.rejections.append(Rejection(record.line, key, error.column, error.code, error.reason))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a commit wrote."""

    created: int
    updated: int
    audited: int


@dataclass(frozen=True, slots=True)
class Context:
    """What planning and committing need besides the connection."""

    rules: Rules
    digits: int
    actor: Actor | None = None
    request_id: str | None = None


def check_width(record: Record, columns: Sequence[str]) -> None:
    """A row must have as many cells as the header has columns."""
    if record.width != len(columns):
        raise RowError(None, "WRONG_CELL_COUNT",
                       f"the row has {record.width} cells but the header has {len(columns)} columns")


class Duplicates:
    """Remembers which line first used a key (SKU, name, phone, barcode) within one file."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}

    def claim(self, key: str, line: int, column: str, what: str) -> None:
        """RowError when an earlier row of the file already used this key."""
        earlier = self.first.setdefault(key, line)
        if earlier != line:
            raise RowError(column, "DUPLICATE_IN_FILE", f"{what} {key} is also on line {earlier}")


def stale(what: str) -> Conflict:
    """The catalog changed between preview and commit."""
    return Conflict(f"{what} changed since the preview; upload the file again for a new preview.", "IMPORT_STALE")


def ticker(progress: Progress | None, total: int) -> Callable[[int], None]:
    """A progress callback that reports every PROGRESS_EVERY rows and at the end."""
    def tick(done: int) -> None:
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return tick


def plan_each(kind: Kind, table: CsvTable, key_column: str, plan_row: Callable[[Record], Planned],
              progress: Progress | None = None) -> Plan:
    """The preview loop of every kind: each record of the file planned by `plan_row`, or rejected with the
    RowError it raised (keyed by its `key_column` cell, trimmed); progress reported as the rows go."""
    plan = Plan(kind, table.columns)
    tick = ticker(progress, len(table.records))
    for done, record in enumerate(table.records, start=1):
        try:
            plan.rows.append(plan_row(record))
        except RowError as exc:
            plan.reject(record, record.cells.get(key_column, "").strip(), exc)
        tick(done)
    return plan


def fetch_many(conn: apsw.Connection, sql: str, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a one-parameter query per key (prepared once, cached by APSW) and collect the rows."""
    found: list[tuple[Any, ...]] = []
    for key in keys:
        found.extend(tuple(row) for row in conn.execute(sql, (key,)))
    return found

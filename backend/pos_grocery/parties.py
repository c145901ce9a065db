"""What suppliers and customers share (no Litestar here): their common wire types, and the plumbing of a table
of parties kept by id with soft deletion (one live row, a page by id, insert, rewrite, PATCH over the current
row, delete-or-archive).

Their rules stay in their own feature folders: customers have price tiers, credit limits (customers.credit),
unique phone numbers and balances; suppliers have unique names and the products that name them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol, TypeVar

import apsw
import msgspec
from msgspec import Meta

from pos_grocery.db.connection import Row, fetch_all, fetch_one, like_escape
from pos_grocery.pagination import encode_cursor

Name = Annotated[str, Meta(min_length=1, max_length=200)]
Notes = Annotated[str, Meta(max_length=2000)]
Filter = tuple[str, Sequence[Any]]
Gone = Literal["deleted", "archived"]


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


Item = TypeVar("Item", bound=_HasId)


@dataclass(frozen=True, slots=True)
class PartyTable:
    """One table of parties: its name, the alias its SELECT names it by, and the fields a create or PATCH writes."""

    name: str
    alias: str
    select: str
    fields: tuple[str, ...]

    def live(self, conn: apsw.Connection, row_id: int) -> Row | None:
        """The selected row of a live (not archived) party."""
        return fetch_one(conn, f"{self.select} WHERE {self.alias}.id = ? AND {self.alias}.deleted_at IS NULL",
                         (row_id,))

    def page(self, conn: apsw.Connection, filters: Sequence[Filter], after: int | None, limit: int) -> list[Row]:
        """Live rows by id after `after` meeting every (condition, parameters) filter; one extra row tells that
        more follow."""
        where = [f"{self.alias}.deleted_at IS NULL", f"{self.alias}.id > ?"]
        params: list[Any] = [after or 0]
        for condition, values in filters:
            where.append(condition)
            params.extend(values)
        sql = f"{self.select} WHERE {' AND '.join(where)} ORDER BY {self.alias}.id LIMIT ?"
        return fetch_all(conn, sql, (*params, limit + 1))

    def insert(self, conn: apsw.Connection, values: dict[str, Any], now: str) -> int:
        """Insert a party; returns its id."""
        conn.execute(f"INSERT INTO {self.name} ({', '.join(self.fields)}, created_at, updated_at) "
                     f"VALUES ({', '.join('?' * len(self.fields))}, ?, ?)",
                     (*(values[f] for f in self.fields), now, now))
        return int(conn.last_insert_rowid())

    def update(self, conn: apsw.Connection, row_id: int, values: dict[str, Any], now: str) -> None:
        """Rewrite a party's fields."""
        sets = ", ".join(f"{f} = ?" for f in self.fields)
        conn.execute(f"UPDATE {self.name} SET {sets}, updated_at = ? WHERE id = ?",
                     (*(values[f] for f in self.fields), now, row_id))

    def delete_or_archive(self, conn: apsw.Connection, row_id: int, now: str,
                          deletable: bool = True) -> Gone:
        """Inside the caller's transaction: delete the row when `deletable` and no foreign key refers to it,
        else archive it (deleted_at, inactive), so the records that name it keep it."""
        if deletable:
            conn.execute(f"SAVEPOINT {self.name}_delete")
            try:
                conn.execute(f"DELETE FROM {self.name} WHERE id = ?", (row_id,))
                conn.execute(f"RELEASE {self.name}_delete")
                return "deleted"
            except apsw.ConstraintError:
                conn.execute(f"ROLLBACK TO {self.name}_delete")
                conn.execute(f"RELEASE {self.name}_delete")
        conn.execute(f"UPDATE {self.name} SET deleted_at = ?, active = 0, updated_at = ? WHERE id = ?",
                     (now, now, row_id))
        return "archived"


def like_prefix(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for values starting with `text`, its % and _ taken literally."""
    return like_escape(text) + "%"


def patched(current: msgspec.Struct, fields: Sequence[str], patch: msgspec.Struct) -> dict[str, Any]:
    """The `fields` of the current row with those present in the PATCH body replaced (`active` as 0/1)."""
    values = {f: getattr(current, f) for f in fields}
    values.update({k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET})
    values["active"] = int(values["active"])
    return values


def page_of(rows: list[Item], limit: int) -> tuple[list[Item], str | None]:
    """A page from `limit + 1` rows: the first `limit`, and the cursor after the last when more follow."""
    items = rows[:limit]
    return items, encode_cursor(items[-1].id) if len(rows) > limit else None

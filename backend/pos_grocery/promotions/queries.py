"""SQL of stored pricing rules."""

from __future__ import annotations

from typing import Any

import apsw
import msgspec

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.pricing import Rule
from pos_grocery.promotions.models import RuleIn, RuleOut

COLUMNS = "id, kind, body, created_at, updated_at"
INSERT = (
    "INSERT INTO pricing_rules (kind, label, active, valid_from, valid_to, body, engine, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?)"
)
UPDATE = (
    "UPDATE pricing_rules SET kind = ?, label = ?, active = ?, valid_from = ?, valid_to = ?, body = ?, "
    "updated_at = ? WHERE id = ? AND deleted_at IS NULL"
)
# The checkout's query: every live rule whose window has not ended (the engine checks the start itself).
LIVE = (
    "SELECT engine FROM pricing_rules WHERE deleted_at IS NULL AND active = 1 "
    "AND (valid_to IS NULL OR valid_to > ?) ORDER BY id"
)
_rules_decoder = msgspec.json.Decoder(list[Rule])
# The live rules' JSON rarely changes between sales: decoded once per distinct text (Rules are frozen Structs).
_decoded: dict[bytes, tuple[Rule, ...]] = {}
MAX_DECODED = 8


def to_out(row: tuple[Any, ...]) -> RuleOut:
    """A row as the API shows it."""
    rule = msgspec.json.decode(row[2], type=RuleIn)
    return RuleOut(id=int(row[0]), kind=row[1], rule=rule, created_at=row[3], updated_at=row[4])


def get(conn: apsw.Connection, rule_id: int) -> RuleOut | None:
    """A live rule by id."""
    row = fetch_one(conn, f"SELECT {COLUMNS} FROM pricing_rules WHERE id = ? AND deleted_at IS NULL", (rule_id,))
    return None if row is None else to_out(row)


def page(conn: apsw.Connection, kind: str | None, active: bool | None, after: int | None, limit: int) -> list[RuleOut]:
    """Live rules by id after the cursor (one extra row tells whether more follow)."""
    where = ["deleted_at IS NULL", "id > ?"]
    params: list[Any] = [after or 0]
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if active is not None:
        where.append("active = ?")
        params.append(int(active))
    sql = f"SELECT {COLUMNS} FROM pricing_rules WHERE {' AND '.join(where)} ORDER BY id LIMIT ?"
    return [to_out(row) for row in fetch_all(conn, sql, (*params, limit + 1))]


def live_rules(conn: apsw.Connection, now_iso: str) -> list[Rule]:
    """The engine's rules that may apply now, decoded in one pass."""
    bodies = [row[0] for row in conn.execute(LIVE, (now_iso,))]
    if not bodies:
        return []
    raw = ("[" + ",".join(bodies) + "]").encode()
    rules = _decoded.get(raw)
    if rules is None:
        rules = tuple(_rules_decoder.decode(raw))
        if len(_decoded) >= MAX_DECODED:
            _decoded.clear()
        _decoded[raw] = rules
    return list(rules)


def set_engine(conn: apsw.Connection, rule_id: int, rule: Rule) -> None:
    """Store the engine form of a rule (with its id)."""
    conn.execute("UPDATE pricing_rules SET engine = ? WHERE id = ?", (msgspec.json.encode(rule).decode(), rule_id))


def missing_refs(conn: apsw.Connection, table: str, ids: list[int]) -> list[int]:
    """Ids in `ids` with no live row in products or categories."""
    if table not in ("products", "categories") or not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {
        int(r[0])
        for r in fetch_all(conn, f"SELECT id FROM {table} WHERE id IN ({marks}) AND deleted_at IS NULL", tuple(ids))
    }
    return sorted(set(ids) - found)

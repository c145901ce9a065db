"""The stock ledger: writing movements (stock on hand moves in the same transaction), the moving-average cost,
the quantity rules, and the integrity proof that stock_levels equals the sum of the movements.

Every change of stock in the system is `post(...)` or the checkout's own copy of the same two statements
(sales/commit.py, returns, voids): one stock_movements row per change and an upsert of stock_levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import apsw

from pos_grocery.db.connection import fetch_all
from pos_grocery.errors import Conflict, ValidationFailed
from pos_grocery.health import models as hm
from pos_grocery.money import div_round
from pos_grocery.sales.values import MAX_QTY, _scaled_3

INSERT_MOVEMENT = (
    "INSERT INTO stock_movements (product_id, qty, kind, ref_type, ref_id, unit_cost, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
ADD_STOCK = (
    "INSERT INTO stock_levels (product_id, on_hand, updated_at) VALUES (?, ?, ?) ON CONFLICT (product_id) "
    "DO UPDATE SET on_hand = on_hand + excluded.on_hand, updated_at = excluded.updated_at"
)
# One pass over the ledger and the levels together: a product whose movements do not sum to its on-hand
# figure (or that has a level but no movements, or movements but no level) is left with a non-zero sum.
MISMATCH_SQL = """
SELECT product_id, sum(d) FROM (
    SELECT product_id, qty AS d FROM stock_movements
    UNION ALL
    SELECT product_id, -on_hand FROM stock_levels
) GROUP BY product_id HAVING sum(d) <> 0 LIMIT 6
"""

# Because on_hand(p) = sum of qty over p's movements, sum_p on_hand(p) * w(p) = sum_m qty(m) * w(product(m))
# for any weights w. With w(p) = 1 + (p * 40503) % (M - 1) for two primes M near 4e6, a single wrong level
# changes a sum by delta * w(p), which is 0 mod M only when M divides delta (delta >= 4,000 units for both
# primes at once: impossible within the quantity bounds), and several wrong levels cancel by chance with
# probability ~1/M^2. Each term is reduced mod M (|qty| <= 1e12, w < 4e6: no 64-bit overflow).
CHECKSUM_SQL = """
SELECT ((SELECT coalesce(sum((qty * (1 + (product_id * 40503) % 3999970)) % 3999971), 0) FROM stock_movements)
      - (SELECT coalesce(sum((on_hand * (1 + (product_id * 40503) % 3999970)) % 3999971), 0) FROM stock_levels))
       % 3999971,
       ((SELECT coalesce(sum((qty * (1 + (product_id * 69069) % 3999928)) % 3999929), 0) FROM stock_movements)
      - (SELECT coalesce(sum((on_hand * (1 + (product_id * 69069) % 3999928)) % 3999929), 0) FROM stock_levels))
       % 3999929
"""

@dataclass(frozen=True, slots=True)
class Move:
    """One movement to write: signed thousandths, its kind and unit cost (minor units per unit) when known."""

    product_id: int
    qty: int
    kind: str
    unit_cost: int | None = None


def qty_of(value: Decimal, field: str, *, signed: bool = False) -> int:
    """A wire quantity as thousandths: > 0 (or != 0 when signed), at most 3 decimals, |q| <= 1000000."""
    scaled = _scaled_3(value)
    low_ok = scaled is not None and (scaled != 0 if signed else scaled > 0)
    if scaled is None or not low_ok or abs(scaled) > MAX_QTY:
        rule = "must not be 0" if signed else "must be more than 0"
        raise ValidationFailed(
            f"{field} {rule}, at most 1000000 in size, with at most 3 decimals (got {value}).",
            "INVALID_QUANTITY",
            field=field,
        )
    return scaled


def post(conn: apsw.Connection, moves: Sequence[Move], ref_type: str, ref_id: int, created_at: str) -> None:
    """Write movements and move stock on hand with them (inside the caller's transaction)."""
    if not conn.in_transaction:
        raise RuntimeError("ledger.post must run inside the caller's write transaction")
    conn.executemany(
        INSERT_MOVEMENT, [(m.product_id, m.qty, m.kind, ref_type, ref_id, m.unit_cost, created_at) for m in moves]
    )
    per_product: dict[int, int] = {}
    for m in moves:
        per_product[m.product_id] = per_product.get(m.product_id, 0) + m.qty
    conn.executemany(ADD_STOCK, [(pid, qty, created_at) for pid, qty in per_product.items() if qty])


def refuse_negative(conn: apsw.Connection, product_ids: Iterable[int]) -> None:
    """409 INSUFFICIENT_STOCK when one of these products is now below zero (STOCK_ALLOW_NEGATIVE=false)."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    rows = fetch_all(conn, f"SELECT product_id, on_hand FROM stock_levels WHERE product_id IN ({marks}) "
                           "AND on_hand < 0 ORDER BY product_id", ids)
    if rows:
        listed = ", ".join(f"product {r[0]} ({r[1] / 1000:g})" for r in rows[:5])
        raise Conflict(f"Not enough stock: this would take {listed} below zero, and STOCK_ALLOW_NEGATIVE is off.",
                       "INSUFFICIENT_STOCK")


def on_hand(conn: apsw.Connection, product_id: int) -> int:
    """Stock on hand of one product (thousandths; 0 without a row)."""
    row = conn.execute("SELECT on_hand FROM stock_levels WHERE product_id = ?", (product_id,)).fetchone()
    return 0 if row is None else int(row[0])


def moving_average(stock: int, old_cost: int | None, received: int, landed_cost: int) -> int:
    """New unit cost after receiving `received` thousandths at `landed_cost` on top of `stock` at `old_cost`.

    new = round_half_up((max(stock, 0) * old + received * landed) / (max(stock, 0) + received)); stock at or
    below zero, or an unknown old cost, contributes nothing (the new goods set the cost).
    """
    base = max(stock, 0) if old_cost is not None else 0
    if base == 0:
        return landed_cost
    return div_round(base * (old_cost or 0) + received * landed_cost, base + received)


def value_of(qty: int, unit_cost: int | None) -> int | None:
    """Value of a quantity (thousandths) at a unit cost, half up to the minor unit; negative stock is worth 0."""
    if unit_cost is None:
        return None
    return div_round(max(qty, 0) * unit_cost, 1000)


def signed_value(qty: int, unit_cost: int | None) -> int | None:
    """Signed value of a quantity change (gains positive, losses negative), half up away from zero."""
    if unit_cost is None:
        return None
    magnitude = div_round(abs(qty) * unit_cost, 1000)
    return magnitude if qty >= 0 else -magnitude


def ledger_check(conn: apsw.Connection) -> hm.Check:
    """Integrity check: every product's stock_levels.on_hand equals the sum of its stock_movements.

    Fast path: two weighted checksums, one linear scan of each table with no sort (seconds at 1M products).
    On a mismatch the exact per-product comparison runs and names the products.
    """
    if fetch_all(conn, CHECKSUM_SQL) == [(0, 0)]:
        return hm.Check(name="stock_ledger", ok=True, detail="stock on hand equals the sum of movements")
    rows = fetch_all(conn, MISMATCH_SQL)
    if not rows:  # the checksums can only differ when a level differs: keep the failure, say so
        return hm.Check(name="stock_ledger", ok=False, detail="stock_levels checksum differs from the ledger")
    sample = ", ".join(f"product {r[0]} (level minus ledger: {-int(r[1]) / 1000:g})" for r in rows[:5])
    more = " and more" if len(rows) > 5 else ""
    return hm.Check(name="stock_ledger", ok=False, detail=f"stock_levels differs from the ledger: {sample}{more}")

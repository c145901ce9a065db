"""Inventory rules without HTTP: barcode symbols, cost spreading, moving average, ledger invariants (properties)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import connect, fetch_value
from pos_grocery.db.migrate import migrate
from pos_grocery.inventory.grn import landed, spread
from pos_grocery.inventory.ledger import Move, ledger_check, moving_average, post, value_of
from pos_grocery.inventory.symbols import CODE128, code128_modules, code128_values, ean13_modules


def test_code128_table_and_check_character() -> None:
    assert len(CODE128) == 106 and len(set(CODE128)) == 106
    assert all(sum(int(w) for w in p) == 11 for p in CODE128)
    # "PJJ123C" in set B: (104 + 48*1 + 42*2 + 42*3 + 17*4 + 18*5 + 19*6 + 35*7) mod 103 = 879 mod 103 = 55.
    assert code128_values("PJJ123C") == [104, 48, 42, 42, 17, 18, 19, 35, 55]
    assert code128_values("4011")[0] == 105  # even-length digits use set C
    assert len(code128_modules("4011")) == 11 * 4 + 13


def test_ean13_modules() -> None:
    bits = ean13_modules("4006381333931")
    assert len(bits) == 95 and bits.startswith("101") and bits[45:50] == "01010" and bits.endswith("101")
    # First digit 4 -> parity LGLLGG; digit 0 in L is 0001101.
    assert bits[3:10] == "0001101"


def test_spread_by_value_is_exact() -> None:
    assert spread([300000, 100000], [10000, 20000], 1500) == [1125, 375]
    assert spread([1, 1, 1], [1, 1, 1], 100) == [34, 33, 33]
    assert spread([0, 0], [1000, 3000], 8) == [2, 6]
    assert landed([(10000, 30000), (20000, 5000)], 1000, 500) == [(300000, 1125, 30113), (100000, 375, 5019)]


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=30), st.integers(0, 10**9))
def test_spread_sums_to_the_extra(values: list[int], extra: int) -> None:
    shares = spread(values, [1000] * len(values), extra)
    assert sum(shares) == extra and all(s >= 0 for s in shares)


def test_moving_average_examples() -> None:
    assert moving_average(10000, 30000, 10000, 30113) == 30057  # (300000 + 301130) / 20 = 30056.5 -> half up
    assert moving_average(0, 30000, 5000, 100) == 100  # nothing on hand: the new cost
    assert moving_average(-4000, 30000, 5000, 100) == 100  # negative stock contributes nothing
    assert moving_average(5000, None, 5000, 100) == 100  # unknown old cost
    assert moving_average(1000, 100, 3000, 200) == 175


@given(st.integers(-10**9, 10**9), st.one_of(st.none(), st.integers(0, 10**9)), st.integers(1, 10**9),
       st.integers(0, 10**9))
def test_moving_average_stays_between_old_and_new(stock: int, old: int | None, qty: int, new: int) -> None:
    avg = moving_average(stock, old, qty, new)
    low, high = (min(old, new), max(old, new)) if old is not None and stock > 0 else (new, new)
    assert low <= avg <= high


MOVES = st.lists(
    st.tuples(st.integers(1, 5), st.integers(-10**7, 10**7).filter(bool), st.sampled_from(
        ["sale", "return", "adjustment", "receipt", "write_off", "waste", "stocktake"]),
        st.one_of(st.none(), st.integers(0, 10**6))),
    min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(MOVES, min_size=1, max_size=4))
def test_on_hand_is_the_sum_of_movements(batches: list[list[tuple[int, int, str, int | None]]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(str(Path(tmp) / "l.db"), "OFF")
        migrate(conn)
        now = iso_utc(0)
        conn.executemany("INSERT INTO products (id, sku, name_en, unit, price_retail, created_at, updated_at) "
                         "VALUES (?, ?, 'p', 'pc', 1, ?, ?)", [(i, f"S{i}", now, now) for i in range(1, 6)])
        for n, batch in enumerate(batches, start=1):
            conn.execute("BEGIN IMMEDIATE")
            post(conn, [Move(p, q, k, c) for p, q, k, c in batch], "adjustment", n, now)
            conn.execute("COMMIT")
        for pid in range(1, 6):
            expected = sum(q for batch in batches for p, q, _k, _c in batch if p == pid)
            level = fetch_value(conn, "SELECT coalesce(max(on_hand), 0) FROM stock_levels WHERE product_id = ?", (pid,))
            assert level == expected
            value = value_of(int(level), 123)
            assert value is not None and value >= 0  # valuation is never negative where the cost is known
        assert ledger_check(conn).ok
        conn.close()

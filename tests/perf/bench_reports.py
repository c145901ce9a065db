"""Reports benchmark: the Z report of a 20,000-sale day and a 90-day sales-by-day report over 1,000,000 sales.

Data is seeded with SQL (recursive CTEs) straight into a migrated database, so seeding takes seconds, not hours.
 1. Z: one shift with SALES_PER_DAY sales of LINES lines each (2 tax rates, 1-2 tenders, some promotions), the
    figures a Z computes inside its write transaction (`shifts.figures.build`), median of RUNS; then one real
    Z close through the service (figures + stored document), and the roll-up of that day (once per day).
 2. 90 days: TOTAL sales over 90 business days on 4 terminals (header, one tender; the report reads headers
    only). Cold: the first report rolls up the 88 final days; warm: the report as asked every day after
    (roll-ups + two live days computed raw), median of RUNS; baseline: all 90 days computed raw (no roll-ups).
 3. Sale cost: what the shift check adds to a sale's commit (lookup of the terminal's open shift, stamping the
    sale, the sales_shift index), A/B in alternating blocks of the same raw APSW transaction.
Prints medians, targets and ratios measured in the same run. Targets: Z <= 200 ms, 90 days <= 1 s.
Run with `make bench-reports`; not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

T0 = 1_773_460_800.0  # 2026-03-14 04:00 UTC (09:30 in Asia/Colombo)
DAY = 86_400
OPEN_SECONDS = 2.5 * 3600  # 08:00 local in Colombo is 02:30 UTC
SPREAD = 14 * 3600  # sales from 08:00 to 22:00 local


def runtime(path: Path) -> Any:
    from pos_grocery.runtime import open_runtime
    from tests.conftest import make_settings

    return open_runtime(make_settings(path))


def seed_store(rt: Any, products: int = 2000, terminals: int = 4) -> None:
    """Tax classes, products, terminals and a cashier."""
    from pos_grocery.clock import iso_utc
    from tests.auth_helpers import add_terminal, add_user

    now = iso_utc(T0)
    with rt.db.write() as conn:
        conn.execute("INSERT INTO tax_classes (id, name, rate_bp, created_at, updated_at) VALUES "
                     "(1, 'VAT', 1800, ?, ?), (2, 'Zero', 0, ?, ?)", (now, now, now, now))
        conn.execute("INSERT INTO categories (id, name, created_at, updated_at) VALUES (1, 'All', ?, ?)", (now, now))
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO products (id, sku, name_en, unit, category_id, tax_class_id, price_retail, weighed, cost, "
            "created_at, updated_at) SELECT i, 'P' || i, 'Product ' || i, 'pc', 1, 1 + i % 2, 100 * (i % 500 + 1), 0, "
            "50 * (i % 500 + 1), ?, ? FROM n", (products, now, now))
    for n in range(1, terminals + 1):
        add_terminal(rt, f"LANE-{n}")
    add_user(rt, "cashier", username="bench")


SALE_SQL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :count - 1),
t(i, ts, due) AS (
  SELECT i, :start + (i / :per_day) * 86400 + :open + (i % :per_day) * :spread / :per_day, 1000 + (i * 7919) % 50000
  FROM n)
INSERT INTO sales (id, receipt_no, terminal_id, business_date, seq, cashier_id, shift_id, price_tier, language,
  prices_include_tax, status, base_amount, line_discount, bill_discount, net_amount, taxable_amount, tax_amount,
  total_amount, cash_rounding, amount_due, tendered_amount, change_amount, created_at)
SELECT :first_id + i, 'B' || (:first_id + i), 1 + i % 4, date(ts + 19800, 'unixepoch'), :first_id + i,
  (SELECT id FROM users LIMIT 1), :shift, iif(i % 10 = 0, 'wholesale', 'retail'), 'en', 1,
  iif(i % 97 = 0, 'voided', 'completed'), due + iif(i % 5 = 0, 100, 0), -iif(i % 5 = 0, 100, 0), 0, due,
  due, due * 1800 / 11800, due, 0, due, due, 0,
  strftime('%Y-%m-%dT%H:%M:%fZ', ts, 'unixepoch')
FROM t
"""


def seed_sales(rt: Any, count: int, per_day: int, start: float, shift: int | None, first_id: int = 1) -> None:
    """Sale headers (and a cash tender each) with SQL."""
    params = {"count": count, "per_day": per_day, "start": start - start % DAY, "open": OPEN_SECONDS,
              "spread": SPREAD, "shift": shift, "first_id": first_id}
    with rt.db.write() as conn:
        conn.execute(SALE_SQL, params)
        conn.execute("INSERT INTO sale_tenders (sale_id, seq, method, amount, tendered, change_amount) "
                     "SELECT id, 1, 'cash', amount_due, amount_due + 500, 500 FROM sales WHERE id >= ?", (first_id,))


def seed_details(rt: Any, shift: int, lines: int) -> None:
    """Lines, tax lines, a second tender and promotions for the sales of one shift."""
    with rt.db.write() as conn:
        conn.execute(
            "WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ?) "
            "INSERT INTO sale_lines (sale_id, line_no, product_id, name, unit, qty, unit_price, base_amount, "
            "discount_amount, bill_discount, net_amount, tax_rate_bp, tax_amount, taxable_amount, total_amount) "
            "SELECT s.id, k.j, 1 + (s.id * 31 + k.j * 977) % 2000, 'Product', 'pc', 1000, s.amount_due / ?, "
            "s.amount_due / ?, 0, 0, s.amount_due / ?, 1800 * (k.j % 2), 0, s.amount_due / ?, s.amount_due / ? "
            "FROM sales s, k WHERE s.shift_id = ?", (lines, lines, lines, lines, lines, lines, shift))
        conn.execute("INSERT INTO sale_tax_lines SELECT id, 0, amount_due / 2, 0, amount_due / 2 FROM sales "
                     "WHERE shift_id = ?", (shift,))
        conn.execute("INSERT INTO sale_tax_lines SELECT id, 1800, amount_due / 2, tax_amount, amount_due / 2 "
                     "FROM sales WHERE shift_id = ?", (shift,))
        conn.execute("INSERT INTO sale_tenders (sale_id, seq, method, amount, tendered, change_amount, reference) "
                     "SELECT id, 2, 'card', 0, 0, 0, 'X' FROM sales WHERE shift_id = ? AND id % 3 = 0", (shift,))
        conn.execute("INSERT INTO sale_adjustments (sale_id, line_no, kind, rule_id, amount, text) "
                     "SELECT id, 1, 'discount', 1 + id % 7, -100, 'Promo ' || (1 + id % 7) FROM sales "
                     "WHERE shift_id = ? AND id % 5 = 0", (shift,))


def median_ms(fn: Any, runs: int) -> tuple[float, list[float]]:
    """Median wall time (ms) of `runs` calls, and every run's time."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), times


def median_cpu_ms(fn: Any, runs: int) -> float:
    """Median CPU time (ms) of this process per call: robust to the machine's noise (other work is not counted)."""
    times = []
    for _ in range(runs):
        began = time.process_time()
        fn()
        times.append((time.process_time() - began) * 1000)
    return statistics.median(times)


def bench_z(folder: Path, sales: int, lines: int, runs: int) -> None:
    from pos_grocery.auth.sessions import SessionTimes, resolve
    from pos_grocery.reports import rollup
    from pos_grocery.sales.context import checkout_of
    from pos_grocery.shifts import figures, zreport
    from pos_grocery.shifts.models import ShiftCloseIn
    from pos_grocery.shifts.service import get_shift
    from tests.auth_helpers import add_user, issue_token
    from tests.checkout_helpers import open_shift_here

    rt = runtime(folder)
    try:
        seed_store(rt)
        rt.clock = lambda: T0 - 3600
        user = add_user(rt, "manager", username="boss").id
        shift_id = open_shift_here(rt, 1, user, 100_000)
        began = time.perf_counter()
        seed_sales(rt, sales, sales, T0, shift_id)
        seed_details(rt, shift_id, lines)
        print(f"Z: seeded {sales:,} sales x {lines} lines in {time.perf_counter() - began:.1f} s")
        rt.clock = lambda: T0 + 13 * 3600
        tz = checkout_of(rt.settings).tz
        shift = get_shift(rt, shift_id)
        median, times = median_ms(lambda: figures.build(rt.db.reader, shift, rt.clock(), tz), runs)
        cpu = median_cpu_ms(lambda: figures.build(rt.db.reader, shift, rt.clock(), tz), runs)
        print(f"Z figures ({sales:,} sales, {sales * lines:,} lines): median {median:.1f} ms wall "
              f"(runs {', '.join(f'{t:.0f}' for t in times)}), {cpu:.1f} ms CPU; target 200 ms; ratio median/target "
              f"{median / 200:.2f} wall, {cpu / 200:.2f} CPU")
        caller = resolve(rt.db.reader, issue_token(rt, user, 1), rt.clock(), SessionTimes.from_settings(rt.settings),
                         False).identity
        began = time.perf_counter()
        z = asyncio.run(zreport.close_shift(rt, caller, shift_id, ShiftCloseIn(declared_cash=0), None))
        print(f"Z close through the service (figures + stored document + audit, one write): "
              f"{(time.perf_counter() - began) * 1000:.1f} ms; sales on it {z.report.sales.count:,}")
        day = date(2026, 3, 14)
        began = time.perf_counter()
        rollup.compute_days(rt.db.reader, [day], tz)
        print(f"roll-up of that day (once per day, on a reader thread): {(time.perf_counter() - began) * 1000:.1f} ms")
    finally:
        rt.db.close()


def bench_days(folder: Path, total: int, days: int, runs: int) -> None:
    from pos_grocery.reports import service
    from pos_grocery.reports.timeutil import today
    from pos_grocery.sales.context import checkout_of

    rt = runtime(folder)
    try:
        seed_store(rt)
        start = T0 - (days - 1) * DAY
        began = time.perf_counter()
        per_day = total // days
        seed_sales(rt, per_day * days, per_day, start, None)
        print(f"\n90 days: seeded {per_day * days:,} sales ({per_day:,} a day) in {time.perf_counter() - began:.1f} s")
        rt.clock = lambda: T0 + 10 * 3600  # the last seeded day, 19:30 local
        tz = checkout_of(rt.settings).tz
        last = today(rt.clock(), tz)
        first = last - timedelta(days=days - 1)
        query = service.Query("sales-by-period", first, last)

        def report() -> Any:
            return asyncio.run(service.run(rt, query))

        cold, _ = median_ms(report, 1)
        out = report()
        assert sum(r["sales"] for r in out.rows) + sum(r["voids"] for r in out.rows) == per_day * days
        warm, times = median_ms(report, runs)
        print(f"90-day sales by day: cold (rolls up {days - 2} final days once) {cold:.0f} ms; warm median "
              f"{warm:.1f} ms wall (runs {', '.join(f'{t:.0f}' for t in times)}); target 1000 ms; ratio "
              f"median/target {warm / 1000:.2f}")
        with rt.db.write() as conn:
            for table in ("days", "day_sales", "day_products", "day_tax", "day_tenders", "day_adjustments"):
                conn.execute(f"DELETE FROM report_{table}")
        from pos_grocery.reports import rollup

        def raw_only() -> Any:
            rows = []
            day = first
            while day <= last:
                rows += rollup.raw_day(rt.db.reader, "sales", day, tz)
                day += timedelta(days=1)
            return rows

        raw, raw_times = median_ms(raw_only, max(1, runs // 3))
        print(f"baseline, every day computed raw (no roll-ups): median {raw:.0f} ms; ratio raw/roll-up "
              f"{raw / warm:.1f}x")
    finally:
        rt.db.close()


def bench_sale_cost(folder: Path, sales: int) -> None:
    """Raw APSW: a 5-line sale commit with and without the shift check (A/B, alternating blocks)."""
    import apsw

    from pos_grocery.db.connection import connect

    rt = runtime(folder)
    seed_store(rt)
    from tests.checkout_helpers import open_shift_here

    open_shift_here(rt, 1, 1)
    rt.db.close()
    conn: apsw.Connection = connect(str(folder / "pos.db"), "NORMAL")
    ids = iter(range(10_000_000, 20_000_000))

    def one(with_shift: bool) -> None:
        sid = next(ids)
        conn.execute("BEGIN IMMEDIATE")
        if with_shift:
            found = conn.execute("SELECT id FROM shifts WHERE terminal_id = ? AND status = 'open'", (1,)).fetchall()
        conn.execute(
            "INSERT INTO sales (id, receipt_no, terminal_id, business_date, seq, cashier_id, price_tier, language, "
            "prices_include_tax, base_amount, line_discount, bill_discount, net_amount, taxable_amount, tax_amount, "
            "total_amount, amount_due, tendered_amount, change_amount, created_at) VALUES "
            "(?, ?, 1, '2026-03-14', ?, 1, 'retail', 'en', 1, 100, 0, 0, 100, 100, 0, 100, 100, 100, 0, ?)",
            (sid, f"R{sid}", sid, "2026-03-14T04:00:00.000Z"))
        if with_shift:
            conn.execute("UPDATE sales SET shift_id = ? WHERE id = ?", (found[0][0], sid))
        conn.executemany(
            "INSERT INTO sale_lines (sale_id, line_no, product_id, name, unit, qty, base_amount, discount_amount, "
            "bill_discount, net_amount, tax_rate_bp, tax_amount, taxable_amount, total_amount) VALUES "
            "(?, ?, ?, 'x', 'pc', 1000, 20, 0, 0, 20, 0, 0, 20, 20)",
            [(sid, n, 1 + (sid * n) % 2000) for n in range(1, 6)])
        conn.execute("COMMIT")

    per: dict[bool, list[float]] = {True: [], False: []}
    block = max(50, sales // 20)
    for _ in range(10):
        for mode in (False, True):
            began = time.process_time()
            for _ in range(block):
                one(mode)
            per[mode].append((time.process_time() - began) / block * 1e6)
    conn.close()
    a, b = statistics.median(per[False]), statistics.median(per[True])
    print(f"\nsale commit CPU (raw APSW, 5 lines, synchronous=NORMAL), median of 10 blocks of {block}: without "
          f"shift {a:.0f} us, with the shift check + stamp + index {b:.0f} us: {b - a:+.0f} us "
          f"({(b / a - 1) * 100:+.1f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day-sales", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=8)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        (Path(tmp) / "z").mkdir()
        (Path(tmp) / "days").mkdir()
        (Path(tmp) / "sale").mkdir()
        bench_z(Path(tmp) / "z", args.day_sales, args.lines, args.runs)
        bench_days(Path(tmp) / "days", args.total, args.days, args.runs)
        bench_sale_cost(Path(tmp) / "sale", 20_000)


if __name__ == "__main__":
    main()

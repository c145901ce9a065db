"""Business-day figures: computed from the raw rows (open days), or read from the roll-ups (final days).

A day is final once no sale can be added to it or voided in it: voids are same-day only and a sale's business
day is its own, so a day ended is final; one more day of grace covers a sale priced just before midnight and
committed after it. Final days are rolled up once (computed on a reader thread, written in one short
transaction) and read from then on; the same functions compute both, so a roll-up is what the live path gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import apsw

from pos_grocery.clock import iso_utc
from pos_grocery.db.connection import fetch_all
from pos_grocery.reports import queries as rq
from pos_grocery.reports.timeutil import day_bounds, local_hour

Row = tuple[Any, ...]
TABLES = ("sales", "products", "tax", "tenders", "adjustments")
COLUMNS = {
    "sales": "business_date, hour, terminal_id, cashier_id, price_tier, sales, base_amount, discount_amount, "
    "net_amount, tax_amount, total_amount, cash_rounding, amount_due, voids, voided_amount",
    "products": "business_date, product_id, name, lines, qty, net_amount, tax_amount, total_amount",
    "tax": "business_date, rate_bp, taxable_amount, tax_amount, total_amount",
    "tenders": "business_date, method, count, amount, tendered, change_amount",
    "adjustments": "business_date, kind, rule_id, text, uses, amount",
}
RAW = {"products": rq.PRODUCTS, "tax": rq.TAX, "tenders": rq.TENDERS, "adjustments": rq.ADJUSTMENTS}
GRACE_DAYS = 1


def final_before(today: date) -> date:
    """Days strictly before this one are final."""
    return today - timedelta(days=GRACE_DAYS)


def raw_day(conn: apsw.Connection, table: str, day: date, tz: ZoneInfo) -> list[Row]:
    """One table's rows of one business day, computed from the sale rows (rows start with the day)."""
    lo, hi = day_bounds(day, tz)
    text = day.isoformat()
    params = (lo, hi, text)
    if table != "sales":
        return [(text, *r) for r in fetch_all(conn, rq.sql(RAW[table], rq.WHERE_DAY), params)]
    grouped: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * 10)
    for r in fetch_all(conn, rq.sql(rq.SALES, rq.WHERE_DAY), params):
        # (quarter, terminal, cashier, tier, sales, base, line disc, bill disc, net, tax, total, rounding, due, voids,
        # voided) -> by local hour, with line and bill discounts as one discount column.
        acc = grouped[(local_hour(r[0], tz), r[1], r[2], r[3])]
        values = (r[4], r[5], r[6] + r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14])
        for i, v in enumerate(values):
            acc[i] += v
    return [(text, *key, *acc) for key, acc in sorted(grouped.items())]


def rolled_days(conn: apsw.Connection, first: date, last: date) -> set[str]:
    """The days in [first, last] whose roll-ups exist."""
    rows = fetch_all(conn, "SELECT business_date FROM report_days WHERE business_date BETWEEN ? AND ?",
                     (first.isoformat(), last.isoformat()))
    return {str(r[0]) for r in rows}


def compute_days(conn: apsw.Connection, days: Iterable[date], tz: ZoneInfo) -> dict[str, dict[str, list[Row]]]:
    """Every table's rows of each day (a reader's work; nothing is written)."""
    return {d.isoformat(): {t: raw_day(conn, t, d, tz) for t in TABLES} for d in days}


def store_days(conn: apsw.Connection, computed: dict[str, dict[str, list[Row]]], now: float) -> int:
    """Write computed days' roll-ups inside the caller's transaction (a day already stored is left alone)."""
    stored = 0
    for day, tables in computed.items():
        sales = sum(r[5] + r[13] for r in tables["sales"])
        conn.execute("INSERT OR IGNORE INTO report_days (business_date, sales, built_at) VALUES (?, ?, ?)",
                     (day, sales, iso_utc(now)))
        if conn.changes() != 1:
            continue
        stored += 1
        for table, rows in tables.items():
            if rows:
                marks = ",".join("?" * len(rows[0]))
                conn.executemany(f"INSERT INTO report_day_{table} ({COLUMNS[table]}) VALUES ({marks})", rows)
    return stored


def read_rolled(conn: apsw.Connection, table: str, first: date, last: date) -> list[Row]:
    """A roll-up table's rows of the days in [first, last]."""
    return fetch_all(
        conn,
        f"SELECT {COLUMNS[table]} FROM report_day_{table} WHERE business_date BETWEEN ? AND ?",
        (first.isoformat(), last.isoformat()),
    )


def rows_for(conn: apsw.Connection, table: str, first: date, last: date, today: date, tz: ZoneInfo) -> list[Row]:
    """A table's rows for [first, last]: roll-ups for final days (already built), raw rows for the others."""
    cut = final_before(today)
    out: list[Row] = []
    if first < cut:
        out += read_rolled(conn, table, first, min(last, cut - timedelta(days=1)))
    day = max(first, cut)
    while day <= min(last, today):
        out += raw_day(conn, table, day, tz)
        day += timedelta(days=1)
    return out


def missing_final_days(conn: apsw.Connection, first: date, last: date, today: date) -> list[date]:
    """Final days in [first, last] without roll-ups."""
    end = min(last, final_before(today) - timedelta(days=1))
    if end < first:
        return []
    have = rolled_days(conn, first, end)
    days, day = [], first
    while day <= end:
        if day.isoformat() not in have:
            days.append(day)
        day += timedelta(days=1)
    return days

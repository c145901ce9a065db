"""Reports: validate the range, make sure final days are rolled up, then group the day rows (docs/SHIFTS.md)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import apsw

from pos_grocery.db.connection import fetch_all
from pos_grocery.errors import ValidationFailed
from pos_grocery.reports import rollup
from pos_grocery.reports.models import REPORT_NAMES, Cell, ReportInfo, ReportList, ReportOut
from pos_grocery.reports.timeutil import day_bounds, today
from pos_grocery.runtime import Runtime
from pos_grocery.sales.context import checkout_of

MONEY = ["sales", "gross", "discounts", "net", "tax", "total", "cashRounding", "amountDue", "voids", "voidedAmount"]
DESCRIPTIONS = {
    "sales-by-period": "Sales by day, week (ISO, from Monday) or month: period=day|week|month",
    "sales-by-hour": "Sales by local hour of the day",
    "sales-by-tier": "Sales by price tier",
    "sales-by-category": "Product sales by (current) category",
    "top-products": "The top N products by sales value: limit=N",
    "sales-by-cashier": "Sales by cashier",
    "sales-by-terminal": "Sales by terminal",
    "discounts": "Promotions and discounts used, by kind and rule",
    "tax": "Tax by rate",
    "tenders": "Tenders by method",
    "returns-by-reason": "Returned lines by reason code",
    "voids": "Voided sales by day",
    "shift-variances": "Closed shifts: expected vs declared cash",
}


@dataclass(frozen=True, slots=True)
class Query:
    """A report request: its range (inclusive business days) and options."""

    name: str
    first: date
    last: date
    period: str = "day"
    limit: int = 20


def parse_range(rt: Runtime, start: str | None, end: str | None) -> tuple[date, date]:
    """[from, to] in business days (default today); 400 INVALID_DATE / INVALID_RANGE / RANGE_TOO_LONG."""
    now = today(rt.clock(), checkout_of(rt.settings).tz)
    first, last = _date(start, "from", now), _date(end, "to", now)
    if last < first:
        raise ValidationFailed("`to` is before `from`.", "INVALID_RANGE", field="to")
    longest = rt.settings.report_max_range_days
    if (last - first).days + 1 > longest:
        raise ValidationFailed(f"A report covers at most {longest} days (REPORT_MAX_RANGE_DAYS).", "RANGE_TOO_LONG",
                               field="to")
    return first, last


def _date(text: str | None, field: str, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"`{field}` must be a date YYYY-MM-DD.", "INVALID_DATE", field=field) from None


def catalog() -> ReportList:
    """Every report with what it shows."""
    return ReportList(items=[ReportInfo(name=n, description=DESCRIPTIONS[n]) for n in REPORT_NAMES])


async def ensure_rollups(rt: Runtime, first: date, last: date) -> int:
    """Roll up the final days of the range that have none yet: computed on a reader thread, stored in one write."""
    tz = checkout_of(rt.settings).tz
    now = rt.clock()
    day = today(now, tz)
    missing = rollup.missing_final_days(rt.db.reader, first, last, day)
    if not missing:
        return 0
    computed = await rt.db.run_in_thread(lambda conn: rollup.compute_days(conn, missing, tz))
    with rt.db.write() as conn:
        return rollup.store_days(conn, computed, now)


async def run(rt: Runtime, query: Query) -> ReportOut:
    """A report as a table (columns, rows, totals)."""
    if query.name not in ("returns-by-reason", "shift-variances"):
        await ensure_rollups(rt, query.first, query.last)
    tz = checkout_of(rt.settings).tz
    now_day = today(rt.clock(), tz)
    build = BUILDERS[query.name]
    columns, rows = await rt.db.run_in_thread(lambda conn: build(conn, query, now_day, tz))
    totals: dict[str, Cell] = {}
    for col in columns:
        values = [r.get(col) for r in rows]
        if col in SUMMABLE and all(type(v) is int for v in values):
            totals[col] = sum(cast(int, v) for v in values)
    return ReportOut(report=query.name, from_date=query.first.isoformat(), to_date=query.last.isoformat(),  # type: ignore[arg-type]
                     timezone=str(tz), columns=columns, rows=rows, totals=totals, currency=rt.settings.currency)


def to_csv(report: ReportOut) -> str:
    """The report's rows as CSV (header = columns); cells that a spreadsheet would run as formulas are quoted."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow([_cell(row.get(c)) for c in report.columns])
    return buf.getvalue()


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


SUMMABLE = {*MONEY, "lines", "uses", "amount", "count", "tendered", "change", "taxable", "returns", "refunded",
            "expected", "declared", "variance", "amountDueTotal", "voidedAmount"}
Builder = Callable[[apsw.Connection, Query, date, ZoneInfo], tuple[list[str], list[dict[str, Cell]]]]


def _sales_rows(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> list[tuple[Any, ...]]:
    return rollup.rows_for(conn, "sales", q.first, q.last, now, tz)


def _money_of(acc: list[int]) -> dict[str, Cell]:
    """The sales columns from an accumulator of the roll-up's value columns (sales .. voided)."""
    sales, base, disc, net, tax, total, rounding, due, voids, voided = acc
    return {"sales": sales, "gross": base, "discounts": disc, "net": net, "tax": tax, "total": total,
            "cashRounding": rounding, "amountDue": due, "voids": voids, "voidedAmount": voided}


def _group_sales(rows: list[tuple[Any, ...]], key: Callable[[tuple[Any, ...]], Any]) -> dict[Any, list[int]]:
    grouped: dict[Any, list[int]] = defaultdict(lambda: [0] * 10)
    for r in rows:
        acc = grouped[key(r)]
        for i in range(10):
            acc[i] += r[5 + i]
    return grouped


def _period_key(day: str, period: str) -> str:
    d = date.fromisoformat(day)
    if period == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    if period == "month":
        return day[:7]
    return day


def by_period(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Sales by day, week (starting Monday) or month."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: _period_key(r[0], q.period))
    return ["period", *MONEY], [{"period": k, **_money_of(v)} for k, v in sorted(grouped.items())]


def by_hour(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Sales by local hour."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: r[1])
    return ["hour", *MONEY], [{"hour": k, **_money_of(v)} for k, v in sorted(grouped.items())]


def by_tier(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Sales by price tier."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: r[4])
    return ["tier", *MONEY], [{"tier": k, **_money_of(v)} for k, v in sorted(grouped.items())]


def _lookup(conn: apsw.Connection, sql: str, ids: list[Any]) -> dict[Any, Any]:
    """id -> value of a two-column query over some ids."""
    if not ids:
        return {}
    return {r[0]: r[1] for r in fetch_all(conn, sql.format(marks=",".join("?" * len(ids))), ids)}


def _names(conn: apsw.Connection, sql: str, ids: list[Any]) -> dict[Any, str]:
    return {k: str(v) for k, v in _lookup(conn, sql, ids).items()}


def by_cashier(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Sales by cashier."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: r[3])
    names = _names(conn, "SELECT id, display_name FROM users WHERE id IN ({marks})", sorted(grouped))
    rows = [{"cashierId": k, "cashier": names.get(k, ""), **_money_of(v)} for k, v in sorted(grouped.items())]
    return ["cashierId", "cashier", *MONEY], rows


def by_terminal(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Sales by terminal."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: r[2])
    names = _names(conn, "SELECT id, name FROM terminals WHERE id IN ({marks})", sorted(grouped))
    rows = [{"terminalId": k, "terminal": names.get(k, ""), **_money_of(v)} for k, v in sorted(grouped.items())]
    return ["terminalId", "terminal", *MONEY], rows


def _products(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> dict[int, list[Any]]:
    """Per product: [name, lines, qty, net, tax, total] over the range."""
    out: dict[int, list[Any]] = {}
    for r in rollup.rows_for(conn, "products", q.first, q.last, now, tz):
        acc = out.setdefault(r[1], [r[2], 0, 0, 0, 0, 0])
        for i in range(5):
            acc[1 + i] += r[3 + i]
    return out


PRODUCT_COLS = ["lines", "quantity", "net", "tax", "total"]


def _product_cells(acc: list[Any]) -> dict[str, Cell]:
    return {"lines": acc[1], "quantity": acc[2] / 1000, "net": acc[3], "tax": acc[4], "total": acc[5]}


def top_products(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """The top N products by sales value (ties by product id)."""
    products = sorted(_products(conn, q, now, tz).items(), key=lambda kv: (-kv[1][5], kv[0]))[: q.limit]
    rows = [{"productId": pid, "name": acc[0], **_product_cells(acc)} for pid, acc in products]
    return ["productId", "name", *PRODUCT_COLS], rows


def by_category(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Product sales by each product's current category (none: "")."""
    products = _products(conn, q, now, tz)
    cats = _lookup(conn, "SELECT id, category_id FROM products WHERE id IN ({marks})", sorted(products))
    names = _names(conn, "SELECT id, name FROM categories WHERE id IN ({marks})",
                   sorted({c for c in cats.values() if c is not None}))
    grouped: dict[int | None, list[Any]] = {}
    for pid, acc in products.items():
        g = grouped.setdefault(cats.get(pid), ["", 0, 0, 0, 0, 0])
        for i in range(1, 6):
            g[i] += acc[i]
    rows = [{"categoryId": k, "category": names.get(k, "") if k is not None else "", **_product_cells(v)}
            for k, v in sorted(grouped.items(), key=lambda kv: (-kv[1][5], kv[0] or 0))]
    return ["categoryId", "category", *PRODUCT_COLS], rows


def discounts(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Promotions and discounts used (rule 0: manual)."""
    grouped: dict[tuple[str, int], list[Any]] = {}
    for r in rollup.rows_for(conn, "adjustments", q.first, q.last, now, tz):
        acc = grouped.setdefault((r[1], r[2]), [r[3], 0, 0])
        acc[1] += r[4]
        acc[2] += r[5]
    rows = [{"kind": k[0], "ruleId": k[1], "text": v[0], "uses": v[1], "amount": v[2]}
            for k, v in sorted(grouped.items())]
    return ["kind", "ruleId", "text", "uses", "amount"], rows


def tax(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Tax by rate."""
    grouped: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rollup.rows_for(conn, "tax", q.first, q.last, now, tz):
        for i in range(3):
            grouped[r[1]][i] += r[2 + i]
    rows: list[dict[str, Cell]] = [{"rateBp": k, "taxable": v[0], "tax": v[1], "total": v[2]}
                                   for k, v in sorted(grouped.items())]
    return ["rateBp", "taxable", "tax", "total"], rows


def tenders(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Tenders by method."""
    grouped: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rollup.rows_for(conn, "tenders", q.first, q.last, now, tz):
        for i in range(4):
            grouped[r[1]][i] += r[2 + i]
    rows: list[dict[str, Cell]] = [{"method": k, "count": v[0], "amount": v[1], "tendered": v[2], "change": v[3]}
                                   for k, v in sorted(grouped.items())]
    return ["method", "count", "amount", "tendered", "change"], rows


def voids(conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo) -> tuple[list[str], list[dict[str, Cell]]]:
    """Voided sales by day (count and amount)."""
    grouped = _group_sales(_sales_rows(conn, q, now, tz), lambda r: r[0])
    rows = [{"day": k, "count": v[8], "amount": v[9]} for k, v in sorted(grouped.items()) if v[8]]
    return ["day", "count", "amount"], rows


def returns_by_reason(
    conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo
) -> tuple[list[str], list[dict[str, Cell]]]:
    """Returned lines by reason (returns dated by their own business day)."""
    lo, hi = day_bounds(q.first, tz)[0], day_bounds(q.last, tz)[1]
    sql = ("SELECT l.reason, count(*), sum(l.qty), sum(l.total_amount) FROM returns r "
           "JOIN return_lines l ON l.return_id = r.id WHERE r.created_at >= ? AND r.created_at < ? "
           "AND r.business_date BETWEEN ? AND ? GROUP BY l.reason ORDER BY l.reason")
    rows = [{"reason": r[0], "lines": r[1], "quantity": r[2] / 1000, "amount": r[3]}
            for r in fetch_all(conn, sql, (lo, hi, q.first.isoformat(), q.last.isoformat()))]
    return ["reason", "lines", "quantity", "amount"], rows


def shift_variances(
    conn: apsw.Connection, q: Query, now: date, tz: ZoneInfo
) -> tuple[list[str], list[dict[str, Cell]]]:
    """Shifts closed in the range with expected and declared cash and the variance."""
    sql = ("SELECT sh.id, sh.z_number, t.name, sh.opened_at, sh.closed_at, sh.expected_cash, sh.declared_cash, "
           "sh.variance FROM shifts sh JOIN terminals t ON t.id = sh.terminal_id "
           "WHERE sh.closed_business_date BETWEEN ? AND ? ORDER BY sh.z_number")
    cols = ["shiftId", "zNumber", "terminal", "openedAt", "closedAt", "expected", "declared", "variance"]
    rows = [dict(zip(cols, r, strict=True)) for r in fetch_all(conn, sql, (q.first.isoformat(), q.last.isoformat()))]
    return cols, rows


BUILDERS: dict[str, Builder] = {
    "sales-by-period": by_period,
    "sales-by-hour": by_hour,
    "sales-by-tier": by_tier,
    "sales-by-category": by_category,
    "top-products": top_products,
    "sales-by-cashier": by_cashier,
    "sales-by-terminal": by_terminal,
    "discounts": discounts,
    "tax": tax,
    "tenders": tenders,
    "returns-by-reason": returns_by_reason,
    "voids": voids,
    "shift-variances": shift_variances,
}

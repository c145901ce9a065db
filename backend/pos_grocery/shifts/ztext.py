"""The X/Z report as printable text (42 columns, an 80 mm roll); a reprint is headed and footed COPY.

Times are shown in the store's time zone (`STORE_TIMEZONE`, the one that decides business days), as
`YYYY-MM-DD HH:MM`, and the zone is named once in the header; the JSON report keeps RFC 3339 UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pos_grocery.clock import parse_iso
from pos_grocery.shifts.models import ShiftReport

WIDTH = 42


def _money(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100:,}.{abs(minor) % 100:02d}"


def _row(label: str, value: str) -> str:
    return label[: WIDTH - len(value) - 1].ljust(WIDTH - len(value)) + value


def local_time(stamp: str | None, tz: ZoneInfo) -> str:
    """An RFC 3339 UTC timestamp as the store's wall-clock time, `2026-11-29 14:05` ("-" for none)."""
    if stamp is None:
        return "-"
    return datetime.fromtimestamp(parse_iso(stamp), tz).strftime("%Y-%m-%d %H:%M")


def render(r: ShiftReport, copy: bool, tz: ZoneInfo) -> str:
    """Every figure of the report, one per line; times in the store's zone `tz`, named in the header."""
    title = f"Z REPORT #{r.z_number}" if r.kind == "z" else "X REPORT (not a closing)"
    out = []
    if copy:
        out.append("*** COPY ***".center(WIDTH))
    out += [title.center(WIDTH), _row("Terminal", r.terminal), _row("Shift", str(r.shift_id)),
            _row("Time zone", tz.key), _row("Opened", local_time(r.opened_at, tz)),
            _row("Closed", local_time(r.closed_at, tz)), "-" * WIDTH]
    s = r.sales
    out += [_row("Sales", str(s.count)), _row("Gross", _money(s.gross)), _row("Discounts", _money(s.discounts)),
            _row("Net", _money(s.net)), _row("Tax", _money(s.tax)), _row("Cash rounding", _money(s.cash_rounding)),
            _row("Amount due", _money(s.amount_due))]
    out += [_row(f"  {d.text or d.kind}", _money(d.amount)) for d in r.discounts]
    out += [_row(f"Tax {t.rate_bp / 100:g}%", _money(t.tax)) for t in r.tax_by_rate]
    out += ["-" * WIDTH] + [_row(f"{t.method} ({t.count})", _money(t.amount)) for t in r.tenders]
    out += [_row(f"Refunds {f.method} ({f.count})", _money(-f.amount)) for f in r.refunds]
    out += [_row(f"Voids ({r.voids.count})", _money(r.voids.amount)), _row("No sales", str(r.no_sales))]
    out += [_row(f"{m.kind} ({m.count})", _money(m.amount)) for m in r.cash_movements]
    c = r.cash
    out += ["-" * WIDTH, _row("Opening float", _money(c.opening_float)), _row("Expected cash", _money(c.expected))]
    if c.declared is not None and c.variance is not None:
        out += [_row("Declared cash", _money(c.declared)), _row("Variance", _money(c.variance))]
    out += [_row("Items (lines)", str(r.item_lines)), "-" * WIDTH]
    if copy:
        out.append("*** COPY ***".center(WIDTH))
    return "\n".join(out) + "\n"

"""The X/Z report as printable text (42 columns, an 80 mm roll); a reprint is headed and footed COPY."""

from __future__ import annotations

from pos_grocery.shifts.models import ShiftReport

WIDTH = 42


def _money(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100:,}.{abs(minor) % 100:02d}"


def _row(label: str, value: str) -> str:
    return label[: WIDTH - len(value) - 1].ljust(WIDTH - len(value)) + value


def render(r: ShiftReport, copy: bool) -> str:
    """Every figure of the report, one per line."""
    title = f"Z REPORT #{r.z_number}" if r.kind == "z" else "X REPORT (not a closing)"
    out = []
    if copy:
        out.append("*** COPY ***".center(WIDTH))
    out += [title.center(WIDTH), _row("Terminal", r.terminal), _row("Shift", str(r.shift_id)),
            _row("Opened", r.opened_at), _row("Closed", r.closed_at or "-"), "-" * WIDTH]
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

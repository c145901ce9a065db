"""Stored sales read back into the API's shape (the same shape `POST /api/sales` answered)."""

from __future__ import annotations

from typing import Any, cast

import apsw

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.sales.models import (
    AdjustmentOut,
    Language,
    LineOut,
    SaleOut,
    TaxLineOut,
    TenderMethod,
    TenderOut,
    Tier,
    TotalsOut,
)

SALE = (
    "SELECT s.id, s.receipt_no, s.status, s.terminal_id, t.name, s.cashier_id, coalesce(u.display_name, ''), "
    "s.customer_id, s.held_sale_id, s.price_tier, s.language, s.prices_include_tax, s.business_date, s.created_at, "
    "s.base_amount, s.line_discount, s.bill_discount, s.net_amount, s.taxable_amount, s.tax_amount, s.total_amount, "
    "s.cash_rounding, s.amount_due, s.change_amount, s.voided_at, s.void_reason "
    "FROM sales s JOIN terminals t ON t.id = s.terminal_id LEFT JOIN users u ON u.id = s.cashier_id"
)
LINES = (
    "SELECT line_no, product_id, name, unit, qty, unit_price, price_overridden, base_amount, bill_discount, "
    "net_amount, tax_rate_bp, tax_amount, taxable_amount, total_amount FROM sale_lines WHERE sale_id = ? "
    "ORDER BY line_no"
)
ADJUSTMENTS = "SELECT line_no, kind, rule_id, amount, text, reason FROM sale_adjustments WHERE sale_id = ? ORDER BY id"
TAXES = (
    "SELECT rate_bp, taxable_amount, tax_amount, total_amount FROM sale_tax_lines WHERE sale_id = ? ORDER BY rate_bp"
)
TENDERS = "SELECT method, amount, tendered, change_amount, reference FROM sale_tenders WHERE sale_id = ? ORDER BY seq"


def sale_id_by_receipt(conn: apsw.Connection, receipt_no: str) -> int | None:
    """A sale's id from its receipt number (letter case ignored: scanners and people differ)."""
    row = fetch_one(conn, "SELECT id FROM sales WHERE receipt_no = ?", (receipt_no.strip().upper(),))
    return None if row is None else int(row[0])


def load_sale(conn: apsw.Connection, sale_id: int, currency: str) -> SaleOut | None:
    """One sale with its lines, adjustments, tax summary and tenders."""
    row = fetch_one(conn, SALE + " WHERE s.id = ?", (sale_id,))
    if row is None:
        return None
    adjustments: dict[int | None, list[AdjustmentOut]] = {}
    for a in fetch_all(conn, ADJUSTMENTS, (sale_id,)):
        adjustments.setdefault(a[0], []).append(
            AdjustmentOut(kind=a[1], rule_id=a[2], amount=a[3], text=a[4], reason=a[5])
        )
    lines = [_line(r, adjustments.get(int(r[0]), [])) for r in fetch_all(conn, LINES, (sale_id,))]
    taxes = [
        TaxLineOut(rate_bp=r[0], taxable_amount=r[1], tax_amount=r[2], total_amount=r[3])
        for r in fetch_all(conn, TAXES, (sale_id,))
    ]
    tenders = [
        TenderOut(method=cast(TenderMethod, r[0]), amount=r[1], tendered=r[2], change=r[3], reference=r[4])
        for r in fetch_all(conn, TENDERS, (sale_id,))
    ]
    return _sale(row, lines, adjustments.get(None, []), taxes, tenders, currency)


def _line(r: tuple[Any, ...], adjustments: list[AdjustmentOut]) -> LineOut:
    return LineOut(
        line_no=r[0],
        product_id=r[1],
        name=r[2],
        unit=r[3],
        quantity=r[4] / 1000,
        unit_price=r[5],
        price_overridden=bool(r[6]),
        base_amount=r[7],
        adjustments=adjustments,
        bill_discount=r[8],
        net_amount=r[9],
        tax_rate_bp=r[10],
        tax_amount=r[11],
        taxable_amount=r[12],
        total_amount=r[13],
    )


def _sale(
    r: tuple[Any, ...],
    lines: list[LineOut],
    bill: list[AdjustmentOut],
    taxes: list[TaxLineOut],
    tenders: list[TenderOut],
    currency: str,
) -> SaleOut:
    totals = TotalsOut(
        base_amount=r[14],
        line_discount=r[15],
        bill_discount=r[16],
        net_amount=r[17],
        taxable_amount=r[18],
        tax_amount=r[19],
        total_amount=r[20],
        cash_rounding=r[21],
        amount_due=r[22],
    )
    return SaleOut(
        id=r[0],
        receipt_number=r[1],
        barcode_value=r[1],
        status=r[2],
        terminal_id=r[3],
        terminal=r[4],
        cashier_id=r[5],
        cashier=r[6],
        customer_id=r[7],
        held_sale_id=r[8],
        price_tier=cast(Tier, r[9]),
        language=cast(Language, r[10]),
        prices_include_tax=bool(r[11]),
        business_date=r[12],
        created_at=r[13],
        lines=lines,
        bill_adjustments=bill,
        tax_summary=taxes,
        totals=totals,
        tenders=tenders,
        change=r[23],
        currency=currency,
        voided_at=r[24],
        void_reason=r[25],
    )


def page_ids(conn: apsw.Connection, filters: dict[str, Any], before: int | None, limit: int) -> list[int]:
    """Sale ids matching the filters, newest first, below the cursor id (one extra tells whether more follow)."""
    where, params = [], []
    for column in ("terminal_id", "business_date", "status", "customer_id"):
        if filters.get(column) is not None:
            where.append(f"{column} = ?")
            params.append(filters[column])
    if before is not None:
        where.append("id < ?")
        params.append(before)
    sql = "SELECT id FROM sales" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return [int(r[0]) for r in fetch_all(conn, sql, (*params, limit + 1))]

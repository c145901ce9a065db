"""A sale as the device-neutral receipt document, its text rendering, and counted reprints marked COPY."""

from __future__ import annotations

import datetime as dt

from pos_grocery.audit.service import Actor, record
from pos_grocery.clock import iso_utc, parse_iso
from pos_grocery.db.connection import fetch_one
from pos_grocery.errors import NotFound
from pos_grocery.money import div_round
from pos_grocery.receipts.models import AppliedPromotion, BillAdjustment, Receipt, ReceiptLine, TaxSummary, Tender
from pos_grocery.receipts.text import PAPER_COLUMNS, render_text
from pos_grocery.runtime import Runtime
from pos_grocery.sales import read
from pos_grocery.sales.context import Checkout, checkout_of
from pos_grocery.sales.models import LineOut, ReceiptOut, SaleOut

TENDER_LABELS = {"customer_account": "account"}
VOID_MARK = "*** VOIDED ***"
MARK_PRINTED = (
    "UPDATE sales SET reprint_count = reprint_count + (receipt_printed_at IS NOT NULL), "
    "receipt_printed_at = coalesce(receipt_printed_at, ?) WHERE id = ? RETURNING reprint_count"
)


def _line(line: LineOut) -> ReceiptLine:
    qty = round(line.quantity * 1000)
    unit_price = line.unit_price if line.unit_price is not None else div_round(line.base_amount * 1000, qty)
    promotions = tuple(AppliedPromotion(text=a.text, amount=-a.amount) for a in line.adjustments)
    return ReceiptLine(
        name=line.name, qty=qty, unit=line.unit, unit_price=unit_price, amount=line.base_amount, promotions=promotions
    )


def _tenders(sale: SaleOut) -> tuple[Tender, ...]:
    return tuple(
        Tender(
            method=TENDER_LABELS.get(t.method, t.method),
            amount=t.tendered if t.method == "cash" else t.amount,
            reference=t.reference or "",
        )
        for t in sale.tenders
    )


def build_receipt(sale: SaleOut, ck: Checkout, *, copy: bool) -> Receipt:
    """The receipt document of a sale (header, lines with promotions, tax summary, tenders, change, footer)."""
    issued = dt.datetime.fromtimestamp(parse_iso(sale.created_at), ck.tz).replace(tzinfo=None)
    footer = ck.footer_lines + ((VOID_MARK,) if sale.status == "voided" else ())
    return Receipt(
        store_lines=ck.store_lines,
        terminal=sale.terminal,
        cashier=sale.cashier,
        receipt_no=sale.receipt_number,
        business_date=dt.date.fromisoformat(sale.business_date),
        issued_at=issued,
        lines=tuple(_line(line) for line in sale.lines),
        subtotal=sale.totals.net_amount,
        total=sale.totals.amount_due,
        language=sale.language,
        adjustments=tuple(BillAdjustment(text=a.text, amount=a.amount) for a in sale.bill_adjustments),
        taxes=tuple(TaxSummary(rate_bp=t.rate_bp, base=t.taxable_amount, tax=t.tax_amount) for t in sale.tax_summary),
        cash_rounding=sale.totals.cash_rounding,
        tenders=_tenders(sale),
        change=sale.change,
        footer_lines=footer,
        copy=copy,
        currency=sale.currency,
    )


def issue_receipt(rt: Runtime, sale_id: int, actor: Actor | None, request_id: str | None) -> tuple[Receipt, int]:
    """The receipt to print now: the original the first time, then a counted COPY (audited)."""
    ck = checkout_of(rt.settings)
    sale = read.load_sale(rt.db.reader, sale_id, ck.currency)
    if sale is None:
        raise NotFound(f"There is no sale with id {sale_id}.", "SALE_NOT_FOUND")
    now = rt.clock()
    with rt.db.write() as conn:
        row = fetch_one(conn, MARK_PRINTED, (iso_utc(now), sale_id))
        reprints = int(row[0]) if row else 0
        if reprints:
            record(
                conn,
                "receipts.reprinted",
                actor=actor,
                entity="sale",
                entity_id=sale_id,
                details={"receiptNo": sale.receipt_number, "reprint": reprints},
                request_id=request_id,
                at=now,
            )
    return build_receipt(sale, ck, copy=reprints > 0), reprints


def receipt_out(sale_id: int, receipt: Receipt, reprints: int, width: int, fmt: str) -> ReceiptOut:
    """The answer of the receipt endpoint: text, document or both."""
    text = render_text(receipt, PAPER_COLUMNS[width]) if fmt in ("text", "both") else None
    return ReceiptOut(
        sale_id=sale_id,
        receipt_number=receipt.receipt_no,
        barcode_value=receipt.receipt_no,
        copy=receipt.copy,
        reprint_count=reprints,
        width=width,
        text=text,
        document=receipt if fmt in ("json", "both") else None,
    )

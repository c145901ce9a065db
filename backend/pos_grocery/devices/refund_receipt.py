"""A return as a receipt document: the refund slip the lane prints (title REFUND, negative amounts)."""

from __future__ import annotations

import datetime as dt

import apsw

from pos_grocery.clock import parse_iso
from pos_grocery.db.connection import fetch_one
from pos_grocery.money import div_round
from pos_grocery.receipts.models import Language, Receipt, ReceiptLine, Tender
from pos_grocery.returns.models import ReturnOut
from pos_grocery.sales.context import Checkout

TITLE = "REFUND"
TENDER_LABELS = {"customer_account": "account"}


def receipt_number(return_id: int) -> str:
    """The refund slip's number (also its CODE128 barcode)."""
    return f"RET-{return_id:06d}"


def _language(conn: apsw.Connection, sale_id: int | None) -> Language:
    row = None if sale_id is None else fetch_one(conn, "SELECT language FROM sales WHERE id = ?", (sale_id,))
    lang = str(row[0]) if row else "en"
    return "si" if lang == "si" else "ta" if lang == "ta" else "en"


def refund_receipt(conn: apsw.Connection, ret: ReturnOut, ck: Checkout, terminal: str, cashier: str) -> Receipt:
    """The refund slip of a return, in its sale's language (English without a receipt)."""
    lines = []
    for line in ret.lines:
        qty = max(1, round(line.quantity * 1000))
        lines.append(
            ReceiptLine(name=line.name, qty=qty, unit="pc", unit_price=div_round(line.total_amount * 1000, qty),
                        amount=-line.total_amount)
        )
    footer = [f"Return {ret.id}"]
    if ret.receipt_number:
        footer.insert(0, f"Original receipt {ret.receipt_number}")
    if ret.note:
        footer.append(ret.note)
    method = TENDER_LABELS.get(ret.refund_method, ret.refund_method)
    return Receipt(
        store_lines=ck.store_lines,
        title=TITLE,
        terminal=terminal,
        cashier=cashier,
        receipt_no=receipt_number(ret.id),
        business_date=dt.date.fromisoformat(ret.business_date),
        issued_at=dt.datetime.fromtimestamp(parse_iso(ret.created_at), ck.tz).replace(tzinfo=None),
        lines=tuple(lines),
        subtotal=-ret.total_amount,
        total=-ret.total_amount,
        language=_language(conn, ret.sale_id),
        tenders=(Tender(method=method, amount=-ret.total_amount, reference=ret.refund_reference or ""),),
        footer_lines=(*footer, *ck.footer_lines),
        currency=ret.currency,
    )

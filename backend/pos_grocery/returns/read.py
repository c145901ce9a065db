"""Reading returns back, and the receipt lookup that starts a return."""

from __future__ import annotations

from pos_grocery.db.connection import fetch_all
from pos_grocery.errors import NotFound
from pos_grocery.pagination import encode_cursor
from pos_grocery.returns import queries as q
from pos_grocery.returns.models import LookupOut, ReturnableLine, ReturnOut, ReturnPage
from pos_grocery.runtime import Runtime
from pos_grocery.sales import read as sales_read
from pos_grocery.sales.context import checkout_of

LOOKUP_LINES = (
    "SELECT line_no, product_id, name, unit, qty, returned_qty, total_amount, refunded_amount FROM sale_lines "
    "WHERE sale_id = ? ORDER BY line_no"
)


def lookup(rt: Runtime, receipt_number: str) -> LookupOut:
    """The sale behind a receipt number with what each line may still return (404 SALE_NOT_FOUND)."""
    conn = rt.db.reader
    sale_id = sales_read.sale_id_by_receipt(conn, receipt_number)
    head = q.sale_head(conn, sale_id) if sale_id is not None else None
    if head is None:
        raise NotFound(f"There is no sale with receipt number {receipt_number}.", "SALE_NOT_FOUND")
    lines = [
        ReturnableLine(
            line_no=r[0],
            product_id=r[1],
            name=r[2],
            unit=r[3],
            quantity=r[4] / 1000,
            returned_quantity=r[5] / 1000,
            returnable_quantity=(r[4] - r[5]) / 1000 if head[2] != "voided" else 0.0,
            total_amount=r[6],
            refunded_amount=r[7],
            refundable_amount=r[6] - r[7],
        )
        for r in fetch_all(conn, LOOKUP_LINES, (head[0],))
    ]
    return LookupOut(
        sale_id=head[0],
        receipt_number=head[1],
        status=head[2],
        business_date=head[4],
        created_at=head[5],
        customer_id=head[3],
        total_amount=head[6],
        refunded_amount=head[7],
        lines=lines,
        currency=checkout_of(rt.settings).currency,
    )


def get_return(rt: Runtime, return_id: int) -> ReturnOut:
    """One return or 404 RETURN_NOT_FOUND."""
    out = q.load_return(rt.db.reader, return_id, rt.settings.currency)
    if out is None:
        raise NotFound(f"There is no return with id {return_id}.", "RETURN_NOT_FOUND")
    return out


def list_returns(rt: Runtime, sale_id: int | None, before: int | None, limit: int) -> ReturnPage:
    """Returns newest first, optionally of one sale."""
    ids = q.page_ids(rt.db.reader, sale_id, before, limit)
    items = [get_return(rt, return_id) for return_id in ids[:limit]]
    return ReturnPage(items=items, next_cursor=encode_cursor(items[-1].id) if len(ids) > limit and items else None)

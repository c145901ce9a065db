"""The runbook's `POST /api/refunds/create` body mapped onto a return against a sale.

`orderId` is the sale's receipt number or id (digits); each item names a product of that sale, a quantity and
the unit price in major units (parsed exactly). The unit price must be what the receipt shows for the product,
either its shelf price or what was paid per unit after discounts; the refund itself is always the share of
what was actually paid (returns/valuation.py). `refundReason` is kept as the note; a reason code given there
(damaged, expired, wrong item, customer change) is used, anything else is `other`.
"""

from __future__ import annotations

from decimal import Decimal

import apsw

from pos_grocery.db.connection import fetch_all
from pos_grocery.errors import Conflict, ValidationFailed
from pos_grocery.money import div_round, format_minor
from pos_grocery.pagination import MAX_ID
from pos_grocery.returns.models import ReasonCode, ReturnCreate, ReturnLineIn, RunbookItem, RunbookRefund
from pos_grocery.returns.service import find_sale
from pos_grocery.sales.values import major_to_minor, thousandths

LINES = "SELECT line_no, product_id, qty, returned_qty, unit_price, total_amount FROM sale_lines WHERE sale_id = ?"
CODES: tuple[ReasonCode, ...] = ("damaged", "expired", "wrong_item", "customer_change")


def _sale_id(conn: apsw.Connection, order_id: str | int) -> int:
    """A sale id from orderId: digits are an id, anything else a receipt number."""
    text = str(order_id).strip()
    by_id = text.isdigit() and int(text) <= MAX_ID
    found = find_sale(conn, int(text), None) if by_id else find_sale(conn, None, text)
    assert found is not None
    return found


def reason_code(text: str) -> ReasonCode:
    """A reason code when the free text is one, else 'other'."""
    word = text.strip().lower().replace(" ", "_").replace("-", "_")
    return next((code for code in CODES if code == word), "other")


def _lines_for(
    rows: list[tuple[int, ...]], item: RunbookItem, index: int, planned: dict[int, int]
) -> list[tuple[int, int]]:
    """(line_no, qty) pairs that take the item's quantity, from the product's lines at the stated price."""
    field = f"items[{index}]"
    product_id = int(item.product_id)
    qty = thousandths(item.quantity, field + ".quantity")
    price = major_to_minor(item.unit_price, field + ".unitPrice")
    candidates = [r for r in rows if r[1] == product_id]
    if not candidates:
        raise ValidationFailed(
            f"Product {product_id} is not on this sale.", "PRODUCT_NOT_IN_SALE", field=field + ".productId"
        )
    matching = [r for r in candidates if price in (r[4], div_round(r[5] * 1000, r[2]))]
    if not matching:
        paid = ", ".join(format_minor(div_round(r[5] * 1000, r[2])) for r in candidates)
        raise ValidationFailed(
            f"unitPrice {item.unit_price} is not what was paid for product {product_id} ({paid}).",
            "REFUND_PRICE_MISMATCH",
            field=field + ".unitPrice",
        )
    taken: list[tuple[int, int]] = []
    for line_no, _pid, sold, returned, _unit, _total in matching:
        free = sold - returned - planned.get(line_no, 0)
        take = min(free, qty)
        if take > 0:
            taken.append((line_no, take))
            planned[line_no] = planned.get(line_no, 0) + take
            qty -= take
    if qty > 0:
        raise Conflict(
            f"Product {product_id}: {qty / 1000:g} more than was sold and not yet returned.", "RETURN_EXCEEDS_SOLD"
        )
    return taken


def to_return(conn: apsw.Connection, body: RunbookRefund) -> ReturnCreate:
    """The runbook body as a return against its sale (404 SALE_NOT_FOUND for an unknown orderId)."""
    sale_id = _sale_id(conn, body.order_id)
    rows = [tuple(r) for r in fetch_all(conn, LINES + " ORDER BY line_no", (sale_id,))]
    reason = reason_code(body.refund_reason)
    planned: dict[int, int] = {}
    lines = [
        ReturnLineIn(quantity=Decimal(qty).scaleb(-3), reason=reason, line_no=line_no)
        for index, item in enumerate(body.items)
        for line_no, qty in _lines_for(rows, item, index, planned)
    ]
    return ReturnCreate(
        lines=lines,
        refund_method=body.payment_method,
        sale_id=sale_id,
        manager_pin=body.manager_pin,
        note=body.refund_reason.strip(),
    )

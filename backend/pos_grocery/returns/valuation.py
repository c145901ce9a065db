"""What a return refunds, line by line (pure: rows in, valued lines out).

With a receipt each line refunds its share of what the customer actually paid for that sale line — tier price,
promotions, manual and bill discounts and tax all included — through `pricing.refund_for_return`, which takes
cumulative shares: the refunds of several partial returns of a line add up to exactly the line's total, never a
minor unit more or less. Without a receipt a line is valued at a unit price (the product's retail price, or one
a manager sets) with the store's tax convention.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_grocery.errors import Conflict
from pos_grocery.money import Rounding, line_amount
from pos_grocery.pricing import SoldLine, refund_for_return
from pos_grocery.pricing.tax import line_tax


@dataclass(frozen=True, slots=True)
class SoldRow:
    """A sale line as returns see it."""

    id: int
    line_no: int
    product_id: int
    name: str
    qty: int
    total_amount: int
    tax_amount: int
    returned_qty: int


@dataclass(frozen=True, slots=True)
class Wanted:
    """One requested return line (quantities in thousandths)."""

    qty: int
    reason: str
    disposition: str
    line_no: int | None = None
    product_id: int | None = None
    unit_price: int | None = None


@dataclass(frozen=True, slots=True)
class Valued:
    """A return line with its refund."""

    sale_line_id: int | None
    line_no: int | None
    product_id: int
    name: str
    qty: int
    total_amount: int
    tax_amount: int
    reason: str
    disposition: str


def value_with_receipt(rows: dict[int, SoldRow], wanted: list[Wanted], mode: Rounding) -> list[Valued]:
    """Refunds against sold lines; 409 RETURN_EXCEEDS_SOLD beyond sold minus already returned."""
    done = {line_no: row.returned_qty for line_no, row in rows.items()}
    out: list[Valued] = []
    for want in wanted:
        assert want.line_no is not None
        row = rows[want.line_no]
        before = done[want.line_no]
        if before + want.qty > row.qty:
            left = row.qty - before
            raise Conflict(
                f"Line {row.line_no} ({row.name}): sold {row.qty / 1000:g}, {left / 1000:g} left to return, "
                f"asked {want.qty / 1000:g}.",
                "RETURN_EXCEEDS_SOLD",
            )
        refund = refund_for_return(
            SoldLine(qty=row.qty, total_amount=row.total_amount, tax_amount=row.tax_amount), before, want.qty, mode
        )
        done[want.line_no] = before + want.qty
        out.append(
            Valued(
                row.id,
                row.line_no,
                row.product_id,
                row.name,
                want.qty,
                refund.total_amount,
                refund.tax_amount,
                want.reason,
                want.disposition,
            )
        )
    return out


def value_without_receipt(
    want: Wanted, name: str, unit_price: int, rate_bp: int, include_tax: bool, mode: Rounding
) -> Valued:
    """A no-receipt line at a unit price, taxed like a sale line."""
    assert want.product_id is not None
    net = line_amount(unit_price, want.qty, mode)
    tax, _taxable, total = line_tax(net, rate_bp, prices_include_tax=include_tax, mode=mode)
    return Valued(None, None, want.product_id, name, want.qty, total, tax, want.reason, want.disposition)

"""Tender rules: what each method needs, cash rounding on the cash part, covering the total, change from cash only.

- card and wallet need a reference; customer_account needs the sale's customer (credit limit checked in the
  transaction); store_credit names its voucher code as reference.
- Non-cash tenders may not pay more than the total: change is only ever given from cash.
- Cash rounding (CASH_ROUNDING_INCREMENT) applies to the part of the total left for cash, and only when the sale
  has a cash tender; the difference is recorded as the sale's own `cash_rounding` line (docs/PRICING.md).
- A cash tender hands over `tendered` (default `amount`); the cash part is taken from the cash tenders in order,
  what is left over is the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_grocery.errors import ValidationFailed
from pos_grocery.money import Rounding
from pos_grocery.pricing import cash_rounding
from pos_grocery.sales.models import TenderIn

NON_CASH = ("card", "wallet", "customer_account", "store_credit")


@dataclass(frozen=True, slots=True)
class TenderRow:
    """A tender as stored: amount paid toward the sale (they sum to amount_due), cash handed over, change."""

    seq: int
    method: str
    amount: int
    tendered: int
    change: int
    reference: str | None


@dataclass(frozen=True, slots=True)
class Settlement:
    """How a sale is paid."""

    cash_rounding: int
    amount_due: int
    tendered: int
    change: int
    tenders: list[TenderRow]


def _check_tender(tender: TenderIn, index: int, has_customer: bool) -> None:
    field = f"tenders[{index}]"
    if tender.method in ("card", "wallet", "store_credit") and not (tender.reference or "").strip():
        raise ValidationFailed(
            f"A {tender.method} tender needs a reference.", "TENDER_REFERENCE_REQUIRED", field=field + ".reference"
        )
    if tender.method == "customer_account" and not has_customer:
        raise ValidationFailed(
            "An account tender needs the sale's customerId.", "CUSTOMER_REQUIRED", field="customerId"
        )
    if tender.tendered is not None and tender.method != "cash":
        raise ValidationFailed(
            "Only cash tenders carry a tendered amount.", "INVALID_TENDER", field=field + ".tendered"
        )
    if tender.tendered is not None and tender.tendered < tender.amount:
        raise ValidationFailed("tendered is less than amount.", "INVALID_TENDER", field=field + ".tendered")


def settle(tenders: list[TenderIn], total: int, increment: int, mode: Rounding, has_customer: bool) -> Settlement:
    """Check the tenders against the sale total and work out rounding, amount due and change."""
    for index, tender in enumerate(tenders):
        _check_tender(tender, index, has_customer)
    non_cash = sum(t.amount for t in tenders if t.method in NON_CASH)
    if non_cash > total:
        raise ValidationFailed(
            "Card, wallet, account and store-credit tenders may not exceed the total (change is given from cash only).",
            "TENDER_EXCEEDS_TOTAL",
            field="tenders",
        )
    cash = [t for t in tenders if t.method == "cash"]
    cash_part = total - non_cash
    rounding = cash_rounding(cash_part, increment, mode).adjustment if cash and increment > 0 else 0
    cash_due = cash_part + rounding
    handed = sum(t.tendered if t.tendered is not None else t.amount for t in cash)
    if handed < cash_due:
        raise ValidationFailed(
            f"The tenders are {cash_due - handed} short of the amount due.", "TENDERS_SHORT", field="tenders"
        )
    rows = _rows(tenders, cash_due)
    return Settlement(
        cash_rounding=rounding,
        amount_due=total + rounding,
        tendered=non_cash + handed,
        change=handed - cash_due,
        tenders=rows,
    )


def _rows(tenders: list[TenderIn], cash_due: int) -> list[TenderRow]:
    """Tenders as stored: the cash due is taken from the cash tenders in order; the rest of each is change."""
    rows: list[TenderRow] = []
    left = cash_due
    for seq, t in enumerate(tenders, start=1):
        reference = t.reference.strip() if t.reference else None
        if t.method != "cash":
            rows.append(TenderRow(seq, t.method, t.amount, t.amount, 0, reference))
            continue
        handed = t.tendered if t.tendered is not None else t.amount
        applied = min(handed, left)
        left -= applied
        rows.append(TenderRow(seq, "cash", applied, handed, handed - applied, reference))
    return rows

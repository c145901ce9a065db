"""Sale checks that are not pricing: age confirmations, manual discount approvals, store credit vouchers."""

from __future__ import annotations

import datetime as dt

import apsw

from pos_grocery.errors import Conflict, ValidationFailed
from pos_grocery.pricing import ApprovalThreshold, ManualDiscount, needs_manager_approval
from pos_grocery.sales import queries as q
from pos_grocery.sales.models import AgeConfirmationIn, TenderIn
from pos_grocery.sales.pricing_input import PricedCart


def _age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on `day` (a 29 February birthday counts from 1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_checks(cart: PricedCart, confirmations: list[AgeConfirmationIn], business_date: str) -> list[dict[str, object]]:
    """The recorded confirmation for every age-restricted line; 400 AGE_CONFIRMATION_REQUIRED / UNDERAGE."""
    day = dt.date.fromisoformat(business_date)
    found: list[dict[str, object]] = []
    for line in cart.lines:
        min_age = line.product.min_age
        if min_age is None:
            continue
        match = next((c for c in confirmations if c.product_id in (line.product.id, None)), None)
        field = f"lines[{line.line_no - 1}]"
        if match is None:
            raise ValidationFailed(
                f"Product {line.product.id} is age-restricted ({min_age}+): record the age check.",
                "AGE_CONFIRMATION_REQUIRED",
                field=field,
            )
        entry: dict[str, object] = {"productId": line.product.id, "minAge": min_age, "method": match.method}
        if match.method == "date_of_birth":
            if match.date_of_birth is None:
                raise ValidationFailed(
                    "A date_of_birth confirmation needs dateOfBirth.",
                    "AGE_CONFIRMATION_REQUIRED",
                    field="ageConfirmations",
                )
            if _age_on(match.date_of_birth, day) < min_age:
                raise ValidationFailed(f"The customer is under {min_age}.", "CUSTOMER_UNDERAGE", field=field)
            entry["dateOfBirth"] = match.date_of_birth.isoformat()
        found.append(entry)
    return found


def discounts_needing_approval(cart: PricedCart, threshold: ApprovalThreshold) -> list[str]:
    """Fields of manual discounts above the threshold (each needs a reason and a manager)."""
    above: list[str] = []
    for line, priced in zip(cart.lines, cart.priced.lines, strict=True):
        if line.discount is None:
            continue
        before = priced.base_amount + sum(a.amount for a in priced.adjustments if a.kind.value != "manual_line")
        if needs_manager_approval(line.discount, before, threshold):
            _need_reason(line.discount, f"lines[{line.line_no - 1}].discount")
            above.append(f"lines[{line.line_no - 1}].discount")
    if cart.bill_discount is not None:
        totals = cart.priced.totals
        before_bill = totals.net_amount - totals.bill_discount
        if needs_manager_approval(cart.bill_discount, before_bill, threshold):
            _need_reason(cart.bill_discount, "billDiscount")
            above.append("billDiscount")
    return above


def _need_reason(discount: ManualDiscount, field: str) -> None:
    if not discount.reason:
        raise ValidationFailed(
            "A discount above the approval threshold needs a reason.",
            "DISCOUNT_REASON_REQUIRED",
            field=field + ".reason",
        )


def store_credit_ids(conn: apsw.Connection, tenders: list[TenderIn]) -> dict[int, int]:
    """Voucher id per tender position (1-based) of store-credit tenders; 400/409 when unknown or short."""
    found: dict[int, int] = {}
    for seq, tender in enumerate(tenders, start=1):
        if tender.method != "store_credit":
            continue
        voucher = q.store_credit(conn, tender.reference or "")
        if voucher is None:
            raise ValidationFailed(
                f"There is no store credit {tender.reference}.",
                "UNKNOWN_STORE_CREDIT",
                field=f"tenders[{seq - 1}].reference",
            )
        if voucher[1] < tender.amount:
            raise Conflict(
                f"Store credit {tender.reference} holds {voucher[1]}, less than {tender.amount}.",
                "STORE_CREDIT_INSUFFICIENT",
            )
        found[seq] = voucher[0]
    return found

"""Wire shapes of returns and refunds, and the runbook's `/api/refunds/create` body."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from pos_grocery.sales.models import Id, Money, Pin, Quantity, Reference
from pos_grocery.wire import In, Out

ReasonCode = Literal["damaged", "expired", "wrong_item", "customer_change", "other"]
Disposition = Literal["restock", "write_off"]
RefundMethod = Literal["cash", "card", "store_credit", "customer_account"]
ReceiptNumber = Annotated[str, Meta(min_length=1, max_length=64)]
Note = Annotated[str, Meta(max_length=500)]
MAX_LINES = 500


class ReturnLineIn(In):
    """With a receipt: the sale's `lineNo`; without one: `productId` (and optionally a manager-set `unitPrice`)."""

    quantity: Quantity
    reason: ReasonCode
    disposition: Disposition = "restock"
    line_no: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    product_id: Id | None = None
    unit_price: Money | None = None


class ReturnCreate(In):
    """`POST /api/returns` (send an Idempotency-Key header); no saleId/receiptNumber = a return without receipt."""

    lines: Annotated[list[ReturnLineIn], Meta(min_length=1, max_length=MAX_LINES)]
    refund_method: RefundMethod
    sale_id: Id | None = None
    receipt_number: ReceiptNumber | None = None
    reference: Reference | None = None
    manager_pin: Pin | None = None
    note: Note = ""


class ReturnLineOut(Out):
    """A returned line: what came back and what it refunded (tax included)."""

    product_id: int
    name: str
    quantity: float
    total_amount: int
    tax_amount: int
    reason: ReasonCode
    disposition: Disposition
    line_no: int | None = None


class ReturnOut(Out):
    """A completed return and its refund."""

    id: int
    sale_id: int | None
    receipt_number: str | None
    refund_method: RefundMethod
    refund_reference: str | None
    total_amount: int
    tax_amount: int
    store_credit_code: str | None
    business_date: str
    created_at: str
    cashier_id: int
    approved_by: int | None
    lines: list[ReturnLineOut]
    currency: str
    note: str = ""


class ReturnPage(Out):
    """A page of returns (newest first)."""

    items: list[ReturnOut]
    next_cursor: str | None


class ReturnableLine(Out):
    """A sold line and how much of it may still come back."""

    line_no: int
    product_id: int
    name: str
    unit: str
    quantity: float
    returned_quantity: float
    returnable_quantity: float
    total_amount: int
    refunded_amount: int
    refundable_amount: int


class LookupOut(Out):
    """A sale found by receipt number, as the return screen needs it."""

    sale_id: int
    receipt_number: str
    status: Literal["completed", "voided"]
    business_date: str
    created_at: str
    customer_id: int | None
    total_amount: int
    refunded_amount: int
    lines: list[ReturnableLine]
    currency: str


class RunbookItem(msgspec.Struct, rename="camel", kw_only=True):
    """An item of the runbook's refund body: productId as a string ("1"), unitPrice in major units (10.00)."""

    product_id: Annotated[str, Meta(min_length=1, max_length=20, pattern=r"^[0-9]+$")] | Id
    quantity: Annotated[Decimal, Meta(description="Positive, at most 3 decimals (decimal)")]
    unit_price: Annotated[Decimal, Meta(description="Unit price in major units, e.g. 10.00 (decimal)")]


class RunbookRefund(msgspec.Struct, rename="camel", kw_only=True):
    """The runbook's drill body for `POST /api/refunds/create` (its field names, kept exactly)."""

    order_id: Annotated[str, Meta(min_length=1, max_length=64)] | Id
    items: Annotated[list[RunbookItem], Meta(min_length=1, max_length=MAX_LINES)]
    refund_reason: Annotated[str, Meta(min_length=1, max_length=200)]
    payment_method: Literal["cash", "card", "store_credit"]
    manager_pin: Pin | None = None

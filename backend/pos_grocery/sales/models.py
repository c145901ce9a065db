"""Wire shapes of checkout (camelCase JSON): sale requests, quotes, sales, tenders, receipts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from pos_grocery.receipts.models import Receipt
from pos_grocery.wire import In, Out

Id = Annotated[int, Meta(ge=1, le=2**53)]
# Any amount a request may carry; far below 2**63 so sums of many cannot overflow SQLite's integers.
Money = Annotated[int, Meta(ge=0, le=10**13, description="Minor units (cents) of the store currency")]
PositiveMoney = Annotated[int, Meta(ge=1, le=10**13, description="Minor units (cents), at least 1")]
# msgspec cannot bound a Decimal: the service checks > 0, at most 3 decimals and the upper bound.
Quantity = Annotated[Decimal, Meta(description="Positive, at most 3 decimals (kg to the gram), <= 1000000 (decimal)")]
Percent = Annotated[Decimal, Meta(description="Percent, 0 < p <= 100, at most 2 decimals (decimal)")]
Code = Annotated[str, Meta(min_length=1, max_length=48)]
Reference = Annotated[str, Meta(min_length=1, max_length=64)]
Reason = Annotated[str, Meta(min_length=1, max_length=200)]
OptionalReason = Annotated[str, Meta(max_length=200)]
Pin = Annotated[str, Meta(min_length=1, max_length=12, description="A manager's PIN approving this request")]
Language = Literal["en", "si", "ta"]
Tier = Literal["retail", "wholesale", "credit", "other"]
TenderMethod = Literal["cash", "card", "wallet", "customer_account", "store_credit"]
AgeMethod = Literal["checked", "date_of_birth"]
MAX_LINES = 500


class DiscountIn(In):
    """A manual discount: exactly one of percent and amount; a reason (required above the approval threshold)."""

    percent: Percent | None = None
    amount: PositiveMoney | None = None
    reason: OptionalReason = ""


class LineIn(In):
    """One cart line; a variable-measure `scannedCode` supplies the weight or the price."""

    product_id: Id
    quantity: Quantity | None = None
    scanned_code: Code | None = None
    price_override: Money | None = None
    discount: DiscountIn | None = None


class VoidedLineIn(In):
    """A line the cashier voided before payment (kept for the audit, not sold)."""

    product_id: Id
    quantity: Quantity
    reason: Reason


class TenderIn(In):
    """A payment: cash (`tendered` = cash handed over, default `amount`), card/wallet (reference), account, credit."""

    method: TenderMethod
    amount: PositiveMoney
    tendered: Money | None = None
    reference: Reference | None = None


class AgeConfirmationIn(In):
    """The cashier checked the customer's age for a product (or, without productId, for every restricted line)."""

    method: AgeMethod
    product_id: Id | None = None
    date_of_birth: dt.date | None = None


class CartIn(In):
    """What prices a cart: lines, tier, customer, discounts (shared by quotes, holds and sales)."""

    lines: Annotated[list[LineIn], Meta(min_length=1, max_length=MAX_LINES)]
    price_tier: Tier | None = None
    customer_id: Id | None = None
    bill_discount: DiscountIn | None = None
    manager_pin: Pin | None = None
    held_sale_id: Id | None = None


class QuoteIn(CartIn, kw_only=True):
    """`POST /api/sales/quote`: price a cart without saving anything."""


class SaleCreate(CartIn, kw_only=True):
    """`POST /api/sales`: a completed sale (send an Idempotency-Key header)."""

    tenders: Annotated[list[TenderIn], Meta(max_length=20)]
    language: Language = "en"
    age_confirmations: Annotated[list[AgeConfirmationIn], Meta(max_length=MAX_LINES)] = msgspec.field(
        default_factory=list
    )
    voided_lines: Annotated[list[VoidedLineIn], Meta(max_length=MAX_LINES)] = msgspec.field(default_factory=list)


class AdjustmentOut(Out):
    """A promotion, quantity break or manual discount: signed amount (negative lowers the price) and receipt text."""

    kind: str
    rule_id: int | None
    amount: int
    text: str
    reason: str | None = None


class LineOut(Out):
    """A priced line."""

    line_no: int
    product_id: int
    name: str
    unit: str
    quantity: float
    unit_price: int | None
    price_overridden: bool
    base_amount: int
    adjustments: list[AdjustmentOut]
    bill_discount: int
    net_amount: int
    tax_rate_bp: int
    tax_amount: int
    taxable_amount: int
    total_amount: int


class TaxLineOut(Out):
    """Tax at one rate: sums of the lines' figures."""

    rate_bp: int
    taxable_amount: int
    tax_amount: int
    total_amount: int


class TotalsOut(Out):
    """Sale totals; amountDue = totalAmount + cashRounding."""

    base_amount: int
    line_discount: int
    bill_discount: int
    net_amount: int
    taxable_amount: int
    tax_amount: int
    total_amount: int
    cash_rounding: int
    amount_due: int


class QuoteOut(Out):
    """A priced cart; amountDueCash is what a cash-only payment collects (cash rounding applied)."""

    price_tier: Tier
    customer_id: int | None
    prices_include_tax: bool
    lines: list[LineOut]
    bill_adjustments: list[AdjustmentOut]
    tax_summary: list[TaxLineOut]
    totals: TotalsOut
    amount_due_cash: int
    currency: str


class TenderOut(Out):
    """A recorded payment: amount paid toward the sale, cash handed over, change from it."""

    method: TenderMethod
    amount: int
    tendered: int
    change: int
    reference: str | None


class SaleOut(Out):
    """A completed (or voided) sale."""

    id: int
    receipt_number: str
    barcode_value: str
    status: Literal["completed", "voided"]
    terminal_id: int
    terminal: str
    cashier_id: int
    cashier: str
    customer_id: int | None
    held_sale_id: int | None
    price_tier: Tier
    language: Language
    prices_include_tax: bool
    business_date: str
    created_at: str
    lines: list[LineOut]
    bill_adjustments: list[AdjustmentOut]
    tax_summary: list[TaxLineOut]
    totals: TotalsOut
    tenders: list[TenderOut]
    change: int
    currency: str
    voided_at: str | None = None
    void_reason: str | None = None


class SalePage(Out):
    """A page of sales (newest first)."""

    items: list[SaleOut]
    next_cursor: str | None


class VoidIn(In):
    """`POST /api/sales/{id}/void`."""

    reason: Reason
    manager_pin: Pin | None = None


class ReceiptOut(Out):
    """A receipt: the device-neutral document (its own snake_case shape) and/or its plain text."""

    sale_id: int
    receipt_number: str
    barcode_value: str
    copy: bool
    reprint_count: int
    width: int
    text: str | None = None
    document: Receipt | None = None


class HoldIn(CartIn, kw_only=True):
    """`POST /api/held-sales`: park a cart; `priceLock` keeps its prices and promotions for the resume."""

    note: Annotated[str, Meta(max_length=200)] = ""
    price_lock: bool = False


class DiscardIn(In):
    """`POST /api/held-sales/{id}/discard`: a manager removes a held sale."""

    reason: Reason
    manager_pin: Pin | None = None


class HeldSaleOut(Out):
    """A held sale; `cart` is what the lane held (a sale body's priced part), `quote` its price now or locked."""

    id: int
    terminal_id: int
    terminal: str
    cashier_id: int
    customer_id: int | None
    note: str
    status: Literal["held", "resumed", "completed", "discarded"]
    expired: bool
    price_locked: bool
    total_amount: int
    line_count: int
    created_at: str
    expires_at: str
    resumed_at: str | None
    cart: CartIn | None = None
    quote: QuoteOut | None = None


class HeldSalePage(Out):
    """A page of held sales."""

    items: list[HeldSaleOut]
    next_cursor: str | None

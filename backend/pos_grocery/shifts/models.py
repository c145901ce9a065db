"""Wire shapes of shifts (camelCase JSON): opening, cash movements, no-sales, X/Z reports."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from pos_grocery.wire import In, Out

Id = Annotated[int, Meta(ge=1, le=2**53)]
Money = Annotated[int, Meta(ge=0, le=10**13, description="Minor units (cents) of the store currency, >= 0")]
PositiveMoney = Annotated[int, Meta(ge=1, le=10**13, description="Minor units (cents), at least 1")]
Reason = Annotated[str, Meta(min_length=1, max_length=200)]
Note = Annotated[str, Meta(max_length=200)]
Pin = Annotated[str, Meta(min_length=1, max_length=12, description="A manager's PIN approving this request")]
MovementKind = Literal["cash_in", "cash_out", "drop", "pickup", "petty"]
ShiftStatus = Literal["open", "closed"]
MOVEMENT_KINDS: tuple[MovementKind, ...] = ("cash_in", "cash_out", "drop", "pickup", "petty")


class ShiftOpen(In):
    """`POST /api/shifts`: the opening float; the terminal is the caller's (or `terminalId` from the back office)."""

    opening_float: Money
    terminal_id: Id | None = None
    note: Note = ""


class CashMovementIn(In):
    """`POST /api/shifts/{id}/movements`: amount > 0; the kind says whether cash goes in or out."""

    kind: MovementKind
    amount: PositiveMoney
    reason: Reason
    manager_pin: Pin | None = None


class NoSaleIn(In):
    """`POST /api/shifts/{id}/no-sale`: why the drawer is opened without a sale."""

    reason: Reason
    manager_pin: Pin | None = None


class ZReprintIn(In):
    """`POST /api/shifts/{id}/z/reprint`: a cashier's reprint of a Z, approved by a manager's PIN."""

    manager_pin: Pin | None = None


class Denomination(In):
    """A counted note or coin: its face value in minor units and how many."""

    value: PositiveMoney
    count: Annotated[int, Meta(ge=0, le=1_000_000)]


class ShiftCloseIn(In):
    """`POST /api/shifts/{id}/close` (Z): the counted cash, as a total and/or by denomination."""

    declared_cash: Money | None = None
    denominations: Annotated[list[Denomination], Meta(max_length=50)] | None = None
    note: Note = ""
    manager_pin: Pin | None = None


class ShiftOut(Out):
    """A shift (closing figures once closed)."""

    id: int
    terminal_id: int
    terminal: str
    status: ShiftStatus
    opening_float: int
    opened_by: int
    opened_by_name: str
    opened_at: str
    business_date: str
    note: str
    closed_by: int | None
    closed_at: str | None
    expected_cash: int | None
    declared_cash: int | None
    variance: int | None
    z_number: int | None
    currency: str


class ShiftPage(Out):
    """A page of shifts, newest first."""

    items: list[ShiftOut]
    next_cursor: str | None


class CashMovementOut(Out):
    """A recorded cash movement."""

    id: int
    shift_id: int
    kind: MovementKind
    amount: int
    reason: str
    user_id: int
    approved_by: int | None
    created_at: str
    currency: str


class NoSaleOut(Out):
    """A recorded no-sale; `drawer` says what the cash drawer did (see shifts/drawer.py)."""

    id: int
    shift_id: int
    reason: str
    user_id: int
    approved_by: int | None
    created_at: str
    drawer: str


class SalesTotals(Out):
    """Completed sales of the shift (voided ones are counted under `voids`)."""

    count: int
    gross: int
    line_discounts: int
    bill_discounts: int
    discounts: int
    net: int
    tax: int
    total: int
    cash_rounding: int
    amount_due: int


class DiscountRow(Out):
    """A promotion or discount used: its kind, rule (0 = manual) and what it gave."""

    kind: str
    rule_id: int
    text: str
    uses: int
    amount: int


class TaxRow(Out):
    """Tax of one rate."""

    rate_bp: int
    taxable: int
    tax: int
    total: int


class TenderRow(Out):
    """Tenders of one method: `amount` counts toward sales; `tendered`/`change` are the cash handed and given back."""

    method: str
    count: int
    amount: int
    tendered: int
    change: int


class CountAmount(Out):
    """A count and a sum."""

    count: int
    amount: int


class RefundRow(Out):
    """Refunds paid by one method."""

    method: str
    count: int
    amount: int


class MovementRow(Out):
    """Cash movements of one kind."""

    kind: str
    count: int
    amount: int


class CashSummary(Out):
    """Expected cash = float + cash tendered - change - cash refunds + cash in - cash out - drops - pickups - petty."""

    opening_float: int
    cash_tendered: int
    change_given: int
    cash_refunds: int
    cash_in: int
    cash_out: int
    drops: int
    pickups: int
    petty: int
    expected: int
    declared: int | None
    variance: int | None
    denominations: list[Denomination] | None


class ItemRow(Out):
    """A product's sales in the shift."""

    product_id: int
    name: str
    lines: int
    quantity: float
    total: int


class HourRow(Out):
    """Completed sales in one local hour."""

    hour: int
    sales: int
    amount_due: int


class CashierRow(Out):
    """A cashier who sold in the shift."""

    user_id: int
    name: str
    sales: int
    amount_due: int


class ShiftReport(Out):
    """An X (snapshot, nothing changes) or Z (closing, stored once) report of a shift."""

    kind: Literal["x", "z"]
    shift_id: int
    z_number: int | None
    terminal_id: int
    terminal: str
    business_date: str
    opened_at: str
    opened_by: str
    closed_at: str | None
    closed_by: str | None
    generated_at: str
    cashiers: list[CashierRow]
    sales: SalesTotals
    discounts: list[DiscountRow]
    tax_by_rate: list[TaxRow]
    tenders: list[TenderRow]
    refunds: list[RefundRow]
    refund_total: CountAmount
    voids: CountAmount
    no_sales: int
    cash_movements: list[MovementRow]
    cash: CashSummary
    item_lines: int
    item_quantity: float
    top_items: list[ItemRow]
    by_hour: list[HourRow]
    currency: str


class ZReportOut(Out):
    """The stored Z document; `copy` is true on every reprint (the text then says COPY)."""

    z_number: int
    shift_id: int
    copy: bool
    reprint_count: int
    sha256: str
    report: ShiftReport
    text: str

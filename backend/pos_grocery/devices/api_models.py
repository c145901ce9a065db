"""Wire shapes the API adds for devices: print and drawer outcomes on sales and returns, reprints, the scale."""

from __future__ import annotations

from typing import Literal

import msgspec

from pos_grocery.returns.models import ReturnOut
from pos_grocery.sales.models import SaleOut
from pos_grocery.wire import Out

PrintState = Literal["printed", "failed", "pending", "skipped"]
DrawerState = Literal["opened", "failed", "pending", "skipped"]


class PrintOut(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    """What became of a receipt: printed, failed (retry with POST /api/sales/{id}/print), pending, skipped."""

    status: PrintState
    detail: str = ""
    copy: bool = False
    action_id: str | None = None


class DrawerOut(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    """What became of the cash-drawer kick (cash tenders only): opened, failed, pending or skipped."""

    status: DrawerState
    detail: str = ""
    action_id: str | None = None


NOT_ASKED_PRINT = PrintOut(status="skipped", detail="printing on sale is off (DEVICE_PRINT_ON_SALE)")
NOT_ASKED_DRAWER = DrawerOut(status="skipped", detail="printing on sale is off (DEVICE_PRINT_ON_SALE)")


class SaleCompleted(SaleOut, kw_only=True):
    """`POST /api/sales`: the sale, and what the lane's printer and drawer did (the sale is stored either way)."""

    print_: PrintOut = msgspec.field(name="print", default=NOT_ASKED_PRINT)
    drawer: DrawerOut = NOT_ASKED_DRAWER


class ReturnCompleted(ReturnOut, kw_only=True):
    """`POST /api/returns` and `/api/refunds/create`: the return, its refund slip and (cash refunds) the drawer."""

    print_: PrintOut = msgspec.field(name="print", default=NOT_ASKED_PRINT)
    drawer: DrawerOut = NOT_ASKED_DRAWER


class SalePrintOut(Out):
    """`POST /api/sales/{id}/print`: the original when it never printed, else a COPY."""

    sale_id: int
    receipt_number: str
    reprint_count: int
    print_: PrintOut = msgspec.field(name="print")
    drawer: DrawerOut


class ScaleWeightOut(Out):
    """A stable, positive net weight read from the lane's scale."""

    terminal_id: int
    grams: int
    gross_grams: int
    tare_grams: int

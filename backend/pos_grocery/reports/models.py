"""Wire shapes of reports: one generic table (columns + rows) that charts read as JSON and CSV exports."""

from __future__ import annotations

from typing import Literal

import msgspec

ReportName = Literal[
    "sales-by-period",
    "sales-by-hour",
    "sales-by-tier",
    "sales-by-category",
    "top-products",
    "sales-by-cashier",
    "sales-by-terminal",
    "discounts",
    "tax",
    "tenders",
    "returns-by-reason",
    "voids",
    "shift-variances",
]
REPORT_NAMES: tuple[str, ...] = ReportName.__args__  # type: ignore[attr-defined]
Cell = float | str | None  # numbers: integers for money and counts (one JSON "number" type, no oneOf overlap)


class ReportOut(msgspec.Struct, rename="camel", kw_only=True):
    """A report over [from, to] (business days, store time zone): `columns` name each row's keys, in order."""

    report: ReportName
    from_date: str = msgspec.field(name="from")
    to_date: str = msgspec.field(name="to")
    timezone: str
    columns: list[str]
    rows: list[dict[str, Cell]]
    totals: dict[str, Cell]
    currency: str


class ReportInfo(msgspec.Struct, rename="camel", kw_only=True):
    """One available report."""

    name: str
    description: str


class ReportList(msgspec.Struct, rename="camel", kw_only=True):
    """Every report `GET /api/reports/{name}` answers."""

    items: list[ReportInfo]

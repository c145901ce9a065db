"""A demo receipt in each language: for tests, the simulator's test print and `make run`."""

from __future__ import annotations

import datetime as dt

from pos_grocery.receipts.models import (
    AppliedPromotion,
    BillAdjustment,
    Language,
    Receipt,
    ReceiptLine,
    TaxSummary,
    Tender,
)

NAMES: dict[Language, tuple[str, str, str]] = {
    "en": ("Sugar 1kg", "Bananas (Ambul)", "Coconut"),
    "si": ("සීනි 1kg", "කෙසෙල් (ඇඹුල්)", "පොල්"),
    "ta": ("சீனி 1kg", "வாழைப்பழம்", "தேங்காய்"),
}


def demo_receipt(language: Language = "en", *, copy: bool = False, receipt_no: str = "L1-20260314-0042") -> Receipt:
    """A small but complete receipt: a promotion, a weighed line, tax, cash rounding, two tenders."""
    sugar, bananas, coconut = NAMES[language]
    lines = (
        ReceiptLine(
            name=sugar,
            qty=2000,
            unit="pc",
            unit_price=25000,
            amount=48000,
            promotions=(AppliedPromotion(text="Sugar Rs 10 off", amount=2000),),
        ),
        ReceiptLine(name=bananas, qty=1250, unit="kg", unit_price=30000, amount=37500),
        ReceiptLine(name=coconut, qty=1000, unit="pc", unit_price=12050, amount=12050),
    )
    return Receipt(
        store_lines=("Kade Grocery", "12 Galle Road, Colombo 3", "Tel 011 234 5678"),
        terminal="Lane 1",
        cashier="Nimal",
        receipt_no=receipt_no,
        business_date=dt.date(2026, 3, 14),
        issued_at=dt.datetime(2026, 3, 14, 10, 22),
        language=language,
        lines=lines,
        adjustments=(BillAdjustment(text="Bill discount", amount=-550),),
        subtotal=97000,
        taxes=(TaxSummary(rate_bp=1800, base=82203, tax=14797),),
        cash_rounding=0,
        total=97000,
        tenders=(Tender(method="card", amount=50000, reference="AUTH 123456"), Tender(method="cash", amount=50000)),
        change=3000,
        footer_lines=("No returns without receipt",),
        copy=copy,
    )

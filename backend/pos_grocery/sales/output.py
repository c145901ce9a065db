"""Priced lines and stored rows as the API shows them (one mapping for quotes, new sales and stored sales)."""

from __future__ import annotations

from pos_grocery.pricing import Adjustment, PricedLine, PricedSale, TaxSummaryLine, cash_rounding
from pos_grocery.sales.context import Checkout
from pos_grocery.sales.models import AdjustmentOut, LineOut, QuoteOut, TaxLineOut, TotalsOut
from pos_grocery.sales.pricing_input import CartLine, PricedCart


def adjustment_out(adjustment: Adjustment) -> AdjustmentOut:
    """An engine adjustment on the wire."""
    return AdjustmentOut(
        kind=adjustment.kind.value,
        rule_id=adjustment.rule_id,
        amount=adjustment.amount,
        text=adjustment.text,
        reason=adjustment.reason or None,
    )


def unit_price_of(line: CartLine, priced: PricedLine) -> int | None:
    """The unit price a line shows: an override, the tier/break price, or none for a price label."""
    return line.price_override if line.price_override is not None else priced.unit_price


def line_out(line: CartLine, priced: PricedLine, language: str) -> LineOut:
    """A priced cart line on the wire."""
    return LineOut(
        line_no=line.line_no,
        product_id=line.product.id,
        name=line.product.name(language),
        unit=line.product.unit,
        quantity=line.qty / 1000,
        unit_price=unit_price_of(line, priced),
        price_overridden=line.price_override is not None,
        base_amount=priced.base_amount,
        adjustments=[adjustment_out(a) for a in priced.adjustments],
        bill_discount=priced.bill_discount,
        net_amount=priced.net_amount,
        tax_rate_bp=priced.tax_rate_bp,
        tax_amount=priced.tax_amount,
        taxable_amount=priced.taxable_amount,
        total_amount=priced.total_amount,
    )


def tax_out(summary: TaxSummaryLine) -> TaxLineOut:
    """A tax summary line on the wire."""
    return TaxLineOut(
        rate_bp=summary.rate_bp,
        taxable_amount=summary.taxable_amount,
        tax_amount=summary.tax_amount,
        total_amount=summary.total_amount,
    )


def totals_out(priced: PricedSale, rounding: int) -> TotalsOut:
    """The engine's totals plus the cash rounding line."""
    t = priced.totals
    return TotalsOut(
        base_amount=t.base_amount,
        line_discount=t.line_discount,
        bill_discount=t.bill_discount,
        net_amount=t.net_amount,
        taxable_amount=t.taxable_amount,
        tax_amount=t.tax_amount,
        total_amount=t.total_amount,
        cash_rounding=rounding,
        amount_due=t.total_amount + rounding,
    )


def quote_out(ck: Checkout, cart: PricedCart, language: str = "en") -> QuoteOut:
    """A priced cart on the wire, with the cash-only amount due."""
    priced = cart.priced
    total = priced.totals.total_amount
    cash = cash_rounding(total, ck.cash_increment, ck.rounding).adjustment if ck.cash_increment else 0
    return QuoteOut(
        price_tier=cart.tier.value,
        customer_id=cart.customer.id if cart.customer else None,
        prices_include_tax=ck.pricing.prices_include_tax,
        lines=[line_out(line, p, language) for line, p in zip(cart.lines, priced.lines, strict=True)],
        bill_adjustments=[adjustment_out(a) for a in priced.bill_adjustments],
        tax_summary=[tax_out(t) for t in priced.tax_summary],
        totals=totals_out(priced, 0),
        amount_due_cash=total + cash,
        currency=ck.currency,
    )

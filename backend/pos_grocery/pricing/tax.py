"""Tax per line, the per-rate summary, pro-rated refunds and cash rounding.

Rounding rules (docs/PRICING.md has the full list):
- Tax is computed per line and rounded to the minor unit with the configured mode (default half up);
  the summary per rate is the sum of the lines, never recomputed from a total.
- Tax-inclusive: tax = round(gross * rate / (10000 + rate)), taxable = gross - tax, total = gross.
- Tax-exclusive: tax = round(net * rate / 10000), taxable = net, total = net + tax.
- A partial return refunds round(paid * returned_so_far / sold) minus what earlier returns refunded,
  so the refunds of a line add up to exactly what was paid.
"""

from __future__ import annotations

from collections.abc import Iterable

from pos_grocery.money import Rounding, prorate, round_to_increment, tax_from_gross, tax_from_net
from pos_grocery.pricing.models import CashRounding, PricedLine, Refund, SoldLine, TaxSummaryLine


def line_tax(net: int, rate_bp: int, *, prices_include_tax: bool, mode: Rounding) -> tuple[int, int, int]:
    """(tax, taxable, total) of one line whose discounted amount in the store's price convention is `net`."""
    if prices_include_tax:
        tax = tax_from_gross(net, rate_bp, mode)
        return tax, net - tax, net
    tax = tax_from_net(net, rate_bp, mode)
    return tax, net, net + tax


def tax_summary(lines: Iterable[PricedLine]) -> tuple[TaxSummaryLine, ...]:
    """Per-rate sums of the lines' taxable, tax and total amounts, by ascending rate."""
    sums: dict[int, tuple[int, int, int]] = {}
    for line in lines:
        taxable, tax, total = sums.get(line.tax_rate_bp, (0, 0, 0))
        sums[line.tax_rate_bp] = (
            taxable + line.taxable_amount,
            tax + line.tax_amount,
            total + line.total_amount,
        )
    return tuple(
        TaxSummaryLine(rate_bp=rate, taxable_amount=taxable, tax_amount=tax, total_amount=total)
        for rate, (taxable, tax, total) in sorted(sums.items())
    )


def refund_for_return(
    sold: SoldLine, returned_before: int, return_qty: int, mode: Rounding = Rounding.HALF_UP
) -> Refund:
    """Refund for returning `return_qty` of a sold line of which `returned_before` already came back."""
    if return_qty <= 0 or returned_before < 0:
        raise ValueError("return quantity must be positive and earlier returns non-negative")
    if returned_before + return_qty > sold.qty:
        raise ValueError(f"cannot return {return_qty}: sold {sold.qty}, already returned {returned_before}")
    # Cumulative shares telescope: the last return gets exactly what is left, so nothing leaks.
    done, after = returned_before, returned_before + return_qty
    paid, qty = sold.total_amount, sold.qty
    total = prorate(paid, after, qty, mode) - prorate(paid, done, qty, mode)
    tax = prorate(sold.tax_amount, after, qty, mode) - prorate(sold.tax_amount, done, qty, mode)
    return Refund(total_amount=total, tax_amount=tax, taxable_amount=total - tax)


def cash_rounding(amount: int, increment: int, mode: Rounding = Rounding.HALF_UP) -> CashRounding:
    """Round cash due to `increment` (5 = 0.05, 100 = 1.00, 0 = off); the difference is its own line."""
    # 0 is the store setting's "no cash rounding" (CASH_ROUNDING_INCREMENT=0), not an error.
    rounded = amount if increment == 0 else round_to_increment(amount, increment, mode)
    return CashRounding(amount=amount, rounded=rounded, adjustment=rounded - amount)

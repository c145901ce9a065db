"""The pricing engine: cart lines, price tier, time and rules in; priced lines, bill adjustments, tax out.

Precedence (each step works on the amounts the previous one left):
 1. tier price (missing non-retail tiers fall back to retail); an embedded barcode price fixes the amount
 2. quantity breaks (unit price for qty >= N of the product in the sale)
 3. promotions: the best-for-the-customer assignment of competing rules (see `promotions`)
 4. manual line discounts
 5. manual bill discount, allocated to the sale lines pro rata (largest remainder)
 6. tax, per line
 7. cash rounding: cash tender only; the checkout calls `cash_rounding` on the amount due.

Pure and deterministic: no I/O, no clock (the caller passes `at`), the same input in any order gives the
same result. Lines come back in input order; internally everything runs in line-id / rule-id order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pos_grocery.money import (
    BP_SCALE,
    allocate,
    format_minor,
    format_percent_bp,
    format_thousandths,
    line_amount,
    percent_of,
)
from pos_grocery.pricing.models import (
    Adjustment,
    AdjustmentKind,
    ApprovalThreshold,
    BuyXGetYRule,
    DiscountRule,
    DiscountType,
    ManualDiscount,
    MixMatchRule,
    MultibuyRule,
    PricedLine,
    PricedSale,
    PriceTier,
    PricingConfig,
    PromotionRule,
    QuantityBreak,
    Rule,
    SaleLine,
    Totals,
)
from pos_grocery.pricing.promotions import PromoLine, best_promotions, describe, kind_of
from pos_grocery.pricing.tax import line_tax, tax_summary


@dataclass(slots=True)
class _Work:
    """A line while it is being priced (mutable scratch space, never returned)."""

    line: SaleLine
    unit_price: int | None
    base: int
    adjustments: list[Adjustment] = field(default_factory=list)
    bill_share: int = 0

    @property
    def amount(self) -> int:
        """Amount after line-level adjustments, before the bill discount."""
        return self.base + sum(adjustment.amount for adjustment in self.adjustments)

    @property
    def automatic(self) -> bool:
        """Breaks and promotions apply to sale lines whose amount is not fixed by the barcode."""
        return self.line.qty > 0 and self.line.embedded_price is None


def price_sale(
    lines: Sequence[SaleLine],
    *,
    tier: PriceTier,
    at: datetime,
    rules: Sequence[Rule],
    bill_discount: ManualDiscount | None = None,
    config: PricingConfig | None = None,
) -> PricedSale:
    """Price a sale: see the module docstring for the order of steps."""
    config = config or PricingConfig()
    _validate(lines, rules, at)
    active = [rule for rule in sorted(rules, key=lambda rule: rule.rule_id) if rule.active_at(at)]
    works = [_start(line, tier) for line in sorted(lines, key=lambda line: line.line_id)]
    _apply_breaks(works, [rule for rule in active if isinstance(rule, QuantityBreak)], tier)
    promotions = [
        rule for rule in active if isinstance(rule, DiscountRule | MultibuyRule | BuyXGetYRule | MixMatchRule)
    ]
    _apply_promotions(works, promotions)
    for work in works:
        _apply_manual_line(work)
    bill_adjustments = _apply_bill_discount(works, bill_discount)
    priced = {work.line.line_id: _finish(work, config) for work in works}
    out = tuple(priced[line.line_id] for line in lines)
    summary = tax_summary(out)
    return PricedSale(lines=out, bill_adjustments=bill_adjustments, tax_summary=summary, totals=_totals(out))


def _validate(lines: Sequence[SaleLine], rules: Sequence[Rule], at: datetime) -> None:
    """Cross-object checks (each Struct already checked itself)."""
    if at.utcoffset() is None:
        raise ValueError("pricing time must be timezone-aware")
    line_ids = [line.line_id for line in lines]
    if len(set(line_ids)) != len(line_ids):
        raise ValueError("line ids must be unique")
    rule_ids = [rule.rule_id for rule in rules]
    if len(set(rule_ids)) != len(rule_ids):
        raise ValueError("rule ids must be unique")


def _start(line: SaleLine, tier: PriceTier) -> _Work:
    """Step 1: tier price, or the barcode's embedded price (signed like the quantity)."""
    if line.embedded_price is not None:
        base = line.embedded_price if line.qty > 0 else -line.embedded_price
        return _Work(line=line, unit_price=None, base=base)
    price = line.prices.for_tier(tier)
    return _Work(line=line, unit_price=price, base=line_amount(price, line.qty))


def _apply_breaks(works: list[_Work], breaks: list[QuantityBreak], tier: PriceTier) -> None:
    """Step 2: the lowest break price reached by the product's total quantity in the sale."""
    if not breaks:
        return
    quantities: dict[int, int] = {}
    for work in works:
        if work.automatic:
            quantities[work.line.product_id] = quantities.get(work.line.product_id, 0) + work.line.qty
    for work in works:
        if not work.automatic or work.unit_price is None:
            continue
        qty = quantities[work.line.product_id]
        reached = [
            rule
            for rule in breaks
            if rule.product_id == work.line.product_id
            and qty >= rule.min_qty
            and (not rule.tiers or tier in rule.tiers)
            and rule.unit_price < work.unit_price  # a break never raises a price
        ]
        best = min(reached, key=lambda rule: (rule.unit_price, rule.rule_id), default=None)
        if best is None:
            continue
        work.unit_price = best.unit_price
        change = line_amount(best.unit_price, work.line.qty) - work.base
        if change:
            work.adjustments.append(
                Adjustment(
                    kind=AdjustmentKind.QUANTITY_BREAK,
                    rule_id=best.rule_id,
                    amount=change,
                    text=_break_text(best, work.line.unit_label),
                )
            )


def _break_text(rule: QuantityBreak, unit: str) -> str:
    """Receipt text of a quantity break, e.g. 'Rice 5+ kg @ 95.00/kg'."""
    body = f"{format_thousandths(rule.min_qty)}+ {unit} @ {format_minor(rule.unit_price)}/{unit}"
    return f"{rule.label} {body}" if rule.label else body


def _apply_promotions(works: list[_Work], rules: list[PromotionRule]) -> None:
    """Step 3: the best assignment of promotions, one per line at most."""
    candidates = [
        PromoLine(
            line_id=work.line.line_id,
            product_id=work.line.product_id,
            category_id=work.line.category_id,
            qty=work.line.qty,
            unit_price=work.unit_price,
            amount=work.amount,
            weighed=work.line.weighed,
        )
        for work in works
        if work.automatic and work.unit_price is not None
    ]
    awards = best_promotions(rules, candidates)
    for work in works:
        award = awards.get(work.line.line_id)
        if award is not None:
            work.adjustments.append(
                Adjustment(
                    kind=kind_of(award.rule),
                    rule_id=award.rule.rule_id,
                    amount=-award.discount,
                    text=describe(award.rule, work.line.unit_label),
                )
            )


def manual_discount_amount(discount: ManualDiscount, amount: int) -> int:
    """Magnitude of a manual discount on an amount's magnitude; never more than that amount."""
    base = abs(amount)
    if discount.type is DiscountType.PERCENT:
        return percent_of(base, discount.value)
    return min(discount.value, base)


def _manual_text(discount: ManualDiscount, prefix: str) -> str:
    """Receipt text of a manual discount, e.g. 'Discount 10%' or 'Bill discount 50.00'."""
    if discount.type is DiscountType.PERCENT:
        return f"{prefix} {format_percent_bp(discount.value)}%"
    return f"{prefix} {format_minor(discount.value)}"


def _apply_manual_line(work: _Work) -> None:
    """Step 4: a cashier's line discount moves the amount toward zero (also on return lines)."""
    discount = work.line.manual_discount
    if discount is None:
        return
    amount = work.amount
    off = manual_discount_amount(discount, amount)
    if off:
        work.adjustments.append(
            Adjustment(
                kind=AdjustmentKind.MANUAL_LINE,
                rule_id=None,
                amount=-off if amount > 0 else off,
                text=_manual_text(discount, "Discount"),
                reason=discount.reason,
            )
        )


def _apply_bill_discount(works: list[_Work], discount: ManualDiscount | None) -> tuple[Adjustment, ...]:
    """Step 5: the bill discount, on the sale (positive) lines only, split pro rata before tax."""
    if discount is None:
        return ()
    sale_lines = [work for work in works if work.amount > 0]
    weights = [work.amount for work in sale_lines]
    off = manual_discount_amount(discount, sum(weights))
    for work, share in zip(sale_lines, allocate(off, weights), strict=True):
        work.bill_share = -share
    return (
        Adjustment(
            kind=AdjustmentKind.MANUAL_BILL,
            rule_id=None,
            amount=-off,
            text=_manual_text(discount, "Bill discount"),
            reason=discount.reason,
        ),
    )


def _finish(work: _Work, config: PricingConfig) -> PricedLine:
    """Step 6: tax on the line's final amount."""
    net = work.amount + work.bill_share
    tax, taxable, total = line_tax(
        net, work.line.tax_rate_bp, prices_include_tax=config.prices_include_tax, mode=config.tax_rounding
    )
    return PricedLine(
        line_id=work.line.line_id,
        product_id=work.line.product_id,
        qty=work.line.qty,
        unit_price=work.unit_price,
        base_amount=work.base,
        adjustments=tuple(work.adjustments),
        bill_discount=work.bill_share,
        net_amount=net,
        tax_rate_bp=work.line.tax_rate_bp,
        tax_amount=tax,
        taxable_amount=taxable,
        total_amount=total,
    )


def _totals(lines: Sequence[PricedLine]) -> Totals:
    """Sums over the lines (never recomputed from a total, so nothing drifts)."""
    return Totals(
        base_amount=sum(line.base_amount for line in lines),
        line_discount=sum(adjustment.amount for line in lines for adjustment in line.adjustments),
        bill_discount=sum(line.bill_discount for line in lines),
        net_amount=sum(line.net_amount for line in lines),
        taxable_amount=sum(line.taxable_amount for line in lines),
        tax_amount=sum(line.tax_amount for line in lines),
        total_amount=sum(line.total_amount for line in lines),
    )


def needs_manager_approval(discount: ManualDiscount, amount: int, threshold: ApprovalThreshold) -> bool:
    """True when a manual discount on `amount` exceeds the threshold's percent or amount limit."""
    off = manual_discount_amount(discount, amount)
    if threshold.amount is not None and off > threshold.amount:
        return True
    if threshold.percent_bp is None:
        return False
    if discount.type is DiscountType.PERCENT:
        return discount.value > threshold.percent_bp
    # Compare off/amount > limit/10000 by cross-multiplying: exact, no division.
    return off * BP_SCALE > threshold.percent_bp * abs(amount)

"""Property tests of the pricing engine: sums, bounds, rounding error, determinism, best-of, returns."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_grocery.money import BP_SCALE, Rounding, line_amount, percent_of
from pos_grocery.pricing import (
    AdjustmentKind,
    BuyXGetYRule,
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
    SoldLine,
    TierPrices,
    price_sale,
    promotions,
    refund_for_return,
)
from pos_grocery.pricing.promotions import PromoLine
from pos_grocery.pricing.tax import line_tax

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HALF_UP = Rounding.HALF_UP
WINDOWS = [(None, None), (AT - DAY, None), (AT + DAY, None), (None, AT), (AT - DAY, AT + DAY)]
RATES = st.sampled_from([0, 500, 800, 1500, 1800, 2500])
PRICE = st.integers(min_value=0, max_value=50_000)
EXAMPLES = settings(max_examples=120, deadline=None)
PROMOTION_KINDS = {
    AdjustmentKind.DISCOUNT,
    AdjustmentKind.MULTIBUY,
    AdjustmentKind.BUY_X_GET_Y,
    AdjustmentKind.MIX_MATCH,
}


def manual_discounts() -> st.SearchStrategy[ManualDiscount]:
    """Percent (up to 100 %) or amount discounts."""
    percent = st.builds(ManualDiscount, type=st.just(DiscountType.PERCENT), value=st.integers(0, BP_SCALE))
    amount = st.builds(ManualDiscount, type=st.just(DiscountType.AMOUNT), value=st.integers(0, 60_000))
    return percent | amount


@st.composite
def sale_line(draw: st.DrawFn, line_id: int, negative: bool, manual: bool) -> SaleLine:
    """One line over 4 products in 2 categories; weighed, counted, sometimes embedded-price or returned."""
    product_id = draw(st.integers(1, 4))
    weighed = draw(st.booleans())
    qty = draw(st.integers(1, 5000)) if weighed else 1000 * draw(st.integers(1, 7))
    prices = TierPrices(
        retail=draw(PRICE), wholesale=draw(st.none() | PRICE), credit=draw(st.none() | PRICE), other=None
    )
    embedded = draw(st.integers(0, 20_000)) if draw(st.integers(0, 7)) == 0 else None
    return SaleLine(
        line_id=line_id,
        product_id=product_id,
        category_id=product_id % 2 + 1,
        qty=-qty if negative and draw(st.integers(0, 5)) == 0 else qty,
        prices=prices,
        tax_rate_bp=draw(RATES),
        weighed=weighed,
        embedded_price=embedded,
        manual_discount=draw(manual_discounts()) if manual and draw(st.integers(0, 3)) == 0 else None,
    )


@st.composite
def sale_lines(draw: st.DrawFn, negative: bool = True, manual: bool = True) -> list[SaleLine]:
    """2..7 lines with distinct, unordered ids."""
    ids = draw(st.lists(st.integers(1, 999), min_size=2, max_size=7, unique=True))
    return [draw(sale_line(line_id, negative, manual)) for line_id in ids]


@st.composite
def scope(draw: st.DrawFn) -> dict[str, object]:
    """Product and/or category ids a promotion covers (never both empty), wire names."""
    products = draw(st.lists(st.integers(1, 4), max_size=2, unique=True))
    categories = draw(st.lists(st.integers(1, 2), max_size=1))
    return {"productIds": products or ([] if categories else [1]), "categoryIds": categories}


@st.composite
def rule(draw: st.DrawFn, rule_id: int) -> Rule:
    """Any rule kind with random parameters and a random date window, decoded like a stored rule."""
    start, end = draw(st.sampled_from(WINDOWS))
    fields: dict[str, object] = {"ruleId": rule_id, "validFrom": start, "validTo": end, **draw(scope())}
    kinds = ["percent", "amount", "multibuy", "buy_x_get_y", "mix_match", "quantity_break"]
    kind = draw(st.sampled_from(kinds))
    if kind in ("percent", "amount"):
        value = draw(st.integers(0, BP_SCALE)) if kind == "percent" else draw(st.integers(0, 20_000))
        fields["percentBp" if kind == "percent" else "amountPerUnit"] = value
        fields["maxQty"] = draw(st.none() | st.integers(1, 6000))
        fields["maxAmount"] = draw(st.none() | st.integers(1, 30_000))
        kind = "discount"
    elif kind == "multibuy":
        fields.update(count=draw(st.integers(2, 4)), price=draw(st.integers(0, 80_000)))
    elif kind == "buy_x_get_y":
        fields.update(buy=draw(st.integers(1, 3)), get=draw(st.integers(1, 2)))
        fields["percentBp"] = draw(st.integers(1, BP_SCALE))
    elif kind == "mix_match":
        fields["count"] = draw(st.integers(2, 4))
    else:
        fields = {"ruleId": rule_id, "validFrom": start, "validTo": end}
        fields.update(productId=draw(st.integers(1, 2)), minQty=draw(st.integers(1, 3000)))
        fields["unitPrice"] = draw(st.integers(0, 20_000))
        fields["tiers"] = draw(st.lists(st.sampled_from(list(PriceTier)), max_size=2, unique=True))
    decoded: Rule = msgspec.convert({"kind": kind, **fields}, Rule)
    return decoded


@st.composite
def rule_sets(draw: st.DrawFn) -> list[Rule]:
    """0..5 rules with distinct ids."""
    ids = draw(st.lists(st.integers(1, 99), max_size=5, unique=True))
    return [draw(rule(rule_id)) for rule_id in ids]


CONFIGS = st.builds(PricingConfig, prices_include_tax=st.booleans())
TIERS = st.sampled_from(list(PriceTier))
BILLS = st.none() | manual_discounts()
Bill = ManualDiscount | None


def check_sums(sale: PricedSale) -> None:
    """Totals and the tax summary are exact sums of the lines."""
    totals = sale.totals
    for name in ("base_amount", "net_amount", "taxable_amount", "tax_amount", "total_amount"):
        assert getattr(totals, name) == sum(getattr(line, name) for line in sale.lines)
    for name in ("taxable_amount", "tax_amount", "total_amount"):
        assert getattr(totals, name) == sum(getattr(row, name) for row in sale.tax_summary)
    assert totals.bill_discount == sum(line.bill_discount for line in sale.lines)
    assert totals.bill_discount == sum(adjustment.amount for adjustment in sale.bill_adjustments)
    assert totals.line_discount == sum(a.amount for line in sale.lines for a in line.adjustments)
    assert totals.net_amount == totals.base_amount + totals.line_discount + totals.bill_discount


def check_line(line_qty: int, p: PricedLine, config: PricingConfig) -> None:
    """Per-line identities, sign bounds and the half-unit tax rounding bound."""
    assert p.net_amount == p.base_amount + sum(a.amount for a in p.adjustments) + p.bill_discount
    assert sum(1 for a in p.adjustments if a.kind in PROMOTION_KINDS) <= 1
    if line_qty > 0:
        assert all(a.amount <= 0 for a in p.adjustments) and p.bill_discount <= 0
        assert 0 <= p.net_amount <= p.base_amount
    else:
        assert p.base_amount <= p.net_amount <= 0 and p.bill_discount == 0
    rate = p.tax_rate_bp
    if config.prices_include_tax:
        assert (p.total_amount, p.taxable_amount) == (p.net_amount, p.net_amount - p.tax_amount)
        exact = Fraction(p.net_amount * rate, BP_SCALE + rate)
    else:
        assert (p.taxable_amount, p.total_amount) == (p.net_amount, p.net_amount + p.tax_amount)
        exact = Fraction(p.net_amount * rate, BP_SCALE)
    assert abs(p.tax_amount - exact) <= Fraction(1, 2)


@EXAMPLES
@given(sale_lines(), rule_sets(), TIERS, CONFIGS, BILLS)
def test_sale_invariants(
    lines: list[SaleLine], rules: list[Rule], tier: PriceTier, config: PricingConfig, bill: Bill
) -> None:
    sale = price_sale(lines, tier=tier, at=AT, rules=rules, bill_discount=bill, config=config)
    assert [p.line_id for p in sale.lines] == [line.line_id for line in lines]
    check_sums(sale)
    for line, priced in zip(lines, sale.lines, strict=True):
        check_line(line.qty, priced, config)
    if all(line.qty > 0 for line in lines):
        assert sale.totals.total_amount >= 0 and sale.totals.tax_amount >= 0


@EXAMPLES
@given(sale_lines(), rule_sets(), TIERS, CONFIGS, BILLS, st.randoms(use_true_random=False))
def test_same_input_in_any_order_gives_the_same_result(
    lines: list[SaleLine],
    rules: list[Rule],
    tier: PriceTier,
    config: PricingConfig,
    bill: Bill,
    rnd: random.Random,
) -> None:
    def run(cart: list[SaleLine], rule_list: list[Rule]) -> PricedSale:
        return price_sale(cart, tier=tier, at=AT, rules=rule_list, bill_discount=bill, config=config)

    first = run(lines, rules)
    shuffled_lines, shuffled_rules = list(lines), list(rules)
    rnd.shuffle(shuffled_lines)
    rnd.shuffle(shuffled_rules)
    second = run(shuffled_lines, shuffled_rules)
    assert sorted(first.lines, key=lambda p: p.line_id) == sorted(second.lines, key=lambda p: p.line_id)
    assert (first.bill_adjustments, first.tax_summary, first.totals) == (
        second.bill_adjustments,
        second.tax_summary,
        second.totals,
    )


@EXAMPLES
@given(sale_lines(negative=False, manual=False), rule_sets(), TIERS)
def test_best_of_is_never_worse_than_any_single_promotion(
    lines: list[SaleLine], rules: list[Rule], tier: PriceTier
) -> None:
    breaks = [r for r in rules if isinstance(r, QuantityBreak)]

    def net(with_rules: Sequence[Rule]) -> int:
        return price_sale(lines, tier=tier, at=AT, rules=with_rules).totals.net_amount

    best = net(rules)
    assert best <= net(breaks)
    for single in rules:
        if not isinstance(single, QuantityBreak):
            assert best <= net([*breaks, single])


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**9), 10**9), st.integers(0, 5000))
def test_exclusive_and_inclusive_agree(net: int, rate: int) -> None:
    # Exclusive net N gives total T; pricing T tax-inclusive gives back exactly N and the same tax.
    tax, _, total = line_tax(net, rate, prices_include_tax=False, mode=HALF_UP)
    back_tax, back_net, back_total = line_tax(total, rate, prices_include_tax=True, mode=HALF_UP)
    assert (back_net, back_tax, back_total) == (net, tax, total)
    # Any gross G: re-pricing its inclusive net exclusively lands within one minor unit of G.
    gross = net
    _, inclusive_net, _ = line_tax(gross, rate, prices_include_tax=True, mode=HALF_UP)
    _, _, again = line_tax(inclusive_net, rate, prices_include_tax=False, mode=HALF_UP)
    assert abs(again - gross) <= 1


@EXAMPLES
@given(st.lists(st.tuples(PRICE, RATES), min_size=1, max_size=8))
def test_sale_priced_exclusive_then_inclusive_has_the_same_net(items: list[tuple[int, int]]) -> None:
    def sale(prices: list[tuple[int, int]], inclusive: bool) -> PricedSale:
        lines = [
            SaleLine(line_id=i, product_id=i, qty=1000, prices=TierPrices(retail=price), tax_rate_bp=rate)
            for i, (price, rate) in enumerate(prices, 1)
        ]
        config = PricingConfig(prices_include_tax=inclusive)
        return price_sale(lines, tier=PriceTier.RETAIL, at=AT, rules=[], config=config)

    exclusive = sale(items, inclusive=False)
    # The shelf price of a tax-inclusive store is the exclusive price plus its rounded tax.
    inclusive = sale([(p.total_amount, p.tax_rate_bp) for p in exclusive.lines], inclusive=True)
    assert inclusive.totals.taxable_amount == exclusive.totals.taxable_amount
    assert inclusive.totals.tax_amount == exclusive.totals.tax_amount
    assert inclusive.tax_summary == exclusive.tax_summary


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 100_000),
    st.integers(0, 10**8),
    st.integers(0, 2000),
    st.lists(st.integers(1, 100_000), min_size=1, max_size=12),
)
def test_partial_returns_sum_to_what_was_paid(qty: int, paid: int, rate: int, cuts: list[int]) -> None:
    tax = paid * rate // (BP_SCALE + rate)
    sold = SoldLine(qty=qty, total_amount=paid, tax_amount=tax)
    points = sorted({cut % qty for cut in cuts} | {0, qty})
    spans = list(itertools.pairwise(points))
    refunds = [refund_for_return(sold, done, after - done) for done, after in spans]
    assert sum(r.total_amount for r in refunds) == paid
    assert sum(r.tax_amount for r in refunds) == tax
    assert all(r.total_amount >= 0 and r.tax_amount >= 0 for r in refunds)
    for (done, after), refund in zip(spans, refunds, strict=True):
        assert abs(refund.total_amount - Fraction(paid * (after - done), qty)) < 1


def brute_force_best(lines: list[SaleLine], rules: list[PromotionRule]) -> int:
    """Reference: try every line -> (no rule | any applicable rule) assignment, keep the largest discount."""
    candidates = [
        PromoLine(
            line_id=line.line_id,
            product_id=line.product_id,
            category_id=line.category_id,
            qty=line.qty,
            unit_price=line.prices.retail,
            amount=line_amount(line.prices.retail, line.qty),
            weighed=line.weighed,
        )
        for line in lines
        if line.embedded_price is None
    ]
    choices = [[None, *(r for r in rules if promotions.applies(r, c))] for c in candidates]
    best = 0
    for assignment in itertools.product(*choices):
        total = 0
        for promotion in {r.rule_id: r for r in assignment if r is not None}.values():
            mine = [c for c, r in zip(candidates, assignment, strict=True) if r is promotion]
            total += sum(promotions.evaluate(promotion, mine).values())
        best = max(best, total)
    return best


@settings(max_examples=80, deadline=None)
@given(sale_lines(negative=False, manual=False), rule_sets())
def test_search_finds_the_brute_force_optimum(lines: list[SaleLine], rules: list[Rule]) -> None:
    lines = lines[:4]
    promos = [r for r in rules if not isinstance(r, QuantityBreak) and r.active_at(AT)]
    sale = price_sale(lines, tier=PriceTier.RETAIL, at=AT, rules=promos)
    assert -sale.totals.line_discount == brute_force_best(lines, promos)


def bundle_size(rule: PromotionRule) -> int:
    """Units per bundle of a count-based rule."""
    if isinstance(rule, BuyXGetYRule):
        return rule.buy + rule.get
    assert isinstance(rule, MultibuyRule | MixMatchRule)
    return rule.count


def naive_bundle_discount(rule: PromotionRule, lines: list[PromoLine]) -> dict[int, int]:
    """Reference for count-based rules: expand every unit, sort dearest first, cut into bundles."""
    result = {line.line_id: 0 for line in lines}
    groups = [lines]
    if isinstance(rule, BuyXGetYRule):
        products = {line.product_id for line in lines}
        groups = [[line for line in lines if line.product_id == p] for p in products]
    size = bundle_size(rule)
    for group in groups:
        units = [(line.unit_price, line.line_id) for line in group for _ in range(line.qty // 1000)]
        units.sort(key=lambda unit: (-unit[0], unit[1]))
        for start in range(0, len(units) - size + 1, size):
            bundle = units[start : start + size]
            if isinstance(rule, MixMatchRule):
                result[bundle[-1][1]] += bundle[-1][0]
            elif isinstance(rule, BuyXGetYRule):
                for unit_price, line_id in bundle[rule.buy :]:
                    result[line_id] += percent_of(unit_price, rule.percent_bp)
            elif isinstance(rule, MultibuyRule):
                saving = sum(unit[0] for unit in bundle) - rule.price
                result[bundle[0][1]] += max(saving, 0)  # only the total is compared for multibuy
    return result


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3), st.integers(1, 9), st.integers(0, 900)), min_size=1, max_size=6),
    st.sampled_from(["mix", "bxgy", "multibuy"]),
    st.integers(2, 4),
    st.integers(0, 2000),
)
def test_bundles_match_a_unit_by_unit_reference(
    items: list[tuple[int, int, int]], kind: str, size: int, value: int
) -> None:
    lines = [
        PromoLine(i, p, 1, n * 1000, unit_price=u, amount=n * u, weighed=False)
        for i, (p, n, u) in enumerate(items, start=1)
    ]
    rule: PromotionRule
    if kind == "mix":
        rule = MixMatchRule(rule_id=1, category_ids=(1,), count=size)
    elif kind == "bxgy":
        percent = 1 + value * 4  # 1 .. 8001 bp
        rule = BuyXGetYRule(rule_id=1, category_ids=(1,), buy=size - 1, get=1 + value % 2, percent_bp=percent)
    else:
        rule = MultibuyRule(rule_id=1, category_ids=(1,), count=size, price=value)
    got = promotions.evaluate(rule, lines)
    expected = naive_bundle_discount(rule, lines)
    assert sum(got.values()) == sum(expected.values())
    if not isinstance(rule, MultibuyRule):
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}

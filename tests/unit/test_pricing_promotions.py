"""Pricing engine scenarios: tiers, quantity breaks, each promotion type, windows, best-of and tie-breaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pos_grocery.pricing import (
    AdjustmentKind,
    BuyXGetYRule,
    DiscountRule,
    MixMatchRule,
    MultibuyRule,
    PricedLine,
    PricedSale,
    PriceTier,
    PricingConfig,
    QuantityBreak,
    Rule,
    SaleLine,
    TierPrices,
    price_sale,
    promotions,
)

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
NO_TAX = PricingConfig(prices_include_tax=True)


def line(line_id: int, product_id: int, qty: int, price: int, **extra: object) -> SaleLine:
    """A sale line with a retail price; extra fields pass through."""
    prices = extra.pop("prices", None) or TierPrices(retail=price)
    return SaleLine(line_id=line_id, product_id=product_id, qty=qty, prices=prices, **extra)  # type: ignore[arg-type]


def price(lines: list[SaleLine], rules: list[Rule], tier: PriceTier = PriceTier.RETAIL) -> PricedSale:
    """Price at AT with no tax, so amounts are easy to read."""
    return price_sale(lines, tier=tier, at=AT, rules=rules, config=NO_TAX)


def by_id(sale: PricedSale) -> dict[int, PricedLine]:
    """Priced lines keyed by line id."""
    return {priced.line_id: priced for priced in sale.lines}


def promo(priced: PricedLine) -> tuple[int | None, int] | None:
    """(rule id, amount) of the line's single promotion adjustment, if any."""
    not_promotions = (AdjustmentKind.QUANTITY_BREAK, AdjustmentKind.MANUAL_LINE)
    found = [a for a in priced.adjustments if a.kind not in not_promotions]
    assert len(found) <= 1
    return (found[0].rule_id, found[0].amount) if found else None


# --- tiers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (PriceTier.RETAIL, 10000),
        (PriceTier.WHOLESALE, 9000),
        (PriceTier.CREDIT, 10000),  # no credit price: falls back to retail
        (PriceTier.OTHER, 9500),
    ],
)
def test_tier_price_and_fallback(tier: PriceTier, expected: int) -> None:
    prices = TierPrices(retail=10000, wholesale=9000, credit=None, other=9500)
    sale = price([line(1, 1, 2000, 0, prices=prices)], [], tier)
    assert sale.lines[0].unit_price == expected
    assert sale.lines[0].base_amount == 2 * expected
    assert sale.totals.total_amount == 2 * expected


def test_weighed_line_amount_rounds_half_up() -> None:
    sale = price([line(1, 1, 1234, 199, weighed=True)], [])
    assert sale.lines[0].base_amount == 246  # 1.234 kg x 1.99 = 2.45566


def test_embedded_price_fixes_the_amount() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, product_ids=(7,), percent_bp=5000),
        QuantityBreak(rule_id=2, product_id=7, min_qty=1, unit_price=1),
    ]
    sale = price([line(1, 7, 1000, 99999, embedded_price=523)], rules)
    priced = sale.lines[0]
    assert (priced.unit_price, priced.base_amount, priced.net_amount) == (None, 523, 523)
    assert priced.adjustments == ()


# --- quantity breaks --------------------------------------------------------------------------------

BREAKS: list[Rule] = [
    QuantityBreak(rule_id=1, label="Rice", product_id=5, min_qty=5000, unit_price=9500),
    QuantityBreak(rule_id=2, label="Rice", product_id=5, min_qty=10000, unit_price=9000),
    QuantityBreak(rule_id=3, product_id=5, min_qty=1000, unit_price=12000),  # above the price: ignored
]


@pytest.mark.parametrize(
    ("qty", "unit_price", "text"),
    [
        (4999, 10000, None),
        (5000, 9500, "Rice 5+ kg @ 95.00/kg"),
        (9999, 9500, "Rice 5+ kg @ 95.00/kg"),
        (10000, 9000, "Rice 10+ kg @ 90.00/kg"),
    ],
)
def test_quantity_breaks(qty: int, unit_price: int, text: str | None) -> None:
    priced = price([line(1, 5, qty, 10000, weighed=True)], BREAKS).lines[0]
    assert priced.unit_price == unit_price
    assert priced.net_amount == (unit_price * qty + 500) // 1000
    assert [a.text for a in priced.adjustments] == ([text] if text else [])
    for adjustment in priced.adjustments:
        assert adjustment.kind is AdjustmentKind.QUANTITY_BREAK
        assert adjustment.amount == priced.net_amount - priced.base_amount


def test_quantity_break_counts_the_product_over_all_lines() -> None:
    sale = price([line(1, 5, 3000, 10000, weighed=True), line(2, 5, 2000, 10000, weighed=True)], BREAKS)
    assert [p.unit_price for p in sale.lines] == [9500, 9500]
    assert sale.totals.net_amount == 5 * 9500


def test_quantity_break_limited_to_tiers() -> None:
    rules: list[Rule] = [
        QuantityBreak(rule_id=1, product_id=5, min_qty=2000, unit_price=800, tiers=(PriceTier.WHOLESALE,))
    ]
    retail = price([line(1, 5, 3000, 1000)], rules, PriceTier.RETAIL)
    wholesale = price([line(1, 5, 3000, 1000)], rules, PriceTier.WHOLESALE)
    assert retail.lines[0].unit_price == 1000
    assert wholesale.lines[0].unit_price == 800


def test_promotion_applies_on_the_break_price() -> None:
    rules = [*BREAKS, DiscountRule(rule_id=9, product_ids=(5,), percent_bp=1000)]
    priced = price([line(1, 5, 10000, 10000, weighed=True)], rules).lines[0]
    assert [a.amount for a in priced.adjustments] == [-10000, -9000]
    assert priced.net_amount == 81000


# --- discounts and caps ------------------------------------------------------------------------------

SUGAR = DiscountRule(rule_id=1, label="Sugar", product_ids=(10,), amount_per_unit=1000, max_qty=3000)


def test_sugar_cap_four_kg_gets_thirty_off() -> None:
    priced = price([line(1, 10, 4000, 25000, weighed=True)], [SUGAR]).lines[0]
    (adjustment,) = priced.adjustments
    assert adjustment.amount == -3000  # 30.00 off, not 40.00
    assert adjustment.text == "Sugar 10.00/kg off (max 3 kg)"
    assert adjustment.rule_id == 1
    assert priced.net_amount == 100000 - 3000


def test_sugar_under_the_cap_gets_the_full_rate() -> None:
    priced = price([line(1, 10, 2500, 25000, weighed=True)], [SUGAR]).lines[0]
    assert priced.adjustments[0].amount == -2500


def test_sugar_cap_is_per_sale_across_lines() -> None:
    sale = price([line(1, 10, 2000, 25000, weighed=True), line(2, 10, 2000, 25000, weighed=True)], [SUGAR])
    assert [promo(p) for p in sale.lines] == [(1, -2000), (1, -1000)]
    assert sale.totals.line_discount == -3000


def test_percent_discount_per_category_with_amount_cap() -> None:
    rule = DiscountRule(rule_id=4, label="Dairy", category_ids=(3,), percent_bp=2000, max_amount=500)
    sale = price([line(1, 1, 1000, 2000, category_id=3), line(2, 2, 1000, 2000, category_id=3)], [rule])
    assert [promo(p) for p in sale.lines] == [(4, -400), (4, -100)]
    assert sale.lines[0].adjustments[0].text == "Dairy 20% off (max 5.00)"


def test_percent_cap_goes_to_the_dearest_line_first() -> None:
    rule = DiscountRule(rule_id=4, category_ids=(3,), percent_bp=5000, max_qty=1000)
    sale = price([line(1, 1, 1000, 1000, category_id=3), line(2, 2, 1000, 3000, category_id=3)], [rule])
    assert [promo(p) for p in sale.lines] == [None, (4, -1500)]


def test_discount_never_takes_a_line_below_zero() -> None:
    rule = DiscountRule(rule_id=1, product_ids=(1,), amount_per_unit=5000)
    priced = price([line(1, 1, 2000, 300)], [rule]).lines[0]
    assert priced.adjustments[0].amount == -600
    assert priced.net_amount == 0


# --- date windows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "applies"),
    [
        (AT + timedelta(seconds=1), None, False),  # not yet valid
        (AT, None, True),  # from is inclusive
        (None, AT, False),  # to is exclusive: expired at that instant
        (None, AT + timedelta(seconds=1), True),
        (AT - timedelta(days=7), AT - timedelta(days=1), False),  # expired
        (AT - timedelta(days=1), AT + timedelta(days=1), True),
    ],
)
def test_date_windows(start: datetime | None, end: datetime | None, applies: bool) -> None:
    rule = DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1000, valid_from=start, valid_to=end)
    priced = price([line(1, 1, 1000, 1000)], [rule]).lines[0]
    assert promo(priced) == ((1, -100) if applies else None)


def test_windows_compare_instants_across_time_zones() -> None:
    colombo = datetime(2025, 3, 1, 17, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    rule = DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1000, valid_from=colombo)  # == 12:00 UTC
    assert promo(price([line(1, 1, 1000, 1000)], [rule]).lines[0]) == (1, -100)


# --- multibuy, buy X get Y, mix & match ----------------------------------------------------------------

SOAP_3_FOR_100 = MultibuyRule(rule_id=1, label="Soap", product_ids=(1,), count=3, price=10000)


def test_multibuy_applied_as_many_times_as_fits() -> None:
    priced = price([line(1, 1, 7000, 4000)], [SOAP_3_FOR_100]).lines[0]
    assert priced.adjustments[0].amount == -4000  # two bundles of 120.00 for 100.00
    assert priced.adjustments[0].text == "Soap 3 for 100.00"
    assert priced.net_amount == 28000 - 4000


def test_multibuy_across_lines_and_products_shares_the_saving() -> None:
    rule = MultibuyRule(rule_id=1, product_ids=(1, 2), count=3, price=10000)
    sale = price([line(1, 1, 2000, 4000), line(2, 2, 1000, 3500)], [rule])
    # One bundle 40 + 40 + 35 = 115.00 for 100.00: 15.00 shared pro rata (80 : 35).
    assert [promo(p) for p in sale.lines] == [(1, -1043), (1, -457)]
    assert sale.totals.net_amount == 10000


def test_multibuy_never_charges_more_than_regular() -> None:
    rule = MultibuyRule(rule_id=1, product_ids=(1,), count=2, price=5000)
    assert price([line(1, 1, 2000, 2000)], [rule]).lines[0].adjustments == ()


def test_multibuy_ignores_weighed_lines_and_short_quantities() -> None:
    sale = price([line(1, 1, 2999, 4000, weighed=True), line(2, 1, 2000, 4000)], [SOAP_3_FOR_100])
    assert [promo(p) for p in sale.lines] == [None, None]


@pytest.mark.parametrize(("units", "free"), [(2, 0), (3, 1), (5, 1), (6, 2), (9, 3)])
def test_buy_two_get_one_free(units: int, free: int) -> None:
    rule = BuyXGetYRule(rule_id=2, label="Juice", product_ids=(1,), buy=2, get=1)
    priced = price([line(1, 1, units * 1000, 3000)], [rule]).lines[0]
    assert priced.net_amount == (units - free) * 3000
    if free:
        assert priced.adjustments[0].text == "Juice buy 2 get 1 free"


def test_buy_one_get_one_half_price() -> None:
    rule = BuyXGetYRule(rule_id=2, product_ids=(1,), buy=1, get=1, percent_bp=5000)
    priced = price([line(1, 1, 3000, 3001)], [rule]).lines[0]
    assert priced.adjustments[0].amount == -1501  # 50 % of 30.01, rounded half up
    assert priced.adjustments[0].text == "buy 1 get 1 50% off"


def test_buy_x_get_y_counts_each_product_separately() -> None:
    rule = BuyXGetYRule(rule_id=2, product_ids=(1, 2), buy=2, get=1)
    sale = price([line(1, 1, 2000, 3000), line(2, 2, 1000, 3000)], [rule])
    assert sale.totals.line_discount == 0
    sale = price([line(1, 1, 2000, 3000), line(2, 1, 1000, 3000)], [rule])  # same product on two lines
    assert sale.totals.line_discount == -3000


def test_mix_and_match_cheapest_free_in_each_bundle() -> None:
    rule = MixMatchRule(rule_id=3, label="Snacks", category_ids=(8,), count=3)
    prices = [20, 60, 40, 10, 50, 30]
    lines = [line(i, i, 1000, unit_price, category_id=8) for i, unit_price in enumerate(prices, 1)]
    sale = price(lines, [rule])
    # Sorted dearest first: [60, 50, 40] frees 40, [30, 20, 10] frees 10.
    assert {p.line_id: promo(p) for p in sale.lines if promo(p)} == {3: (3, -40), 4: (3, -10)}
    assert sale.lines[0].adjustments == ()
    assert by_id(sale)[3].adjustments[0].text == "Snacks 3 for 2, cheapest free"


def test_mix_and_match_leftovers_are_not_free() -> None:
    rule = MixMatchRule(rule_id=3, category_ids=(8,), count=3)
    lines = [line(i, i, 1000, p, category_id=8) for i, p in enumerate([50, 40, 30, 20], 1)]
    assert price(lines, [rule]).totals.line_discount == -30


def test_mix_and_match_equal_prices_free_the_highest_line_id() -> None:
    rule = MixMatchRule(rule_id=3, category_ids=(8,), count=2)
    lines = [line(i, i, 1000, 100, category_id=8) for i in (5, 2)]
    assert {p.line_id: promo(p) for p in price(lines, [rule]).lines} == {5: (3, -100), 2: None}


def test_large_quantities_bundle_without_expanding_units() -> None:
    rule = MixMatchRule(rule_id=3, product_ids=(1,), count=3)
    priced = price([line(1, 1, 3_000_000_000, 100)], [rule]).lines[0]
    assert priced.adjustments[0].amount == -100_000_000


# --- competing rules: best for the customer, ties to the lowest id ----------------------------------------


def test_best_of_competing_rules_on_one_line() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, category_ids=(3,), percent_bp=1000),  # 10.00
        DiscountRule(rule_id=2, product_ids=(1,), amount_per_unit=1500),  # 15.00
        MultibuyRule(rule_id=3, product_ids=(1,), count=2, price=19000),  # 1 unit: nothing
    ]
    priced = price([line(1, 1, 1000, 10000, category_id=3)], rules).lines[0]
    assert promo(priced) == (2, -1500)
    assert len(priced.adjustments) == 1  # promotions never stack on a line


def test_combination_of_rules_over_lines_beats_any_single_rule() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, category_ids=(3,), percent_bp=1000),
        BuyXGetYRule(rule_id=2, product_ids=(2,), buy=1, get=1),
    ]
    lines = [line(1, 1, 1000, 10000, category_id=3), line(2, 2, 2000, 5000, category_id=3)]
    sale = price(lines, rules)
    assert [promo(p) for p in sale.lines] == [(1, -1000), (2, -5000)]


def test_multibuy_beats_a_percent_when_it_is_worth_more() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1000),  # 12.00 on 3 units
        MultibuyRule(rule_id=2, product_ids=(1,), count=3, price=10000),  # 20.00 on 3 units
    ]
    assert promo(price([line(1, 1, 3000, 4000)], rules).lines[0]) == (2, -2000)
    assert promo(price([line(1, 1, 2000, 4000)], rules).lines[0]) == (1, -800)


def test_tie_goes_to_the_lowest_rule_id_in_any_order() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=7, product_ids=(1,), percent_bp=1000),
        DiscountRule(rule_id=3, category_ids=(2,), amount_per_unit=100),
        DiscountRule(rule_id=5, product_ids=(1,), percent_bp=1000),
    ]
    lines = [line(1, 1, 1000, 1000, category_id=2)]
    assert promo(price(lines, rules).lines[0]) == (3, -100)
    assert promo(price(lines, list(reversed(rules))).lines[0]) == (3, -100)


def test_greedy_fallback_for_huge_groups_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, category_ids=(3,), percent_bp=1000),
        DiscountRule(rule_id=2, product_ids=(1,), percent_bp=2000),
        MixMatchRule(rule_id=3, category_ids=(3,), count=2),
    ]
    lines = [line(i, 1 if i % 2 else 2, 1000, 100 * i, category_id=3) for i in range(1, 9)]
    exhaustive = price(lines, rules)
    monkeypatch.setattr(promotions, "SEARCH_BUDGET", 1)
    greedy = price(lines, rules)
    assert by_id(greedy) == by_id(price(list(reversed(lines)), list(reversed(rules))))
    best_single = min(price(lines, [rule]).totals.net_amount for rule in rules)
    assert greedy.totals.net_amount <= best_single
    assert exhaustive.totals.net_amount <= greedy.totals.net_amount


def test_negative_lines_get_no_promotions() -> None:
    rules: list[Rule] = [
        DiscountRule(rule_id=1, product_ids=(1,), percent_bp=5000),
        QuantityBreak(rule_id=2, product_id=1, min_qty=1, unit_price=1),
    ]
    priced = price([line(1, 1, -2000, 1000)], rules).lines[0]
    assert (priced.base_amount, priced.adjustments, priced.net_amount) == (-2000, (), -2000)

"""Tax per line, the summary, known one-cent drift regressions, returns pro-rating and cash rounding."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_grocery.money import Rounding, tax_from_gross, tax_from_net
from pos_grocery.pricing import (
    DiscountType,
    ManualDiscount,
    PricedSale,
    PriceTier,
    PricingConfig,
    SaleLine,
    SoldLine,
    TaxSummaryLine,
    TierPrices,
    cash_rounding,
    price_sale,
    refund_for_return,
)

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
INCLUSIVE = PricingConfig(prices_include_tax=True)
EXCLUSIVE = PricingConfig(prices_include_tax=False)


def line(line_id: int, unit_price: int, rate_bp: int, qty: int = 1000, **extra: object) -> SaleLine:
    """A one-piece line at `unit_price` and `rate_bp`."""
    return SaleLine(
        line_id=line_id,
        product_id=line_id,
        qty=qty,
        prices=TierPrices(retail=unit_price),
        tax_rate_bp=rate_bp,
        **extra,  # type: ignore[arg-type]
    )


def price(lines: list[SaleLine], config: PricingConfig, bill: ManualDiscount | None = None) -> PricedSale:
    """Price with no rules."""
    return price_sale(lines, tier=PriceTier.RETAIL, at=AT, rules=[], bill_discount=bill, config=config)


def test_inclusive_back_calculation_of_one_rupee_at_fifteen_percent() -> None:
    priced = price([line(1, 100, 1500)], INCLUSIVE).lines[0]
    assert (priced.tax_amount, priced.taxable_amount, priced.total_amount) == (13, 87, 100)


def test_exclusive_adds_tax_on_top() -> None:
    priced = price([line(1, 87, 1500)], EXCLUSIVE).lines[0]
    assert (priced.tax_amount, priced.taxable_amount, priced.total_amount) == (13, 87, 100)


@pytest.mark.parametrize("config", [INCLUSIVE, EXCLUSIVE])
def test_per_line_rounding_is_used_not_per_total(config: PricingConfig) -> None:
    """Regression: three 0.33 lines at 5 %. Per line: 3 x 0.02 = 0.06; on the total it would be 0.05."""
    sale = price([line(i, 33, 500) for i in (1, 2, 3)], config)
    assert [p.tax_amount for p in sale.lines] == [2, 2, 2]
    assert sale.totals.tax_amount == 6
    per_total = tax_from_gross(99, 500) if config.prices_include_tax else tax_from_net(99, 500)
    assert per_total == 5  # the drift other systems show between receipt lines and the summary
    assert sale.tax_summary == (
        TaxSummaryLine(
            rate_bp=500,
            taxable_amount=sum(p.taxable_amount for p in sale.lines),
            tax_amount=6,
            total_amount=sum(p.total_amount for p in sale.lines),
        ),
    )
    expected_total = 99 if config.prices_include_tax else 105
    assert sale.totals.total_amount == expected_total  # inclusive: the total is exactly the shelf prices


def test_summary_per_rate_sorted_and_summed() -> None:
    lines = [line(1, 1000, 1800), line(2, 250, 0), line(3, 575, 1800), line(4, 999, 800)]
    sale = price(lines, INCLUSIVE)
    assert [row.rate_bp for row in sale.tax_summary] == [0, 800, 1800]
    row_1800 = sale.tax_summary[2]
    assert row_1800.tax_amount == tax_from_gross(1000, 1800) + tax_from_gross(575, 1800) == 153 + 88
    assert sum(row.tax_amount for row in sale.tax_summary) == sale.totals.tax_amount
    assert sum(row.total_amount for row in sale.tax_summary) == sale.totals.total_amount == 2824


def test_tax_rounding_mode_is_configurable() -> None:
    half_even = PricingConfig(prices_include_tax=False, tax_rounding=Rounding.HALF_EVEN)
    assert price([line(1, 10, 2500)], EXCLUSIVE).lines[0].tax_amount == 3  # 2.5 -> 3
    assert price([line(1, 10, 2500)], half_even).lines[0].tax_amount == 2  # 2.5 -> 2


def test_negative_return_line_mirrors_the_sale() -> None:
    sale = price([line(1, 100, 1500), line(2, 100, 1500, qty=-1000)], INCLUSIVE)
    sold, returned = sale.lines
    assert (returned.base_amount, returned.tax_amount, returned.taxable_amount) == (-100, -13, -87)
    assert sale.totals.total_amount == 0
    assert sale.totals.tax_amount == 0
    assert sale.tax_summary[0].tax_amount == sold.tax_amount + returned.tax_amount == 0


def test_negative_only_sale_is_a_negative_total() -> None:
    sale = price([line(1, 333, 1500, qty=-3000)], EXCLUSIVE)
    assert sale.totals.net_amount == -999
    assert sale.totals.tax_amount == -150  # -149.85 rounds away from zero, like +149.85 -> 150
    assert sale.totals.total_amount == -1149


def test_hundred_percent_discount_line_has_no_tax() -> None:
    free = ManualDiscount(type=DiscountType.PERCENT, value=10000, reason="damaged packaging")
    sale = price([line(1, 1999, 1500, manual_discount=free), line(2, 500, 1500)], INCLUSIVE)
    first = sale.lines[0]
    assert (first.net_amount, first.tax_amount, first.taxable_amount, first.total_amount) == (0, 0, 0, 0)
    assert first.adjustments[0].amount == -1999
    assert first.adjustments[0].reason == "damaged packaging"
    assert sale.totals.total_amount == 500


def test_bill_discount_is_allocated_before_tax_so_tax_stays_per_line() -> None:
    bill = ManualDiscount(type=DiscountType.AMOUNT, value=1000, reason="loyal customer")
    sale = price([line(1, 10000, 1500), line(2, 20000, 0), line(3, 30000, 800)], INCLUSIVE, bill)
    assert [p.bill_discount for p in sale.lines] == [-167, -333, -500]
    assert [p.net_amount for p in sale.lines] == [9833, 19667, 29500]
    assert [p.tax_amount for p in sale.lines] == [
        tax_from_gross(9833, 1500),
        0,
        tax_from_gross(29500, 800),
    ]
    (adjustment,) = sale.bill_adjustments
    assert (adjustment.amount, adjustment.text) == (-1000, "Bill discount 10.00")
    assert adjustment.reason == "loyal customer"
    assert sale.totals.bill_discount == -1000
    assert sale.totals.total_amount == 60000 - 1000


def test_refund_pro_rating_never_leaks_a_cent() -> None:
    sold = SoldLine(qty=3000, total_amount=1000, tax_amount=130)
    refunds = [refund_for_return(sold, done, 1000) for done in (0, 1000, 2000)]
    assert [r.total_amount for r in refunds] == [333, 334, 333]
    assert [r.tax_amount for r in refunds] == [43, 44, 43]
    assert sum(r.total_amount for r in refunds) == 1000
    assert sum(r.tax_amount for r in refunds) == 130
    assert all(r.taxable_amount == r.total_amount - r.tax_amount for r in refunds)


def test_refund_of_weighed_part_and_whole() -> None:
    sold = SoldLine(qty=1234, total_amount=2457, tax_amount=0)
    assert refund_for_return(sold, 0, 1234).total_amount == 2457
    first = refund_for_return(sold, 0, 500)
    rest = refund_for_return(sold, 500, 734)
    assert first.total_amount + rest.total_amount == 2457


@pytest.mark.parametrize(
    ("before", "qty", "message"),
    [(0, 0, "must be positive"), (-1, 1, "must be positive"), (2000, 1001, "cannot return 1001")],
)
def test_refund_rejects_impossible_returns(before: int, qty: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        refund_for_return(SoldLine(qty=3000, total_amount=900, tax_amount=0), before, qty)


@pytest.mark.parametrize(
    ("amount", "increment", "mode", "rounded", "adjustment"),
    [
        (123456, 5, Rounding.HALF_UP, 123455, -1),
        (123458, 5, Rounding.HALF_UP, 123460, 2),
        (123450, 100, Rounding.HALF_UP, 123500, 50),
        (123450, 100, Rounding.DOWN, 123400, -50),
        (-123458, 5, Rounding.HALF_UP, -123460, -2),
        (123456, 0, Rounding.HALF_UP, 123456, 0),  # 0 = cash rounding switched off
        (123456, 1, Rounding.HALF_UP, 123456, 0),
    ],
)
def test_cash_rounding(amount: int, increment: int, mode: Rounding, rounded: int, adjustment: int) -> None:
    result = cash_rounding(amount, increment, mode)
    assert (result.amount, result.rounded, result.adjustment) == (amount, rounded, adjustment)
    assert result.amount + result.adjustment == result.rounded


def test_cash_rounding_rejects_a_negative_increment() -> None:
    with pytest.raises(ValueError, match="increment must be positive"):
        cash_rounding(100, -5)

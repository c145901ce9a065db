"""Manual line and bill discounts, manager approval thresholds, and input validation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec
import pytest

from pos_grocery.pricing import (
    AdjustmentKind,
    ApprovalThreshold,
    DiscountRule,
    DiscountType,
    ManualDiscount,
    MultibuyRule,
    PricedSale,
    PriceTier,
    Rule,
    SaleLine,
    TierPrices,
    manual_discount_amount,
    needs_manager_approval,
    price_sale,
)

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def pct(bp: int, reason: str = "r") -> ManualDiscount:
    """A percent manual discount."""
    return ManualDiscount(type=DiscountType.PERCENT, value=bp, reason=reason)


def amt(minor: int, reason: str = "r") -> ManualDiscount:
    """An amount manual discount."""
    return ManualDiscount(type=DiscountType.AMOUNT, value=minor, reason=reason)


def line(line_id: int, unit_price: int, qty: int = 1000, **extra: object) -> SaleLine:
    """A line of product `line_id` at `unit_price`, tax free."""
    prices = TierPrices(retail=unit_price)
    return SaleLine(line_id=line_id, product_id=line_id, qty=qty, prices=prices, **extra)  # type: ignore[arg-type]


def price(cart: list[SaleLine], bill: ManualDiscount | None = None, rules: Sequence[Rule] = ()) -> PricedSale:
    """Price tax-inclusive at rate 0."""
    return price_sale(cart, tier=PriceTier.RETAIL, at=AT, rules=rules, bill_discount=bill)


def test_manual_line_percent_after_promotions() -> None:
    rules: list[Rule] = [DiscountRule(rule_id=1, product_ids=(1,), amount_per_unit=1000)]
    priced = price([line(1, 10000, manual_discount=pct(1000, "price match"))], rules=rules).lines[0]
    assert [(a.kind, a.amount) for a in priced.adjustments] == [
        (AdjustmentKind.DISCOUNT, -1000),
        (AdjustmentKind.MANUAL_LINE, -900),  # 10 % of what the promotion left
    ]
    manual = priced.adjustments[1]
    assert (manual.rule_id, manual.text, manual.reason) == (None, "Discount 10%", "price match")
    assert priced.net_amount == 8100


def test_manual_line_amount_is_capped_at_the_line() -> None:
    priced = price([line(1, 500, manual_discount=amt(2000))]).lines[0]
    assert priced.adjustments[0].amount == -500
    assert priced.adjustments[0].text == "Discount 20.00"
    assert priced.net_amount == 0


def test_manual_discount_on_a_return_line_moves_toward_zero() -> None:
    priced = price([line(1, 1000, qty=-2000, manual_discount=pct(2500))]).lines[0]
    assert priced.adjustments[0].amount == 500
    assert priced.net_amount == -1500


def test_zero_manual_discount_leaves_no_adjustment() -> None:
    assert price([line(1, 1000, manual_discount=amt(0))]).lines[0].adjustments == ()


def test_bill_percent_discount_on_sale_lines_only() -> None:
    sale = price([line(1, 3000), line(2, 1000, qty=-1000), line(3, 1000)], bill=pct(1000, "staff"))
    assert [p.bill_discount for p in sale.lines] == [-300, 0, -100]
    assert sale.bill_adjustments[0].amount == -400
    assert sale.bill_adjustments[0].text == "Bill discount 10%"
    assert sale.totals.total_amount == 3000 - 1000 + 1000 - 400


def test_bill_discount_capped_at_the_sale_and_skips_free_lines() -> None:
    sale = price([line(1, 300, manual_discount=pct(10000)), line(2, 700)], bill=amt(5000))
    assert [p.bill_discount for p in sale.lines] == [0, -700]
    assert sale.bill_adjustments[0].amount == -700
    assert sale.totals.total_amount == 0


def test_bill_discount_on_an_empty_or_all_return_sale() -> None:
    sale = price([line(1, 300, qty=-1000)], bill=amt(100))
    assert sale.bill_adjustments[0].amount == 0
    assert sale.lines[0].net_amount == -300


def test_bill_discount_allocation_ties_go_to_the_lower_line_id() -> None:
    sale = price([line(9, 100), line(4, 100), line(6, 100)], bill=amt(100))
    assert {p.line_id: p.bill_discount for p in sale.lines} == {4: -34, 6: -33, 9: -33}
    assert [p.line_id for p in sale.lines] == [9, 4, 6]  # results keep the caller's order


@pytest.mark.parametrize(
    ("discount", "amount", "threshold", "needed"),
    [
        (pct(1000), 10000, ApprovalThreshold(percent_bp=1000), False),  # at the limit: allowed
        (pct(1001), 10000, ApprovalThreshold(percent_bp=1000), True),
        (amt(1000), 10000, ApprovalThreshold(percent_bp=1000), False),
        (amt(1001), 10000, ApprovalThreshold(percent_bp=1000), True),  # 10.01 % by exact comparison
        (amt(50000), 600000, ApprovalThreshold(amount=50000), False),
        (pct(1000), 600000, ApprovalThreshold(amount=50000), True),  # 60.00 > 50.00
        (pct(500), 600000, ApprovalThreshold(percent_bp=1000, amount=20000), True),  # amount limit hits
        (amt(9999), 100, ApprovalThreshold(amount=100), False),  # only 1.00 can come off a 1.00 line
        (pct(10000), 0, ApprovalThreshold(amount=1), False),
        (pct(5000), 1000, ApprovalThreshold(), False),  # no limits configured
        (amt(300), -1000, ApprovalThreshold(percent_bp=2500), True),  # return line: magnitude counts
    ],
)
def test_needs_manager_approval(
    discount: ManualDiscount, amount: int, threshold: ApprovalThreshold, needed: bool
) -> None:
    assert needs_manager_approval(discount, amount, threshold) is needed


def test_manual_discount_amount() -> None:
    assert manual_discount_amount(pct(1250), 999) == 125
    assert manual_discount_amount(amt(50), 20) == 20
    assert manual_discount_amount(amt(50), -200) == 50


def test_validation_of_the_sale() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        price_sale([line(1, 100)], tier=PriceTier.RETAIL, at=datetime(2025, 1, 1), rules=[])  # noqa: DTZ001
    with pytest.raises(ValueError, match="line ids must be unique"):
        price([line(1, 100), line(1, 200)])
    rules: list[Rule] = [
        DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1),
        MultibuyRule(rule_id=1, product_ids=(1,), count=2, price=1),
    ]
    with pytest.raises(ValueError, match="rule ids must be unique"):
        price([line(1, 100)], rules=rules)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: line(1, 100, qty=0), "quantity must not be zero"),
        (lambda: line(1, 100, tax_rate_bp=-1), "tax rate must not be negative"),
        (lambda: line(1, 100, embedded_price=-1), "embedded price must not be negative"),
        (lambda: TierPrices(retail=100, credit=-1), "prices must not be negative"),
        (lambda: pct(10001), "above 100 %"),
        (lambda: amt(-1), "must not be negative"),
        (lambda: DiscountRule(rule_id=1, product_ids=(1,)), "exactly one of percent_bp"),
        (lambda: DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1, amount_per_unit=1), "exactly one"),
        (lambda: DiscountRule(rule_id=1, percent_bp=1), "no products or categories"),
        (lambda: DiscountRule(rule_id=1, product_ids=(1,), percent_bp=10001), "percent_bp must be 0..10000"),
        (lambda: DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1, max_qty=0), "caps must be positive"),
        (lambda: MultibuyRule(rule_id=1, product_ids=(1,), count=1, price=1), "count must be at least 2"),
        (
            lambda: DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1, valid_from=datetime(2025, 1, 1)),  # noqa: DTZ001
            "valid_from must be timezone-aware",
        ),
        (
            lambda: DiscountRule(rule_id=1, product_ids=(1,), percent_bp=1, valid_from=AT, valid_to=AT),
            "valid_from must be before valid_to",
        ),
    ],
)
def test_structs_validate_themselves(build: object, message: str) -> None:
    assert callable(build)
    with pytest.raises(ValueError, match=message):
        build()


def test_rules_and_results_on_the_wire_are_camel_case_tagged_unions() -> None:
    wire = (
        b'[{"kind":"discount","ruleId":1,"label":"Sugar","productIds":[10],"amountPerUnit":1000,"maxQty":3000},'
        b'{"kind":"mix_match","ruleId":2,"categoryIds":[4],"count":3,"validFrom":"2025-01-01T00:00:00Z"},'
        b'{"kind":"quantity_break","ruleId":3,"productId":5,"minQty":5000,"unitPrice":950,"tiers":["wholesale"]}]'
    )
    rules = msgspec.json.decode(wire, type=list[Rule])
    assert [type(rule).__name__ for rule in rules] == ["DiscountRule", "MixMatchRule", "QuantityBreak"]
    sale = price([line(10, 25000, qty=4000, weighed=True)], rules=rules)
    encoded = msgspec.json.decode(msgspec.json.encode(sale))
    assert encoded["lines"][0]["adjustments"][0] == {
        "kind": "discount",
        "ruleId": 1,
        "amount": -3000,
        "text": "Sugar 10.00/kg off (max 3 kg)",
        "reason": None,
    }
    assert encoded["totals"]["totalAmount"] == 97000
    with pytest.raises(msgspec.ValidationError, match="count must be at least 2"):
        msgspec.json.decode(b'{"kind":"multibuy","ruleId":1,"productIds":[1],"count":1,"price":5}', type=Rule)
    with pytest.raises(msgspec.ValidationError, match="Expected `int`, got `float`"):
        float_price = b'{"kind":"multibuy","ruleId":1,"productIds":[1],"count":2,"price":5.5}'
        msgspec.json.decode(float_price, type=Rule)

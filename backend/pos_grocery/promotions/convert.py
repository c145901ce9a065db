"""Wire rules (decimals, RFC 3339 windows) to the pricing engine's rules (thousandths, basis points)."""

from __future__ import annotations

from typing import Any

import msgspec

from pos_grocery.errors import ValidationFailed
from pos_grocery.pricing import BuyXGetYRule, DiscountRule, MixMatchRule, MultibuyRule, PriceTier, QuantityBreak, Rule
from pos_grocery.promotions.models import BuyXGetYIn, DiscountRuleIn, MixMatchIn, MultibuyIn, QuantityBreakIn, RuleIn
from pos_grocery.sales.values import percent_bp, thousandths


def _common(rule_id: int, data: RuleIn) -> dict[str, Any]:
    return {"rule_id": rule_id, "label": data.label, "valid_from": data.valid_from, "valid_to": data.valid_to}


def _scope(data: DiscountRuleIn | MultibuyIn | BuyXGetYIn | MixMatchIn) -> dict[str, Any]:
    return {"product_ids": tuple(sorted(set(data.product_ids))), "category_ids": tuple(sorted(set(data.category_ids)))}


def _discount(rule_id: int, data: DiscountRuleIn) -> DiscountRule:
    return DiscountRule(
        **_common(rule_id, data),
        **_scope(data),
        percent_bp=None if data.percent is None else percent_bp(data.percent, "percent"),
        amount_per_unit=data.amount_per_unit,
        max_qty=None if data.max_quantity is None else thousandths(data.max_quantity, "maxQuantity"),
        max_amount=data.max_amount,
    )


def _build(rule_id: int, data: RuleIn) -> Rule:
    if isinstance(data, QuantityBreakIn):
        return QuantityBreak(
            **_common(rule_id, data),
            product_id=data.product_id,
            min_qty=thousandths(data.min_quantity, "minQuantity"),
            unit_price=data.unit_price,
            tiers=tuple(PriceTier(tier) for tier in data.tiers),
        )
    if isinstance(data, DiscountRuleIn):
        return _discount(rule_id, data)
    if isinstance(data, MultibuyIn):
        return MultibuyRule(**_common(rule_id, data), **_scope(data), count=data.count, price=data.price)
    if isinstance(data, BuyXGetYIn):
        return BuyXGetYRule(
            **_common(rule_id, data),
            **_scope(data),
            buy=data.buy,
            get=data.get,
            percent_bp=percent_bp(data.percent, "percent"),
        )
    return MixMatchRule(**_common(rule_id, data), **_scope(data), count=data.count)


def to_engine(rule_id: int, data: RuleIn) -> Rule:
    """The engine's rule for a wire rule; the engine's own checks become 400 INVALID_RULE."""
    try:
        return _build(rule_id, data)
    except (ValueError, TypeError, msgspec.ValidationError) as exc:
        raise ValidationFailed(f"The rule is not valid: {exc}", "INVALID_RULE") from None

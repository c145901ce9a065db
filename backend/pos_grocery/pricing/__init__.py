"""Pricing: tier prices, quantity breaks, promotions, manual discounts, tax and cash rounding (pure code).

The checkout's whole API (docs/PRICING.md explains the rules and every rounding):
    price_sale(lines, *, tier, at, rules, bill_discount=None, config=None) -> PricedSale
    needs_manager_approval(discount, amount, threshold) -> bool
    manual_discount_amount(discount, amount) -> int
    refund_for_return(sold, returned_before, return_qty, mode=HALF_UP) -> Refund
    cash_rounding(amount, increment, mode=HALF_UP) -> CashRounding
Inputs and results are the frozen msgspec Structs of `pricing.models`.
"""

from pos_grocery.pricing.engine import manual_discount_amount, needs_manager_approval, price_sale
from pos_grocery.pricing.models import (
    Adjustment,
    AdjustmentKind,
    ApprovalThreshold,
    BuyXGetYRule,
    CashRounding,
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
    Refund,
    Rule,
    SaleLine,
    SoldLine,
    TaxSummaryLine,
    TierPrices,
    Totals,
)
from pos_grocery.pricing.tax import cash_rounding, refund_for_return

__all__ = [
    "Adjustment",
    "AdjustmentKind",
    "ApprovalThreshold",
    "BuyXGetYRule",
    "CashRounding",
    "DiscountRule",
    "DiscountType",
    "ManualDiscount",
    "MixMatchRule",
    "MultibuyRule",
    "PriceTier",
    "PricedLine",
    "PricedSale",
    "PricingConfig",
    "PromotionRule",
    "QuantityBreak",
    "Refund",
    "Rule",
    "SaleLine",
    "SoldLine",
    "TaxSummaryLine",
    "TierPrices",
    "Totals",
    "cash_rounding",
    "manual_discount_amount",
    "needs_manager_approval",
    "price_sale",
    "refund_for_return",
]

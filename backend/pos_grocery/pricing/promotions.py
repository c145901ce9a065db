"""Promotions: what each rule is worth on a set of lines, and the best-for-the-customer choice among them.

A line receives at most one promotion; one promotion may span several lines (multibuy, mix & match, a
capped discount). The engine picks the assignment of lines to promotions with the largest total discount:
exhaustively when a group of lines linked by shared rules is small (assignments x lines <= SEARCH_BUDGET),
greedily (largest stand-alone discount first, then lowest rule id) above that. Ties between assignments
go to the one whose rule ids, read line by line in line-id order, are lowest. Every rule's value can only
grow when it gets more lines, so a line with one applicable rule always takes it and only lines with
several candidate rules are searched.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

import msgspec

from pos_grocery.money import (
    BP_SCALE,
    QTY_SCALE,
    allocate,
    div_round,
    format_minor,
    format_percent_bp,
    format_thousandths,
    percent_of,
)
from pos_grocery.pricing.models import (
    AdjustmentKind,
    BuyXGetYRule,
    DiscountRule,
    MixMatchRule,
    MultibuyRule,
    PromotionRule,
)

SEARCH_BUDGET = 4096
"""Search exhaustively while (assignments to try) x (lines in the group) is within this (~30 ms worst)."""

# A run of identical units in bundle order: (line id, unit price, number of units).
_Run = tuple[int, int, int]
# Candidate rule ids (ascending) per line id.
_Options = dict[int, tuple[int, ...]]


class PromoLine(msgspec.Struct, frozen=True):
    """A line as promotions see it: positive, priced at its tier/break unit price, not embedded-price."""

    line_id: int
    product_id: int
    category_id: int | None
    qty: int
    unit_price: int
    amount: int
    weighed: bool


class Award(msgspec.Struct, frozen=True):
    """A promotion's discount (a positive magnitude) on one line."""

    rule: PromotionRule
    discount: int


def kind_of(rule: PromotionRule) -> AdjustmentKind:
    """The adjustment kind a rule produces."""
    if isinstance(rule, DiscountRule):
        return AdjustmentKind.DISCOUNT
    if isinstance(rule, MultibuyRule):
        return AdjustmentKind.MULTIBUY
    if isinstance(rule, BuyXGetYRule):
        return AdjustmentKind.BUY_X_GET_Y
    return AdjustmentKind.MIX_MATCH


def describe(rule: PromotionRule, unit: str) -> str:
    """Receipt text, e.g. 'Sugar 10.00/kg off (max 3 kg)' or 'Soap 3 for 100.00'."""
    if isinstance(rule, DiscountRule):
        body = _describe_discount(rule, unit)
    elif isinstance(rule, MultibuyRule):
        body = f"{rule.count} for {format_minor(rule.price)}"
    elif isinstance(rule, BuyXGetYRule):
        gift = "free" if rule.percent_bp == BP_SCALE else f"{format_percent_bp(rule.percent_bp)}% off"
        body = f"buy {rule.buy} get {rule.get} {gift}"
    else:
        body = f"{rule.count} for {rule.count - 1}, cheapest free"
    return f"{rule.label} {body}" if rule.label else body


def _describe_discount(rule: DiscountRule, unit: str) -> str:
    """Text of a percent/amount discount with its caps."""
    if rule.amount_per_unit is not None:
        text = f"{format_minor(rule.amount_per_unit)}/{unit} off"
    else:
        text = f"{format_percent_bp(rule.percent_bp or 0)}% off"
    caps = []
    if rule.max_qty is not None:
        caps.append(f"{format_thousandths(rule.max_qty)} {unit}")
    if rule.max_amount is not None:
        caps.append(format_minor(rule.max_amount))
    return f"{text} (max {', '.join(caps)})" if caps else text


def applies(rule: PromotionRule, line: PromoLine) -> bool:
    """True when `rule` can discount `line`; count-based rules need whole, non-weighed units."""
    if line.amount <= 0 or not rule.covers(line.product_id, line.category_id):
        return False
    return isinstance(rule, DiscountRule) or (not line.weighed and line.qty >= QTY_SCALE)


def evaluate(rule: PromotionRule, lines: Sequence[PromoLine]) -> dict[int, int]:
    """Discount per line id when `rule` alone gets exactly `lines`; never more than a line's amount."""
    if isinstance(rule, DiscountRule):
        raw = _discount(rule, lines)
    elif isinstance(rule, MultibuyRule):
        raw = _multibuy(rule, _runs(lines))
    elif isinstance(rule, MixMatchRule):
        raw = _cheapest(_runs(lines), rule.count, 1, BP_SCALE)
    else:
        raw = {}
        # Buy X get Y counts each product on its own ("within the same product").
        for product_id in sorted({line.product_id for line in lines}):
            group = [line for line in lines if line.product_id == product_id]
            raw.update(_cheapest(_runs(group), rule.buy + rule.get, rule.get, rule.percent_bp))
    amounts = {line.line_id: line.amount for line in lines}
    return {line_id: min(off, amounts[line_id]) for line_id, off in raw.items()}


def _discount(rule: DiscountRule, lines: Sequence[PromoLine]) -> dict[int, int]:
    """Percent/amount discount; caps are spent where a unit is worth most, then rounded once per rule."""

    def worth(line: PromoLine) -> Fraction:
        """Discount one thousandth of this line is worth."""
        # Exact value per thousandth (Fraction, never a float): a greedy fill by exact worth is the best use
        # of a capped quantity, and it only grows as lines are added (the search relies on that).
        per_qty = Fraction(line.amount, line.qty)
        if rule.amount_per_unit is None:
            return per_qty * (rule.percent_bp or 0) / BP_SCALE
        return min(Fraction(rule.amount_per_unit, QTY_SCALE), per_qty)

    worths = {line.line_id: worth(line) for line in lines}
    shares: dict[int, Fraction] = {}
    qty_left = rule.max_qty
    amount_left = None if rule.max_amount is None else Fraction(rule.max_amount)
    for line in sorted(lines, key=lambda line: (-worths[line.line_id], line.line_id)):
        qty = line.qty if qty_left is None else min(line.qty, qty_left)
        share = worths[line.line_id] * qty
        if amount_left is not None:
            share = min(share, amount_left)
            amount_left -= share
        if qty_left is not None:
            qty_left -= qty
        shares[line.line_id] = share
    return _round_shares(shares)


def _round_shares(shares: dict[int, Fraction]) -> dict[int, int]:
    """Round the rule's exact total once (half up) and split it by largest remainder (ties: lower line id)."""
    exact = sum(shares.values(), Fraction(0))
    total = div_round(exact.numerator, exact.denominator)
    parts = {line_id: math.floor(share) for line_id, share in shares.items()}
    order = sorted(shares, key=lambda line_id: (parts[line_id] - shares[line_id], line_id))
    # At most one extra unit per line with a fractional share, so no line exceeds ceil(share) <= its amount.
    for line_id in order[: total - sum(parts.values())]:
        parts[line_id] += 1
    return parts


def _runs(lines: Sequence[PromoLine]) -> list[_Run]:
    """Whole units in bundle order: dearest first, then line id (the grocery convention)."""
    runs = [(line.line_id, line.unit_price, line.qty // QTY_SCALE) for line in lines]
    return sorted((run for run in runs if run[2] > 0), key=lambda run: (-run[1], run[0]))


def _bundles(runs: Sequence[_Run], size: int) -> Iterator[tuple[int, tuple[_Run, ...]]]:
    """Full bundles of `size` consecutive units as (repeat count, members); a short tail is no bundle."""
    partial: list[_Run] = []
    need = size
    for line_id, price, units in runs:
        while units:
            if not partial and units >= size:
                # Identical bundles inside one run are yielded once with a repeat count (no unit expansion).
                repeat, units = divmod(units, size)
                yield repeat, ((line_id, price, size),)
                continue
            take = min(need, units)
            partial.append((line_id, price, take))
            units -= take
            need -= take
            if need == 0:
                yield 1, tuple(partial)
                partial, need = [], size


def _cheapest(runs: Sequence[_Run], size: int, free: int, percent_bp: int) -> dict[int, int]:
    """In each full bundle of `size`, the `free` cheapest units get `percent_bp` off."""
    result: dict[int, int] = {}
    for repeat, members in _bundles(runs, size):
        left = free
        for line_id, price, units in reversed(members):
            taken = min(units, left)
            result[line_id] = result.get(line_id, 0) + repeat * taken * percent_of(price, percent_bp)
            left -= taken
            if left == 0:
                break
    return result


def _multibuy(rule: MultibuyRule, runs: Sequence[_Run]) -> dict[int, int]:
    """Each full bundle costs `rule.price`; its saving is shared over its units pro rata to their price."""
    result: dict[int, int] = {}
    for repeat, members in _bundles(runs, rule.count):
        values = [price * units for _, price, units in members]
        saving = sum(values) - rule.price
        if saving <= 0:
            continue  # a bundle price above the regular price never charges more
        for (line_id, _, _), share in zip(members, allocate(saving, values), strict=True):
            result[line_id] = result.get(line_id, 0) + repeat * share
    return result


class _Evaluator:
    """Memoised rule evaluation over line subsets during the search."""

    def __init__(self, rules: dict[int, PromotionRule], lines: dict[int, PromoLine]) -> None:
        """Rules and lines by id; an empty cache."""
        self._rules = rules
        self._lines = lines
        self._cache: dict[tuple[int, tuple[int, ...]], dict[int, int]] = {}

    def discounts(self, rule_id: int, line_ids: tuple[int, ...]) -> dict[int, int]:
        """Discounts of one rule over these lines (line ids in ascending order)."""
        key = (rule_id, line_ids)
        if key not in self._cache:
            self._cache[key] = evaluate(self._rules[rule_id], [self._lines[i] for i in line_ids])
        return self._cache[key]

    def score(self, assignment: dict[int, int]) -> int:
        """Total discount of an assignment line id -> rule id."""
        return sum(sum(self.discounts(rule_id, ids).values()) for rule_id, ids in _by_rule(assignment))

    def awards(self, assignment: dict[int, int]) -> dict[int, Award]:
        """Non-zero awards per line id for an assignment."""
        awards: dict[int, Award] = {}
        for rule_id, ids in _by_rule(assignment):
            for line_id, off in self.discounts(rule_id, ids).items():
                if off > 0:
                    awards[line_id] = Award(self._rules[rule_id], off)
        return awards


def _by_rule(assignment: dict[int, int]) -> list[tuple[int, tuple[int, ...]]]:
    """Group an assignment into (rule id, ascending line ids)."""
    groups: dict[int, list[int]] = {}
    for line_id, rule_id in sorted(assignment.items()):
        groups.setdefault(rule_id, []).append(line_id)
    return [(rule_id, tuple(ids)) for rule_id, ids in sorted(groups.items())]


def _components(options: _Options) -> list[list[int]]:
    """Groups of line ids linked by a shared candidate rule; groups are priced independently."""
    parent: dict[int, int] = {}

    def find(rule_id: int) -> int:
        """Root of a rule's group."""
        while parent.setdefault(rule_id, rule_id) != rule_id:
            rule_id = parent[rule_id]
        return rule_id

    for rule_ids in options.values():
        for other in rule_ids[1:]:
            parent[find(other)] = find(rule_ids[0])
    groups: dict[int, list[int]] = {}
    for line_id, rule_ids in sorted(options.items()):
        if rule_ids:
            groups.setdefault(find(rule_ids[0]), []).append(line_id)
    return list(groups.values())


def _search(line_ids: list[int], options: _Options, evaluator: _Evaluator) -> dict[int, int]:
    """Best assignment of a group: exhaustive in lexicographic order, so the first maximum wins ties."""
    choices = [options[line_id] for line_id in line_ids]
    if all(len(choice) == 1 for choice in choices):  # one candidate each: the only assignment (the usual basket)
        return {line_id: choice[0] for line_id, choice in zip(line_ids, choices, strict=True)}
    if math.prod(len(choice) for choice in choices) * len(line_ids) > SEARCH_BUDGET:
        return _greedy(line_ids, options, evaluator)
    best: dict[int, int] = {}
    best_score = -1
    for combination in itertools.product(*choices):
        assignment = dict(zip(line_ids, combination, strict=True))
        score = evaluator.score(assignment)
        if score > best_score:
            best, best_score = assignment, score
    return best


def _greedy(line_ids: list[int], options: _Options, evaluator: _Evaluator) -> dict[int, int]:
    """Fallback for big groups: rules by stand-alone value (then id) take the lines still free."""
    rule_ids = sorted({rule_id for line_id in line_ids for rule_id in options[line_id]})

    def standalone(rule_id: int) -> int:
        """The rule's discount if it got every line of the group it applies to."""
        ids = tuple(line_id for line_id in line_ids if rule_id in options[line_id])
        return sum(evaluator.discounts(rule_id, ids).values())

    assignment: dict[int, int] = {}
    for rule_id in sorted(rule_ids, key=lambda rule_id: (-standalone(rule_id), rule_id)):
        for line_id in line_ids:
            if rule_id in options[line_id]:
                assignment.setdefault(line_id, rule_id)
    return assignment


def best_promotions(rules: Sequence[PromotionRule], lines: Sequence[PromoLine]) -> dict[int, Award]:
    """The promotion (if any) each line gets so that the sale's total discount is largest."""
    ordered_rules = sorted(rules, key=lambda rule: rule.rule_id)
    ordered_lines = sorted(lines, key=lambda line: line.line_id)
    options: _Options = {}
    for line in ordered_lines:
        options[line.line_id] = tuple(rule.rule_id for rule in ordered_rules if applies(rule, line))
    rules_by_id = {rule.rule_id: rule for rule in ordered_rules}
    evaluator = _Evaluator(rules_by_id, {line.line_id: line for line in lines})
    awards: dict[int, Award] = {}
    for line_ids in _components(options):
        awards.update(evaluator.awards(_search(line_ids, options, evaluator)))
    return awards

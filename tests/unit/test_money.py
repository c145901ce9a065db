"""money.py: exact rounding, parsing, allocation, tax primitives and formatting."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_grocery.money import (
    Rounding,
    allocate,
    div_round,
    format_minor,
    format_percent_bp,
    format_thousandths,
    line_amount,
    parse_minor,
    parse_percent_bp,
    parse_scaled,
    parse_thousandths,
    percent_of,
    prorate,
    round_to_increment,
    tax_from_gross,
    tax_from_net,
)

HALF_UP, HALF_EVEN, DOWN = Rounding.HALF_UP, Rounding.HALF_EVEN, Rounding.DOWN
BIG = st.integers(min_value=-(10**15), max_value=10**15)
NONZERO = st.integers(min_value=-(10**6), max_value=10**6).filter(lambda d: d != 0)


def reference_round(value: Fraction, mode: Rounding) -> int:
    """Independent reference built on Fraction: magnitude rounded, sign put back."""
    magnitude = abs(value)
    if mode is Rounding.DOWN:
        rounded = math.floor(magnitude)
    elif mode is Rounding.HALF_EVEN:
        rounded = round(magnitude)  # Python's round() on a Fraction is half-to-even
    else:
        rounded = math.floor(magnitude + Fraction(1, 2))
    return -rounded if value < 0 else rounded


@pytest.mark.parametrize(
    ("numerator", "denominator", "mode", "expected"),
    [
        (5, 2, HALF_UP, 3),
        (-5, 2, HALF_UP, -3),  # half up = away from zero
        (5, -2, HALF_UP, -3),
        (-5, -2, HALF_UP, 3),
        (7, 3, HALF_UP, 2),
        (-8, 3, HALF_UP, -3),
        (5, 2, HALF_EVEN, 2),
        (7, 2, HALF_EVEN, 4),
        (-5, 2, HALF_EVEN, -2),
        (-7, 2, HALF_EVEN, -4),
        (27, 10, DOWN, 2),
        (-27, 10, DOWN, -2),  # down = toward zero
        (0, 7, HALF_UP, 0),
        (10**30 + 1, 2, HALF_UP, 5 * 10**29 + 1),  # exact far beyond float precision
    ],
)
def test_div_round_table(numerator: int, denominator: int, mode: Rounding, expected: int) -> None:
    assert div_round(numerator, denominator, mode) == expected


@settings(max_examples=300)
@given(BIG, NONZERO, st.sampled_from(list(Rounding)))
def test_div_round_matches_fraction_reference(numerator: int, denominator: int, mode: Rounding) -> None:
    assert div_round(numerator, denominator, mode) == reference_round(Fraction(numerator, denominator), mode)


@settings(max_examples=200)
@given(BIG, NONZERO, st.sampled_from(list(Rounding)))
def test_div_round_is_symmetric_and_within_half(numerator: int, denominator: int, mode: Rounding) -> None:
    result = div_round(numerator, denominator, mode)
    assert div_round(-numerator, denominator, mode) == -result
    error = abs(Fraction(numerator, denominator) - result)
    assert error < 1 if mode is Rounding.DOWN else error <= Fraction(1, 2)


def test_div_round_refuses_floats_and_zero() -> None:
    with pytest.raises(TypeError, match="numerator must be an int"):
        div_round(1.5, 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="denominator"):
        div_round(1, 2.0)  # type: ignore[arg-type]
    with pytest.raises(ZeroDivisionError):
        div_round(1, 0)


def test_line_amount() -> None:
    assert line_amount(25000, 1000) == 25000  # 1 kg at 250.00
    assert line_amount(199, 1234) == 246  # 245.566 -> 2.46
    assert line_amount(199, 1232) == 245  # 245.168 -> 2.45
    assert line_amount(100, 5) == 1  # 0.5 minor unit rounds up
    assert line_amount(100, 5, HALF_EVEN) == 0
    assert line_amount(199, -1234) == -246  # a return line mirrors its sale
    assert line_amount(0, 5000) == 0


def test_percent_and_tax_primitives() -> None:
    assert percent_of(10000, 1250) == 1250
    assert percent_of(333, 1000) == 33
    assert percent_of(-335, 1000) == -34
    assert tax_from_gross(100, 1500) == 13  # 1.00 incl. 15 %: tax 0.13, net 0.87
    assert tax_from_net(87, 1500) == 13
    assert tax_from_gross(-100, 1500) == -13
    assert tax_from_net(10, 2500) == 3
    assert tax_from_net(10, 2500, HALF_EVEN) == 2
    with pytest.raises(ValueError, match="rate_bp must not be negative"):
        tax_from_net(100, -1)


def test_prorate() -> None:
    assert prorate(1000, 1, 3) == 333
    assert prorate(1000, 2, 3) == 667
    assert prorate(1000, 3, 3) == 1000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.50", 1050),
        ("10.5", 1050),
        ("10", 1000),
        ("-0.05", -5),
        ("+3.1", 310),
        (".5", 50),
        ("5.", 500),
        (" 1.20 ", 120),
        ("0", 0),
        ("007.00", 700),
        (Decimal("10.50"), 1050),
        (Decimal("-0.01"), -1),
        (Decimal("1E+2"), 10000),
        (Decimal("0"), 0),
        (12, 1200),
    ],
)
def test_parse_minor_valid(value: str | Decimal | int, expected: int) -> None:
    assert parse_minor(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.505", "amount '10.505' has 3 decimals; at most 2 allowed"),
        ("10.500", "has 3 decimals"),  # digits are counted like the lane does, never rounded away
        (Decimal("10.505"), "amount 10.505 has 3 decimals; at most 2 allowed"),
        ("", "is not a decimal number"),
        (".", "is not a decimal number"),
        ("-", "is not a decimal number"),
        ("abc", "is not a decimal number"),
        ("1,000.00", "is not a decimal number"),
        ("1e5", "is not a decimal number"),
        ("NaN", "is not a decimal number"),
        ("\u0661\u0662", "is not a decimal number"),  # Arabic-Indic digits are not accepted
        ("1 000", "is not a decimal number"),
        (Decimal("NaN"), "is not a finite number"),
        (Decimal("Infinity"), "is not a finite number"),
        ("99999999999999999999", "out of range"),
        ("9" * 5000, "out of range"),
        (Decimal("1E+400"), "out of range"),
    ],
)
def test_parse_minor_rejects(value: str | Decimal, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("+", r"\+")):
        parse_minor(value)


@pytest.mark.parametrize("value", [1.5, True, None, b"1.00"])
def test_parse_refuses_non_decimal_types(value: object) -> None:
    with pytest.raises(TypeError, match="expected str, Decimal or int"):
        parse_minor(value)  # type: ignore[arg-type]


def test_parse_quantity_and_percent() -> None:
    assert parse_thousandths("1.25") == 1250
    assert parse_thousandths("0.005") == 5
    assert parse_thousandths(Decimal("2.000")) == 2000
    assert parse_thousandths("-1") == -1000
    with pytest.raises(ValueError, match="quantity '1.2345' has 4 decimals; at most 3 allowed"):
        parse_thousandths("1.2345")
    assert parse_percent_bp("12.5") == 1250
    assert parse_percent_bp("100") == 10000
    with pytest.raises(ValueError, match="percent '12.345' has 3 decimals"):
        parse_percent_bp("12.345")
    assert parse_scaled("1.5", 1) == 15
    assert parse_minor("12", decimals=0) == 12


@settings(max_examples=200)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_parse_round_trip(value: int) -> None:
    assert parse_minor(format_minor(value)) == value
    assert parse_thousandths(format_thousandths(value)) == value
    assert parse_percent_bp(format_percent_bp(value)) == value


def test_formatting() -> None:
    assert format_minor(1050) == "10.50"
    assert format_minor(5) == "0.05"
    assert format_minor(-5) == "-0.05"
    assert format_minor(123456) == "1234.56"
    assert format_minor(12, decimals=0) == "12"
    assert format_thousandths(3000) == "3"
    assert format_thousandths(1250) == "1.25"
    assert format_thousandths(5) == "0.005"
    assert format_percent_bp(1250) == "12.5"
    assert format_percent_bp(1000) == "10"
    assert format_percent_bp(5) == "0.05"


@pytest.mark.parametrize(
    ("amount", "increment", "mode", "expected"),
    [
        (1237, 5, HALF_UP, 1235),
        (1238, 5, HALF_UP, 1240),
        (1232, 5, HALF_UP, 1230),
        (1250, 100, HALF_UP, 1300),
        (1250, 100, HALF_EVEN, 1200),
        (1299, 100, DOWN, 1200),
        (-1238, 5, HALF_UP, -1240),  # a cash refund mirrors a cash sale
        (1235, 5, HALF_UP, 1235),
        (0, 100, HALF_UP, 0),
    ],
)
def test_round_to_increment(amount: int, increment: int, mode: Rounding, expected: int) -> None:
    assert round_to_increment(amount, increment, mode) == expected


def test_round_to_increment_rejects_bad_increment() -> None:
    with pytest.raises(ValueError, match="increment must be positive"):
        round_to_increment(100, 0)


def test_allocate_examples() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # equal remainders: earliest first
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(10, [0, 5, 5]) == [0, 5, 5]
    assert allocate(1000, [10000, 20000, 30000]) == [167, 333, 500]
    assert allocate(0, [0, 0]) == [0, 0]
    assert allocate(0, []) == []
    with pytest.raises(ValueError, match="zero weights"):
        allocate(1, [0, 0])
    with pytest.raises(ValueError, match="weight must not be negative"):
        allocate(1, [1, -1])


@settings(max_examples=300)
@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_allocate_sums_exactly_and_stays_within_one(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(Fraction(total * weight, whole) - part) < 1
        if weight == 0:
            assert part == 0
    assert allocate(total, weights) == parts

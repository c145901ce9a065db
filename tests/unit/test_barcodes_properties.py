"""Property tests of pos_grocery.barcodes, with python-stdnum and hand-written tables as oracles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean  # test oracle only; the backend never imports stdnum

from pos_grocery.barcodes import (
    VARIABLE_MEASURE_PREFIXES,
    BarcodeConfig,
    BarcodeError,
    BarcodeErrorCode,
    BarcodeKind,
    Measure,
    NumericRange,
    ScannedCode,
    VariableMeasureLayout,
    canonical_gtin,
    check_digit,
    classify,
    compress_upca,
    expand_upce,
    make_gtin,
    make_upca,
    make_variable_measure,
    normalize_gtin,
    parse_layouts,
    price_check_digit,
    to_gtin14,
)

# No example database: tests must not write into the source tree.
PROPERTY = settings(max_examples=200, database=None, deadline=None)
DIGITS = "0123456789"
PLAIN = BarcodeConfig(layouts=(), plu=False, upce=False)  # kind decided by length alone
KIND_BY_LENGTH = {8: BarcodeKind.EAN8, 12: BarcodeKind.UPCA, 13: BarcodeKind.EAN13, 14: BarcodeKind.GTIN14}


def digits(length: int) -> st.SearchStrategy[str]:
    """Strings of exactly `length` ASCII digits."""
    return st.text(DIGITS, min_size=length, max_size=length)


gtin_lengths = st.sampled_from(sorted(KIND_BY_LENGTH))
valid_gtins = gtin_lengths.flatmap(lambda n: digits(n - 1)).map(make_gtin)


def is_valid(code: str) -> bool:
    """True when normalize_gtin accepts `code`."""
    try:
        normalize_gtin(code)
    except BarcodeError:
        return False
    return True


# --- GS1 mod-10 check digit ----------------------------------------------------------------------


@PROPERTY
@given(valid_gtins)
def test_every_valid_gtin_validates(gtin: str) -> None:
    canonical = normalize_gtin(gtin)
    assert to_gtin14(canonical) == gtin.rjust(14, "0")
    assert len(canonical) == (14 if gtin.rjust(14, "0")[0] != "0" else 13)
    scanned = classify(gtin, PLAIN)
    assert scanned.kind is KIND_BY_LENGTH[len(gtin)]
    assert scanned.gtin == scanned.lookup_key == canonical
    assert ean.is_valid(gtin)


@PROPERTY
@given(st.integers(1, 17).flatmap(digits))
def test_check_digit_matches_stdnum(data: str) -> None:
    assert check_digit(data) == ean.calc_check_digit(data)


@PROPERTY
@given(gtin_lengths.flatmap(digits))
def test_validation_agrees_with_stdnum_on_any_digits(code: str) -> None:
    assert is_valid(code) == ean.is_valid(code)


@PROPERTY
@given(valid_gtins, st.data())
def test_every_single_digit_substitution_is_caught(gtin: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(gtin) - 1))
    replacement = data.draw(st.sampled_from(DIGITS.replace(gtin[position], "")))
    typo = gtin[:position] + replacement + gtin[position + 1 :]
    with pytest.raises(BarcodeError) as info:
        classify(typo, PLAIN)
    assert info.value.code == BarcodeErrorCode.CHECK_DIGIT
    assert info.value.expected == check_digit(typo[:-1])


@PROPERTY
@given(valid_gtins, st.data())
def test_adjacent_transpositions_are_caught_unless_the_digits_differ_by_5(gtin: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(gtin) - 2))
    a, b = gtin[position], gtin[position + 1]
    swapped = gtin[:position] + b + a + gtin[position + 2 :]
    # Neighbours weigh 1 and 3: a swap moves the sum by 2(a - b), a multiple of 10 only when |a - b| is 0 or 5.
    assert is_valid(swapped) == (abs(int(a) - int(b)) in (0, 5))


@PROPERTY
@given(gtin_lengths, st.data())
def test_transposing_digits_five_apart_goes_unnoticed(length: int, data: st.DataObject) -> None:
    body = data.draw(digits(length - 1))
    position = data.draw(st.integers(0, length - 3))
    a = data.draw(st.integers(0, 9))
    body = body[:position] + f"{a}{(a + 5) % 10}" + body[position + 2 :]
    gtin = make_gtin(body)
    assert is_valid(gtin[:position] + gtin[position + 1] + gtin[position] + gtin[position + 2 :])


def test_transposition_examples_the_check_digit_cannot_see() -> None:
    # 4006381333931 with "38" swapped to "83" (8 - 3 = 5) still passes; so does a swap with the check digit.
    assert is_valid("4006381333931") and is_valid("4006831333931")
    assert is_valid("0000000000505") and is_valid("0000000000550")
    assert not is_valid("4060381333931")  # 0 and 6 differ by 6: caught


@PROPERTY
@given(valid_gtins, st.data())
def test_jump_transpositions_are_never_caught(gtin: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(gtin) - 3))
    jumped = gtin[:position] + gtin[position + 2] + gtin[position + 1] + gtin[position] + gtin[position + 3 :]
    assert is_valid(jumped)


# --- UPC-E ---------------------------------------------------------------------------------------


def expand_oracle(d: str) -> str:
    """UPC-A digits 2-11 for UPC-E digits d[0..5], written from the GS1 zero-suppression table."""
    patterns = {
        "0": "{0}{1}{5}0000{2}{3}{4}",
        "1": "{0}{1}{5}0000{2}{3}{4}",
        "2": "{0}{1}{5}0000{2}{3}{4}",
        "3": "{0}{1}{2}00000{3}{4}",
        "4": "{0}{1}{2}{3}00000{4}",
    }
    return patterns.get(d[5], "{0}{1}{2}{3}{4}0000{5}").format(*d)


@st.composite
def upce_codes(draw: st.DrawFn) -> tuple[str, str]:
    """(UPC-E, UPC-A) with the check digit computed by stdnum over the oracle's expansion."""
    number_system = draw(st.sampled_from("01"))
    body = draw(digits(6))
    upca_data = number_system + expand_oracle(body)
    check = ean.calc_check_digit(upca_data)
    return number_system + body + check, upca_data + check


@PROPERTY
@given(upce_codes())
def test_upce_expands_like_the_table(codes: tuple[str, str]) -> None:
    upce, upca = codes
    assert expand_upce(upce) == upca
    scanned = classify(upce, BarcodeConfig())
    assert scanned.kind is BarcodeKind.UPCE and scanned.gtin == "0" + upca


@PROPERTY
@given(upce_codes())
def test_compressing_an_expansion_gives_back_a_upce_of_the_same_upca(codes: tuple[str, str]) -> None:
    _, upca = codes
    compressed = compress_upca(upca)
    assert compressed is not None
    assert expand_upce(compressed) == upca
    assert compress_upca(expand_upce(compressed)) == compressed  # the compressed form is canonical


@PROPERTY
@given(st.sampled_from("01").flatmap(lambda ns: digits(10).map(lambda d: make_upca(ns + d))))
def test_compression_never_changes_the_number(upca: str) -> None:
    compressed = compress_upca(upca)
    assert compressed is None or expand_upce(compressed) == upca


@PROPERTY
@given(upce_codes(), st.data())
def test_upce_substitutions_outside_the_sixth_digit_are_caught(codes: tuple[str, str], data: st.DataObject) -> None:
    upce, _ = codes
    position = data.draw(st.sampled_from([0, 1, 2, 3, 4, 5, 7]))
    alphabet = "01" if position == 0 else DIGITS  # number system stays a UPC-E one
    replacement = data.draw(st.sampled_from(alphabet.replace(upce[position], "")))
    with pytest.raises(BarcodeError) as info:
        expand_upce(upce[:position] + replacement + upce[position + 1 :])
    assert info.value.code == BarcodeErrorCode.CHECK_DIGIT


# --- price/weight verifier -----------------------------------------------------------------------

# Weighted products written out as tables (GenSpecs 7.9), independent of the module's arithmetic.
TIMES_2_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
TIMES_3 = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
TIMES_5_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
TIMES_5_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


def verifier_oracle(value: str) -> str:
    """Price/weight verifier by table lookup."""
    d = [int(char) for char in value]
    if len(d) == 4:
        total = TIMES_2_MINUS[d[0]] + TIMES_2_MINUS[d[1]] + TIMES_3[d[2]] + TIMES_5_MINUS[d[3]]
        return str(total * 3 % 10)
    total = TIMES_5_PLUS[d[0]] + TIMES_2_MINUS[d[1]] + TIMES_5_MINUS[d[2]] + TIMES_5_PLUS[d[3]]
    total += TIMES_2_MINUS[d[4]]
    return str(TIMES_5_MINUS.index((10 - total % 10) % 10))


def test_four_digit_verifier_matches_the_tables_for_every_value() -> None:
    mismatches = [v for v in (f"{n:04d}" for n in range(10_000)) if price_check_digit(v) != verifier_oracle(v)]
    assert mismatches == []


@PROPERTY
@given(digits(5))
def test_five_digit_verifier_matches_the_tables(value: str) -> None:
    assert price_check_digit(value) == verifier_oracle(value)


@PROPERTY
@given(st.sampled_from([4, 5]).flatmap(digits), st.data())
def test_verifier_catches_every_single_digit_substitution(value: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(value) - 1))
    replacement = data.draw(st.sampled_from(DIGITS.replace(value[position], "")))
    assert price_check_digit(value[:position] + replacement + value[position + 1 :]) != price_check_digit(value)


# --- variable measure ----------------------------------------------------------------------------


@st.composite
def layouts(draw: st.DrawFn) -> VariableMeasureLayout:
    """Any valid layout."""
    verifier = draw(st.booleans())
    value_length = draw(st.sampled_from([4, 5]) if verifier else st.integers(1, 9))
    return VariableMeasureLayout(
        prefix=draw(st.sampled_from(VARIABLE_MEASURE_PREFIXES)),
        item_length=10 - value_length - int(verifier),
        measure=draw(st.sampled_from(Measure)),
        value_length=value_length,
        verifier=verifier,
    )


@PROPERTY
@given(layouts(), st.data())
def test_variable_measure_round_trip(layout: VariableMeasureLayout, data: st.DataObject) -> None:
    item = data.draw(digits(layout.item_length))
    value = data.draw(st.integers(0, 10**layout.value_length - 1))
    code = make_variable_measure(layout, item, value)
    scanned = classify(code, BarcodeConfig(layouts=(layout,)))
    expected = (value, None) if layout.measure is Measure.WEIGHT else (None, value)
    assert scanned.kind is BarcodeKind.VARIABLE_MEASURE and scanned.lookup_key == item
    assert (scanned.weight_g, scanned.price_minor) == expected
    assert parse_layouts(
        f"{layout.prefix}:item{layout.item_length},{'check,' * layout.verifier}"
        f"{layout.measure.value}{layout.value_length}"
    ) == (layout,)


@PROPERTY
@given(layouts().filter(lambda layout: layout.verifier), st.data())
def test_verifier_errors_survive_a_recomputed_ean_check(layout: VariableMeasureLayout, data: st.DataObject) -> None:
    item = data.draw(digits(layout.item_length))
    code = make_variable_measure(layout, item, data.draw(st.integers(0, 10**layout.value_length - 1)))
    # Corrupt the verifier or the value, then fix the EAN-13 check digit as a misprogrammed scale would.
    position = data.draw(st.integers(2 + layout.item_length, 11))
    replacement = data.draw(st.sampled_from(DIGITS.replace(code[position], "")))
    corrupted = make_gtin(code[:position] + replacement + code[position + 1 : 12])
    with pytest.raises(BarcodeError) as info:
        classify(corrupted, BarcodeConfig(layouts=(layout,)))
    assert info.value.code == BarcodeErrorCode.PRICE_CHECK


# --- robustness ----------------------------------------------------------------------------------

STORE = BarcodeConfig(internal_prefixes=("INT-",), internal_ranges=(NumericRange("200000", "209999"),))
scanner_noise = st.text(
    st.sampled_from([*DIGITS, " ", "\t", "\r", "\n", "-", "I", "N", "T", "x", "١", "٣", "²", "１", "\x00", "é"]),
    max_size=20,
)


def check_result(scanned: ScannedCode) -> None:
    """Invariants of every successful classification."""
    if scanned.gtin is not None:
        assert normalize_gtin(scanned.gtin) == scanned.gtin == canonical_gtin(scanned.gtin)
        assert scanned.lookup_key == scanned.gtin
    if scanned.kind is BarcodeKind.VARIABLE_MEASURE:
        assert (scanned.weight_g is None) != (scanned.price_minor is None)


@PROPERTY
@given(st.one_of(st.text(max_size=60), scanner_noise, st.integers(0, 10**16).map(str)))
def test_classify_raises_only_barcode_errors(code: str) -> None:
    for config in (BarcodeConfig(), STORE):
        try:
            scanned = classify(code, config)
        except BarcodeError as error:
            assert error.code in set(BarcodeErrorCode) and error.message
        else:
            check_result(scanned)


@PROPERTY
@given(st.one_of(st.text(max_size=40), st.text(st.sampled_from("0123456789-:;, itemweightpricecheck"), max_size=40)))
def test_parse_layouts_raises_only_value_errors(spec: str) -> None:
    try:
        parsed = parse_layouts(spec)
    except ValueError as error:
        assert str(error).startswith("barcode layout ")
    else:
        BarcodeConfig(layouts=parsed)


def test_backend_never_imports_stdnum() -> None:
    import pos_grocery.barcodes as package

    sources = Path(package.__file__).parent.glob("*.py")
    assert [path.name for path in sources if "stdnum" in path.read_text(encoding="utf-8")] == []

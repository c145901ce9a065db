"""Example-based tests of pos_grocery.barcodes: known codes, UPC-E table, variable measure, garbage."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest

from pos_grocery.barcodes import (
    DEFAULT_LAYOUT_SPEC,
    DEFAULT_LAYOUTS,
    MAX_CODE_LENGTH,
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
    make_ean8,
    make_ean13,
    make_gtin,
    make_upca,
    make_variable_measure,
    normalize_gtin,
    parse_internal_prefixes,
    parse_internal_ranges,
    parse_layouts,
    price_check_digit,
    to_gtin14,
)

DEFAULT = BarcodeConfig()
STORE = BarcodeConfig(
    internal_prefixes=("INT-", "IN"),
    internal_ranges=(NumericRange("2000000", "2099999"),),
)


def error_of(code: str, config: BarcodeConfig = DEFAULT) -> BarcodeError:
    """The BarcodeError that classify raises for `code`."""
    with pytest.raises(BarcodeError) as info:
        classify(code, config)
    return info.value


# --- plain GTINs ---------------------------------------------------------------------------------

# Published examples: Wikipedia's EAN-13/EAN-8/UPC-A pictures, an ISBN-13, stdnum's doc examples.
KNOWN = [
    ("4006381333931", BarcodeKind.EAN13, "4006381333931"),
    ("9780306406157", BarcodeKind.EAN13, "9780306406157"),
    ("96385074", BarcodeKind.EAN8, "0000096385074"),
    ("73513537", BarcodeKind.EAN8, "0000073513537"),
    ("036000291452", BarcodeKind.UPCA, "0036000291452"),
    ("98412345678908", BarcodeKind.GTIN14, "98412345678908"),
    ("04006381333931", BarcodeKind.GTIN14, "4006381333931"),  # indicator 0: a padded GTIN-13
]


@pytest.mark.parametrize(("code", "kind", "gtin"), KNOWN)
def test_known_gtins(code: str, kind: BarcodeKind, gtin: str) -> None:
    assert classify(code, DEFAULT) == ScannedCode(kind=kind, normalized=gtin, lookup_key=gtin, gtin=gtin)
    assert normalize_gtin(code) == gtin
    assert to_gtin14(gtin) == code.rjust(14, "0")


def test_one_product_one_key_whatever_the_symbology() -> None:
    keys = {classify(code, DEFAULT).lookup_key for code in ("04252614", "042100005264", "0042100005264")}
    assert keys == {"0042100005264"}
    assert classify("00042100005264", DEFAULT).lookup_key == "0042100005264"


def test_wrong_check_digit_names_the_expected_digit() -> None:
    error = error_of("4006381333932")
    assert error.code is BarcodeErrorCode.CHECK_DIGIT
    assert error.code.value == "BARCODE_CHECK_DIGIT"  # the stable wire value
    assert error.expected == "1"
    assert "EAN-13 4006381333932" in str(error) and "expected 1" in str(error)
    assert "expected 2" in str(error_of("036000291450"))
    assert error_of("96385075").expected == "4"


def test_whitespace_is_stripped() -> None:
    assert classify(" \t4006381333931\r\n", DEFAULT).gtin == "4006381333931"
    assert classify("4 006381 333931", DEFAULT).gtin == "4006381333931"  # typed from the human-readable line


def test_check_digit_and_generators() -> None:
    assert check_digit("400638133393") == "1"
    assert check_digit("0") == "0"
    assert make_ean13("400638133393") == "4006381333931"
    assert make_ean8("9638507") == "96385074"
    assert make_upca("03600029145") == "036000291452"
    assert make_gtin("9841234567890") == "98412345678908"
    assert canonical_gtin("96385074") == "0000096385074"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: make_ean13("40063813339"), BarcodeErrorCode.LENGTH),
        (lambda: make_ean8("96385074"), BarcodeErrorCode.LENGTH),
        (lambda: make_ean13("40063813339x"), BarcodeErrorCode.CHARACTERS),
        (lambda: check_digit(""), BarcodeErrorCode.EMPTY),
        (lambda: normalize_gtin("123456789"), BarcodeErrorCode.LENGTH),
        (lambda: normalize_gtin("4006381333932"), BarcodeErrorCode.CHECK_DIGIT),
    ],
)
def test_generator_misuse_is_a_barcode_error(call: Callable[[], object], code: BarcodeErrorCode) -> None:
    with pytest.raises(BarcodeError) as info:
        call()
    assert info.value.code == code


# --- UPC-E ---------------------------------------------------------------------------------------

# (UPC-E, UPC-A). Check digits worked by hand with UPC-A weights 3,1,3,... from the left, e.g.
# 17654313: last digit 1 -> manufacturer 7 6 1 0 0, item 0 0 5 4 3 -> 1 76100 00543;
# odd places 1+6+0+0+5+3 = 15, x3 = 45; even places 7+1+0+0+4 = 12; 57 -> check 3.
UPCE_TABLE = [
    ("04252614", "042100005264"),  # last 1, NS 0: the real example
    ("04904403", "049000000443"),  # last 0, NS 0: Coca-Cola 12 oz can
    ("01234505", "012000003455"),  # last 0, NS 0
    ("17654313", "176100005433"),  # last 1, NS 1
    ("01234523", "012200003453"),  # last 2, NS 0
    ("19876520", "198200007650"),  # last 2, NS 1
    ("03456733", "034500000673"),  # last 3, NS 0
    ("12345639", "123400000569"),  # last 3, NS 1
    ("01234543", "012340000053"),  # last 4, NS 0
    ("19876544", "198760000054"),  # last 4, NS 1
    ("01111156", "011111000056"),  # last 5, NS 0
    ("15432155", "154321000055"),  # last 5, NS 1
    ("01234565", "012345000065"),  # last 6, NS 0: Wikipedia's UPC-E example
    ("01234572", "012345000072"),  # last 7, NS 0
    ("11234593", "112345000093"),  # last 9, NS 1
]


@pytest.mark.parametrize(("upce", "upca"), UPCE_TABLE)
def test_upce_expansion_table(upce: str, upca: str) -> None:
    assert expand_upce(upce) == upca
    assert compress_upca(upca) == upce
    scanned = classify(upce, DEFAULT)
    assert scanned.kind is BarcodeKind.UPCE
    assert scanned.gtin == "0" + upca == classify(upca, DEFAULT).gtin


def test_upce_check_digit_comes_from_the_expanded_upca() -> None:
    error = error_of("04252615")
    assert error.code == BarcodeErrorCode.CHECK_DIGIT
    assert error.expected == "4"
    assert "UPC-E 04252615" in str(error)


def test_non_canonical_upce_still_expands() -> None:
    # Last digit 3 with third digit 0 is written 0120450x by printers; scanners expand both forms alike.
    # 0 12000 00045: odd places 0+2+0+0+0+5 = 7, x3 = 21; even 1+0+0+0+4 = 5; 26 -> check 4.
    assert expand_upce("01204534") == expand_upce("01204504") == "012000000454"
    assert compress_upca("012000000454") == "01204504"


def test_upce_escapes_the_check_when_its_sixth_digit_is_substituted() -> None:
    # Documented weakness: both are valid and expand to different UPC-As.
    assert expand_upce("00000019") == "000100000009"
    assert expand_upce("00000079") == "000000000079"


def test_upca_without_upce_form() -> None:
    assert compress_upca("036000291452") is None  # item 29145 is too long for any rule
    assert compress_upca("212345000014") is None  # number system 2 has no UPC-E
    assert compress_upca(make_upca("01234000012")) is None  # manufacturer x...0 leaves room for one digit


def test_upce_number_system_and_length() -> None:
    with pytest.raises(BarcodeError) as info:
        expand_upce("24252614")
    assert info.value.code == BarcodeErrorCode.NUMBER_SYSTEM
    with pytest.raises(BarcodeError) as info:
        expand_upce("0425261")
    assert info.value.code == BarcodeErrorCode.LENGTH


def test_eight_digits_are_ean8_when_upce_is_off_or_number_system_is_not_0_or_1() -> None:
    no_upce = BarcodeConfig(upce=False)
    ean8 = make_ean8("0425261")  # an RCN-8 that would read as a UPC-E by default
    assert classify(ean8, no_upce).kind is BarcodeKind.EAN8
    assert classify(ean8, no_upce).gtin == "00000" + ean8
    assert classify("96385074", DEFAULT).kind is BarcodeKind.EAN8


# --- variable measure ----------------------------------------------------------------------------


# Price/weight verifier worked by hand (GS1 GenSpecs 7.9, price/weight check digit):
#   2- : 0 2 4 6 8 9 1 3 5 7     3  : 0 3 6 9 2 5 8 1 4 7
#   5+ : 0 5 1 6 2 7 3 8 4 9     5- : 0 5 9 4 8 3 7 2 6 1
# 4 digits (2-,2-,3,5-), sum x3, units digit:
#   2875: 4 + 5 + 1 + 3 = 13, x3 = 39 -> 9 (GS1's own example)
#   1999: 2 + 7 + 7 + 1 = 17, x3 = 51 -> 1
#   5000: 9 + 0 + 0 + 0 =  9, x3 = 27 -> 7
# 5 digits (5+,2-,5-,5+,2-), 10 - sum mod 10 = the 5- product of the check digit:
#   14685: 5 + 8 + 7 + 4 + 9 = 33 -> 7 -> digit 6 (5- of 6 is 7) (GS1's own example)
#   12345: 5 + 4 + 4 + 2 + 9 = 24 -> 6 -> digit 8 (5- of 8 is 6)
@pytest.mark.parametrize(
    ("value", "verifier"),
    [("2875", "9"), ("1999", "1"), ("5000", "7"), ("0000", "0"), ("14685", "6"), ("12345", "8"), ("00000", "0")],
)
def test_price_check_digit_worked_examples(value: str, verifier: str) -> None:
    assert price_check_digit(value) == verifier


@pytest.mark.parametrize("value", ["123", "123456", "12a4", ""])
def test_price_check_digit_needs_four_or_five_digits(value: str) -> None:
    with pytest.raises(BarcodeError):
        price_check_digit(value)


# EAN-13 check digits worked by hand (weights 1,3,1,3,... from the left over 12 digits):
#   20 12345 01250 -> odd 2+1+3+5+1+5 = 17, even (0+2+4+0+2+0) x3 = 24; 41 -> 9
#   25 12345 9 2875 -> odd 2+1+3+5+2+7 = 20, even (5+2+4+9+8+5) x3 = 99; 119 -> 1
#   27 54321 1 1999 -> odd 2+5+3+1+1+9 = 21, even (7+4+2+1+9+9) x3 = 96; 117 -> 3
#   02 12345 01234 -> odd 0+1+3+5+1+3 = 13, even (2+2+4+0+2+4) x3 = 42; 55 -> 5
@pytest.mark.parametrize(
    ("code", "item", "weight", "price"),
    [
        ("2012345012509", "12345", 1250, None),  # 1.250 kg under prefix 20
        ("2512345928751", "12345", None, 2875),  # 28.75 with verifier 9
        ("2754321119993", "54321", None, 1999),  # 19.99 with verifier 1
        ("0212345012345", "12345", None, 1234),  # 12.34 under prefix 02, no verifier
        ("212345012345", "12345", None, 1234),  # the same as a UPC-A with number system 2
    ],
)
def test_default_layouts(code: str, item: str, weight: int | None, price: int | None) -> None:
    scanned = classify(code, DEFAULT)
    assert scanned.kind is BarcodeKind.VARIABLE_MEASURE
    assert (scanned.lookup_key, scanned.weight_g, scanned.price_minor, scanned.gtin) == (item, weight, price, None)
    assert scanned.normalized == code.rjust(13, "0")


def test_wrong_price_verifier() -> None:
    # 25 12345 8 2875 with a correct EAN-13 check: odd 20, even (5+2+4+8+8+5) x3 = 96; 116 -> 4.
    error = error_of("2512345828754")
    assert error.code is BarcodeErrorCode.PRICE_CHECK
    assert error.code.value == "BARCODE_PRICE_CHECK"
    assert error.expected == "9"
    assert "price 2875 has verifier digit 8, expected 9" in str(error)


def test_ean_check_digit_is_verified_before_the_price_verifier() -> None:
    assert error_of("2512345828755").code == BarcodeErrorCode.CHECK_DIGIT


def test_five_digit_verifier_layout() -> None:
    config = BarcodeConfig(layouts=parse_layouts("20:item4,check,price5"))
    # 20 1234 6 14685: odd 2+1+3+6+4+8 = 24, even (0+2+4+1+6+5) x3 = 54; 78 -> 2.
    scanned = classify("2012346146852", config)
    assert (scanned.lookup_key, scanned.price_minor) == ("1234", 14685)
    assert make_variable_measure(config.layouts[0], "1234", 14685) == "2012346146852"


def test_make_variable_measure_matches_the_worked_examples() -> None:
    weight20, price25 = DEFAULT_LAYOUTS[0], DEFAULT_LAYOUTS[5]
    assert make_variable_measure(weight20, "12345", 1250) == "2012345012509"
    assert make_variable_measure(price25, "12345", 2875) == "2512345928751"
    with pytest.raises(BarcodeError) as info:
        make_variable_measure(price25, "12345", 10000)
    assert info.value.code == BarcodeErrorCode.VALUE
    with pytest.raises(BarcodeError) as info:
        make_variable_measure(price25, "1234", 100)
    assert info.value.code == BarcodeErrorCode.LENGTH


def test_zero_value_is_returned_for_the_sale_to_judge() -> None:
    assert classify(make_ean13("201234500000"), DEFAULT).weight_g == 0


def test_prefix_without_layout_is_a_plain_ean13() -> None:
    config = BarcodeConfig(layouts=parse_layouts("20:item5,weight5"))
    scanned = classify("2112345012506", config)
    assert scanned.kind is BarcodeKind.EAN13 and scanned.gtin == "2112345012506"


def test_gtin14_with_indicator_zero_around_a_variable_measure_code() -> None:
    assert classify("02012345012509", DEFAULT).weight_g == 1250


# --- layout settings string ----------------------------------------------------------------------


def test_default_spec_parses_to_default_layouts() -> None:
    assert parse_layouts(DEFAULT_LAYOUT_SPEC) == DEFAULT_LAYOUTS
    assert [layout.prefix for layout in DEFAULT_LAYOUTS] == [*map(str, range(20, 30)), "02"]
    assert BarcodeConfig().layouts == DEFAULT_LAYOUTS


def test_spec_tolerates_spaces_case_and_empty_parts() -> None:
    layouts = parse_layouts(" 21 - 22 : ITEM5 , Check , Weight4 ; ;")
    assert layouts == tuple(
        VariableMeasureLayout(prefix=p, item_length=5, measure=Measure.WEIGHT, value_length=4, verifier=True)
        for p in ("21", "22")
    )
    assert parse_layouts("") == ()


@pytest.mark.parametrize(
    ("spec", "bad_part", "hint"),
    [
        ("30:item5,weight5", "30:item5,weight5", "not a GS1 variable-measure prefix"),
        ("20-24:item5,weight5;02-21:item5,weight5", "02-21:item5,weight5", "'03'"),
        ("20:item5,weight4", "20:item5,weight4", "use 9 digits"),
        ("20:item5,weight6", "20:item5,weight6", "use 11 digits"),
        ("20:item6,check,price3", "20:item6,check,price3", "4- or 5-digit"),
        ("20:item5,volume5", "20:item5,volume5", "'volume5'"),
        ("20:weight5,item5", "20:weight5,item5", "'weight5'"),
        ("20:item5,price5,check", "20:item5,price5,check", "fields must be"),
        ("20 item5,weight5", "20 item5,weight5", "expected PREFIXES:FIELDS"),
        ("2:item5,weight5", "2:item5,weight5", "two digits"),
        ("24-20:item5,weight5", "24-20:item5,weight5", "backwards"),
        ("20:item0,weight10", "20:item0,weight10", "at least one digit"),
        ("20:item5,weight5;20:item5,price5", "20:item5,price5", "configured twice"),
        ("20:item5,weight٥", "20:item5,weight٥", "weight٥"),
    ],
)
def test_bad_spec_names_the_bad_part(spec: str, bad_part: str, hint: str) -> None:
    with pytest.raises(ValueError, match="barcode layout") as info:
        parse_layouts(spec)
    assert repr(bad_part) in str(info.value)
    assert hint in str(info.value)


def test_layout_and_config_validate_when_built_directly() -> None:
    with pytest.raises(ValueError, match="exactly 10"):
        VariableMeasureLayout(prefix="20", item_length=5, measure=Measure.WEIGHT, value_length=4)
    with pytest.raises(ValueError, match="configured twice: 20"):
        BarcodeConfig(layouts=DEFAULT_LAYOUTS[:1] * 2)
    with pytest.raises(ValueError, match="internal code prefix"):
        BarcodeConfig(internal_prefixes=("IN T",))
    with pytest.raises(ValueError, match="internal code prefix"):
        BarcodeConfig(internal_prefixes=("",))


def test_config_from_settings_json() -> None:
    raw = b'{"layouts": [{"prefix": "02", "item_length": 5, "measure": "price", "value_length": 5}], "plu": false}'
    config = msgspec.json.decode(raw, type=BarcodeConfig)
    assert config.layouts == DEFAULT_LAYOUTS[-1:] and not config.plu
    with pytest.raises(msgspec.ValidationError, match="exactly 10"):
        msgspec.json.decode(raw.replace(b'"value_length": 5', b'"value_length": 4'), type=BarcodeConfig)


def test_scanned_code_encodes_to_json() -> None:
    encoded = msgspec.json.decode(msgspec.json.encode(classify("2012345012509", DEFAULT)))
    assert encoded == {
        "kind": "variable_measure",
        "normalized": "2012345012509",
        "lookup_key": "12345",
        "gtin": None,
        "weight_g": 1250,
        "price_minor": None,
    }


# --- PLU and internal codes ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["4011", "94011", "3000", "0001"])
def test_plu(code: str) -> None:
    assert classify(code, DEFAULT) == ScannedCode(kind=BarcodeKind.PLU, normalized=code, lookup_key=code)


def test_plu_can_be_turned_off() -> None:
    assert error_of("4011", BarcodeConfig(plu=False)).code == BarcodeErrorCode.LENGTH


def test_internal_prefix_codes() -> None:
    assert classify("INT-00042", STORE) == ScannedCode(
        kind=BarcodeKind.INTERNAL, normalized="INT-00042", lookup_key="INT-00042"
    )
    assert classify("  INT-A/7.b_x  ", STORE).lookup_key == "INT-A/7.b_x"
    assert classify("INX9", STORE).lookup_key == "INX9"  # the shorter prefix "IN"
    assert error_of("INT-", STORE).code == BarcodeErrorCode.LENGTH
    assert error_of("INT-a b", STORE).code == BarcodeErrorCode.CHARACTERS
    assert error_of("INT-١٢", STORE).code == BarcodeErrorCode.CHARACTERS
    assert error_of("INT-00042", DEFAULT).code == BarcodeErrorCode.CHARACTERS  # not configured


def test_internal_numeric_range() -> None:
    assert classify("2012345", STORE).kind is BarcodeKind.INTERNAL
    assert classify("2099999", STORE).lookup_key == "2099999"
    assert error_of("2100000", STORE).code == BarcodeErrorCode.LENGTH  # outside: 7 digits is nothing
    assert error_of("2012345", DEFAULT).code == BarcodeErrorCode.LENGTH


def test_internal_range_wins_over_plu_and_gtin_when_configured() -> None:
    config = BarcodeConfig(internal_ranges=parse_internal_ranges("9000-9099, 4000000000000-4000000000999"))
    assert classify("9001", config).kind is BarcodeKind.INTERNAL
    assert classify("4000000000123", config).kind is BarcodeKind.INTERNAL  # no check digit needed
    assert classify("9100", config).kind is BarcodeKind.PLU


@pytest.mark.parametrize("spec", ["9000", "9000-99", "90a0-9099", "9099-9000"])
def test_bad_internal_ranges(spec: str) -> None:
    with pytest.raises(ValueError, match="internal range"):
        parse_internal_ranges(spec)


def test_internal_prefix_setting() -> None:
    assert parse_internal_prefixes(" INT-, SKU- ,,") == ("INT-", "SKU-")


# --- garbage -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("", BarcodeErrorCode.EMPTY),
        ("   \r\n", BarcodeErrorCode.EMPTY),
        ("abc", BarcodeErrorCode.CHARACTERS),
        ("400638133393X", BarcodeErrorCode.CHARACTERS),
        ("4006-381333931", BarcodeErrorCode.CHARACTERS),
        ("١٢٣", BarcodeErrorCode.CHARACTERS),  # Arabic-Indic digits pass str.isdigit()
        ("٤٠٠٦٣٨١٣٣٣٩٣١", BarcodeErrorCode.CHARACTERS),
        ("²³⁴⁵", BarcodeErrorCode.CHARACTERS),  # superscripts pass str.isdigit() too
        ("１２３４", BarcodeErrorCode.CHARACTERS),  # fullwidth digits
        ("\x00\x01", BarcodeErrorCode.CHARACTERS),
        ("1" * 100, BarcodeErrorCode.LENGTH),
        ("1" * (MAX_CODE_LENGTH + 1), BarcodeErrorCode.LENGTH),
        ("123", BarcodeErrorCode.LENGTH),
        ("123456", BarcodeErrorCode.LENGTH),
        ("1234567890", BarcodeErrorCode.LENGTH),
        ("123456789012345", BarcodeErrorCode.LENGTH),
    ],
)
def test_garbage(code: str, error_code: BarcodeErrorCode) -> None:
    error = error_of(code)
    assert error.code == error_code
    assert isinstance(error, ValueError)
    assert str(error) == error.message


def test_characters_error_points_at_the_character() -> None:
    assert "'X' at position 13" in str(error_of("400638133393X"))


def test_catalog_settings_default_matches_the_module_default() -> None:
    # catalog/config.py copies the default spec to keep msgspec off the start-up path; keep them equal.
    from pos_grocery.catalog.config import DEFAULT_LAYOUT_SPEC as CATALOG_DEFAULT

    assert CATALOG_DEFAULT == DEFAULT_LAYOUT_SPEC

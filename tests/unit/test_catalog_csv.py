"""CSV reading and cell parsing for imports; catalog settings."""

from __future__ import annotations

from typing import Any

import pytest

from pos_grocery.barcodes import DEFAULT_LAYOUT_SPEC
from pos_grocery.catalog import csv_cells as cell
from pos_grocery.catalog.config import DEFAULT_LAYOUT_SPEC as SETTINGS_DEFAULT
from pos_grocery.catalog.config import minor_digits
from pos_grocery.catalog.csv_read import CsvRefused, parse, quote_formula, unquote
from pos_grocery.catalog.rules import Rules, display_code
from pos_grocery.errors import ConfigError
from pos_grocery.settings import Settings

COLUMNS = ("sku", "name_en", "price_retail")
RULES = Rules.of(Settings.from_env({}), lambda: 0.0)


def refused(raw: bytes, max_rows: int = 10) -> str:
    with pytest.raises(CsvRefused) as info:
        parse(raw, COLUMNS, ("sku",), max_rows)
    return info.value.code


def test_records_keep_their_starting_line_and_exact_text() -> None:
    raw = '\ufeffSKU , Name_EN\r\nA,"two\nlines"\r\n\r\nB,"ශ්\u200dරී, ලංකා"\nC,"=1+1"\n'.encode()
    table = parse(raw, COLUMNS, ("sku",), 10)
    assert table.columns == ("sku", "name_en")
    assert [(r.line, r.cells["name_en"]) for r in table.records] == [
        (2, "two\nlines"), (5, "ශ්\u200dරී, ලංකා"), (6, "=1+1")]
    assert parse("sku\r\nA\u2028B\n".encode(), COLUMNS, ("sku",), 10).records[0].cells["sku"] == "A\u2028B"


@pytest.mark.parametrize(("raw", "code"), [
    (b" \n ", "CSV_EMPTY"), (b"\xc3\x28", "CSV_ENCODING"), (b"sku\x00\n", "CSV_ENCODING"),
    (b"sku\tname_en\n", "CSV_DELIMITER"), (b"name_en\n", "CSV_MISSING_COLUMNS"), (b"sku,x\n", "CSV_UNKNOWN_COLUMNS"),
    (b"sku,SKU\n", "CSV_DUPLICATE_COLUMNS"), (b'sku\n"a\n', "CSV_MALFORMED"), (b'"sku\n', "CSV_MALFORMED"),
    (b"sku\n" + b"a\n" * 11, "CSV_TOO_MANY_ROWS"), (b"sku\n" + b"x" * 200_000 + b"\n", "CSV_MALFORMED"),
])
def test_file_level_problems(raw: bytes, code: str) -> None:
    assert refused(raw) == code


def test_formula_cells_survive_a_round_trip() -> None:
    for text in ("=SUM(A1)", "+94 77", "-5", "@x", "plain", "'quoted"):
        assert unquote(quote_formula(text)) == text
    assert quote_formula("=1") == "'=1" and quote_formula("'=1") == "'=1"


@pytest.mark.parametrize(("raw", "expected"), [("450", 45000), ("450.5", 45050), (" 0.01 ", 1), ("", None)])
def test_money_in_major_units(raw: str, expected: int | None) -> None:
    assert cell.money(raw, "price_retail", 2, RULES) == expected


@pytest.mark.parametrize(("raw", "code"), [("-1", "NEGATIVE_PRICE"), ("1.005", "INVALID_MONEY"),
                                           ("1,200.00", "INVALID_MONEY"), ("abc", "INVALID_MONEY"),
                                           ("1000000.01", "PRICE_OUT_OF_RANGE"), ("1e5", "INVALID_MONEY")])
def test_bad_money(raw: str, code: str) -> None:
    with pytest.raises(cell.RowError) as info:
        cell.money(raw, "price_retail", 2, RULES)
    assert info.value.code == code


def test_other_cells() -> None:
    assert cell.quantity("2.5", "q") == 2500 and cell.quantity("", "q") == 0
    assert cell.flag("YES", "f", False) is True and cell.flag("", "f", True) is True
    assert cell.age("18", "a") == 18 and cell.age("", "a") is None
    assert cell.codes("4791000000010 | 036000291452", RULES) == [("4791000000010", "ean13"),
                                                                  ("0036000291452", "upca")]
    for call, code in ((lambda: cell.quantity("1.0001", "q"), "INVALID_QUANTITY"),
                       (lambda: cell.flag("maybe", "f", False), "INVALID_FLAG"),
                       (lambda: cell.age("0", "a"), "INVALID_AGE"), (lambda: cell.sku("a b"), "INVALID_SKU"),
                       (lambda: cell.plu("123"), "INVALID_PLU"),
                       (lambda: cell.codes("4.79123E+12", RULES), "BARCODE_MANGLED")):
        with pytest.raises(cell.RowError) as info:
            call()
        assert info.value.code == code


def test_display_forms_of_stored_codes() -> None:
    assert display_code("0036000291452", "upca") == "036000291452"
    assert display_code("0000047912349", "ean8") == "47912349"
    assert display_code("0042100005264", "upce") == "04252614"
    assert display_code("4791000000010", "ean13") == "4791000000010"


def test_catalog_settings() -> None:
    assert SETTINGS_DEFAULT == DEFAULT_LAYOUT_SPEC == Settings.from_env({}).barcode_variable_layouts
    assert minor_digits("LKR") == 2 and minor_digits("JPY") == 0 and minor_digits("KWD") == 3
    custom = Settings.from_env({"BARCODE_VARIABLE_LAYOUTS": "20-29:item5,weight5", "CURRENCY": "usd",
                                "PRICE_MAX_MINOR": "5000", "BARCODE_INTERNAL_PREFIXES": "INT-"})
    assert (custom.currency, custom.price_max_minor, custom.barcode_internal_prefixes) == ("USD", 5000, "INT-")
    bad: list[dict[str, Any]] = [{"BARCODE_VARIABLE_LAYOUTS": "30:item5,weight5"}, {"CURRENCY": "rupees"},
                                 {"BARCODE_INTERNAL_RANGES": "9-1"}, {"PRICE_MAX_MINOR": "0"},
                                 {"IMPORT_MAX_ROWS": "many"}, {"BARCODE_INTERNAL_PREFIXES": "a b"}]
    for env in bad:
        with pytest.raises(ConfigError) as info:
            Settings.from_env(env)
        assert info.value.variable == next(iter(env))

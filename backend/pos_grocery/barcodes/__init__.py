"""GS1 barcodes for the lane and the catalog: pure functions, no I/O.

Entry point: ``classify(code, config) -> ScannedCode``. Anything unusable raises ``BarcodeError``
(a ``ValueError``) whose ``code`` is one of ``BarcodeErrorCode``: BARCODE_EMPTY, BARCODE_LENGTH,
BARCODE_CHARACTERS, BARCODE_CHECK_DIGIT, BARCODE_PRICE_CHECK, BARCODE_NUMBER_SYSTEM, BARCODE_VALUE.
Check-digit errors name the expected digit (message and ``expected``).

Canonical form (what the database stores and looks up): the GTIN right-justified to 14 digits with its
leading zero dropped when it has one. Every retail code is therefore 13 digits in EAN-13 form:
EAN-13 as is, UPC-A as ``0`` + 12 digits, UPC-E as ``0`` + its expanded UPC-A, EAN-8 as ``00000`` +
8 digits; a GTIN-14 with indicator digit 0 (a padded GTIN-13) also becomes 13 digits, and only a
GTIN-14 with indicator 1-9 stays 14 digits. ``to_gtin14`` gives the 14-digit form.

Classification order of the stripped input (ends stripped; inner spaces dropped for digit codes):
  1. starts with a configured internal prefix (longest wins) -> internal, taken verbatim;
  2. ASCII digits only, else BARCODE_CHARACTERS (so '١٢٣' is refused);
  3. within a configured numeric internal range -> internal;
  4. 4 or 5 digits (when PLUs are on) -> plu;
  5. 8 digits starting 0/1 (when ``upce`` is on) -> upce; 8 -> ean8; 12 -> upca; 13 -> ean13;
     14 -> gtin14; any other length -> BARCODE_LENGTH; then the check digit is verified;
  6. a 13-digit canonical form whose prefix has a variable-measure layout -> variable_measure, with the
     item code as lookup key and ``weight_g`` (integer grams) or ``price_minor`` (integer minor units).
     Prefixes without a layout stay plain EAN-13/UPC-A restricted-circulation codes.

Variable-measure layout settings string (``parse_layouts``), whitespace and case ignored:
  spec    = [ layout *( ";" layout ) ]          empty parts are skipped
  layout  = prefixes ":" item "," [ "check" "," ] value
  prefixes= PP [ "-" PP ]                        two-digit GS1 RCN prefixes: 02 or 20-29
  item    = "item" N                             item code digits (the lookup key)
  value   = ( "weight" | "price" ) N             grams or minor units
  "check" is the GS1 price/weight verifier digit (value must then be 4 or 5 digits); after the
  two-digit prefix the fields must use exactly 10 digits, the 13th being the EAN-13 check digit.
  Default (``DEFAULT_LAYOUT_SPEC``): "20-24:item5,weight5;25-29:item5,check,price4;02:item5,price5".
  Errors are ValueError naming the bad part, e.g. "barcode layout '30:item5,weight5': prefix ...".

Numeric internal ranges (``parse_internal_ranges``): "LOW-HIGH[,LOW-HIGH...]", bounds of equal length.
Internal prefixes (``parse_internal_prefixes``): "INT-,SKU-".

What the GS1 mod-10 check digit cannot catch: it catches every single-digit substitution and every
adjacent transposition except of two digits that differ by 5 (e.g. 16 <-> 61, 05 <-> 50), because the
weights 1 and 3 differ by 2 and 2 * 5 = 10. It never catches a jump transposition (abc -> cba):
positions two apart share a weight.
UPC-E is weaker still: its sixth data digit says where the suppressed zeros go, so changing it moves
digits around and about one such substitution in ten still passes (00000019 -> 00000079); substitutions
of the other digits are always caught.
"""

from pos_grocery.barcodes.classify import (
    MAX_CODE_LENGTH,
    PLU_LENGTHS,
    BarcodeConfig,
    BarcodeKind,
    NumericRange,
    ScannedCode,
    classify,
    parse_internal_prefixes,
    parse_internal_ranges,
)
from pos_grocery.barcodes.gtin import (
    BarcodeError,
    BarcodeErrorCode,
    canonical_gtin,
    check_digit,
    compress_upca,
    expand_upce,
    make_ean8,
    make_ean13,
    make_gtin,
    make_upca,
    normalize_gtin,
    to_gtin14,
)
from pos_grocery.barcodes.variable import (
    DEFAULT_LAYOUT_SPEC,
    DEFAULT_LAYOUTS,
    VARIABLE_MEASURE_PREFIXES,
    Measure,
    VariableMeasureLayout,
    make_variable_measure,
    parse_layouts,
    price_check_digit,
)

__all__ = [
    "DEFAULT_LAYOUTS",
    "DEFAULT_LAYOUT_SPEC",
    "MAX_CODE_LENGTH",
    "PLU_LENGTHS",
    "VARIABLE_MEASURE_PREFIXES",
    "BarcodeConfig",
    "BarcodeError",
    "BarcodeErrorCode",
    "BarcodeKind",
    "Measure",
    "NumericRange",
    "ScannedCode",
    "VariableMeasureLayout",
    "canonical_gtin",
    "check_digit",
    "classify",
    "compress_upca",
    "expand_upce",
    "make_ean8",
    "make_ean13",
    "make_gtin",
    "make_upca",
    "make_variable_measure",
    "normalize_gtin",
    "parse_internal_prefixes",
    "parse_internal_ranges",
    "parse_layouts",
    "price_check_digit",
    "to_gtin14",
]

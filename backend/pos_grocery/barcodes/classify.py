"""classify(): one scanned or typed string to a tagged ScannedCode."""

from __future__ import annotations

import enum
import re

import msgspec

from pos_grocery.barcodes.gtin import (
    BarcodeError,
    BarcodeErrorCode,
    canonical_gtin,
    expand_upce,
    is_ascii_digits,
    require_digits,
    verify_check_digit,
)
from pos_grocery.barcodes.variable import (
    DEFAULT_LAYOUTS,
    Measure,
    VariableMeasureLayout,
    layout_for,
    read_variable_measure,
)

# Longest string worth looking at: GTIN-14 and internal codes fit; 100 pasted digits do not.
MAX_CODE_LENGTH = 48
# IFPS produce PLUs: 4 digits (3000-4999), 5 digits with a leading 9 for organic; stores add their own.
PLU_LENGTHS = (4, 5)
_INTERNAL_BODY = re.compile(r"[A-Za-z0-9._/-]+")


class BarcodeKind(enum.StrEnum):
    """What a code turned out to be."""

    EAN13 = "ean13"
    EAN8 = "ean8"
    UPCA = "upca"
    UPCE = "upce"
    GTIN14 = "gtin14"
    PLU = "plu"
    INTERNAL = "internal"
    VARIABLE_MEASURE = "variable_measure"


_KIND_BY_LENGTH = {8: BarcodeKind.EAN8, 12: BarcodeKind.UPCA, 13: BarcodeKind.EAN13, 14: BarcodeKind.GTIN14}
_LABELS = {
    BarcodeKind.EAN8: "EAN-8",
    BarcodeKind.UPCA: "UPC-A",
    BarcodeKind.EAN13: "EAN-13",
    BarcodeKind.GTIN14: "GTIN-14",
}


class NumericRange(msgspec.Struct, frozen=True):
    """An in-store range of plain numeric codes (no check digit); bounds inclusive, of one length."""

    low: str
    high: str

    def __post_init__(self) -> None:
        """Reject bounds that are not digits, differ in length or run backwards."""
        if not (is_ascii_digits(self.low) and is_ascii_digits(self.high)):
            raise ValueError(f"internal range {self.low}-{self.high}: bounds must be digits 0-9")
        if len(self.low) != len(self.high):
            raise ValueError(f"internal range {self.low}-{self.high}: bounds must have the same length")
        if self.low > self.high:
            raise ValueError(f"internal range {self.low}-{self.high} runs backwards")

    def contains(self, digits: str) -> bool:
        """True when `digits` has the range's length and lies within it."""
        # Same-length digit strings compare like their numbers, and leading zeros stay significant.
        return len(digits) == len(self.low) and self.low <= digits <= self.high


class BarcodeConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Store barcode settings as a value."""

    layouts: tuple[VariableMeasureLayout, ...] = DEFAULT_LAYOUTS
    # Codes starting with one of these (e.g. "INT-") are the store's own, taken verbatim.
    internal_prefixes: tuple[str, ...] = ()
    internal_ranges: tuple[NumericRange, ...] = ()
    plu: bool = True
    # 8 digits starting 0 or 1 are read as UPC-E (else EAN-8); turn off when the store prints EAN-8
    # codes with those first digits (RCN-8 prefix 0, GS1 US GS1-8 prefixes 100-139).
    upce: bool = True

    def __post_init__(self) -> None:
        """Reject duplicate layout prefixes and unusable internal prefixes."""
        prefixes = [layout.prefix for layout in self.layouts]
        duplicates = sorted({prefix for prefix in prefixes if prefixes.count(prefix) > 1})
        if duplicates:
            raise ValueError(f"variable-measure prefix configured twice: {', '.join(duplicates)}")
        for prefix in self.internal_prefixes:
            if not prefix or "".join(prefix.split()) != prefix or len(prefix) >= MAX_CODE_LENGTH:
                raise ValueError(f"internal code prefix {prefix!r} must be short, non-empty, without spaces")


class ScannedCode(msgspec.Struct, frozen=True, kw_only=True):
    """A recognised code: what it is, what to store or look up, and any embedded weight or price."""

    kind: BarcodeKind
    # Canonical text: the GTIN for GTIN kinds, the EAN-13 for variable measure, else the code itself.
    normalized: str
    # The catalog key: the GTIN, the PLU, the internal code, or a variable-measure item code.
    lookup_key: str
    # Canonical GTIN (see the package docstring); None for PLU, internal and variable-measure codes.
    gtin: str | None = None
    weight_g: int | None = None
    price_minor: int | None = None


def parse_internal_ranges(spec: str) -> tuple[NumericRange, ...]:
    """Ranges from 'LOW-HIGH[,LOW-HIGH...]'; ValueError names the bad part."""
    ranges: list[NumericRange] = []
    for raw_part in spec.split(","):
        part = raw_part.strip()
        if not part:
            continue
        low, dash, high = part.partition("-")
        if not dash:
            raise ValueError(f"internal range {part!r}: expected LOW-HIGH, e.g. 2000000-2099999")
        ranges.append(NumericRange(low.strip(), high.strip()))
    return tuple(ranges)


def parse_internal_prefixes(spec: str) -> tuple[str, ...]:
    """Prefixes from a comma-separated setting such as 'INT-,SKU-'."""
    return tuple(part.strip() for part in spec.split(",") if part.strip())


def classify(code: str, config: BarcodeConfig) -> ScannedCode:
    """Recognise one scanned or typed code; anything unusable raises BarcodeError."""
    text = code.strip()  # scanners send CR/LF/TAB suffixes; people type spaces
    if not text:
        raise BarcodeError(BarcodeErrorCode.EMPTY, "the barcode is empty")
    if len(text) > MAX_CODE_LENGTH:
        raise BarcodeError(
            BarcodeErrorCode.LENGTH,
            f"a barcode of {len(text)} characters is too long (at most {MAX_CODE_LENGTH})",
        )
    prefix = _internal_prefix(text, config)
    if prefix is not None:
        return _internal_code(text, prefix)
    # Inner spaces come from typing the human-readable line ("4 006381 333931").
    digits = "".join(text.split())
    require_digits(digits, "barcode")
    return _classify_digits(digits, config)


def _internal_prefix(text: str, config: BarcodeConfig) -> str | None:
    """The longest configured internal prefix that `text` starts with."""
    matches = [prefix for prefix in config.internal_prefixes if text.startswith(prefix)]
    return max(matches, key=len) if matches else None


def _internal_code(text: str, prefix: str) -> ScannedCode:
    """An internal code: the prefix and a body of letters, digits and . _ / -."""
    body = text[len(prefix) :]
    if not body:
        raise BarcodeError(BarcodeErrorCode.LENGTH, f"internal code {text!r} has nothing after {prefix!r}")
    if _INTERNAL_BODY.fullmatch(body) is None:
        raise BarcodeError(
            BarcodeErrorCode.CHARACTERS,
            f"internal code {text!r} may only use letters, digits and . _ / - after {prefix!r}",
        )
    return ScannedCode(kind=BarcodeKind.INTERNAL, normalized=text, lookup_key=text)


def _classify_digits(digits: str, config: BarcodeConfig) -> ScannedCode:
    """Internal range, PLU, GTIN or variable-measure code, in that order."""
    if any(numeric_range.contains(digits) for numeric_range in config.internal_ranges):
        return ScannedCode(kind=BarcodeKind.INTERNAL, normalized=digits, lookup_key=digits)
    if config.plu and len(digits) in PLU_LENGTHS:
        return ScannedCode(kind=BarcodeKind.PLU, normalized=digits, lookup_key=digits)
    kind, gtin = _read_gtin(digits, config)
    # A UPC-A with number system 2 becomes EAN-13 prefix 02, so one layout serves both symbologies.
    layout = layout_for(gtin, config.layouts) if len(gtin) == 13 else None
    if layout is None:
        return ScannedCode(kind=kind, normalized=gtin, lookup_key=gtin, gtin=gtin)
    return _variable_measure(gtin, layout)


def _read_gtin(digits: str, config: BarcodeConfig) -> tuple[BarcodeKind, str]:
    """Kind and canonical GTIN of an 8/12/13/14-digit code with a verified check digit."""
    if len(digits) == 8 and config.upce and digits[0] in "01":
        return BarcodeKind.UPCE, canonical_gtin(expand_upce(digits))
    kind = _KIND_BY_LENGTH.get(len(digits))
    if kind is None:
        plu = ", PLU (4 or 5)" if config.plu else ""
        raise BarcodeError(
            BarcodeErrorCode.LENGTH,
            f"a {len(digits)}-digit code is none of EAN-8/UPC-E (8), UPC-A (12), EAN-13 (13), GTIN-14 (14){plu} digits",
        )
    verify_check_digit(_LABELS[kind], digits, digits[:-1])
    return kind, canonical_gtin(digits)


def _variable_measure(ean13: str, layout: VariableMeasureLayout) -> ScannedCode:
    """A variable-measure code: item code as lookup key plus its weight or price."""
    # GenSpecs, Restricted Circulation Numbers for variable measure items at POS: the item code, not the
    # whole code, identifies the product; a zero value is returned as is and left to the sale to refuse.
    item, value = read_variable_measure(ean13, layout)
    is_weight = layout.measure is Measure.WEIGHT
    return ScannedCode(
        kind=BarcodeKind.VARIABLE_MEASURE,
        normalized=ean13,
        lookup_key=item,
        weight_g=value if is_weight else None,
        price_minor=None if is_weight else value,
    )

"""GS1 variable-measure (RCN-13) layouts, the price/weight verifier digit, and the layout settings string."""

from __future__ import annotations

import enum
import re

import msgspec

from pos_grocery.barcodes.gtin import BarcodeError, BarcodeErrorCode, make_ean13, require_digits

# GenSpecs, "GS1 Prefixes": 02 and 20-29 are the Restricted Circulation Number prefixes a company or a
# GS1 Member Organisation may use for variable-measure items; any other prefix is a real GTIN.
VARIABLE_MEASURE_PREFIXES = ("02", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29")

# Digits between the two-digit prefix and the EAN-13 check digit.
PAYLOAD_LENGTH = 10

DEFAULT_LAYOUT_SPEC = "20-24:item5,weight5;25-29:item5,check,price4;02:item5,price5"


class Measure(enum.StrEnum):
    """What the value field of a variable-measure code holds."""

    WEIGHT = "weight"  # integer grams (= quantity in thousandths of a kg)
    PRICE = "price"  # integer minor units of the store currency


class VariableMeasureLayout(msgspec.Struct, frozen=True, kw_only=True):
    """How one prefix packs item code, optional verifier digit and value into an EAN-13."""

    prefix: str
    item_length: int
    measure: Measure
    value_length: int
    verifier: bool = False

    def __post_init__(self) -> None:
        """Reject layouts that do not fill the ten payload digits or misuse the verifier."""
        if self.prefix not in VARIABLE_MEASURE_PREFIXES:
            raise ValueError(f"prefix {self.prefix!r} is not a GS1 variable-measure prefix (02, 20-29)")
        if self.item_length < 1 or self.value_length < 1:
            raise ValueError("item and value fields need at least one digit each")
        used = self.item_length + self.value_length + int(self.verifier)
        if used != PAYLOAD_LENGTH:
            raise ValueError(f"fields use {used} digits; after the prefix they must use exactly 10")
        if self.verifier and self.value_length not in (4, 5):
            # GenSpecs 7.9 defines the price/weight check digit only for four- and five-digit fields.
            raise ValueError("a check (verifier) digit needs a 4- or 5-digit weight or price")


def _range_layouts(
    low: int, high: int, item: int, measure: Measure, value: int, verifier: bool
) -> tuple[VariableMeasureLayout, ...]:
    """One layout per prefix in low..high."""
    return tuple(
        VariableMeasureLayout(
            prefix=f"{n:02d}", item_length=item, measure=measure, value_length=value, verifier=verifier
        )
        for n in range(low, high + 1)
    )


# The same layouts as DEFAULT_LAYOUT_SPEC (a test holds them equal).
DEFAULT_LAYOUTS = (
    _range_layouts(20, 24, 5, Measure.WEIGHT, 5, False)
    + _range_layouts(25, 29, 5, Measure.PRICE, 4, True)
    + _range_layouts(2, 2, 5, Measure.PRICE, 5, False)
)


def _weighted(digit: int, factor: int, sign: int) -> int:
    """A GS1 'weighted product': units digit of digit*factor, plus or minus its tens digit, mod 10."""
    # GenSpecs 7.9, weighting factors for price/weight fields: "2-" takes units minus tens of 2*d,
    # "5+" units plus tens of 5*d, "5-" units minus tens of 5*d, "3" just the units of 3*d.
    product = digit * factor
    return (product % 10 + sign * (product // 10)) % 10


_FOUR_DIGIT_FACTORS = ((2, -1), (2, -1), (3, 0), (5, -1))  # 2-, 2-, 3, 5-
_FIVE_DIGIT_FACTORS = ((5, 1), (2, -1), (5, -1), (5, 1), (2, -1))  # 5+, 2-, 5-, 5+, 2-


def price_check_digit(value: str) -> str:
    """GS1 price/weight verifier digit of a 4- or 5-digit value field."""
    require_digits(value, "price/weight field")
    if len(value) == 4:
        # GenSpecs 7.9, four-digit price/weight field: sum the weighted products, multiply by 3, keep the units digit.
        total = sum(_weighted(int(d), f, s) for d, (f, s) in zip(value, _FOUR_DIGIT_FACTORS, strict=True))
        return str(total * 3 % 10)
    if len(value) == 5:
        # GenSpecs 7.9, five-digit price/weight field: the sum's complement to the next multiple of 10
        # is the 5- weighted product of the check digit; 5- maps 0-9 one to one, so one digit fits.
        total = sum(_weighted(int(d), f, s) for d, (f, s) in zip(value, _FIVE_DIGIT_FACTORS, strict=True))
        target = -total % 10
        return str(next(c for c in range(10) if _weighted(c, 5, -1) == target))
    raise BarcodeError(
        BarcodeErrorCode.LENGTH, f"price/weight verifier needs a 4- or 5-digit field, got {len(value)} digits"
    )


def layout_for(ean13: str, layouts: tuple[VariableMeasureLayout, ...]) -> VariableMeasureLayout | None:
    """The layout whose prefix starts this 13-digit code, if any."""
    return next((layout for layout in layouts if ean13.startswith(layout.prefix)), None)


def read_variable_measure(ean13: str, layout: VariableMeasureLayout) -> tuple[str, int]:
    """(item code, value) of an EAN-13 whose check digit is already verified; checks the verifier."""
    item_start = len(layout.prefix)
    item = ean13[item_start : item_start + layout.item_length]
    value = ean13[-1 - layout.value_length : -1]  # the value ends right before the EAN-13 check digit
    if layout.verifier:
        given = ean13[item_start + layout.item_length]
        expected = price_check_digit(value)
        if given != expected:
            raise BarcodeError(
                BarcodeErrorCode.PRICE_CHECK,
                f"variable-measure code {ean13}: {layout.measure.value} {value} has verifier digit {given}, "
                f"expected {expected}",
                expected=expected,
            )
    return item, int(value)


def make_variable_measure(layout: VariableMeasureLayout, item_code: str, value: int) -> str:
    """The EAN-13 a scale would print for this item and weight (grams) or price (minor units)."""
    require_digits(item_code, "item code")
    if len(item_code) != layout.item_length:
        raise BarcodeError(
            BarcodeErrorCode.LENGTH,
            f"item code {item_code!r} has {len(item_code)} digits, layout {layout.prefix} needs {layout.item_length}",
        )
    if not 0 <= value < 10**layout.value_length:
        raise BarcodeError(
            BarcodeErrorCode.VALUE,
            f"{layout.measure.value} {value} does not fit in {layout.value_length} digits",
        )
    digits = f"{value:0{layout.value_length}d}"
    verifier = price_check_digit(digits) if layout.verifier else ""
    return make_ean13(layout.prefix + item_code + verifier + digits)


_PREFIXES_RE = re.compile(r"([0-9]{2})(?:\s*-\s*([0-9]{2}))?")
_FIELD_RE = re.compile(r"(item|weight|price)([0-9]{1,2})")
_FIELDS_HINT = "fields must be 'itemN,weightN', 'itemN,priceN' or with ',check,' before the value"


def _parse_prefixes(text: str) -> range:
    """Numeric prefixes of 'PP' or 'PP-PP'."""
    match = _PREFIXES_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"prefix {text!r} must be two digits or a range such as 20-24")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if high < low:
        raise ValueError(f"prefix range {text!r} runs backwards")
    return range(low, high + 1)


def _parse_field(token: str, names: tuple[str, ...]) -> tuple[str, int]:
    """(name, length) of a field token such as 'item5' whose name is one of `names`."""
    match = _FIELD_RE.fullmatch(token)
    if match is None or match.group(1) not in names:
        raise ValueError(f"field {token!r} is not one of {', '.join(n + 'N' for n in names)}; {_FIELDS_HINT}")
    return match.group(1), int(match.group(2))


def _parse_fields(text: str) -> tuple[int, Measure, int, bool]:
    """(item length, measure, value length, verifier) of 'itemN,[check,]weightN|priceN'."""
    tokens = [token.strip().lower() for token in text.split(",")]
    verifier = len(tokens) == 3 and tokens[1] == "check"
    if verifier:
        del tokens[1]
    if len(tokens) != 2:
        raise ValueError(_FIELDS_HINT)
    _, item_length = _parse_field(tokens[0], ("item",))
    measure, value_length = _parse_field(tokens[1], ("weight", "price"))
    return item_length, Measure(measure), value_length, verifier


def _parse_layout(part: str) -> tuple[VariableMeasureLayout, ...]:
    """The layouts of one 'PREFIXES:FIELDS' part."""
    head, colon, body = part.partition(":")
    if not colon:
        raise ValueError("expected PREFIXES:FIELDS, e.g. 20-24:item5,weight5")
    prefixes = _parse_prefixes(head.strip())
    item_length, measure, value_length, verifier = _parse_fields(body)
    return _range_layouts(prefixes.start, prefixes.stop - 1, item_length, measure, value_length, verifier)


def parse_layouts(spec: str) -> tuple[VariableMeasureLayout, ...]:
    """Layouts from a settings string (grammar in the package docstring); ValueError names the bad part."""
    layouts: list[VariableMeasureLayout] = []
    seen: set[str] = set()
    for raw_part in spec.split(";"):
        part = raw_part.strip()
        if not part:
            continue  # tolerate a trailing ';' or an empty setting
        try:
            parsed = _parse_layout(part)
        except ValueError as exc:
            raise ValueError(f"barcode layout {part!r}: {exc}") from None
        for layout in parsed:
            if layout.prefix in seen:
                raise ValueError(f"barcode layout {part!r}: prefix {layout.prefix} is configured twice")
            seen.add(layout.prefix)
            layouts.append(layout)
    return tuple(layouts)

"""GTIN check digits, canonical form, UPC-E zero suppression and code generators."""

from __future__ import annotations

import enum

GTIN_LENGTHS = (8, 12, 13, 14)


class BarcodeErrorCode(enum.StrEnum):
    """Stable machine codes of BarcodeError; clients switch on these, never on the message."""

    EMPTY = "BARCODE_EMPTY"
    LENGTH = "BARCODE_LENGTH"
    CHARACTERS = "BARCODE_CHARACTERS"
    CHECK_DIGIT = "BARCODE_CHECK_DIGIT"
    PRICE_CHECK = "BARCODE_PRICE_CHECK"
    NUMBER_SYSTEM = "BARCODE_NUMBER_SYSTEM"
    VALUE = "BARCODE_VALUE"


class BarcodeError(ValueError):
    """A code that cannot be used: `code` is stable, the message is for people."""

    def __init__(self, code: BarcodeErrorCode, message: str, *, expected: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # The check digit (or price verifier) the data called for, when that was the problem.
        self.expected = expected


def is_ascii_digits(text: str) -> bool:
    """True when `text` is non-empty and only 0-9 (str.isdigit alone also accepts '١' and '²')."""
    return text.isascii() and text.isdigit()


def require_digits(text: str, what: str) -> None:
    """Raise BarcodeError unless `text` is a non-empty string of ASCII digits."""
    if not text:
        raise BarcodeError(BarcodeErrorCode.EMPTY, f"{what} is empty")
    for position, char in enumerate(text, start=1):
        if not ("0" <= char <= "9"):
            raise BarcodeError(
                BarcodeErrorCode.CHARACTERS,
                f"{what} {text!r} has {char!r} at position {position}; only the digits 0-9 are allowed",
            )


def check_digit(data: str) -> str:
    """GS1 mod-10 check digit for `data`, the digits that precede the check digit."""
    require_digits(data, "check digit data")
    # GS1 General Specifications, "Standard check digit calculations for GS1 data structures" (7.9):
    # weights 3,1,3,1,... from the rightmost data digit; the check digit tops the sum up to a multiple of 10.
    total = 0
    for position, char in enumerate(reversed(data)):
        digit = ord(char) - 48
        total += 3 * digit if position % 2 == 0 else digit
    return str(-total % 10)


def verify_check_digit(label: str, code: str, data: str) -> None:
    """Raise BARCODE_CHECK_DIGIT unless the last digit of `code` is the check digit of `data`."""
    expected = check_digit(data)
    given = code[-1]
    if given != expected:
        raise BarcodeError(
            BarcodeErrorCode.CHECK_DIGIT,
            f"{label} {code}: check digit is {given}, expected {expected}",
            expected=expected,
        )


def canonical_gtin(digits: str) -> str:
    """Storage form of a checked GTIN: the GTIN-14 with its leading zero dropped when it has one."""
    # Right-justifying into 14 digits is GS1's own way of making GTIN-8/12/13/14 comparable (GenSpecs,
    # "GTIN in a 14-digit field": leading zeros carry no meaning); dropping one leading zero then gives
    # the EAN-13 form for every retail code and leaves a real GTIN-14 (indicator 1-9) at 14 digits.
    gtin14 = digits.rjust(14, "0")
    return gtin14[1:] if gtin14[0] == "0" else gtin14


def to_gtin14(gtin: str) -> str:
    """The 14-digit form of any GTIN (as needed in GS1-128 / DataBar AI (01))."""
    return gtin.rjust(14, "0")


def normalize_gtin(code: str) -> str:
    """Validate a GTIN-8/12/13/14 (8 digits read as EAN-8) and return its canonical form."""
    digits = "".join(code.split())
    require_digits(digits, "GTIN")
    if len(digits) not in GTIN_LENGTHS:
        raise BarcodeError(
            BarcodeErrorCode.LENGTH, f"GTIN {digits!r} has {len(digits)} digits; a GTIN has 8, 12, 13 or 14"
        )
    verify_check_digit(f"GTIN-{len(digits)}", digits, digits[:-1])
    return canonical_gtin(digits)


def make_gtin(data: str) -> str:
    """`data` followed by its GS1 check digit."""
    return data + check_digit(data)


def _make_fixed(data: str, length: int, label: str) -> str:
    """`data` of exactly `length` digits followed by its check digit."""
    require_digits(data, label)
    if len(data) != length:
        raise BarcodeError(BarcodeErrorCode.LENGTH, f"{label} needs {length} digits, got {len(data)}")
    return make_gtin(data)


def make_ean13(prefix12: str) -> str:
    """EAN-13 from its first 12 digits."""
    return _make_fixed(prefix12, 12, "EAN-13 data")


def make_ean8(prefix7: str) -> str:
    """EAN-8 from its first 7 digits."""
    return _make_fixed(prefix7, 7, "EAN-8 data")


def make_upca(prefix11: str) -> str:
    """UPC-A from its first 11 digits."""
    return _make_fixed(prefix11, 11, "UPC-A data")


def _expand_upce_body(body: str) -> str:
    """The 10 digits after the number system of the UPC-A that six UPC-E digits stand for."""
    # GenSpecs, EAN/UPC symbology, "UPC-E" zero suppression: the last digit says where the zeros went.
    last = body[5]
    if last in "012":  # manufacturer d1 d2 last 0 0, item 0 0 d3 d4 d5
        return body[0:2] + last + "0000" + body[2:5]
    if last == "3":  # manufacturer d1 d2 d3 0 0, item 0 0 0 d4 d5
        return body[0:3] + "00000" + body[3:5]
    if last == "4":  # manufacturer d1 d2 d3 d4 0, item 0 0 0 0 d5
        return body[0:4] + "00000" + body[4]
    return body[0:5] + "0000" + last  # manufacturer d1..d5, item 0 0 0 0 last (5-9)


def expand_upce(upce: str) -> str:
    """The UPC-A (12 digits) of an 8-digit UPC-E; number system and check digit are verified."""
    require_digits(upce, "UPC-E")
    if len(upce) != 8:
        raise BarcodeError(BarcodeErrorCode.LENGTH, f"UPC-E {upce!r} has {len(upce)} digits, needs 8")
    if upce[0] not in "01":
        raise BarcodeError(
            BarcodeErrorCode.NUMBER_SYSTEM, f"UPC-E {upce}: number system is {upce[0]}, only 0 or 1 exist"
        )
    # The UPC-E check digit is the one of the expanded UPC-A, not of the eight digits themselves.
    upca_data = upce[0] + _expand_upce_body(upce[1:7])
    verify_check_digit("UPC-E", upce, upca_data)
    return upca_data + upce[7]


def _suppress_zeros(manufacturer: str, item: str) -> str | None:
    """The six UPC-E digits for a manufacturer/item pair, or None when no rule applies."""
    if manufacturer[2] in "012" and manufacturer[3:] == "00" and item[:2] == "00":
        return manufacturer[:2] + item[2:] + manufacturer[2]
    if manufacturer[3:] == "00" and item[:3] == "000":
        return manufacturer[:3] + item[3:] + "3"
    if manufacturer[4] == "0" and item[:4] == "0000":
        return manufacturer[:4] + item[4] + "4"
    if item[:4] == "0000" and item[4] in "56789":
        return manufacturer + item[4]
    return None


def compress_upca(upca: str) -> str | None:
    """The 8-digit UPC-E for a valid UPC-A when zero suppression allows one, else None."""
    require_digits(upca, "UPC-A")
    if len(upca) != 12:
        raise BarcodeError(BarcodeErrorCode.LENGTH, f"UPC-A {upca!r} has {len(upca)} digits, needs 12")
    verify_check_digit("UPC-A", upca, upca[:11])
    if upca[0] not in "01":
        return None
    # Rules are tried most-zeros first so that the result is the one UPC-E a printer would use.
    body = _suppress_zeros(upca[1:6], upca[6:11])
    return None if body is None else upca[0] + body + upca[11]

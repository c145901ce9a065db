"""Barcode symbols as module patterns ('1' = bar, '0' = space): EAN-13 (GS1 General Specifications 5.2.1.2)
and Code 128 (ISO/IEC 15417; set C for even-length digit strings, set B otherwise). Pure functions, no I/O."""

from __future__ import annotations

from pos_grocery.barcodes import check_digit

EAN_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
EAN_R = tuple(code.translate(str.maketrans("01", "10")) for code in EAN_L)
EAN_G = tuple(code[::-1] for code in EAN_R)
EAN_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
# Bar/space widths of Code 128 values 0..105 (each 11 modules) and the stop (13 modules with its final bar).
CODE128 = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232",
)
CODE128_STOP = "2331112"
START_B, START_C = 104, 105


def ean13_modules(code: str) -> str:
    """The 95 modules of a valid 13-digit EAN (ValueError otherwise)."""
    if len(code) != 13 or not code.isascii() or not code.isdigit() or check_digit(code[:12]) != code[12]:
        raise ValueError(f"not a valid EAN-13: {code!r}")
    parity = EAN_PARITY[int(code[0])]
    left = "".join((EAN_L if p == "L" else EAN_G)[int(d)] for p, d in zip(parity, code[1:7], strict=True))
    right = "".join(EAN_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def _widths_to_modules(widths: str) -> str:
    return "".join(("1" if i % 2 == 0 else "0") * int(w) for i, w in enumerate(widths))


def code128_values(text: str) -> list[int]:
    """Symbol values including start and check character (printable ASCII only)."""
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise ValueError(f"Code 128 set B takes printable ASCII, got {text!r}")
    if text.isdigit() and len(text) % 2 == 0 and len(text) >= 4:
        values = [START_C, *(int(text[i:i + 2]) for i in range(0, len(text), 2))]
    else:
        values = [START_B, *(ord(ch) - 32 for ch in text)]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [*values, check]


def code128_modules(text: str) -> str:
    """Modules of a Code 128 symbol for `text` (without quiet zones)."""
    return "".join(_widths_to_modules(CODE128[v]) for v in code128_values(text)) + _widths_to_modules(CODE128_STOP)


def modules_for(code: str, symbology: str) -> tuple[str, str]:
    """(symbology used, modules): EAN-13 when asked or when `auto` and the code is one, else Code 128."""
    if symbology in ("auto", "ean13") and len(code) == 13 and code.isdigit():
        try:
            return "ean13", ean13_modules(code)
        except ValueError:
            if symbology == "ean13":
                raise
    if symbology == "ean13":
        raise ValueError(f"{code!r} is not an EAN-13")
    return "code128", code128_modules(code)

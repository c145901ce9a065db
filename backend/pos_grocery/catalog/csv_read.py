"""Reading an uploaded CSV file: encoding, delimiter, header and records, with file-level errors as 400s.

What is checked here is about the file as a whole (not UTF-8, wrong delimiter, missing or unknown columns,
broken quoting, too many rows): any of these refuses the file before a single row is looked at. Problems of
one row (a bad price, an unknown category) are the importer's rejections, reported with the row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pos_grocery.errors import ValidationFailed

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet; exports prefix it with ' (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


class CsvRefused(ValidationFailed):
    """The file cannot be imported at all (a 400 with a CSV_* code)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One data row: the line where it starts and its cells by column name."""

    line: int
    cells: dict[str, str]
    width: int


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A parsed file: its columns and records (blank lines dropped)."""

    columns: tuple[str, ...]
    records: list[Record]


def decode(raw: bytes) -> str:
    """UTF-8 text (a leading BOM tolerated); CSV_ENCODING names the first bad byte's offset."""
    if not raw.strip():
        raise CsvRefused("The file is empty.", "CSV_EMPTY")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvRefused(
            f"The file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}). "
            "Save it as 'CSV UTF-8'.", "CSV_ENCODING") from None
    if "\x00" in text:
        raise CsvRefused("The file contains NUL bytes: it is not a CSV text file.", "CSV_ENCODING")
    return text.removeprefix(BOM)


def _header(first_line: str, expected: Sequence[str], required: Sequence[str]) -> tuple[str, ...]:
    """The header's column names (trimmed, lower case), checked against the format."""
    try:
        row = next(csv.reader([first_line], strict=True), [])
    except csv.Error as exc:
        raise CsvRefused(f"The header line is not CSV: {exc}.", "CSV_MALFORMED") from None
    columns = tuple(name.strip().lower() for name in row)
    missing = [name for name in required if name not in columns]
    if missing:
        for delimiter, word in OTHER_DELIMITERS.items():
            if len(columns) == 1 and delimiter in first_line:
                raise CsvRefused(f"The columns are separated by {word}; use commas (,).", "CSV_DELIMITER")
        raise CsvRefused(f"Missing column(s): {', '.join(missing)}. The header must name: {', '.join(required)}.",
                         "CSV_MISSING_COLUMNS")
    unknown = [name for name in columns if name not in expected]
    if unknown:
        raise CsvRefused(f"Unknown column(s): {', '.join(repr(u) for u in unknown)}. Known: {', '.join(expected)}.",
                         "CSV_UNKNOWN_COLUMNS")
    doubled = sorted({name for name in columns if columns.count(name) > 1})
    if doubled:
        raise CsvRefused(f"Column(s) named twice: {', '.join(doubled)}.", "CSV_DUPLICATE_COLUMNS")
    return columns


def _records(reader: Iterator[list[str]], columns: tuple[str, ...], line_of: list[int],
             max_rows: int) -> list[Record]:
    found: list[Record] = []
    while True:
        line = line_of[0] + 1  # the record starts on the line after the last one read
        try:
            row = next(reader)
        except StopIteration:
            return found
        except csv.Error as exc:
            raise CsvRefused(f"Broken CSV in the row starting on line {line}: {exc} (check its quotes).",
                             "CSV_MALFORMED") from None
        if not any(cell.strip() for cell in row):
            continue
        if len(found) >= max_rows:
            raise CsvRefused(f"The file has more than {max_rows:,} rows (IMPORT_MAX_ROWS); split it.",
                             "CSV_TOO_MANY_ROWS")
        found.append(Record(line, {name: unquote(cell) for name, cell in zip(columns, row, strict=False)},
                            len(row)))


class _LineCounter:
    """Feeds lines to csv.reader while remembering the number of the last line handed out."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.number = [1]

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.number[0] += 1
            yield line


def parse(raw: bytes, expected: Sequence[str], required: Sequence[str], max_rows: int) -> CsvTable:
    """The whole file as records, or CsvRefused for a file-level problem."""
    # newline="": lines end at \n, \r or \r\n only (str.splitlines would also cut at U+2028 and friends).
    lines = iter(io.StringIO(decode(raw), newline=""))
    columns = _header(next(lines).rstrip("\r\n"), expected, required)
    counter = _LineCounter(lines)
    reader = csv.reader(iter(counter), strict=True)
    return CsvTable(columns, _records(reader, columns, counter.number, max_rows))


def quote_formula(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unquote(value: str) -> str:
    """Undo quote_formula, so a name starting with = or - survives an export and re-import unchanged."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value

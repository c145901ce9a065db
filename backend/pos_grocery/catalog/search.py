"""Product search: exact codes, SKU and barcode prefixes, then names in three languages (FTS5), ranked.

Ranking, best first (docs/CATALOG.md):
  1. the query is a product's barcode, PLU, scale-label code or SKU;
  2. a SKU, then a barcode, starting with the query (one word, codes in order);
  3. name matches: every query word is a word prefix in one of the names (English, Sinhala, Tamil). Among
     them, names (in any language) starting with the whole query, then shorter names, then by id.
The name step ranks the first POOL matches in catalog order: the cost of a query is then bounded by POOL,
not by how many of a million products share a common word (~0.4 ms either way), and a query that broad
needs more letters anyway. bm25 is not used: its IDF pass reads every matching posting (25 ms for a word
shared by 35,000 of a million products, measured), which no as-you-type budget affords.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from collections.abc import Iterable

import apsw

from pos_grocery.barcodes import BarcodeError, classify
from pos_grocery.catalog import queries as q
from pos_grocery.catalog.models import ProductPage
from pos_grocery.catalog.rules import Rules
from pos_grocery.catalog.service import scan_codes
from pos_grocery.db.connection import fetch_all, like_escape
from pos_grocery.errors import ValidationFailed

POOL = 100  # most results one query ranks and pages through (measured: cost grows ~1.7 µs per candidate)
PREFIX_INDEX = 6  # longest prefix the FTS index keeps (migration 0023: prefix = '1 2 3 4 5 6')
MAX_TOKENS = 8
JOINERS = str.maketrans("", "", "\u200c\u200d")


# Names as the index sees them, in one text with a space either side of every name (for the check of words
# longer than the prefix index). No lower(): LIKE already ignores ASCII case, and SQLite's lower() knows no
# other letters. ZWJ/ZWNJ only occur in Sinhala names.
_SINHALA = "replace(replace(coalesce(p.name_si, ''), char(8205), ''), char(8204), '')"
_WORDS = f"(' ' || p.name_en || ' | ' || {_SINHALA} || ' | ' || coalesce(p.name_ta, '') || ' ')"
# A name (in any language) starting with the whole query ranks first (three parameters 'query%').
_STARTS = f"(p.name_en LIKE ? ESCAPE '\\' OR {_SINHALA} LIKE ? ESCAPE '\\' OR p.name_ta LIKE ? ESCAPE '\\')"


def tokens(text: str) -> list[str]:
    """Words as the FTS tokenizer sees them: letters, digits, marks (Sinhala/Tamil vowel signs) and Co."""
    words: list[str] = []
    current: list[str] = []
    for char in text.translate(JOINERS).lower():
        if unicodedata.category(char)[0] in "LNM" or unicodedata.category(char) == "Co":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words[:MAX_TOKENS]


def _upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (for index range scans)."""
    return prefix + "\U0010ffff"


def exact_ids(conn: apsw.Connection, rules: Rules, text: str, active: bool) -> list[int]:
    """Products whose barcode, PLU, scale-label item code or SKU is exactly the query."""
    if not text or any(c.isspace() for c in text) or len(text) > 48:
        return []
    try:
        codes = scan_codes(classify(text, rules.barcodes))
    except BarcodeError:
        codes = ()
    found = [r[0] for code in codes for r in fetch_all(
        conn, "SELECT p.id FROM product_barcodes b JOIN products p ON p.id = b.product_id "
              "WHERE b.code = ? AND p.active = ?", (code, int(active)))]
    return found + [r[0] for r in fetch_all(
        conn, "SELECT id FROM products WHERE sku = ? AND deleted_at IS NULL AND active = ?", (text, int(active)))]


def prefix_ids(conn: apsw.Connection, text: str, active: bool) -> list[int]:
    """Products with a SKU (2+ characters) or a barcode (3+ digits) starting with the query."""
    if len(text) < 2 or any(c.isspace() for c in text):
        return []
    found = [r[0] for r in fetch_all(
        conn, "SELECT id FROM products WHERE sku >= ? AND sku < ? AND deleted_at IS NULL AND active = ? "
              "ORDER BY sku LIMIT ?", (text, _upper_bound(text), int(active), POOL))]
    if len(text) >= 3 and text.isascii() and text.isdigit():
        # A typed UPC-A prefix is stored after a leading 0 (canonical EAN-13 form).
        for prefix in (text, "0" + text) if len(text) <= 12 else (text,):
            found += [r[0] for r in fetch_all(
                conn, "SELECT b.product_id FROM product_barcodes b JOIN products p ON p.id = b.product_id "
                      "WHERE b.code >= ? AND b.code < ? AND p.active = ? ORDER BY b.code LIMIT ?",
                (prefix, _upper_bound(prefix), int(active), POOL))]
    return found


def name_ids(conn: apsw.Connection, words: list[str], active: bool) -> list[int]:
    """Ranked ids of live products whose names hold every word as a word prefix."""
    if not words:
        return []
    match = " AND ".join(f'"{word[:PREFIX_INDEX]}"*' for word in words)
    # Words longer than the prefix index are matched on their first letters, then checked in full here.
    checks = "".join(f" AND {_WORDS} LIKE ? ESCAPE '\\'" for word in words if len(word) > PREFIX_INDEX)
    sql = f"""
        WITH hits(id) AS (SELECT rowid FROM product_search WHERE product_search MATCH ? LIMIT {POOL})
        SELECT p.id FROM hits JOIN products p ON p.id = hits.id
        WHERE p.deleted_at IS NULL AND p.active = ?{checks}
        ORDER BY {_STARTS} DESC, length(p.name_en), p.id"""
    starts = like_escape(" ".join(words)) + "%"
    params = [match, int(active), *(f"% {like_escape(w)}%" for w in words if len(w) > PREFIX_INDEX), starts, starts,
              starts]
    return [r[0] for r in fetch_all(conn, sql, params)]


def _unique(groups: Iterable[list[int]]) -> list[int]:
    seen: set[int] = set()
    ranked: list[int] = []
    for group in groups:
        for product_id in group:
            if product_id not in seen:
                seen.add(product_id)
                ranked.append(product_id)
    return ranked[:POOL]


def encode_offset(offset: int) -> str:
    """An opaque cursor for the next page of a search."""
    return base64.urlsafe_b64encode(f"search:{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None, maximum: int = POOL) -> int:
    """The offset an offset cursor stands for; 400 INVALID_CURSOR when it is not one of ours."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        offset = int(number, 10)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset, kind = -1, ""
    if kind != "search" or not 0 <= offset <= maximum:
        raise ValidationFailed("The cursor is not valid; start again without it.", "INVALID_CURSOR",
                               field="cursor")
    return offset


def search(conn: apsw.Connection, rules: Rules, text: str, active: bool, limit: int,
           cursor: str | None) -> ProductPage:
    """One page of ranked search results (live products; active ones unless asked for inactive)."""
    offset = decode_offset(cursor)
    query = text.strip()
    ranked = _unique((exact_ids(conn, rules, query, active), prefix_ids(conn, query, active),
                      name_ids(conn, tokens(query), active)))
    page_ids = ranked[offset:offset + limit]
    found = q.by_ids(conn, page_ids)
    items = [q.to_wire(found[i], rules.currency) for i in page_ids if i in found]
    more = len(ranked) > offset + limit
    return ProductPage(items=items, next_cursor=encode_offset(offset + limit) if more else None)

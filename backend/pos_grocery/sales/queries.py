"""Checkout SQL: products and customers as the checkout sees them, and the sale tables' statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw
import msgspec

from pos_grocery.db.connection import fetch_all, fetch_one
from pos_grocery.pricing import TierPrices

PRODUCTS = (
    "SELECT p.id, p.name_en, p.name_si, p.name_ta, p.unit, p.category_id, coalesce(t.rate_bp, 0), p.price_retail, "
    "p.price_wholesale, p.price_credit, p.price_other, p.weighed, p.min_age, p.active AND p.deleted_at IS NULL, "
    "p.cost FROM products p LEFT JOIN tax_classes t ON t.id = p.tax_class_id WHERE p.id IN ({marks})"
)
CUSTOMER = "SELECT id, name, type, credit_limit, balance, active AND deleted_at IS NULL FROM customers WHERE id = ?"
NEXT_SEQ = (
    "INSERT INTO receipt_sequences (terminal_id, business_date, last_seq) VALUES (?, ?, 1) "
    "ON CONFLICT (terminal_id, business_date) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq"
)
INSERT_SALE = (
    "INSERT INTO sales (receipt_no, terminal_id, business_date, seq, cashier_id, customer_id, held_sale_id, "
    "price_tier, language, prices_include_tax, base_amount, line_discount, bill_discount, net_amount, taxable_amount, "
    "tax_amount, total_amount, cash_rounding, amount_due, tendered_amount, change_amount, age_checks, approved_by, "
    "idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_LINE = (
    "INSERT INTO sale_lines (sale_id, line_no, product_id, name, unit, qty, unit_price, scanned_code, "
    "price_overridden, base_amount, discount_amount, bill_discount, net_amount, tax_rate_bp, tax_amount, "
    "taxable_amount, total_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_ADJUSTMENT = (
    "INSERT INTO sale_adjustments (sale_id, line_no, kind, rule_id, amount, text, reason) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_TAX = (
    "INSERT INTO sale_tax_lines (sale_id, rate_bp, taxable_amount, tax_amount, total_amount) VALUES (?, ?, ?, ?, ?)"
)
INSERT_TENDER = (
    "INSERT INTO sale_tenders (sale_id, seq, method, amount, tendered, change_amount, reference, store_credit_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_LINE_VOID = "INSERT INTO sale_line_voids (sale_id, product_id, qty, reason) VALUES (?, ?, ?, ?)"
INSERT_MOVEMENT = (
    "INSERT INTO stock_movements (product_id, qty, kind, ref_type, ref_id, unit_cost, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# Stock on hand moves with each movement (docs/CHECKOUT.md "Speed" on why it is its own narrow table).
ADD_STOCK = (
    "INSERT INTO stock_levels (product_id, on_hand, updated_at) VALUES (?, ?, ?) ON CONFLICT (product_id) "
    "DO UPDATE SET on_hand = on_hand + excluded.on_hand, updated_at = excluded.updated_at"
)
ADD_BALANCE = "UPDATE customers SET balance = balance + ?, updated_at = ? WHERE id = ?"
SPEND_CREDIT = "UPDATE store_credits SET balance = balance - ?, updated_at = ? WHERE id = ? AND balance >= ?"
STORE_CREDIT = "SELECT id, balance, customer_id FROM store_credits WHERE code = ?"
_LANGUAGE_INDEX = {"en": 0, "si": 1, "ta": 2}


class ProductInfo(msgspec.Struct, frozen=True):
    """A product as checkout prices it (a frozen Struct: 20 per sale, ~10x cheaper to build than a frozen dataclass)."""

    id: int
    names: tuple[str, str | None, str | None]
    unit: str
    category_id: int | None
    tax_rate_bp: int
    prices: TierPrices
    weighed: bool
    min_age: int | None
    sellable: bool
    cost: int | None

    def name(self, language: str) -> str:
        """The product's name in a receipt language (English when that one is missing)."""
        index = _LANGUAGE_INDEX.get(language, 0)
        return self.names[index] or self.names[0]


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    """A customer as checkout needs it."""

    id: int
    name: str
    type: str
    credit_limit: int
    balance: int
    active: bool


def products(conn: apsw.Connection, ids: list[int]) -> dict[int, ProductInfo]:
    """Products by id (archived and inactive ones too; `sellable` says whether they may be sold)."""
    unique = sorted(set(ids))
    if not unique:
        return {}
    rows = fetch_all(conn, PRODUCTS.format(marks=",".join("?" * len(unique))), unique)
    return {int(r[0]): _product(r) for r in rows}


def _product(r: tuple[Any, ...]) -> ProductInfo:
    prices = TierPrices(retail=r[7], wholesale=r[8], credit=r[9], other=r[10])
    return ProductInfo(
        int(r[0]), (r[1], r[2], r[3]), r[4], r[5], int(r[6]), prices, bool(r[11]), r[12], bool(r[13]), r[14]
    )


def customer(conn: apsw.Connection, customer_id: int) -> CustomerInfo | None:
    """A customer by id."""
    r = fetch_one(conn, CUSTOMER, (customer_id,))
    if r is None:
        return None
    return CustomerInfo(int(r[0]), r[1], r[2], int(r[3]), int(r[4]), bool(r[5]))


def store_credit(conn: apsw.Connection, code: str) -> tuple[int, int, int | None] | None:
    """(id, balance, customer id) of a store credit voucher."""
    r = fetch_one(conn, STORE_CREDIT, (code.strip().upper(),))
    return None if r is None else (int(r[0]), int(r[1]), r[2])


def user_name(conn: apsw.Connection, user_id: int) -> str:
    """A user's display name (for receipts)."""
    r = fetch_one(conn, "SELECT display_name FROM users WHERE id = ?", (user_id,))
    return "" if r is None else str(r[0])

"""Aggregate SQL over the raw sale rows, shared by the Z report (one shift) and the reports (one business day).

Each template takes a `{where}` on the sales alias `s`: `WHERE_SHIFT` (by the sales_shift index) or `WHERE_DAY`
(by the sales_created index, bounded to the day's UTC interval, then the stored business_date).
"""

from __future__ import annotations

from pos_grocery.reports.timeutil import quarter_sql

WHERE_SHIFT = "s.shift_id = ?"
WHERE_DAY = "s.created_at >= ? AND s.created_at < ? AND s.business_date = ?"

# Per UTC quarter-hour, terminal, cashier and tier: completed sales' money, and voids apart.
SALES = (
    "SELECT " + quarter_sql("s.created_at") + " AS q, s.terminal_id, s.cashier_id, s.price_tier, "
    "sum(s.status = 'completed'), "
    "sum(iif(s.status = 'completed', s.base_amount, 0)), "
    "sum(iif(s.status = 'completed', s.line_discount, 0)), "
    "sum(iif(s.status = 'completed', s.bill_discount, 0)), "
    "sum(iif(s.status = 'completed', s.net_amount, 0)), "
    "sum(iif(s.status = 'completed', s.tax_amount, 0)), "
    "sum(iif(s.status = 'completed', s.total_amount, 0)), "
    "sum(iif(s.status = 'completed', s.cash_rounding, 0)), "
    "sum(iif(s.status = 'completed', s.amount_due, 0)), "
    "sum(s.status = 'voided'), "
    "sum(iif(s.status = 'voided', s.amount_due, 0)) "
    "FROM sales s WHERE {where} GROUP BY 1, 2, 3, 4"
)
PRODUCTS = (
    "SELECT l.product_id, max(l.name), count(*), sum(l.qty), sum(l.net_amount), sum(l.tax_amount), "
    "sum(l.total_amount) FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
    "WHERE {where} AND s.status = 'completed' GROUP BY l.product_id"
)
# The Z's items: what the report shows, nothing more (the GROUP BY sorts every line of the shift, so each
# column costs; names come from the products afterwards, for the top items only).
ITEMS = (
    "SELECT l.product_id, count(*), sum(l.qty), sum(l.total_amount) FROM sales s "
    "JOIN sale_lines l ON l.sale_id = s.id WHERE {where} AND s.status = 'completed' GROUP BY l.product_id"
)
TAX = (
    "SELECT t.rate_bp, sum(t.taxable_amount), sum(t.tax_amount), sum(t.total_amount) "
    "FROM sales s JOIN sale_tax_lines t ON t.sale_id = s.id "
    "WHERE {where} AND s.status = 'completed' GROUP BY t.rate_bp ORDER BY t.rate_bp"
)
TENDERS = (
    "SELECT t.method, count(*), sum(t.amount), sum(t.tendered), sum(t.change_amount) "
    "FROM sales s JOIN sale_tenders t ON t.sale_id = s.id "
    "WHERE {where} AND s.status = 'completed' GROUP BY t.method ORDER BY t.method"
)
ADJUSTMENTS = (
    "SELECT a.kind, coalesce(a.rule_id, 0), max(a.text), count(*), sum(a.amount) "
    "FROM sales s JOIN sale_adjustments a ON a.sale_id = s.id "
    "WHERE {where} AND s.status = 'completed' GROUP BY 1, 2 ORDER BY 1, 2"
)


def sql(template: str, where: str) -> str:
    """A template with its filter."""
    return template.format(where=where)

"""`POST /api/products/price-changes`: many products' prices in one transaction, all or nothing.

Each change is a PATCH of the product with only its `prices` (the same service code validates and applies it,
and journals it as `catalog.price_changed`), so the bulk route cannot drift from `PATCH /api/products/{id}`.
"""

from __future__ import annotations

import apsw

from pos_grocery.catalog import service
from pos_grocery.catalog.models import PriceChange, PriceChangesOut, Product, ProductPatch
from pos_grocery.catalog.rules import Rules
from pos_grocery.db.connection import transaction
from pos_grocery.errors import DomainError, NotFound, ValidationFailed


def change_prices(conn: apsw.Connection, rules: Rules, changes: list[PriceChange],
                  editor: service.Editor) -> PriceChangesOut:
    """`POST /api/products/price-changes`: every change as a prices-only PATCH, in ONE transaction.

    All or nothing: the first refused change (unknown or archived product, bad price, missing `prices.write`)
    rolls back the whole batch, and its error names the change (`changes[i]`, its productId).
    """
    first: dict[int, int] = {}
    for index, change in enumerate(changes):
        earlier = first.setdefault(change.product_id, index)
        if earlier != index:
            raise ValidationFailed(f"changes[{index}]: product {change.product_id} is already changed by "
                                   f"changes[{earlier}]; send each product once.", "DUPLICATE_PRODUCT",
                                   field=f"changes[{index}].productId")
    products: list[Product] = []
    changed = 0
    with transaction(conn):
        for index, change in enumerate(changes):
            try:
                product, did_change = service.apply_patch(conn, rules, change.product_id,
                                                          ProductPatch(prices=change.prices), editor)
            except DomainError as exc:
                raise _in_change(exc, index, change.product_id) from None
            products.append(product)
            changed += did_change
    return PriceChangesOut(changed=changed, products=products)


def _in_change(exc: DomainError, index: int, product_id: int) -> DomainError:
    """The same error (status, code, title), its detail and field naming the change of the batch it is about."""
    where = f"changes[{index}]"
    field = f"{where}.productId" if isinstance(exc, NotFound) else f"{where}.prices"
    if exc.field:
        field = f"{where}.{exc.field}"
    named = DomainError(f"{where} (product {product_id}): {exc.detail}", exc.code, field=field)
    named.status, named.title = exc.status, exc.title
    return named

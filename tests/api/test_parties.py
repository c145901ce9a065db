"""Suppliers and customers share their list, patch and delete plumbing (`pos_grocery.parties`): pages by cursor,
prefix filters taken literally, PATCH over the current row, delete when nothing refers to a row, else archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_one
from pos_grocery.runtime import Runtime
from tests.catalog_helpers import ok, problem
from tests.checkout_helpers import cash, line, make_shop

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def every_page(client: Client, path: str, headers: dict[str, str], **params: Any) -> list[list[str]]:
    """The names on each page of a list, following nextCursor to the end."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        page = ok(client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers))
        pages.append([item["name"] for item in page["items"]])
        cursor = page["nextCursor"]
        if cursor is None:
            return pages


def test_supplier_pages_filters_patch_and_delete(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    names = ["Acme", "Ace 50%", "Ace_1", "Bolt", "Acer"]
    ids = [ok(client.post("/api/suppliers", json={"name": n}, headers=manager), 201)["id"] for n in names]
    assert every_page(client, "/api/suppliers", manager, limit=2) == [["Acme", "Ace 50%"], ["Ace_1", "Bolt"],
                                                                      ["Acer"]]
    assert every_page(client, "/api/suppliers", manager, q="ace", limit=2) == [["Ace 50%", "Ace_1"], ["Acer"]]
    assert every_page(client, "/api/suppliers", manager, q="Ace 5%") == [[]]  # % is a character, not a wildcard
    assert every_page(client, "/api/suppliers", manager, q="Ace_") == [["Ace_1"]]
    changed = ok(client.patch(f"/api/suppliers/{ids[3]}", json={"active": False, "phone": "011"}, headers=manager))
    assert (changed["name"], changed["phone"], changed["active"]) == ("Bolt", "011", False)
    assert every_page(client, "/api/suppliers", manager, active=False) == [["Bolt"]]
    assert ok(client.delete(f"/api/suppliers/{ids[3]}", headers=manager)) == {"id": ids[3], "outcome": "deleted"}
    assert fetch_one(runtime.db.reader, "SELECT count(*) FROM suppliers WHERE id = ?", (ids[3],)) == (0,)
    assert problem(client.delete(f"/api/suppliers/{ids[3]}", headers=manager)) == (404, "SUPPLIER_NOT_FOUND")


def test_customer_pages_and_archive_when_a_sale_names_them(runtime: Runtime, client: Client) -> None:
    shop = make_shop(runtime, client)
    manager = shop.sign_in(shop.manager)
    for n in range(3):
        ok(client.post("/api/customers", json={"name": f"Walk-in {n}", "phone": f"07700000{n}"}, headers=manager), 201)
    assert every_page(client, "/api/customers", manager, limit=2) == [["Wholesale Ltd", "Credit Co"],
                                                                      ["Walk-in 0", "Walk-in 1"], ["Walk-in 2"]]
    assert every_page(client, "/api/customers", manager, q="0770", type="retail", limit=2) == [
        ["Walk-in 0", "Walk-in 1"], ["Walk-in 2"]]
    shop.ok_sale({"lines": [line(8)], "customerId": 2, "tenders": [cash(15_000)]})
    assert ok(client.delete("/api/customers/2", headers=manager)) == {"id": 2, "outcome": "archived"}
    assert fetch_one(runtime.db.reader, "SELECT active, deleted_at IS NOT NULL FROM customers WHERE id = 2") == (0, 1)
    assert problem(client.get("/api/customers/2", headers=manager)) == (404, "CUSTOMER_NOT_FOUND")
    assert every_page(client, "/api/customers", manager, q="Credit") == [[]]

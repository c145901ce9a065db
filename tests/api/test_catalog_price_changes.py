"""`POST /api/products/price-changes`: many products' prices in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.catalog.synthetic import seed_synthetic
from pos_grocery.db.connection import fetch_all
from pos_grocery.runtime import Runtime
from tests.catalog_helpers import make_product, ok, problem

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]
PATH = "/api/products/price-changes"


def stored_prices(rt: Runtime) -> list[tuple[Any, ...]]:
    """Every product's stored prices and update time, by id (what a refused batch must leave untouched)."""
    return fetch_all(rt.db.reader, "SELECT id, price_retail, price_wholesale, price_credit, price_other, cost, "
                                   "updated_at FROM products ORDER BY id")


def journal(rt: Runtime) -> list[tuple[Any, ...]]:
    return fetch_all(rt.db.reader, "SELECT entity_id, details FROM audit_events WHERE action = "
                                   "'catalog.price_changed' ORDER BY id")


@pytest.fixture
def three(client: Client, signed_in: SignIn) -> tuple[dict[str, str], list[int]]:
    manager = signed_in("manager")
    ids = [make_product(client, manager, f"PC-{n}", f"Item {n}", retail=10000 * (n + 1))["id"] for n in range(3)]
    return manager, ids


def test_changes_every_product_and_answers_them_as_get_does(client: Client, runtime: Runtime,
                                                            three: tuple[dict[str, str], list[int]]) -> None:
    manager, (a, b, c) = three
    before = len(journal(runtime))
    body = {"changes": [{"productId": a, "prices": {"retail": 11000, "wholesale": 10500}},
                        {"productId": b, "prices": {"credit": 19000}},
                        {"productId": c, "prices": {"retail": 30000}}]}  # c's retail is already 30000
    answer = ok(client.post(PATH, json=body, headers=manager))
    assert answer["changed"] == 2
    assert [p["id"] for p in answer["products"]] == [a, b, c]
    assert answer["products"][0]["prices"] == {"retail": 11000, "wholesale": 10500, "credit": 11000, "other": 11000}
    assert answer["products"][1]["pricesFromRetail"] == ["wholesale", "other"]
    for product in answer["products"]:
        assert product == ok(client.get(f"/api/products/{product['id']}", headers=manager))
    events = journal(runtime)[before:]
    assert [e[0] for e in events] == [str(a), str(b)]  # one price_changed per changed product, as a PATCH does
    assert '"retail":{"new":11000,"old":10000}' in events[0][1] and '"source":"price-changes"' in events[0][1]
    # Null sends a tier back to retail, exactly as in a PATCH.
    again = ok(client.post(PATH, json={"changes": [{"productId": a, "prices": {"wholesale": None}}]}, headers=manager))
    assert again["changed"] == 1 and again["products"][0]["pricesFromRetail"] == ["wholesale", "credit", "other"]


BAD_CHANGE = [
    ({"prices": {"retail": 100_000_001}}, 400, "PRICE_OUT_OF_RANGE", "changes[1].prices.retail"),
    ({"prices": {"wholesale": -5}}, 400, "VALIDATION_FAILED", None),
    ({"prices": {"retail": None}}, 400, "VALIDATION_FAILED", None),
    ({"prices": {"surprise": 1}}, 400, "VALIDATION_FAILED", None),
    ({"productId": 999_999}, 404, "PRODUCT_NOT_FOUND", "changes[1].productId"),
]


@pytest.mark.parametrize(("bad", "status", "code", "field"), BAD_CHANGE)
def test_one_bad_change_in_the_middle_writes_nothing(client: Client, runtime: Runtime,
                                                     three: tuple[dict[str, str], list[int]], bad: dict[str, Any],
                                                     status: int, code: str, field: str | None) -> None:
    manager, (a, b, c) = three
    before, events = stored_prices(runtime), journal(runtime)
    middle = {"productId": b, "prices": {"retail": 21000}, **bad}
    body = {"changes": [{"productId": a, "prices": {"retail": 11000}}, middle,
                        {"productId": c, "prices": {"retail": 31000}}]}
    response = client.post(PATH, json=body, headers=manager)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem(response) == (status, code), response.text
    if field is not None:
        assert response.json()["errors"][0]["field"] == field
        assert response.json()["detail"].startswith("changes[1] (product ")
    assert stored_prices(runtime) == before and journal(runtime) == events


def test_an_archived_product_is_not_found(client: Client, runtime: Runtime,
                                          three: tuple[dict[str, str], list[int]]) -> None:
    manager, (a, b, _c) = three
    ok(client.delete(f"/api/products/{b}", headers=manager))
    before = stored_prices(runtime)
    body = {"changes": [{"productId": a, "prices": {"retail": 1}}, {"productId": b, "prices": {"retail": 2}}]}
    response = client.post(PATH, json=body, headers=manager)
    assert problem(response) == (404, "PRODUCT_NOT_FOUND") and str(b) in response.json()["detail"]
    assert stored_prices(runtime) == before


def test_a_product_twice_is_refused(client: Client, runtime: Runtime, three: tuple[dict[str, str], list[int]]) -> None:
    manager, (a, b, _c) = three
    before = stored_prices(runtime)
    body = {"changes": [{"productId": a, "prices": {"retail": 1}}, {"productId": b, "prices": {"retail": 2}},
                        {"productId": a, "prices": {"retail": 3}}]}
    response = client.post(PATH, json=body, headers=manager)
    assert problem(response) == (400, "DUPLICATE_PRODUCT")
    assert response.json()["errors"] == [{"field": "changes[2].productId", "message": response.json()["detail"]}]
    assert "changes[0]" in response.json()["detail"]
    assert stored_prices(runtime) == before


def test_batch_size_is_1_to_500(client: Client, runtime: Runtime, three: tuple[dict[str, str], list[int]]) -> None:
    manager, (a, _b, _c) = three
    before = stored_prices(runtime)
    too_many = {"changes": [{"productId": n, "prices": {"retail": 100}} for n in range(1, 502)]}
    assert problem(client.post(PATH, json=too_many, headers=manager)) == (400, "VALIDATION_FAILED")
    assert problem(client.post(PATH, json={"changes": []}, headers=manager)) == (400, "VALIDATION_FAILED")
    assert problem(client.post(PATH, json={}, headers=manager)) == (400, "VALIDATION_FAILED")
    assert stored_prices(runtime) == before
    # 500 is allowed: the last change names an unknown product, so it is still refused as a whole, by index.
    at_limit = {"changes": [{"productId": a, "prices": {"retail": 12345}}]
                + [{"productId": 10_000 + n, "prices": {"retail": 100}} for n in range(499)]}
    response = client.post(PATH, json=at_limit, headers=manager)
    assert problem(response) == (404, "PRODUCT_NOT_FOUND") and response.json()["errors"][0]["field"] == (
        "changes[1].productId")
    assert stored_prices(runtime) == before


def test_500_changes_commit_together(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    seed_synthetic(runtime.db.writer, 500, "2026-01-01T00:00:00Z")
    ids = [r[0] for r in fetch_all(runtime.db.reader, "SELECT id FROM products ORDER BY id")]
    body = {"changes": [{"productId": pid, "prices": {"retail": 1_100_000}} for pid in ids]}
    answer = ok(client.post(PATH, json=body, headers=manager))
    assert answer["changed"] == 500 and len(answer["products"]) == 500
    assert fetch_all(runtime.db.reader, "SELECT DISTINCT price_retail FROM products") == [(1_100_000,)]


def test_only_catalog_writers_may_change_prices(client: Client, runtime: Runtime, signed_in: SignIn,
                                                three: tuple[dict[str, str], list[int]]) -> None:
    _manager, (a, _b, _c) = three
    cashier, auditor = signed_in("cashier", "LANE-2"), signed_in("auditor", "LANE-3")
    before = stored_prices(runtime)
    body = {"changes": [{"productId": a, "prices": {"retail": 1}}]}
    for headers in (cashier, auditor):
        response = client.post(PATH, json=body, headers=headers)
        assert problem(response) == (403, "FORBIDDEN") and "catalog.write" in response.json()["detail"]
    assert problem(client.post(PATH, json=body)) == (401, "UNAUTHORIZED")
    assert stored_prices(runtime) == before

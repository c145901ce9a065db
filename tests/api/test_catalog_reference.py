"""Categories, tax classes, suppliers and customers over HTTP: CRUD, uniqueness, in-use rules, permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from pos_grocery.db.connection import fetch_all
from pos_grocery.runtime import Runtime
from tests.catalog_helpers import make_product, ok, problem

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def test_categories_and_tax_classes(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager, cashier = signed_in("manager"), signed_in("cashier", "LANE-2")
    cat = ok(client.post("/api/categories", json={"name": "Bakery"}, headers=manager), 201)
    assert problem(client.post("/api/categories", json={"name": "bakery"}, headers=manager)) == (409, "CATEGORY_EXISTS")
    assert problem(client.post("/api/categories", json={"name": "Snacks"}, headers=cashier)) == (403, "FORBIDDEN")
    assert ok(client.patch(f"/api/categories/{cat['id']}", json={"name": "Bread"}, headers=manager))["name"] == "Bread"
    vat = ok(client.post("/api/tax-classes", json={"name": "VAT", "rateBp": 1800}, headers=manager), 201)
    assert client.post("/api/tax-classes", json={"name": "Bad", "rateBp": 10001}, headers=manager).status_code == 400
    ok(client.patch(f"/api/tax-classes/{vat['id']}", json={"rateBp": 1500}, headers=manager))
    journal = fetch_all(runtime.db.reader,
                        "SELECT details FROM audit_events WHERE action = 'catalog.tax_class_changed'")
    assert len(journal) == 2 and '"rateBp":{"new":1500,"old":1800}' in journal[1][0]
    pid = make_product(client, manager, "B1", "Bun", categoryId=cat["id"], taxClassId=vat["id"])["id"]
    assert problem(client.delete(f"/api/categories/{cat['id']}", headers=manager)) == (409, "CATEGORY_IN_USE")
    assert problem(client.delete(f"/api/tax-classes/{vat['id']}", headers=manager)) == (409, "TAX_CLASS_IN_USE")
    ok(client.delete(f"/api/products/{pid}", headers=manager))
    assert ok(client.delete(f"/api/categories/{cat['id']}", headers=manager))["outcome"] == "deleted"
    assert problem(client.get(f"/api/categories/{cat['id']}", headers=cashier)) == (404, "CATEGORY_NOT_FOUND")
    listed = ok(client.get("/api/tax-classes", headers=cashier))
    assert [t["rateBp"] for t in listed["items"]] == [1500]


def test_suppliers(client: Client, signed_in: SignIn) -> None:
    manager, cashier = signed_in("manager"), signed_in("cashier", "LANE-2")
    body = {"name": "Lanka Traders", "phone": "+94 11 234 5678", "email": "orders@lanka.example",
            "address": "12 Main Street, Colombo", "taxId": "VAT-123"}
    sup = ok(client.post("/api/suppliers", json=body, headers=manager), 201)
    assert sup["taxId"] == "VAT-123" and sup["productCount"] == 0
    assert problem(client.post("/api/suppliers", json={"name": "LANKA TRADERS"}, headers=manager)) == (
        409, "SUPPLIER_EXISTS")
    bad_email = client.post("/api/suppliers", json={"name": "X", "email": "not-an-email"}, headers=manager)
    assert bad_email.status_code == 400
    assert problem(client.get("/api/suppliers", headers=cashier)) == (403, "FORBIDDEN")
    make_product(client, manager, "S1", "Supplied", supplierId=sup["id"])
    assert ok(client.get(f"/api/suppliers/{sup['id']}", headers=manager))["productCount"] == 1
    assert [s["name"] for s in ok(client.get("/api/suppliers", params={"q": "lan"}, headers=manager))["items"]] == [
        "Lanka Traders"]
    linked = ok(client.get("/api/products", params={"supplierId": sup["id"]}, headers=manager))
    assert [p["sku"] for p in linked["items"]] == ["S1"]
    assert ok(client.delete(f"/api/suppliers/{sup['id']}", headers=manager))["outcome"] == "archived"
    assert problem(client.get(f"/api/suppliers/{sup['id']}", headers=manager)) == (404, "SUPPLIER_NOT_FOUND")


def test_customers_tiers_and_credit_need_a_manager(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager, cashier = signed_in("manager"), signed_in("cashier", "LANE-2")
    walk_in = ok(client.post("/api/customers", json={"name": "සුනිල්", "phone": "0771234567"}, headers=cashier), 201)
    assert walk_in["priceTier"] == "retail" and walk_in["name"] == "සුනිල්"
    assert problem(client.post("/api/customers", json={"name": "Hotel", "type": "wholesale"}, headers=cashier)) == (
        403, "FORBIDDEN")
    assert problem(client.patch(f"/api/customers/{walk_in['id']}", json={"creditLimit": 500000},
                                headers=cashier)) == (403, "FORBIDDEN")
    ok(client.patch(f"/api/customers/{walk_in['id']}", json={"notes": "prefers Sinhala"}, headers=cashier))
    credit = ok(client.patch(f"/api/customers/{walk_in['id']}", json={"type": "credit", "creditLimit": 500000},
                             headers=manager))
    assert (credit["priceTier"], credit["creditLimit"], credit["currency"]) == ("credit", 500000, "LKR")
    assert problem(client.post("/api/customers", json={"name": "Other", "phone": "0771234567"}, headers=cashier)) == (
        409, "CUSTOMER_PHONE_TAKEN")
    assert client.post("/api/customers", json={"name": "X", "phone": "call me"}, headers=cashier).status_code == 400
    found = ok(client.get("/api/customers", params={"q": "077"}, headers=cashier))
    assert [c["id"] for c in found["items"]] == [walk_in["id"]]
    assert ok(client.get("/api/customers", params={"type": "credit"}, headers=cashier))["items"][0]["id"] == walk_in[
        "id"]
    journal = fetch_all(runtime.db.reader, "SELECT details FROM audit_events WHERE action = 'customers.terms_changed'")
    assert len(journal) == 1 and '"credit_limit":{"new":500000,"old":0}' in journal[0][0]
    assert problem(client.delete(f"/api/customers/{walk_in['id']}", headers=cashier)) == (403, "FORBIDDEN")
    assert ok(client.delete(f"/api/customers/{walk_in['id']}", headers=manager))["outcome"] == "deleted"

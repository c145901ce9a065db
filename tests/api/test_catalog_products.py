"""Products over HTTP: CRUD, tier prices, barcodes and PLUs, scan lookups, bad input, permissions, audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.barcodes import DEFAULT_LAYOUTS, make_ean8, make_upca, make_variable_measure
from pos_grocery.db.connection import fetch_all
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import headers_for
from tests.catalog_helpers import ean, make_product, ok, problem, product_body, reference_data
from tests.conftest import make_settings

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def price_events(rt: Runtime) -> list[tuple[str, str]]:
    rows = fetch_all(rt.db.reader, "SELECT entity_id, details FROM audit_events WHERE action = "
                                   "'catalog.price_changed' ORDER BY id")
    return [(str(r[0]), str(r[1])) for r in rows]


def test_create_read_update_list_delete(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    refs = reference_data(client, manager)
    made = make_product(client, manager, "MILK-1L", "Fresh Milk 1L", retail=45000, **refs,
                        names={"en": "Fresh Milk 1L", "si": "දියර කිරි", "ta": "பால்"},
                        prices={"retail": 45000, "wholesale": 42000}, cost=38000, reorderLevel=2.5,
                        barcodes=[ean(1), make_upca("03600029145")], minAge=None)
    assert made["prices"] == {"retail": 45000, "wholesale": 42000, "credit": 45000, "other": 45000}
    assert made["pricesFromRetail"] == ["credit", "other"] and made["currency"] == "LKR"
    assert made["names"]["si"] == "දියර කිරි" and made["reorderLevel"] == 2.5
    assert {b["kind"] for b in made["barcodes"]} == {"ean13", "upca"}
    assert {b["display"] for b in made["barcodes"]} == {ean(1), make_upca("03600029145")}
    pid = made["id"]
    assert ok(client.get(f"/api/products/{pid}", headers=manager))["sku"] == "MILK-1L"
    changed = ok(client.patch(f"/api/products/{pid}", headers=manager,
                              json={"prices": {"credit": 44000, "wholesale": None}, "active": False}))
    assert changed["prices"] == {"retail": 45000, "wholesale": 45000, "credit": 44000, "other": 45000}
    assert changed["pricesFromRetail"] == ["wholesale", "other"] and changed["active"] is False
    page = ok(client.get("/api/products", params={"active": False, "categoryId": refs["categoryId"]},
                         headers=manager))
    assert [p["id"] for p in page["items"]] == [pid] and page["nextCursor"] is None
    assert ok(client.delete(f"/api/products/{pid}", headers=manager)) == {"id": pid, "outcome": "deleted"}
    assert problem(client.get(f"/api/products/{pid}", headers=manager)) == (404, "PRODUCT_NOT_FOUND")


def test_every_price_or_cost_change_is_journalled(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    pid = make_product(client, manager, "TEA-100", "Black Tea 100g", retail=30000, cost=20000)["id"]
    ok(client.patch(f"/api/products/{pid}", headers=manager, json={"prices": {"retail": 32000}, "cost": 21000}))
    ok(client.patch(f"/api/products/{pid}", headers=manager, json={"names": {"en": "Black Tea 100 g"}}))
    events = price_events(runtime)
    assert len(events) == 2  # the opening prices and the one change; the rename is not a price change
    assert '"retail":{"new":32000,"old":30000}' in events[1][1] and '"cost":{"new":21000,"old":20000}' in events[1][1]
    assert events[0][0] == str(pid) and '"old":null' in events[0][1]


def test_pagination_by_cursor(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    for n in range(5):
        make_product(client, manager, f"SKU-{n}", f"Item {n}")
    first = ok(client.get("/api/products", params={"limit": 2}, headers=manager))
    second = ok(client.get("/api/products", params={"limit": 2, "cursor": first["nextCursor"]}, headers=manager))
    third = ok(client.get("/api/products", params={"limit": 2, "cursor": second["nextCursor"]}, headers=manager))
    assert [p["sku"] for p in first["items"] + second["items"] + third["items"]] == [f"SKU-{n}" for n in range(5)]
    assert third["nextCursor"] is None
    assert problem(client.get("/api/products", params={"cursor": "garbage!"}, headers=manager)) == (
        400, "INVALID_CURSOR")
    assert client.get("/api/products", params={"limit": 201}, headers=manager).status_code == 400
    assert client.get("/api/products", params={"limit": 0}, headers=manager).status_code == 400


BAD_INPUT = [
    ({"prices": {"retail": -1}}, 400, "VALIDATION_FAILED"),
    ({"prices": {"retail": 100_000_001}}, 400, "PRICE_OUT_OF_RANGE"),
    ({"cost": 100_000_001}, 400, "PRICE_OUT_OF_RANGE"),
    ({"barcodes": ["4791000000011"]}, 400, "BARCODE_CHECK_DIGIT"),
    ({"barcodes": ["12345678901234567"]}, 400, "BARCODE_LENGTH"),
    ({"barcodes": ["47910000000１0"]}, 400, "BARCODE_CHARACTERS"),
    ({"barcodes": [make_variable_measure(DEFAULT_LAYOUTS[0], "04011", 1250)]}, 400, "BARCODE_VARIABLE_MEASURE"),
    ({"barcodes": ["4011"]}, 400, "BARCODE_IS_PLU"),
    ({"barcodes": [make_upca("03600029145"), "0" + make_upca("03600029145")]}, 400, "BARCODE_DUPLICATE"),
    ({"categoryId": 999}, 400, "UNKNOWN_CATEGORY"),
    ({"taxClassId": 999}, 400, "UNKNOWN_TAX_CLASS"),
    ({"supplierId": 999}, 400, "UNKNOWN_SUPPLIER"),
    ({"weighed": True, "unit": "pc"}, 400, "WEIGHED_NEEDS_MASS_UNIT"),
    ({"reorderLevel": 1.2345}, 400, "INVALID_QUANTITY"),
    ({"plu": "12"}, 400, "VALIDATION_FAILED"),
    ({"minAge": 150}, 400, "VALIDATION_FAILED"),
    ({"unit": "crate"}, 400, "VALIDATION_FAILED"),
    ({"surprise": 1}, 400, "VALIDATION_FAILED"),
    ({"sku": "has space"}, 400, "VALIDATION_FAILED"),
]


@pytest.mark.parametrize(("extra", "status", "code"), BAD_INPUT)
def test_bad_input_is_a_clear_4xx_and_writes_nothing(client: Client, runtime: Runtime, signed_in: SignIn,
                                                     extra: dict[str, Any], status: int, code: str) -> None:
    manager = signed_in("manager")
    response = client.post("/api/products", json={**product_body("BAD-1", "Bad"), **extra}, headers=manager)
    assert problem(response) == (status, code), response.text
    assert fetch_all(runtime.db.reader, "SELECT count(*) FROM products")[0][0] == 0


def test_duplicates_are_conflicts(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    first = make_product(client, manager, "RICE-5", "Rice 5kg", barcodes=[ean(5)], plu="4011", unit="kg",
                         weighed=True)
    assert problem(client.post("/api/products", json=product_body("rice-5", "Other"), headers=manager)) == (
        409, "SKU_TAKEN")
    taken = client.post("/api/products", json=product_body("RICE-6", "Other", barcodes=[ean(5)]), headers=manager)
    assert problem(taken) == (409, "BARCODE_TAKEN") and "RICE-5" in taken.json()["detail"]
    assert problem(client.post("/api/products", json=product_body("RICE-7", "Other", plu="4011"),
                               headers=manager)) == (409, "BARCODE_TAKEN")
    other = make_product(client, manager, "RICE-8", "Other")
    assert problem(client.patch(f"/api/products/{other['id']}", json={"sku": "RICE-5"}, headers=manager)) == (
        409, "SKU_TAKEN")
    assert problem(client.patch(f"/api/products/{other['id']}", json={"barcodes": [ean(5)]}, headers=manager)) == (
        409, "BARCODE_TAKEN")
    assert fetch_all(runtime.db.reader, "SELECT count(*) FROM products")[0][0] == 2
    assert ok(client.get(f"/api/products/{first['id']}", headers=manager))["plu"] == "4011"


def test_referenced_product_is_archived_and_frees_sku_and_codes(client: Client, runtime: Runtime,
                                                                 signed_in: SignIn) -> None:
    manager = signed_in("manager")
    pid = make_product(client, manager, "OLD-1", "Old", barcodes=[ean(9)])["id"]
    with runtime.db.write() as conn:  # another table refers to the product (as sale lines do)
        conn.execute("CREATE TABLE test_refs (product_id INTEGER NOT NULL REFERENCES products (id))")
        conn.execute("INSERT INTO test_refs VALUES (?)", (pid,))
    assert ok(client.delete(f"/api/products/{pid}", headers=manager)) == {"id": pid, "outcome": "archived"}
    archived = ok(client.get(f"/api/products/{pid}", headers=manager))
    assert archived["archivedAt"] and archived["active"] is False and archived["barcodes"] == []
    assert problem(client.get(f"/api/products/barcode/{ean(9)}", headers=manager)) == (404, "BARCODE_NOT_FOUND")
    again = make_product(client, manager, "OLD-1", "New", barcodes=[ean(9)])
    assert again["id"] != pid
    assert problem(client.patch(f"/api/products/{pid}", json={"active": True}, headers=manager)) == (
        404, "PRODUCT_NOT_FOUND")


def test_scan_lookup_answers_every_kind_of_code(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    upca = make_upca("04210000526")  # compresses to a UPC-E
    milk = make_product(client, manager, "MILK", "Milk", barcodes=[ean(1), upca, make_ean8("4791234")])
    banana = make_product(client, manager, "BAN", "Bananas", plu="4011", unit="kg", weighed=True)
    cashier = signed_in("cashier", "LANE-2")
    for code in (ean(1), upca, "0" + upca, make_ean8("4791234"), "04252614", f" {ean(1)}\r\n"[1:-2]):
        found = client.get(f"/api/products/barcode/{code}", headers=cashier)
        assert found.status_code == 200, (code, found.text)
        assert found.json()["id"] == milk["id"]
    assert ok(client.get("/api/products/barcode/04252614", headers=cashier))["scan"]["kind"] == "upce"
    plu = ok(client.get("/api/products/barcode/4011", headers=cashier))
    assert plu["id"] == banana["id"] and plu["scan"]["kind"] == "plu"
    weighed = make_variable_measure(DEFAULT_LAYOUTS[0], "04011", 1250)  # prefix 20: 1.250 kg
    scale = ok(client.get(f"/api/products/barcode/{weighed}", headers=cashier))
    assert scale["id"] == banana["id"] and scale["scan"]["weightG"] == 1250
    priced = make_variable_measure(DEFAULT_LAYOUTS[5], "04011", 1875)  # prefix 25: price with verifier
    assert ok(client.get(f"/api/products/barcode/{priced}", headers=cashier))["scan"]["priceMinor"] == 1875
    assert problem(client.get(f"/api/products/barcode/{ean(2)}", headers=cashier)) == (404, "BARCODE_NOT_FOUND")
    assert problem(client.get("/api/products/barcode/4791000000011", headers=cashier)) == (400, "BARCODE_CHECK_DIGIT")
    assert problem(client.get("/api/products/barcode/abc", headers=cashier)) == (400, "BARCODE_CHARACTERS")
    assert client.get("/api/products/barcode/" + "1" * 65, headers=cashier).status_code == 400


def test_internal_codes_follow_the_settings(tmp_path: Any) -> None:
    rt = open_runtime(make_settings(tmp_path, BARCODE_INTERNAL_PREFIXES="INT-",
                                    BARCODE_INTERNAL_RANGES="2000000-2099999"))
    try:
        with TestClient(app=create_app(rt, access_log=False)) as client:  # type: ignore[type-var]
            manager = headers_for(client, rt, "manager")
            pid = make_product(client, manager, "OWN", "Own bread", barcodes=["INT-BREAD.1", "2000123"])["id"]
            assert ok(client.get("/api/products/barcode/INT-BREAD.1", headers=manager))["id"] == pid
            slash = client.post("/api/products", json=product_body("OWN2", "x", barcodes=["INT-A/1"]), headers=manager)
            assert problem(slash) == (400, "BARCODE_CHARACTERS")
            assert ok(client.get("/api/products/barcode/2000123", headers=manager))["scan"]["kind"] == "internal"
    finally:
        rt.db.close()


def test_permissions(client: Client, signed_in: SignIn) -> None:
    manager, cashier, auditor = signed_in("manager"), signed_in("cashier", "LANE-2"), signed_in("auditor", "LANE-3")
    pid = make_product(client, manager, "P1", "One")["id"]
    assert client.get(f"/api/products/{pid}", headers=cashier).status_code == 200
    assert client.get("/api/products/search", params={"q": "one"}, headers=auditor).status_code == 200
    for headers in (cashier, auditor):
        assert problem(client.post("/api/products", json=product_body("P2", "Two"), headers=headers)) == (
            403, "FORBIDDEN")
        assert problem(client.patch(f"/api/products/{pid}", json={"prices": {"retail": 1}}, headers=headers)) == (
            403, "FORBIDDEN")
        assert problem(client.delete(f"/api/products/{pid}", headers=headers)) == (403, "FORBIDDEN")
    assert problem(client.get(f"/api/products/{pid}")) == (401, "UNAUTHORIZED")
    assert problem(client.get("/api/products/barcode/4011")) == (401, "UNAUTHORIZED")

"""CSV import and export over HTTP: preview then commit, round trips, rejections, bad files, progress, 100k rows."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.barcodes import make_ean13
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from tests.catalog_helpers import ean, make_product, ok, problem, reference_data

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]
CSV = {"Content-Type": "text/csv"}


def upload(client: Client, headers: dict[str, str], kind: str, body: bytes) -> Any:
    return client.post("/api/imports", params={"kind": kind, "filename": f"{kind}.csv"}, content=body,
                       headers={**headers, **CSV})


def preview(client: Client, headers: dict[str, str], kind: str, body: bytes, timeout: float = 60.0) -> Any:
    """Upload and wait for the preview; the job as JSON."""
    job = ok(upload(client, headers, kind, body), 202)
    deadline = time.monotonic() + timeout
    while job["status"] == "validating":
        assert time.monotonic() < deadline, job
        time.sleep(0.02)
        job = ok(client.get(f"/api/imports/{job['id']}", headers=headers))
    return job


def commit(client: Client, headers: dict[str, str], job: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/api/imports/{job['id']}/commit", json=body, headers=headers)


def export(client: Client, headers: dict[str, str], kind: str, **params: Any) -> bytes:
    response = client.get(f"/api/exports/{kind}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return response.content


PRODUCTS = (
    "sku,name_en,name_si,name_ta,unit,category,tax_class,supplier,price_retail,price_wholesale,cost,weighed,plu,"
    "barcodes,min_age\r\n"
    f"SUG-1,White Sugar 1kg,සුදු සීනි,வெள்ளை சீனி,pc,Dairy,VAT,Acme Traders,350.00,,290.50,false,,{ean(1)},\r\n"
    "BAN-1,Bananas,කෙසෙල්,வாழைப்பழம்,kg,,,,420,400.00,,true,4011,,\r\n"
    f"ARR-1,=Arrack 750ml,අරක්කු,சாராயம்,pc,,,,4200.00,,,false,,{ean(2)}|036000291452,21\r\n"
).encode()


def test_products_preview_commit_and_byte_exact_round_trip(client: Client, runtime: Runtime,
                                                             signed_in: SignIn) -> None:
    manager = signed_in("manager")
    reference_data(client, manager)
    job = preview(client, manager, "products", b"\xef\xbb\xbf" + PRODUCTS)  # with a BOM
    assert job["status"] == "ready" and job["counts"] == {"create": 3, "update": 0, "unchanged": 0, "rejected": 0}
    assert fetch_value(runtime.db.reader, "SELECT count(*) FROM products") == 0  # a preview writes nothing
    done = ok(commit(client, manager, job))
    assert done["status"] == "committed" and done["outcome"]["created"] == 3
    assert problem(commit(client, manager, job)) == (409, "IMPORT_ALREADY_COMMITTED")
    sugar = ok(client.get(f"/api/products/barcode/{ean(1)}", headers=manager))
    assert (sugar["prices"]["retail"], sugar["cost"], sugar["names"]["ta"]) == (35000, 29050, "வெள்ளை சீனி")
    assert ok(client.get("/api/products/barcode/4011", headers=manager))["weighed"] is True
    arrack = ok(client.get("/api/products/barcode/036000291452", headers=manager))
    assert arrack["names"]["en"] == "=Arrack 750ml" and arrack["minAge"] == 21
    exported = export(client, manager, "products")
    assert exported.startswith(b"\xef\xbb\xbf") and b"'=Arrack" in exported  # formula made inert
    assert "සුදු සීනි,வெள்ளை சீனி".encode() in exported  # Sinhala and Tamil byte for byte
    again = preview(client, manager, "products", exported)
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 3, "rejected": 0}
    assert export(client, manager, "products", bom=False) == exported[3:]


def test_every_kind_round_trips_unchanged(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    refs = reference_data(client, manager)
    make_product(client, manager, "P1", "Tea", names={"en": "Tea", "si": "තේ", "ta": "தேநீர்"}, barcodes=[ean(3)],
                 prices={"retail": 12345, "other": 12000}, cost=9999, reorderLevel=1.5, **refs)
    ok(client.post("/api/customers", json={"name": "கமலா", "phone": "+94 76 345 6789", "type": "credit",
                                           "creditLimit": 250000, "notes": 'says "hi", twice'}, headers=manager), 201)
    for kind in ("products", "prices", "suppliers", "customers"):
        job = preview(client, manager, kind, export(client, manager, kind))
        assert job["counts"]["unchanged"] >= 1 and job["counts"]["create"] + job["counts"]["update"] == 0, (kind, job)
        assert job["counts"]["rejected"] == 0, job


def test_updates_rejections_and_rows(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    reference_data(client, manager)
    make_product(client, manager, "KEEP", "Keep", prices={"retail": 10000})
    make_product(client, manager, "OTHER", "Other", barcodes=[ean(7)])
    body = ("sku,name_en,price_retail,category,barcodes\n"
            "KEEP,Keep,120.00,,\n"                        # line 2: update (price)
            "NEW-1,New,-5,,\n"                            # 3: negative price
            "NEW-2,New,10.001,,\n"                        # 4: too many decimals
            "NEW-3,New,99999999.00,,\n"                   # 5: above the sanity bound
            "NEW-4,New,10,Nope,\n"                        # 6: unknown category
            f"NEW-5,New,10,,{ean(7)}\n"                   # 7: barcode of another product
            "NEW-6,New,10,,4791000000011\n"               # 8: wrong check digit
            "NEW-7,New,10,,4.79123E+12\n"                 # 9: a spreadsheet's number
            "KEEP,Again,10,,\n"                           # 10: SKU twice in the file
            "NEW-8,New,10\n"                              # 11: a cell missing
            "NEW-9,,10,,\n"                               # 12: name required
            "NEW-10,Fine,10.5,Dairy,\n").encode()         # 13: create
    job = preview(client, manager, "products", body)
    assert job["counts"] == {"create": 1, "update": 1, "unchanged": 0, "rejected": 10}
    reasons = {r["line"]: r["code"] for r in job["rejections"]}
    assert reasons == {3: "NEGATIVE_PRICE", 4: "INVALID_MONEY", 5: "PRICE_OUT_OF_RANGE", 6: "UNKNOWN_CATEGORY",
                       7: "BARCODE_TAKEN", 8: "BARCODE_CHECK_DIGIT", 9: "BARCODE_MANGLED", 10: "DUPLICATE_IN_FILE",
                       11: "WRONG_CELL_COUNT", 12: "REQUIRED"}
    rows = ok(client.get(f"/api/imports/{job['id']}/rows", params={"action": "update"}, headers=manager))
    assert rows["items"] == [{"line": 2, "action": "update", "key": "KEEP", "changes": ["price_retail"]}]
    page = ok(client.get(f"/api/imports/{job['id']}/rows", params={"limit": 5}, headers=manager))
    assert [r["line"] for r in page["items"]] == [2, 3, 4, 5, 6] and page["nextCursor"]
    assert problem(commit(client, manager, job)) == (409, "IMPORT_HAS_REJECTIONS")
    assert ok(commit(client, manager, job, acceptRejections=True))["outcome"] == {"created": 1, "updated": 1,
                                                                                   "audited": 2}
    assert fetch_value(runtime.db.reader, "SELECT price_retail FROM products WHERE sku = 'KEEP'") == 12000
    journal = fetch_all(runtime.db.reader, "SELECT details FROM audit_events WHERE action = 'catalog.prices_imported'")
    assert "1 KEEP retail=10000>12000" in journal[0][0] and "NEW-10 retail=->1050" in journal[0][0]


def test_commit_is_exactly_the_preview_or_nothing(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    pid = make_product(client, manager, "A", "Apple", prices={"retail": 10000})["id"]
    job = preview(client, manager, "prices", b"sku,price_retail\nA,110.00\nB-NEW,1\n")
    assert job["counts"]["rejected"] == 1 and job["rejections"][0]["code"] == "UNKNOWN_SKU"
    ok(client.patch(f"/api/products/{pid}", json={"prices": {"retail": 10500}}, headers=manager))
    assert problem(commit(client, manager, job, acceptRejections=True)) == (409, "IMPORT_STALE")
    assert fetch_value(runtime.db.reader, "SELECT price_retail FROM products WHERE id = ?", (pid,)) == 10500
    assert ok(client.get(f"/api/imports/{job['id']}", headers=manager))["status"] == "failed"
    new = preview(client, manager, "products", b"sku,name_en,price_retail\nC,Cherry,10\nD,Date,20\n")
    make_product(client, manager, "D", "Date")
    assert problem(commit(client, manager, new)) == (409, "IMPORT_STALE")
    assert fetch_value(runtime.db.reader, "SELECT count(*) FROM products WHERE sku = 'C'") == 0  # nothing written


BAD_FILES = [
    (b"", "CSV_EMPTY"),
    (b"sku;name_en;price_retail\nA;B;1\n", "CSV_DELIMITER"),
    (b"sku,name_en\nA,B\n", "CSV_MISSING_COLUMNS"),
    (b"sku,name_en,price_retail,colour\n", "CSV_UNKNOWN_COLUMNS"),
    (b"sku,name_en,price_retail,sku\n", "CSV_DUPLICATE_COLUMNS"),
    ("sku,name_en,price_retail\nA,Caf\xe9,1\n".encode("latin-1"), "CSV_ENCODING"),
    (b"\x00\x01\x02" * 1000, "CSV_ENCODING"),
]


@pytest.mark.parametrize(("body", "code"), BAD_FILES)
def test_bad_files_are_refused_at_upload(client: Client, signed_in: SignIn, body: bytes, code: str) -> None:
    assert problem(upload(client, signed_in("manager"), "products", body)) == (400, code)


def test_broken_quotes_and_garbage_fail_the_preview_cleanly(client: Client, runtime: Runtime,
                                                            signed_in: SignIn) -> None:
    manager = signed_in("manager")
    broken = upload(client, manager, "products", b'sku,name_en,price_retail\nA,1,1\nA,"Unclosed,1\nB,Fine,2\n')
    assert problem(broken) == (400, "CSV_MALFORMED") and "line 3" in broken.json()["detail"]
    stray = upload(client, manager, "products", b'sku,name_en,price_retail\nA,"x"y,1\n')
    assert problem(stray) == (400, "CSV_MALFORMED")
    garbage = os.urandom(10 * 1024 * 1024)
    assert upload(client, manager, "products", garbage).status_code == 400
    ascii_junk = b"sku,name_en,price_retail\n" + bytes(range(32, 127)) * 100_000
    job = preview(client, manager, "products", ascii_junk)
    assert job["status"] in ("ready", "failed") and fetch_value(runtime.db.reader, "SELECT count(*) FROM products") == 0
    assert client.post("/api/imports", params={"kind": "products"}, content=b"x" * (17 * 1024 * 1024),
                       headers={**manager, **CSV}).status_code == 413


def test_import_permissions(client: Client, signed_in: SignIn) -> None:
    cashier, auditor = signed_in("cashier", "LANE-2"), signed_in("auditor", "LANE-3")
    assert problem(upload(client, cashier, "customers", b"name\nX\n")) == (403, "FORBIDDEN")
    assert problem(upload(client, auditor, "products", PRODUCTS)) == (403, "FORBIDDEN")
    assert export(client, auditor, "customers").startswith(b"\xef\xbb\xbfid,name")
    assert problem(client.get("/api/exports/products", headers=cashier)) == (403, "FORBIDDEN")
    assert problem(client.get("/api/imports/0123456789abcdef", headers=signed_in("manager"))) == (
        404, "IMPORT_NOT_FOUND")


@pytest.mark.slow
def test_a_100k_row_import_shows_progress_and_finishes(client: Client, runtime: Runtime, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    lines = ["sku,name_en,name_si,price_retail,barcodes"]
    lines += [f"B{i:06d},Item {i} Rice,සහල් {i},{100 + i % 900}.50,{make_ean13(f'4797{i:08d}')}" for i in range(100_000)]
    body = ("\n".join(lines) + "\n").encode()
    began = time.monotonic()
    job = ok(upload(client, manager, "products", body), 202)
    seen: set[int] = set()
    while job["status"] == "validating":
        seen.add(job["progress"]["done"])
        time.sleep(0.05)
        job = ok(client.get(f"/api/imports/{job['id']}", headers=manager))
    assert job["counts"]["create"] == 100_000 and job["progress"] == {"stage": "validating", "done": 100_000,
                                                                        "total": 100_000}
    assert len(seen) > 2  # the UI saw it move
    done = ok(commit(client, manager, job))
    assert done["outcome"]["created"] == 100_000
    assert fetch_value(runtime.db.reader, "SELECT count(*) FROM product_barcodes") == 100_000
    assert time.monotonic() - began < 60
    found = ok(client.get("/api/products/search", params={"q": "B099999"}, headers=manager))
    assert found["items"][0]["names"]["si"] == "සහල් 99999"

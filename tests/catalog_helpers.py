"""Test helpers for the catalog: reference data and products made through the API (no shortcuts)."""

from __future__ import annotations

from typing import Any

from pos_grocery.barcodes import make_ean13

Client = Any


def ok(response: Any, status: int = 200) -> Any:
    """The JSON body of a response that must have this status."""
    assert response.status_code == status, response.text
    return response.json()


def problem(response: Any) -> tuple[int, str]:
    """(status, code) of a problem response."""
    return response.status_code, response.json().get("code", "")


def ean(n: int) -> str:
    """A valid EAN-13 numbered n (GS1 Sri Lanka prefix, test range 4795)."""
    return make_ean13(f"4795{n:08d}")


def reference_data(client: Client, headers: dict[str, str]) -> dict[str, int]:
    """A category, a tax class and a supplier; their ids."""
    return {
        "categoryId": ok(client.post("/api/categories", json={"name": "Dairy"}, headers=headers), 201)["id"],
        "taxClassId": ok(client.post("/api/tax-classes", json={"name": "VAT", "rateBp": 1800}, headers=headers),
                         201)["id"],
        "supplierId": ok(client.post("/api/suppliers", json={"name": "Acme Traders"}, headers=headers), 201)["id"],
    }


def product_body(sku: str, en: str, retail: int = 10000, **extra: Any) -> dict[str, Any]:
    """A minimal product create body."""
    return {"sku": sku, "names": {"en": en}, "prices": {"retail": retail}, **extra}


def make_product(client: Client, headers: dict[str, str], sku: str, en: str, **extra: Any) -> dict[str, Any]:
    """Create a product over HTTP; its JSON."""
    body: dict[str, Any] = ok(client.post("/api/products", json=product_body(sku, en, **extra), headers=headers), 201)
    return body

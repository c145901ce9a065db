"""Search over HTTP: ranking tiers, three languages, prefixes as you type, paging, filters, index upkeep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from pos_grocery.catalog.search import tokens
from tests.catalog_helpers import ean, make_product, ok, problem

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


def skus(client: Client, headers: dict[str, str], q: str, **params: Any) -> list[str]:
    page = ok(client.get("/api/products/search", params={"q": q, **params}, headers=headers))
    return [item["sku"] for item in page["items"]]


def test_ranking_tiers(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    make_product(client, manager, "CHOC-BISC", "Chocolate Milk Biscuits 200g")
    make_product(client, manager, "MILK-POW", "Milk Powder 400g")
    make_product(client, manager, "MILK-1L", "Milk 1L")
    make_product(client, manager, "BUTTERMILK", "Buttermilk Drink")  # 'milk' inside a word: no match
    make_product(client, manager, "MILKY", "Milky Way Toffee")
    coded = make_product(client, manager, "X-77", "Soap Bar", barcodes=[ean(4242)])
    # Names starting with the query, then whole words, then prefixes of words; shorter names first.
    assert skus(client, manager, "milk") == ["MILK-1L", "MILK-POW", "MILKY", "CHOC-BISC"]
    assert skus(client, manager, "mil") == ["MILK-1L", "MILK-POW", "MILKY", "CHOC-BISC"]  # equal length: by id
    # A SKU prefix comes before name matches; an exact SKU or barcode first of all.
    assert skus(client, manager, "MILK-")[:2] == ["MILK-1L", "MILK-POW"]
    assert skus(client, manager, "milky")[0] == "MILKY"
    assert skus(client, manager, ean(4242)) == [coded["sku"]]
    assert skus(client, manager, ean(4242)[:8]) == [coded["sku"]]  # barcode prefix
    assert skus(client, manager, "choc bisc") == ["CHOC-BISC"]
    assert skus(client, manager, "biscuits milk") == ["CHOC-BISC"]
    assert skus(client, manager, "chocolates") == []
    assert skus(client, manager, "test") == []


def test_three_languages_and_joiners(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    make_product(client, manager, "SUGAR", "White Sugar 1kg", names={"en": "White Sugar 1kg", "si": "සුදු සීනි",
                                                                        "ta": "வெள்ளை சீனி"})
    make_product(client, manager, "CRACK", "Cream Crackers", names={"en": "Cream Crackers",
                                                                    "si": "ක්\u200dරීම් ක්\u200dරැකර්"})
    assert skus(client, manager, "සීනි") == ["SUGAR"]
    assert skus(client, manager, "சீன") == ["SUGAR"]  # a prefix of a Tamil word (vowel signs are part of it)
    assert skus(client, manager, "வெள்ளை சீனி") == ["SUGAR"]
    assert skus(client, manager, "ක්රීම්") == ["CRACK"]  # typed without the zero-width joiner
    assert skus(client, manager, "ක්\u200dරීම්") == ["CRACK"]
    assert tokens("ක්\u200dරීම් ක්රැකර්!") == ["ක්රීම්", "ක්රැකර්"]


def test_paging_filters_and_index_upkeep(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    ids = [make_product(client, manager, f"R{n}", f"Samba Rice {n}kg")["id"] for n in range(7)]
    first = ok(client.get("/api/products/search", params={"q": "rice", "limit": 3}, headers=manager))
    second = ok(client.get("/api/products/search", params={"q": "rice", "limit": 3, "cursor": first["nextCursor"]},
                           headers=manager))
    third = ok(client.get("/api/products/search", params={"q": "rice", "limit": 3, "cursor": second["nextCursor"]},
                          headers=manager))
    found = [p["id"] for p in first["items"] + second["items"] + third["items"]]
    assert sorted(found) == ids and third["nextCursor"] is None
    ok(client.patch(f"/api/products/{ids[0]}", json={"names": {"en": "Basmati Grain"}}, headers=manager))
    ok(client.patch(f"/api/products/{ids[1]}", json={"active": False}, headers=manager))
    ok(client.delete(f"/api/products/{ids[2]}", headers=manager))
    assert len(skus(client, manager, "rice")) == 4
    assert skus(client, manager, "basmati") == ["R0"]
    assert skus(client, manager, "rice", active=False) == ["R1"]
    assert problem(client.get("/api/products/search", params={"q": "rice", "cursor": "bad"}, headers=manager)) == (
        400, "INVALID_CURSOR")
    bad: list[dict[str, Any]] = [{"q": ""}, {"q": "x", "limit": 0}, {"q": "x", "limit": 201}, {"q": "x" * 101}, {}]
    for params in bad:
        assert client.get("/api/products/search", params=params, headers=manager).status_code == 400


def test_query_syntax_is_never_an_error(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    make_product(client, manager, "A-1", 'Tea "Gold" 100% pure')
    for q in ['"', "*", "NEAR(", "a OR b", "-", "^tea", "%", "_", "\\", "tea AND", "'; DROP TABLE products; --"]:
        response = client.get("/api/products/search", params={"q": q}, headers=manager)
        assert response.status_code == 200, (q, response.text)
    assert skus(client, manager, "100%") == ["A-1"]
    assert skus(client, manager, '"gold"') == ["A-1"]

"""The scan fast path answers exactly what the Litestar route answers, and leaves every other case to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from pos_grocery.app import create_litestar
from pos_grocery.barcodes import DEFAULT_LAYOUTS, make_upca, make_variable_measure
from pos_grocery.metrics import create_metrics
from pos_grocery.middleware import RequestContext
from pos_grocery.runtime import Runtime
from tests.catalog_helpers import ean, make_product

Client = TestClient[Any]
SignIn = Callable[..., dict[str, str]]


@pytest.fixture
def litestar_only(runtime: Runtime) -> Iterator[Client]:
    """The same app without the fast path (what the route answers through Litestar alone)."""
    metrics = create_metrics()
    app = RequestContext(create_litestar(runtime, metrics), metrics, access_log=False)
    with TestClient(app=app) as client:  # type: ignore[type-var]
        yield client


def _seen(response: Any) -> tuple[int, bytes, str | None, str | None]:
    return (response.status_code, response.content, response.headers.get("content-type"),
            response.headers.get("access-control-allow-origin"))


def test_same_answers_with_and_without_the_fast_path(client: Client, litestar_only: Client,
                                                     signed_in: SignIn) -> None:
    manager = signed_in("manager")
    upca = make_upca("04210000526")
    make_product(client, manager, "M1", "Milk", names={"en": "Milk", "si": "කිරි"}, barcodes=[ean(1), upca])
    make_product(client, manager, "B1", "Bananas", plu="4011", unit="kg", weighed=True)
    scale = make_variable_measure(DEFAULT_LAYOUTS[0], "04011", 1250)
    origin = {**manager, "Origin": "http://localhost:5173"}
    cases: list[tuple[str, dict[str, str]]] = [
        (ean(1), manager), (upca, manager), ("04252614", manager), ("4011", manager), (scale, manager),
        (f"%20{ean(1)}", manager), (ean(2), manager), ("4791000000011", manager), ("abc", manager),
        ("1" * 70, manager), (ean(1), {}), (ean(1), {"Authorization": "Bearer nope"}),
        (ean(1), {"Authorization": "Basic abc"}), (ean(1), origin), (f"{ean(1)}?x=1", manager),
    ]
    for code, headers in cases:
        fast = client.get(f"/api/products/barcode/{code}", headers=headers)
        slow = litestar_only.get(f"/api/products/barcode/{code}", headers=headers)
        if fast.status_code >= 400:  # problem bodies carry each request's own id
            assert (fast.status_code, fast.json()["code"]) == (slow.status_code, slow.json()["code"]), code
        else:
            assert _seen(fast) == _seen(slow), code
    assert client.get(f"/api/products/barcode/{ean(1)}", headers=origin).headers[
        "access-control-allow-origin"] == "http://localhost:5173"


def test_fast_answers_are_counted_under_the_route(client: Client, signed_in: SignIn) -> None:
    manager = signed_in("manager")
    make_product(client, manager, "M1", "Milk", barcodes=[ean(1)])
    for _ in range(3):
        assert client.get(f"/api/products/barcode/{ean(1)}", headers=manager).status_code == 200
    assert client.get(f"/api/products/barcode/{ean(2)}", headers=manager).status_code == 404  # through Litestar
    metrics = client.get("/metrics").text
    counted = [line for line in metrics.splitlines()
               if line.startswith("http_requests_total{") and 'route="/api/products/barcode/{code}"' in line]
    assert sorted(line.rsplit(" ", 1)[1] for line in counted) == ["1.0", "3.0"], counted  # one route label

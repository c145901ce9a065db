"""schemathesis over the shift, report and store-settings routes: no 5xx, every response as documented."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.api.schemathesis_support import StoreApp, asgi_schema, call_as_admin, store_app

PATHS = r"^/api/(shifts|reports|settings)"


@pytest.fixture(scope="module")
def rt_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreApp]:
    yield from store_app(tmp_path_factory, "st-shifts")


@pytest.fixture(scope="module")
def api_schema(rt_app: StoreApp) -> Any:
    return asgi_schema(rt_app[1])


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=PATHS)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_shift_and_report_api_conforms(case: schemathesis.Case, rt_app: StoreApp) -> None:
    call_as_admin(case, rt_app)

"""schemathesis over the inventory routes, as an admin: no 5xx, every response as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from pos_grocery.app import create_app
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import add_terminal, add_user, bearer, issue_token
from tests.checkout_helpers import seed_catalog
from tests.conftest import make_settings

INVENTORY_PATHS = r"^/api/(stock|stock-adjustments|inventory|grns|stocktakes|labels)(/|$)"


@pytest.fixture(scope="module")
def rt_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any, int]]:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("st-inventory"))))
    seed_catalog(rt)
    with rt.db.write() as conn:
        conn.execute("INSERT INTO suppliers (id, name, created_at, updated_at) VALUES (1, 'Acme', 'x', 'x')")
    lane = add_terminal(rt, "LANE-1")
    yield rt, create_app(rt, access_log=False), lane
    rt.db.close()


@pytest.fixture(scope="module")
def api_schema(rt_app: tuple[Runtime, Any, int]) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", rt_app[1])


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=INVENTORY_PATHS)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_inventory_api_conforms(case: schemathesis.Case, rt_app: tuple[Runtime, Any, int]) -> None:
    rt, _app, lane = rt_app
    admin = add_user(rt, "admin")
    response = case.call(headers=bearer(issue_token(rt, admin.id, lane)))
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance])

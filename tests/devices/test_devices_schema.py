"""schemathesis over the device routes at a lane (no device service configured: nothing leaves the process).

Every answer must match the documented schema and status codes, and none may be a 5xx.
"""

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
from tests.conftest import make_settings

DEVICE_PATHS = r"^/api/(devices/|sales/\{sale_id\}/print)"


@pytest.fixture(scope="module")
def rt_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any, str]]:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("st-devices")), DEVICE_PRINT_ON_SALE="true"))
    lane = add_terminal(rt, "LANE-1")
    cashier = add_user(rt, "manager")
    yield rt, create_app(rt, access_log=False), issue_token(rt, cashier.id, lane)
    rt.db.close()


@pytest.fixture(scope="module")
def api_schema(rt_app: tuple[Runtime, Any, str]) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", rt_app[1])


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=DEVICE_PATHS)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_device_routes_conform(case: schemathesis.Case, rt_app: tuple[Runtime, Any, str]) -> None:
    response = case.call(headers=bearer(rt_app[2]))
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance])

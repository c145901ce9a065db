"""schemathesis over the checkout routes, signed in at a lane: no 5xx, every response as documented."""

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
from tests.checkout_helpers import open_shift_here, seed_catalog
from tests.conftest import make_settings

CHECKOUT_PATHS = r"^/api/(sales|held-sales|returns|refunds|promotions)"


@pytest.fixture(scope="module")
def rt_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any, int]]:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("st-checkout"))))
    seed_catalog(rt)
    lane = add_terminal(rt, "LANE-1")
    open_shift_here(rt, lane, add_user(rt, "manager").id)
    yield rt, create_app(rt, access_log=False), lane
    rt.db.close()


@pytest.fixture(scope="module")
def api_schema(rt_app: tuple[Runtime, Any, int]) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", rt_app[1])


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=CHECKOUT_PATHS)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_checkout_api_conforms_at_a_lane(case: schemathesis.Case, rt_app: tuple[Runtime, Any, int]) -> None:
    rt, _app, lane = rt_app
    admin = add_user(rt, "admin")
    response = case.call(headers=bearer(issue_token(rt, admin.id, lane)))
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance])

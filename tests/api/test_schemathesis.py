"""schemathesis against the served OpenAPI document: no 5xx, every response matches the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from pos_grocery.app import create_app
from pos_grocery.runtime import open_runtime
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def asgi_app(tmp_path_factory: pytest.TempPathFactory) -> object:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("st"))))
    return create_app(rt, access_log=False)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(asgi_app: object) -> object:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", asgi_app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case: schemathesis.Case) -> None:
    response = case.call()
    # Health probes answer a documented 503 when a check fails (e.g. the start-up SLA in-process).
    documented_unavailable = response.status_code == 503 and case.path.startswith("/api/health")
    assert response.status_code < 500 or documented_unavailable, response.text
    case.validate_response(response, checks=[response_schema_conformance, status_code_conformance,
                                             negative_data_rejection])

"""schemathesis with an authenticated admin session: no 5xx, every response matches the documented schema.

Each generated call gets a fresh admin (a case may disable its own user or end its session), issued through
the users and sessions services.
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

# Health probes are public and covered by test_schemathesis.py (in-process, /startup answers a documented 503).
IDENTITY_PATHS = r"^/api/(auth|users|terminals|audit-events)"


@pytest.fixture(scope="module")
def rt_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any]]:
    rt = open_runtime(make_settings(Path(tmp_path_factory.mktemp("st-auth"))))
    add_terminal(rt, "LANE-1")
    yield rt, create_app(rt, access_log=False)
    rt.db.close()


@pytest.fixture(scope="module")
def api_schema(rt_app: tuple[Runtime, Any]) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", rt_app[1])


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=IDENTITY_PATHS)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_identity_api_conforms_when_signed_in(case: schemathesis.Case, rt_app: tuple[Runtime, Any]) -> None:
    rt, _app = rt_app
    admin = add_user(rt, "admin")
    # A back-office session (no terminal): a case that deactivates LANE-1 must not sign the next one out.
    response = case.call(headers=bearer(issue_token(rt, admin.id, None, method="password")))
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance])

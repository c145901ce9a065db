"""Shared set-up for the schemathesis runs over one feature's routes, signed in as an admin at a lane."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from pos_grocery.app import create_app
from pos_grocery.runtime import Runtime, open_runtime
from tests.auth_helpers import add_terminal, add_user, bearer, issue_token
from tests.checkout_helpers import open_shift_here, seed_catalog
from tests.conftest import make_settings

StoreApp = tuple[Runtime, Any, int]
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def store_app(tmp: pytest.TempPathFactory, name: str, *, open_shift: bool = True,
              supplier: bool = False) -> Iterator[StoreApp]:
    """A seeded catalog, LANE-1 (with an open shift unless told otherwise), the app; closed afterwards."""
    rt = open_runtime(make_settings(Path(tmp.mktemp(name))))
    seed_catalog(rt)
    if supplier:
        with rt.db.write() as conn:
            conn.execute("INSERT INTO suppliers (id, name, created_at, updated_at) VALUES (1, 'Acme', 'x', 'x')")
    lane = add_terminal(rt, "LANE-1")
    if open_shift:
        open_shift_here(rt, lane, add_user(rt, "manager").id)
    yield rt, create_app(rt, access_log=False), lane
    rt.db.close()


def asgi_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", app)


def call_as_admin(case: schemathesis.Case, store: StoreApp) -> None:
    """Call the case with a fresh admin's token at the lane; no 5xx, status and body as documented."""
    rt, _app, lane = store
    admin = add_user(rt, "admin")
    response = case.call(headers=bearer(issue_token(rt, admin.id, lane)))
    case.validate_response(response, checks=CHECKS)

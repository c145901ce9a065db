"""docs/SHIFTS.md's curl session (open, sell, drop, X, Z by denomination, refused sale), run as written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.ops.doc_flows import run_documented_flow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq are not installed"),
]


def test_documented_shift_session(tmp_path: Path) -> None:
    out = [json.loads(x) for x in run_documented_flow(tmp_path, "SHIFTS.md", "shift-flow")]
    assert out == [
        {"kind": "drop", "amount": 50000},
        {"kind": "x", "expected": 540000},
        {"zNumber": 1, "expected": 540000, "declared": 540000, "variance": 0},
        {"status": 409, "code": "SHIFT_NOT_OPEN"},
    ]

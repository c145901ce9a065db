"""docs/SHIFTS.md's curl session (open, sell, drop, X, Z by denomination, refused sale), run as written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user
from tests.checkout_helpers import seed_catalog
from tests.conftest import make_settings
from tests.procs import start, wait_http

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq are not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 64


def flow_block() -> str:
    text = (ROOT / "docs" / "SHIFTS.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- shift-flow -->\s*```bash\n(.*?)```", text, re.DOTALL)
    assert match, "docs/SHIFTS.md has no shift-flow block"
    return match.group(1)


def test_documented_shift_session(tmp_path: Path) -> None:
    rt = open_runtime(make_settings(tmp_path, AUTH_SECRET=SECRET))
    try:
        seed_catalog(rt)
        add_terminal(rt, "LANE-1")
        cashier, manager = add_user(rt, "cashier"), add_user(rt, "manager")
    finally:
        rt.db.close()
    proc = start("serve", tmp_path, AUTH_SECRET=SECRET, LOG_LEVEL="warn")
    try:
        wait_http(proc.base + "/api/health/live")
        env = {"PATH": "/usr/bin:/bin", "API": proc.base, "PIN": cashier.pin or "", "MANAGER_PIN": manager.pin or ""}
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", flow_block()], env=env, capture_output=True,
                              text=True, timeout=60, check=False)
    finally:
        proc.stop()
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert out == [
        {"kind": "drop", "amount": 50000},
        {"kind": "x", "expected": 540000},
        {"zNumber": 1, "expected": 540000, "declared": 540000, "variance": 0},
        {"status": 409, "code": "SHIFT_NOT_OPEN"},
    ]

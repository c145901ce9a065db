"""docs/API.md's checkout curl session, run as written against a real `pos-grocery serve`."""

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
SECRET = "k" * 64


def flow_block() -> str:
    """The bash block after the `<!-- checkout-flow -->` marker."""
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- checkout-flow -->\s*```bash\n(.*?)```", text, re.DOTALL)
    assert match, "docs/API.md has no checkout-flow block"
    return match.group(1)


def test_documented_checkout_session(tmp_path: Path) -> None:
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
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", flow_block()],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        proc.stop()
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert json.loads(out[0]) == {"total": 90000, "cash": 90000}
    sale = json.loads(out[1])
    assert sale["due"] == 90000 and sale["change"] == 10000
    assert out[2] == sale["receiptNumber"] and sale["receiptNumber"] in done.stdout
    assert json.loads(out[-3]) == {"copy": True, "reprintCount": 1}
    refund = json.loads(out[-2])
    assert refund["totalAmount"] == 45000 and refund["refundMethod"] == "cash"
    assert json.loads(out[-1]) == {"status": 404, "code": "SALE_NOT_FOUND"}

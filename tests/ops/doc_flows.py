"""Run a documented curl session (a ```bash block after an HTML marker in docs/) against a real server."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pos_grocery.runtime import open_runtime
from tests.auth_helpers import add_terminal, add_user
from tests.checkout_helpers import seed_catalog
from tests.conftest import make_settings
from tests.procs import start, wait_http

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 64


def flow_block(doc: str, marker: str) -> str:
    """The bash block after the `<!-- marker -->` comment in docs/<doc>."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\s*```bash\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/{doc} has no {marker} block"
    return match.group(1)


def run_documented_flow(tmp_path: Path, doc: str, marker: str) -> list[str]:
    """Seed a catalog, LANE-1, a cashier and a manager; run the block with API, PIN and MANAGER_PIN set;
    return its output lines (the block must exit 0)."""
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
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", flow_block(doc, marker)], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    finally:
        proc.stop()
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()

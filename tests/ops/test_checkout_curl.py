"""docs/API.md's checkout curl session, run as written against a real `pos-grocery serve`."""

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


def test_documented_checkout_session(tmp_path: Path) -> None:
    out = run_documented_flow(tmp_path, "API.md", "checkout-flow")
    stdout = "\n".join(out)
    assert json.loads(out[0]) == {"total": 90000, "cash": 90000}
    sale = json.loads(out[1])
    assert sale["due"] == 90000 and sale["change"] == 10000
    assert out[2] == sale["receiptNumber"] and sale["receiptNumber"] in stdout
    assert json.loads(out[-3]) == {"copy": True, "reprintCount": 1}
    refund = json.loads(out[-2])
    assert refund["totalAmount"] == 45000 and refund["refundMethod"] == "cash"
    assert json.loads(out[-1]) == {"status": 404, "code": "SALE_NOT_FOUND"}

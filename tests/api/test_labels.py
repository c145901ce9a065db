"""Labels: a real PDF, rendered back to PNG with pdftoppm (poppler-utils) and checked for ink where it belongs."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from PIL import Image

from pos_grocery.runtime import Runtime
from tests.checkout_helpers import Shop, make_shop, problem

Client = TestClient[Any]
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")


@pytest.fixture
def shop(runtime: Runtime, client: Client) -> Shop:
    s = make_shop(runtime, client)
    with runtime.db.write() as conn:
        conn.execute("INSERT INTO suppliers (id, name, created_at, updated_at) VALUES (1, 'Acme', 'x', 'x')")
    return s


def render(pdf: bytes, tmp: Path) -> list[Image.Image]:
    """Every page of the PDF as a 100-dpi greyscale image, via pdftoppm."""
    assert PDFTOPPM is not None
    source = tmp / "labels.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "100", "-gray", "-png", str(source), str(tmp / "page")], check=True, timeout=60)
    return [Image.open(p).convert("L") for p in sorted(tmp.glob("page*.png"))]


def ink(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of dark pixels in a box."""
    part = img.crop(box)
    hist = part.histogram()
    return sum(hist[:128]) / max(1, part.width * part.height)


@needs_pdftoppm
def test_shelf_labels_a4_sheet_in_sinhala(shop: Shop, tmp_path: Path) -> None:
    h = shop.sign_in(shop.manager, "LANE-2")
    r = shop.client.post("/api/labels", json={"productIds": [1, 2, 6], "language": "si", "copies": 8}, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/pdf") and r.content.startswith(b"%PDF")
    pages = render(r.content, tmp_path)
    assert len(pages) == 2  # 24 labels on 21-up sheets
    first = pages[0]
    assert abs(first.size[0] - 827) <= 1 and abs(first.size[1] - 1169) <= 1  # A4 at 100 dpi
    # The first label (63.5 x 38.1 mm at 7.2 mm, 15.15 mm) has ink; the page margin has none.
    assert ink(first, (28, 60, 278, 210)) > 0.03
    assert ink(first, (0, 0, 827, 55)) == 0.0
    assert ink(pages[1], (28, 60, 278, 210)) > 0.03  # label 22 on page 2
    assert ink(pages[1], (28, 400, 800, 1100)) == 0.0  # the rest of page 2 is empty
    first.save(tmp_path / "shelf-a4.png")


@needs_pdftoppm
def test_barcode_labels_for_a_posted_grn_on_a_roll(shop: Shop, tmp_path: Path) -> None:
    h = shop.sign_in(shop.manager, "LANE-2")
    body = {"supplierId": 1, "lines": [{"productId": 1, "quantity": 2, "unitCost": 100},
                                       {"productId": 3, "quantity": 1, "unitCost": 100}]}
    g = shop.client.post("/api/grns", json=body, headers=h).json()
    problem(shop.client.post("/api/labels", json={"grnId": g["id"]}, headers=h), 409, "GRN_NOT_POSTED")
    shop.client.post(f"/api/grns/{g['id']}/post", headers={**h, "Idempotency-Key": str(uuid.uuid4())})
    r = shop.client.post("/api/labels", json={"grnId": g["id"], "kind": "barcode", "preset": "roll",
                                              "symbology": "code128"}, headers=h)
    assert r.status_code == 200, r.text
    pages = render(r.content, tmp_path)
    assert len(pages) == 2 and pages[0].size == (197, 118)  # 50 x 30 mm at 100 dpi
    assert ink(pages[0], (10, 40, 187, 95)) > 0.2  # the bars


def test_label_bad_input(shop: Shop) -> None:
    h = shop.sign_in(shop.manager, "LANE-2")
    problem(shop.client.post("/api/labels", json={}, headers=h), 400, "LABEL_SOURCE")
    problem(shop.client.post("/api/labels", json={"productIds": [1], "grnId": 1}, headers=h), 400, "LABEL_SOURCE")
    problem(shop.client.post("/api/labels", json={"productIds": [999]}, headers=h), 404, "PRODUCT_NOT_FOUND")
    problem(shop.client.post("/api/labels", json={"grnId": 999}, headers=h), 404, "GRN_NOT_FOUND")
    # Product 3 has no EAN-13: asking for one is a 400; auto falls back to Code 128 of the SKU.
    problem(shop.client.post("/api/labels", json={"productIds": [3], "symbology": "ean13"}, headers=h), 400,
            "LABEL_SYMBOLOGY")
    assert shop.client.post("/api/labels", json={"productIds": [3]}, headers=h).status_code == 200
    problem(shop.client.post("/api/labels", json={"productIds": [1] * 500, "copies": 5}, headers=h), 400,
            "TOO_MANY_LABELS")
    problem(shop.client.post("/api/labels", json={"productIds": [1]}, headers=shop.headers), 403, "FORBIDDEN")

"""Demo and synthetic catalogs on real SQLite files; the seed/import/export command line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pos_grocery.barcodes import BarcodeConfig, classify
from pos_grocery.catalog.rules import Rules
from pos_grocery.catalog.seed import catalog_is_empty, seed_demo
from pos_grocery.catalog.synthetic import seed_synthetic, synthetic_code
from pos_grocery.cli import main
from pos_grocery.db.connection import fetch_all, fetch_value
from pos_grocery.runtime import Runtime
from pos_grocery.settings import Settings


def test_demo_store(runtime: Runtime, settings: Settings) -> None:
    rules = Rules.of(settings, time.time)
    assert catalog_is_empty(runtime.db.reader)
    report = seed_demo(runtime.db.writer, rules)
    assert report.products >= 250 and report.categories == 15 and report.customers == 8
    conn = runtime.db.reader
    assert fetch_value(conn, "SELECT count(*) FROM products WHERE name_si IS NULL OR name_ta IS NULL") == 0
    assert fetch_value(conn, "SELECT count(DISTINCT tax_class_id) FROM products") == 3
    weighed = fetch_all(conn, "SELECT p.unit, b.code FROM products p JOIN product_barcodes b ON b.product_id = p.id "
                              "WHERE p.weighed = 1 AND b.kind = 'plu'")
    assert len(weighed) >= 20 and {unit for unit, _ in weighed} == {"kg"}
    assert fetch_value(conn, "SELECT count(*) FROM products WHERE min_age = 21") >= 10
    for code, kind in fetch_all(conn, "SELECT code, kind FROM product_barcodes WHERE kind <> 'plu'"):
        assert classify(code, BarcodeConfig()).normalized == code, (code, kind)
    assert {k for (k,) in fetch_all(conn, "SELECT DISTINCT kind FROM product_barcodes")} >= {"ean13", "upca", "ean8"}
    assert seed_demo(runtime.db.writer, rules).products == 0  # a second run adds nothing


def test_synthetic_products_have_unique_valid_codes_and_continue(runtime: Runtime) -> None:
    assert seed_synthetic(runtime.db.writer, 1200, "2025-01-01T00:00:00.000Z") == 1200
    assert seed_synthetic(runtime.db.writer, 300, "2025-01-01T00:00:00.000Z") == 300
    conn = runtime.db.reader
    assert fetch_value(conn, "SELECT count(DISTINCT code) FROM product_barcodes") == 1500
    assert fetch_value(conn, "SELECT count(*) FROM product_search") == 1500
    row = fetch_all(conn, "SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id "
                          "WHERE b.code = ?", (synthetic_code(1499),))
    assert row == [("SYN-00001499",)]
    assert classify(synthetic_code(1499), BarcodeConfig()).kind.value == "ean13"


def test_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DB_PATH", str(tmp_path / "cli.db"))
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "64")
    assert main(["seed", "--demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert "demo store:" in out and "manager1" in out  # demo users, PINs shown once
    assert main(["seed", "--demo", "--if-empty"]) == 0
    assert "nothing seeded" in capsys.readouterr().out
    assert main(["seed", "--synthetic", "50"]) == 0
    exported = tmp_path / "products.csv"
    assert main(["export", "products", "-o", str(exported)]) == 0
    assert main(["import", "products", str(exported), "--dry-run"]) == 0
    assert "0 to create, 0 to update" in capsys.readouterr().out
    changed = tmp_path / "prices.csv"
    changed.write_text("sku,price_retail\nSYN-00000001,999.00\nNOPE,1\n", encoding="utf-8")
    assert main(["import", "prices", str(changed), "--yes"]) == 1
    assert "1 row(s) rejected" in capsys.readouterr().out  # not committed without --accept-rejections
    assert main(["import", "prices", str(changed), "--yes", "--accept-rejections"]) == 0
    assert "1 updated" in capsys.readouterr().out
    (tmp_path / "bad.csv").write_bytes(b"sku;price_retail\n")
    assert main(["import", "prices", str(tmp_path / "bad.csv")]) == 1
    assert "CSV_DELIMITER" in capsys.readouterr().err

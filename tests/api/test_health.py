"""Health endpoints in-process."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from pos_grocery.app import create_app
from pos_grocery.runtime import Runtime, open_runtime
from tests.conftest import make_settings


def test_basic_health(client: TestClient) -> None:  # type: ignore[type-arg]
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["service"] == "pos-grocery" and body["environment"] == "test"
    assert body["timestamp"].endswith("Z") and isinstance(body["uptime"], float)
    assert r.headers["x-request-id"]


def test_detailed_health_runbook_format(client: TestClient) -> None:  # type: ignore[type-arg]
    body = client.get("/api/health").json()
    assert body["ok"] is True and body["version"] and body["environment"] == "test"
    assert body["services"]["database"]["ok"] is True
    assert isinstance(body["services"]["database"]["responseTime"], float)
    assert 0 < body["services"]["memory"]["usage"] < 1 and body["services"]["memory"]["ok"] is True


def test_ready_live_and_integrity(client: TestClient) -> None:  # type: ignore[type-arg]
    ready = client.get("/api/health/ready")
    assert ready.status_code == 200 and ready.json()["failing"] == []
    assert client.get("/api/health/live").json()["ok"] is True
    integrity = client.get("/api/health/integrity").json()
    assert integrity["summary"]["failed"] == 0
    assert {c["name"] for c in integrity["checks"]} >= {"sqlite_integrity", "foreign_keys", "migrations"}
    assert integrity["summary"]["total"] == len(integrity["checks"])


def test_startup_metrics_have_sla_and_performance(client: TestClient) -> None:  # type: ignore[type-arg]
    r = client.get("/api/health/startup")
    metrics = r.json()["metrics"]
    sla = metrics["sla"]
    assert sla["listening"]["thresholdMs"] == 300 and sla["databaseInit"]["thresholdMs"] == 500
    assert sla["hardwareChecks"]["thresholdMs"] == 1000
    assert 0 <= metrics["performance"]["score"] <= 100
    assert r.status_code == (200 if sla["allPassed"] else 503)


def test_ready_fails_while_migrations_are_pending(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, SKIP_MIGRATIONS="true")
    rt = open_runtime(settings)
    try:
        with TestClient(app=create_app(rt, access_log=False)) as c:  # type: ignore[arg-type]
            r = c.get("/api/health/ready")
            assert r.status_code == 503
            assert "migrations" in r.json()["failing"]
            assert c.get("/health").status_code == 200
    finally:
        rt.db.close()


def test_integrity_names_a_foreign_key_violation(runtime: Runtime, client: TestClient) -> None:  # type: ignore[type-arg]
    conn = runtime.db.writer
    conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY); "
                 "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO child (parent_id) VALUES (42)")
    conn.execute("PRAGMA foreign_keys=ON")
    r = client.get("/api/health/integrity")
    assert r.status_code == 503
    failed = [c for c in r.json()["checks"] if not c["ok"]]
    assert failed[0]["name"] == "foreign_keys" and "child" in failed[0]["detail"]


def test_detailed_health_503_when_database_unusable(runtime: Runtime, client: TestClient) -> None:  # type: ignore[type-arg]
    runtime.db.writer.execute("ALTER TABLE schema_migrations RENAME TO moved")
    r = client.get("/api/health")
    assert r.status_code == 503 and r.json()["services"]["database"]["ok"] is False
    assert client.get("/health").status_code == 200

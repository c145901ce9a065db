"""The real thing: `pos-grocery serve` under granian, the runbook's curl commands, promtool, SIGTERM."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.procs import Proc, http_get, start, wait_http

pytestmark = pytest.mark.slow


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Proc]:
    proc = start("serve", tmp_path, APP_ENV="production", LOG_LEVEL="info")
    try:
        wait_http(proc.base + "/health")
        wait_http(proc.base + "/api/health/live")
        yield proc
    finally:
        proc.stop()


def _sh(command: str) -> str:
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq are not installed")
def test_runbook_curl_commands(api: Proc) -> None:
    base = api.base.replace("127.0.0.1", "localhost")
    assert json.loads(_sh(f"curl -s {base}/health"))["ok"] is True
    detailed = json.loads(_sh(f"curl -s {base}/api/health"))
    assert detailed["services"]["database"]["ok"] is True and "usage" in detailed["services"]["memory"]
    sla = json.loads(_sh(f"curl -s {base}/api/health/startup | jq '.metrics.sla'"))
    assert {"listening", "databaseInit", "hardwareChecks"} <= sla.keys()
    perf = json.loads(_sh(f"curl -s {base}/api/health/startup | jq '.metrics.performance'"))
    assert 0 <= perf["score"] <= 100 and perf["listeningMs"] > 0
    _sh(f"curl -f {base}/api/health/ready")
    _sh(f"curl -f {base}/api/health/integrity")
    _sh(f"curl -v {base}/api/health/live")
    db = json.loads(_sh(f"curl -v {base}/api/health | jq '.services.database'"))
    assert db["ok"] is True


def test_listening_line_and_json_logs(api: Proc) -> None:
    http_get(api.base + "/api/health")
    time.sleep(0.2)
    lines = [json.loads(line) for line in api.log().splitlines() if line.startswith("{")]
    listening = [line for line in lines if line["msg"].startswith("listening on")]
    assert len(listening) == 1 and listening[0]["service"] == "pos-grocery"
    assert any(line.get("url") == "/api/health" and line.get("requestId") for line in lines)
    non_json = [line for line in api.log().splitlines() if line.strip() and not line.startswith("{")]
    assert non_json == []


@pytest.mark.skipif(not shutil.which("promtool"), reason="promtool (Debian package prometheus) is not installed")
def test_promtool_accepts_live_metrics(api: Proc) -> None:
    for path in ("/health", "/api/health", "/api/health/ready", "/nope", "/api/products/123"):
        http_get(api.base + path)
    status, body, headers = http_get(api.base + "/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    text = body.decode()
    assert 'http_request_duration_seconds_bucket{' in text and 'route="/api/health"' in text
    assert "/api/products/123" not in text  # labels are route templates, never raw paths
    done = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, timeout=30, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_sigterm_finishes_and_checkpoints(tmp_path: Path) -> None:
    proc = start("serve", tmp_path)
    wait_http(proc.base + "/api/health/ready")
    began = time.monotonic()
    code = proc.stop()
    assert code == 0 and time.monotonic() - began < 5
    wal = tmp_path / "pos.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert "shutdown complete" in proc.log()


@pytest.mark.skipif(not shutil.which("promtool"), reason="promtool (Debian package prometheus) is not installed")
def test_metrics_with_two_workers(tmp_path: Path) -> None:
    proc = start("serve", tmp_path, WORKERS="2")
    try:
        wait_http(proc.base + "/api/health/live")
        for _ in range(20):
            http_get(proc.base + "/api/health/live")
        body = http_get(proc.base + "/metrics")[1]
        total = sum(float(line.rsplit(" ", 1)[1]) for line in body.decode().splitlines()
                    if line.startswith('http_requests_total{method="GET",route="/api/health/live"'))
        assert total >= 20
        done = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, timeout=30,
                              check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    finally:
        assert proc.stop() == 0


def test_bad_port_stops_before_serving(tmp_path: Path) -> None:
    proc = start("serve", tmp_path, PORT="abc")
    assert proc.popen.wait(timeout=20) == 2
    assert "PORT" in proc.log() and not (tmp_path / "pos.db").exists()


def test_web_serves_the_spa(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>POS Grocery</title>")
    (dist / "assets" / "a-1.js").write_text("1")
    proc = start("web", tmp_path, port_var="WEB_PORT", FRONTEND_DIST=str(dist))
    try:
        wait_http(proc.base + "/")
        status, body, headers = http_get(proc.base + "/lane")
        assert status == 200 and b"POS Grocery" in body and headers["cache-control"] == "no-cache"
        assert "immutable" in http_get(proc.base + "/assets/a-1.js")[2]["cache-control"]
        assert http_get(proc.base + "/.git/config")[0] == 404
    finally:
        assert proc.stop() == 0


def test_web_forwards_api_paths_to_the_api(tmp_path: Path) -> None:
    api = start("serve", tmp_path)
    web = start("web", tmp_path, port_var="WEB_PORT", API_UPSTREAM=f"http://127.0.0.1:{api.port}",
                FRONTEND_DIST=str(tmp_path / "none"))
    try:
        wait_http(api.base + "/health")
        wait_http(web.base + "/")
        status, body, headers = http_get(web.base + "/api/health/live")
        assert status == 200 and json.loads(body)["ok"] is True and headers["x-request-id"]
        status, body, headers = http_get(web.base + "/api/nowhere")
        assert status == 404 and json.loads(body)["code"] == "ROUTE_NOT_FOUND"
        api.stop()
        status, body, _ = http_get(web.base + "/api/health")
        assert status == 502 and json.loads(body)["code"] == "UPSTREAM_UNAVAILABLE"
    finally:
        api.stop()
        web.stop()

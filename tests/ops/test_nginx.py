"""ops/nginx/pos-grocery.conf in a real nginx, in front of real `pos-grocery serve` and `pos-grocery web`."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.procs import ROOT, Proc, free_port, start, wait_http

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("nginx") is None and os.geteuid() != 0,
    reason="nginx is not installed (Debian package nginx; `make test` installs it when root)")]
SITE = ROOT / "ops" / "nginx" / "pos-grocery.conf"
ASSET = "app-3f9a1c2e.js"


@dataclass
class Stack:
    """nginx on a loopback port with the API and SPA processes behind it."""

    base: str
    prefix: Path


def _wrapper(prefix: Path, site: Path) -> Path:
    """A minimal nginx.conf around the shipped site file (pid, logs and temp files under prefix)."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  access_log {prefix}/access.log;\n"
        + "".join(f"  {k}_temp_path {prefix}/tmp/{v};\n" for k, v in (
            ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"),
            ("scgi", "scgi")))
        + "  include /etc/nginx/mime.types;\n"
        f"  include {site};\n}}\n")
    return conf


def _site(prefix: Path, port: int, api: int, web: int) -> Path:
    """The shipped site with loopback ports in place of 80/8250/8080 (nothing else changes)."""
    text = SITE.read_text()
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace("127.0.0.1:8250", f"127.0.0.1:{api}").replace("127.0.0.1:8080", f"127.0.0.1:{web}")
    site = prefix / "pos-grocery.conf"
    site.write_text(text)
    return site


def _dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>POS</title><script src='/assets/" + ASSET + "'></script>")
    (dist / "assets" / ASSET).write_text("console.log('lane');" * 200)
    return dist


def _wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on {port}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("nginx")
    procs: list[Proc] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        procs.append(start("serve", tmp))
        procs.append(start("web", tmp, port_var="WEB_PORT", FRONTEND_DIST=str(_dist(tmp))))
        wait_http(procs[0].base + "/health")
        wait_http(procs[1].base + "/")
        port = free_port()
        conf = _wrapper(tmp, _site(tmp, port, procs[0].port, procs[1].port))
        checked = subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True,
                                 check=False)
        assert checked.returncode == 0, checked.stderr
        assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"])
        _wait_port(port)
        yield Stack(base=f"http://127.0.0.1:{port}", prefix=tmp)
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=10)
        for proc in procs:
            proc.stop()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """GET through nginx; lower-cased headers, repeated ones joined with ', '."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            status, body, msg = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, body, msg = e.code, e.read(), e.headers
    joined: dict[str, str] = {}
    for key, value in msg.items():
        joined[key.lower()] = f"{joined[key.lower()]}, {value}" if key.lower() in joined else value
    return status, body, joined


def test_api_and_health_are_proxied_with_one_set_of_security_headers(stack: Stack) -> None:
    status, body, headers = get(stack.base + "/health")
    assert status == 200 and b'"ok"' in body
    status, body, headers = get(stack.base + "/api/health/live", {"X-Request-ID": "lane-7-abc"})
    assert status == 200 and headers["x-request-id"] == "lane-7-abc"
    for name, value in (("x-frame-options", "SAMEORIGIN"), ("x-content-type-options", "nosniff"),
                        ("x-xss-protection", "1; mode=block"),
                        ("referrer-policy", "strict-origin-when-cross-origin")):
        assert headers[name] == value  # exactly once: the upstream copy is hidden
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert "server" not in headers or "nginx/" not in headers["server"]


def test_spa_cache_headers_and_fallback(stack: Stack) -> None:
    status, body, headers = get(stack.base + "/")
    assert status == 200 and b"<title>POS</title>" in body and headers["cache-control"] == "no-cache"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    status, body, headers = get(stack.base + "/assets/" + ASSET, {"Accept-Encoding": "gzip"})
    assert status == 200 and "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    assert headers.get("content-encoding") == "gzip" and gzip.decompress(body).startswith(b"console.log")
    assert headers["x-content-type-options"] == "nosniff"
    status, body, headers = get(stack.base + "/lane/checkout")
    assert status == 200 and b"<title>POS</title>" in body and headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/.env", "/.git/config", "/api/.secret", "/data/pos.db", "/logs/backup.log",
                                  "/backups/pos_20250101_020000.db.gz", "/metrics"])
def test_dotfiles_data_and_metrics_are_denied(stack: Stack, path: str) -> None:
    status, _body, headers = get(stack.base + path)
    assert status == 403 and headers["x-frame-options"] == "SAMEORIGIN"


def test_rate_limits_answer_429(stack: Stack) -> None:
    time.sleep(1.0)  # let earlier tests' tokens refill
    api = [get(stack.base + "/api/health/live")[0] for _ in range(40)]
    assert api.count(200) >= 20 and api.count(429) >= 10, api
    time.sleep(0.5)
    static = [get(stack.base + "/")[0] for _ in range(140)]
    assert static.count(429) >= 10, static
    log = (stack.prefix / "error.log").read_text()
    assert "limiting requests" in log

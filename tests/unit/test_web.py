"""The static SPA server: fallback, cache headers, security headers, denied paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_grocery.web import StaticSite


@pytest.fixture
def site(tmp_path: Path) -> StaticSite:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>lane</html>")
    (tmp_path / "assets" / "app-abc123.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / ".env").write_text("SECRET=1")
    return StaticSite(tmp_path)


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in raw}


def test_index_is_not_cached(site: StaticSite) -> None:
    status, headers, body = site.respond("GET", "/")
    assert status == 200 and b"lane" in body and _headers(headers)["cache-control"] == "no-cache"


def test_hashed_assets_are_immutable(site: StaticSite) -> None:
    status, headers, _ = site.respond("GET", "/assets/app-abc123.js")
    h = _headers(headers)
    assert status == 200 and "immutable" in h["cache-control"] and "max-age=31536000" in h["cache-control"]
    assert h["content-type"].startswith("text/javascript")


def test_spa_fallback_and_missing_assets(site: StaticSite) -> None:
    status, headers, body = site.respond("GET", "/lane/checkout")
    assert status == 200 and b"lane" in body and _headers(headers)["cache-control"] == "no-cache"
    assert site.respond("GET", "/assets/missing.js")[0] == 404


def test_security_headers_everywhere(site: StaticSite) -> None:
    for path in ("/", "/assets/app-abc123.js", "/nope"):
        h = _headers(site.respond("GET", path)[1])
        assert h["x-frame-options"] == "SAMEORIGIN" and h["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in h["content-security-policy"]
        assert h["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/.env", "/data/pos.db", "/logs/x.log", "/../etc/passwd", "/assets/../.env"])
def test_denied_paths(site: StaticSite, path: str) -> None:
    status, _, body = site.respond("GET", path)
    assert status == 404 and b"SECRET" not in body


def test_only_get_and_head(site: StaticSite) -> None:
    assert site.respond("POST", "/")[0] == 405


def test_unbuilt_frontend_gets_a_page(tmp_path: Path) -> None:
    status, _, body = StaticSite(tmp_path / "none").respond("GET", "/")
    assert status == 200 and b"make build" in body

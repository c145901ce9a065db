"""Idempotency body hashes: canonical, scoped, and never carrying a manager PIN."""

from __future__ import annotations

import hashlib

import msgspec

from pos_grocery.idempotency import body_hash
from pos_grocery.sales.models import VoidIn


def test_hash_ignores_the_manager_pin_of_a_struct() -> None:
    with_pin = VoidIn(reason="customer changed mind", manager_pin="482913")
    other_pin = VoidIn(reason="customer changed mind", manager_pin="111111")
    no_pin = VoidIn(reason="customer changed mind")
    assert body_hash("sales.void", with_pin) == body_hash("sales.void", other_pin) == body_hash("sales.void", no_pin)
    assert with_pin.manager_pin == "482913"  # the caller's value is untouched


def test_a_pin_cannot_be_recovered_from_the_stored_hash() -> None:
    body = {"orderId": "R-1", "managerPin": "482913", "refundReason": "damaged"}
    stored = body_hash("refunds.create", body)
    for guess in ("482913", "000000", "123456"):
        candidate = {**body, "managerPin": guess}
        plain = hashlib.sha256(b"refunds.create\0" + msgspec.json.encode(candidate, order="sorted")).hexdigest()
        assert plain != stored


def test_hash_depends_on_scope_and_content_not_key_order() -> None:
    assert body_hash("a", {"x": 1, "y": 2}) == body_hash("a", {"y": 2, "x": 1})
    assert body_hash("a", {"x": 1}) != body_hash("b", {"x": 1})
    assert body_hash("a", VoidIn(reason="one")) != body_hash("a", VoidIn(reason="two"))

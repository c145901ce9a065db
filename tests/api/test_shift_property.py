"""Property: whatever sequence of sales, refunds and cash movements a shift sees, its X and Z reconcile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.checkout_helpers import Shop, card, cash, line, open_shop
from tests.shift_helpers import compare, ok, post, rebuild

TZ = ZoneInfo("Asia/Colombo")
KINDS = ("cash_in", "cash_out", "drop", "pickup", "petty")
op = st.one_of(
    st.tuples(st.just("cash_sale"), st.sampled_from([3, 4, 8]), st.integers(1, 3), st.integers(0, 50_000)),
    st.tuples(st.just("card_sale"), st.sampled_from([3, 4, 8]), st.integers(1, 3), st.just(0)),
    st.tuples(st.just("split_sale"), st.sampled_from([3, 4, 8]), st.integers(2, 3), st.integers(1, 9_999)),
    st.tuples(st.just("move"), st.sampled_from(KINDS), st.integers(1, 100_000), st.just(0)),
    st.tuples(st.just("refund"), st.just(0), st.just(0), st.just(0)),
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    with open_shop(Path(tmp_path_factory.mktemp("shift-prop"))) as s:
        yield s


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(opening=st.integers(0, 1_000_000), ops=st.lists(op, max_size=12))
def test_any_sequence_reconciles(shop: Shop, opening: int, ops: list[tuple[str, Any, int, int]]) -> None:
    headers = shop.sign_in(shop.manager, "LANE-3")
    sid = ok(post(shop, "/api/shifts", {"openingFloat": opening}, headers))["id"]
    drawer = opening
    cash_sales: list[int] = []
    for kind, what, qty, extra in ops:
        if kind == "move":
            ok(post(shop, f"/api/shifts/{sid}/movements", {"kind": what, "amount": qty, "reason": "prop"}, headers,
                    key=True))
            drawer += qty if what == "cash_in" else -qty
        elif kind == "refund":
            if not cash_sales:
                continue
            body = {"saleId": cash_sales.pop(), "refundMethod": "cash",
                    "lines": [{"lineNo": 1, "quantity": 1, "reason": "other"}]}
            drawer -= ok(post(shop, "/api/returns", body, headers, key=True))["totalAmount"]
        else:
            quote = ok(post(shop, "/api/sales/quote", {"lines": [line(what, qty)]}, headers), 200)
            due = quote["totals"]["amountDue"]
            if kind == "card_sale":
                tenders = [card(due)]
            elif kind == "split_sale":
                tenders = [card(extra), cash(due - extra + 700)]
            else:
                tenders = [cash(due + extra)]
            sale = shop.ok_sale({"lines": [line(what, qty)], "tenders": tenders}, headers=headers)
            if kind != "card_sale":
                drawer += due - (extra if kind == "split_sale" else 0)
                cash_sales.append(sale["id"])
    x = ok(shop.client.get(f"/api/shifts/{sid}/x", headers=headers), 200)
    assert x["cash"]["expected"] == drawer
    compare(x, rebuild(shop.rt.db.reader, sid, TZ))
    z = ok(post(shop, f"/api/shifts/{sid}/close", {"declaredCash": max(drawer, 0)}, headers))["report"]
    assert z["cash"]["expected"] == drawer and z["cash"]["variance"] == max(drawer, 0) - drawer
    compare(z, rebuild(shop.rt.db.reader, sid, TZ))

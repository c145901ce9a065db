"""Checkout rules without HTTP: exact quantities, tender settlement, idempotency keys, group commit, receipts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import apsw
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_grocery import idempotency
from pos_grocery.db.connection import Database, fetch_value
from pos_grocery.db.migrate import migrate
from pos_grocery.errors import Conflict, ValidationFailed
from pos_grocery.money import Rounding, parse_thousandths
from pos_grocery.returns.runbook import reason_code
from pos_grocery.sales.commit import receipt_number
from pos_grocery.sales.committer import GroupCommitter
from pos_grocery.sales.models import TenderIn
from pos_grocery.sales.tenders import settle
from pos_grocery.sales.values import MAX_QTY, major_to_minor, thousandths


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_quantities_match_the_exact_parser(value: Decimal) -> None:
    try:
        expected: int | None = parse_thousandths(value)
    except ValueError:
        expected = None
    if expected is not None and not 0 < expected <= MAX_QTY:
        expected = None
    try:
        got: int | None = thousandths(value, "q")
    except ValidationFailed as exc:
        assert exc.code == "INVALID_QUANTITY"
        got = None
    assert got == expected


def test_long_decimals_are_refused_not_rounded() -> None:
    for text in ("1.0000000000000000000000000000001", "0.0001", "1e-400", "1E+30", "NaN", "-1", "0"):
        with pytest.raises(ValidationFailed):
            thousandths(Decimal(text), "q")
    assert thousandths(Decimal("0.755"), "q") == 755
    assert major_to_minor(Decimal("10.00"), "p") == 1000
    with pytest.raises(ValidationFailed):
        major_to_minor(Decimal("10.001"), "p")


def cash(amount: int, tendered: int | None = None) -> TenderIn:
    return TenderIn(method="cash", amount=amount, tendered=tendered)


def card(amount: int) -> TenderIn:
    return TenderIn(method="card", amount=amount, reference="A1")


def test_settlement_split_change_and_rounding() -> None:
    done = settle([card(5000), cash(6000)], 10_003, 5, Rounding.HALF_UP, False)
    # cash part 50.03 rounds to 50.05: the rounding line is +0.02 and only the cash part moves
    assert (done.cash_rounding, done.amount_due, done.change) == (2, 10_005, 995)
    assert [t.amount for t in done.tenders] == [5000, 5005] and done.tenders[1].tendered == 6000
    assert settle([card(10_003)], 10_003, 5, Rounding.HALF_UP, False).cash_rounding == 0
    two_cash = settle([cash(3000), cash(5000, tendered=8000)], 7_500, 0, Rounding.HALF_UP, False)
    assert [(t.amount, t.change) for t in two_cash.tenders] == [(3000, 0), (4500, 3500)]
    assert sum(t.amount for t in two_cash.tenders) == two_cash.amount_due


@pytest.mark.parametrize(
    ("tenders", "code"),
    [
        ([card(11_000)], "TENDER_EXCEEDS_TOTAL"),
        ([card(5000)], "TENDERS_SHORT"),
        ([TenderIn(method="wallet", amount=10_000)], "TENDER_REFERENCE_REQUIRED"),
        ([TenderIn(method="customer_account", amount=10_000)], "CUSTOMER_REQUIRED"),
        ([TenderIn(method="card", amount=10_000, reference="x", tendered=12_000)], "INVALID_TENDER"),
    ],
)
def test_settlement_refusals(tenders: list[TenderIn], code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        settle(tenders, 10_000, 0, Rounding.HALF_UP, False)
    assert caught.value.code == code


def test_receipt_number_format_and_reason_codes() -> None:
    assert receipt_number("MAIN", "lane-1", "2026-03-14", 42) == "MAIN-LANE-1-20260314-0042"
    assert receipt_number("MAIN", "L2", "2026-03-14", 12_345) == "MAIN-L2-20260314-12345"
    assert reason_code("Wrong item") == "wrong_item" and reason_code("Test refund") == "other"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(str(tmp_path / "pos.db"))
    database.open()
    migrate(database.writer)
    return database


def test_idempotency_keys(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="UUID"):
        idempotency.parse_key("nope")
    assert idempotency.parse_key(None, required=False) is None
    key = idempotency.parse_key(" 0F2C3A8E-1D4B-4C5E-9F60-718293A4B5C6 ")
    assert key == "0f2c3a8e-1d4b-4c5e-9f60-718293a4b5c6"
    digest = idempotency.body_hash("t", {"b": 1, "a": [1, 2]})
    assert digest == idempotency.body_hash("t", {"a": [1, 2], "b": 1}) != idempotency.body_hash("u", {"a": [1, 2]})
    with pytest.raises(RuntimeError):
        idempotency.save(db.writer, idempotency.Saved("t", key, digest, 201, b"{}"), 0.0, 24)
    with db.write() as conn:
        idempotency.save(conn, idempotency.Saved("t", key, digest, 201, b'{"id":1}'), 1000.0, 24)
    found = idempotency.find(db.reader, "t", key, digest)
    assert found is not None and (found.status, found.body) == (201, b'{"id":1}')
    with pytest.raises(Conflict) as caught:
        idempotency.find(db.reader, "t", key, "other")
    assert caught.value.code == "IDEMPOTENCY_KEY_REUSED"
    with db.write() as conn:  # 25 h later the first key has expired and is purged by the next save
        idempotency.save(conn, idempotency.Saved("t", "k2", digest, 201, b"{}"), 1000.0 + 25 * 3600, 24)
    assert idempotency.find(db.reader, "t", key, digest) is None


def test_group_commit_isolates_failures(db: Database) -> None:
    committer = GroupCommitter(db)
    db.writer.execute("CREATE TABLE t (x INTEGER NOT NULL CHECK (x > 0)) STRICT")

    def insert(value: int) -> Callable[[apsw.Connection], int]:
        def work(conn: apsw.Connection) -> int:
            conn.execute("INSERT INTO t VALUES (?)", (value,))
            if value == 3:
                raise Conflict("three is refused", "THREE")
            return value

        return work

    async def run() -> list[object]:
        return await asyncio.gather(*(committer.submit(insert(v)) for v in (1, 2, 3, -4, 5)), return_exceptions=True)

    results = asyncio.run(run())
    assert results[:3] == [1, 2, results[2]] and isinstance(results[2], Conflict)
    assert isinstance(results[3], apsw.ConstraintError) and results[4] == 5
    assert [r[0] for r in db.reader.execute("SELECT x FROM t ORDER BY x")] == [1, 2, 5]
    assert committer.batches == 1 and committer.writes == 5
    assert fetch_value(db.reader, "SELECT count(*) FROM t") == 3

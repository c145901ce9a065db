"""Lock-out timing with an injected clock: N failures lock for M minutes, then counting starts again."""

from __future__ import annotations

from pos_grocery.auth import throttle
from pos_grocery.auth.throttle import Policy
from pos_grocery.runtime import Runtime

T0 = 1_750_000_000.0
POLICY = Policy(attempts=5, lock_seconds=15 * 60.0)


def fail(rt: Runtime, subject: str, at: float) -> float | None:
    with rt.db.write() as conn:
        return throttle.register_failure(conn, subject, at, POLICY)


def test_fifth_failure_locks_for_fifteen_minutes(runtime: Runtime) -> None:
    subject = throttle.user_subject(7)
    for i in range(4):
        assert fail(runtime, subject, T0 + i) is None
        assert throttle.locked_until(runtime.db.reader, subject, T0 + i) is None
    assert fail(runtime, subject, T0 + 4) == T0 + 4 + 900
    assert throttle.locked_until(runtime.db.reader, subject, T0 + 5) == T0 + 904
    assert throttle.locked_until(runtime.db.reader, subject, T0 + 903.9) == T0 + 904
    assert throttle.locked_until(runtime.db.reader, subject, T0 + 904) is None


def test_failures_while_locked_do_not_extend_the_lock(runtime: Runtime) -> None:
    subject = throttle.terminal_subject(1)
    for i in range(5):
        fail(runtime, subject, T0 + i)
    assert fail(runtime, subject, T0 + 600) is None
    assert throttle.locked_until(runtime.db.reader, subject, T0 + 600) == T0 + 904


def test_after_the_lock_counting_starts_again(runtime: Runtime) -> None:
    subject = throttle.username_subject("Nobody")
    for i in range(5):
        fail(runtime, subject, T0 + i)
    after = T0 + 904
    for i in range(4):
        assert fail(runtime, subject, after + i) is None
    assert fail(runtime, subject, after + 4) == after + 4 + 900


def test_failures_further_apart_than_the_window_do_not_add_up(runtime: Runtime) -> None:
    subject = throttle.user_subject(8)
    for i in range(10):
        assert fail(runtime, subject, T0 + i * 901) is None
    assert throttle.locked_until(runtime.db.reader, subject, T0 + 9 * 901) is None


def test_clear_forgets_failures_and_subjects_are_separate(runtime: Runtime) -> None:
    a, b = throttle.user_subject(1), throttle.user_subject(2)
    for i in range(4):
        fail(runtime, a, T0 + i)
    fail(runtime, b, T0)
    with runtime.db.write() as conn:
        assert throttle.clear(conn, a)
        assert not throttle.clear(conn, throttle.user_subject(3))
    assert fail(runtime, a, T0 + 5) is None
    for i in range(3):
        assert fail(runtime, b, T0 + 1 + i) is None
    assert fail(runtime, b, T0 + 4) is not None


def test_prune_drops_only_finished_counters(runtime: Runtime) -> None:
    for i in range(5):
        fail(runtime, "user:1", T0 + i)
    fail(runtime, "username:ghost", T0)
    with runtime.db.write() as conn:
        throttle.prune(conn, T0 + 901, POLICY)
    assert throttle.locked_until(runtime.db.reader, "user:1", T0 + 901) == T0 + 904
    rows = [r[0] for r in runtime.db.reader.execute("SELECT subject FROM auth_throttle")]
    assert rows == ["user:1"]

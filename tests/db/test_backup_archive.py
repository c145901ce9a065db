"""Continuous WAL archiving on real files: replay equals the source, point in time, damage, gaps."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import apsw
import pytest

from pos_grocery.backup import archive, replay
from pos_grocery.backup.archive import WalArchiver
from pos_grocery.backup.models import BackupError
from pos_grocery.db.connection import Database, fetch_all
from pos_grocery.db.migrate import migrate
from pos_grocery.settings import Settings
from tests.db.backup_support import check_sales, create_schema, settings_for, write_sale


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Settings, Database]]:
    settings = settings_for(tmp_path, ARCHIVE_DIR=str(tmp_path / "archive"), ARCHIVE_INTERVAL_SECONDS="1")
    db = Database(settings.db_path)
    db.open()
    migrate(db.writer)
    create_schema(db)
    yield settings, db
    db.close()


def _dump(conn: apsw.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables = [r[0] for r in fetch_all(conn, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    return {t: sorted(fetch_all(conn, f'SELECT * FROM "{t}"'), key=repr) for t in tables}


class Seller:
    """A thread committing sales through Database.write(), recording when each began and was acknowledged."""

    def __init__(self, settings: Settings, churn: bool = False) -> None:
        self.settings, self.churn = settings, churn
        self.began: dict[int, float] = {}
        self.acked: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.db = Database(self.settings.db_path)

    def _run(self) -> None:
        db = self.db
        db.open()
        n = 1
        while not self.stop.is_set():
            self.began[n] = time.time()
            with db.write() as conn:
                write_sale(conn, n, self.began[n], note_bytes=300)
            self.acked[n] = time.time()
            if self.churn and n % 400 == 0:  # deletes and a VACUUM shrink the file: replay must follow
                with db.write() as conn:
                    conn.execute("DELETE FROM t_sale_lines WHERE sale_id IN (SELECT id FROM t_sales WHERE id % 9 = 0)")
                    conn.execute("DELETE FROM t_stock_moves WHERE sale_id IN (SELECT id FROM t_sales WHERE id % 9 = 0)")
                    conn.execute("DELETE FROM t_tenders WHERE sale_id IN (SELECT id FROM t_sales WHERE id % 9 = 0)")
                    conn.execute("DELETE FROM t_sales WHERE id % 9 = 0")
                db.writer.execute("VACUUM")
            n += 1
            time.sleep(0.0005)


def _run(settings: Settings, seconds: float, churn: bool = False) -> Seller:
    archiver = WalArchiver(settings)
    runner = threading.Thread(target=archiver.run)
    runner.start()
    seller = Seller(settings, churn)
    seller.thread.start()
    time.sleep(seconds)
    seller.stop.set()
    seller.thread.join()
    archiver.stop_event.set()
    runner.join()
    seller.db.close()  # after the archiver: its pins would make the closing TRUNCATE checkpoint wait
    assert archiver.last_error is None
    return seller


def test_replay_equals_the_source_through_restarts_and_vacuum(live: tuple[Settings, Database], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    settings, db = live
    monkeypatch.setattr(archive, "CHECKPOINT_FRAMES", 200)  # restart the log often
    _run(settings, 3.5, churn=True)
    copy = replay.rebuild(settings.archive_dir, None, str(tmp_path))
    rebuilt = apsw.Connection(copy.path)
    assert _dump(rebuilt) == _dump(db.reader)
    assert check_sales(rebuilt)
    salts = {seg.split("/")[-1] for seg in map(str, Path(settings.archive_dir).rglob("*.seg.gz"))}
    assert len(salts) > 3


def test_point_in_time_includes_what_was_archived_and_nothing_later(live: tuple[Settings, Database],
                                                                    tmp_path: Path) -> None:
    settings, _db = live
    seller = _run(settings, 4.0)
    target = min(seller.began.values()) + 3.0
    copy = replay.rebuild(settings.archive_dir, target, str(tmp_path))
    present = check_sales(apsw.Connection(copy.path))
    surely = {n for n, t in seller.acked.items() if t <= target - 2 * settings.archive_interval_seconds}
    possible = {n for n, t in seller.began.items() if t <= target}
    assert surely and surely <= present <= possible
    assert copy.taken_at <= target


def test_damaged_segment_says_how_far_the_archive_reaches(live: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, db = live
    archiver = WalArchiver(settings)
    archiver.open()
    archiver.new_stream()
    for n in range(1, 31):
        with db.write() as conn:
            write_sale(conn, n, time.time())
        if n % 10 == 0:
            archiver.cycle()
            time.sleep(0.01)
    archiver.close()
    segments = sorted(Path(settings.archive_dir).rglob("*.seg.gz"))
    assert len(segments) == 3
    segments[1].write_bytes(segments[1].read_bytes()[:-30])
    with pytest.raises(BackupError, match="--to-time '([^']+)'") as caught:
        replay.rebuild(settings.archive_dir, None, str(tmp_path))
    reached = caught.value.args[0].split("--to-time '")[1].split("'")[0]
    from pos_grocery.backup.restore import parse_time

    moment = parse_time(reached)
    assert moment is not None
    copy = replay.rebuild(settings.archive_dir, moment, str(tmp_path))
    assert check_sales(apsw.Connection(copy.path)) == set(range(1, 11))


def test_an_unseen_log_restart_starts_a_new_stream(live: tuple[Settings, Database], tmp_path: Path) -> None:
    settings, db = live
    archiver = WalArchiver(settings)
    archiver.open()
    archiver.new_stream()
    first = archiver.stream_dir
    with db.write() as conn:
        write_sale(conn, 1, time.time())
    archiver.cycle()
    archiver._unpin_all()  # simulate a crash of the pins: the log may now restart behind our back
    for n in (2, 3):
        with db.write() as conn:
            write_sale(conn, n, time.time())
        db.writer.execute("PRAGMA wal_checkpoint(RESTART)")
    with db.write() as conn:
        write_sale(conn, 4, time.time())
    archiver._guarded_cycle()
    assert archiver.stream_dir != first
    with db.write() as conn:
        write_sale(conn, 5, time.time())
    archiver.close()
    copy = replay.rebuild(settings.archive_dir, None, str(tmp_path))
    assert check_sales(apsw.Connection(copy.path)) == {1, 2, 3, 4, 5}
    assert len(replay.coverage(settings.archive_dir)) == 2


def test_a_second_archiver_on_the_same_directory_is_refused(live: tuple[Settings, Database]) -> None:
    settings, _db = live
    first = WalArchiver(settings)
    first.open()
    try:
        with pytest.raises(BackupError, match="another archiver"):
            WalArchiver(settings).open()
    finally:
        first.close()


def test_a_failed_archive_write_loses_nothing(live: tuple[Settings, Database], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings, db = live
    archiver = WalArchiver(settings)
    archiver.open()
    archiver.new_stream()
    real = archive.write_segment
    failures = {"left": 2}

    def flaky(*args: object) -> None:  # fault injection at the file-system boundary: a full archive disk
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(28, "No space left on device")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(archive, "write_segment", flaky)
    for n in range(1, 31):
        with db.write() as conn:
            write_sale(conn, n, time.time(), note_bytes=2000)  # enough to pass CHECKPOINT_FRAMES
        if n % 10 == 0:
            archiver._guarded_cycle()
    assert archiver.last_error is None and failures["left"] == 0
    archiver.close()
    copy = replay.rebuild(settings.archive_dir, None, str(tmp_path))
    assert check_sales(apsw.Connection(copy.path)) == set(range(1, 31))
    assert _dump(apsw.Connection(copy.path)) == _dump(db.reader)

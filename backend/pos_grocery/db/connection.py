"""APSW connections: WAL, foreign keys, busy timeout; one writer with BEGIN IMMEDIATE.

Why these pragmas (see docs/DATABASE.md):
- WAL lets readers run while the single writer commits, and survives application crashes.
- synchronous=FULL by default: in WAL mode it fsyncs the log on every commit, so a sale acknowledged to
  the lane survives a power cut. NORMAL is faster but may lose the last commits on power loss.
- busy_timeout covers short lock waits from the CLI (backup, import) while the API writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import apsw

T = TypeVar("T")
READER_CACHE_KIB = 65536
Row = tuple[Any, ...]
Params = Sequence[Any] | dict[str, Any]


def connect(path: str, synchronous: str = "FULL", busy_timeout_ms: int = 5000) -> apsw.Connection:
    """Open one connection with the project's pragmas."""
    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    conn = apsw.Connection(str(Path(path).expanduser()))
    conn.set_busy_timeout(busy_timeout_ms)
    _set_wal(conn, busy_timeout_ms)
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def _set_wal(conn: apsw.Connection, busy_timeout_ms: int) -> None:
    """Switch to WAL. On a new file two processes (granian workers) may race here, and SQLite answers BUSY
    for a journal-mode change without calling the busy handler: retry for up to the busy timeout."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except apsw.BusyError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def fetch_one(conn: apsw.Connection, sql: str, params: Params = ()) -> Row | None:
    """First row of a query or None."""
    for row in conn.execute(sql, params):
        return tuple(row)
    return None


def fetch_all(conn: apsw.Connection, sql: str, params: Params = ()) -> list[Row]:
    """All rows of a query as tuples."""
    return [tuple(row) for row in conn.execute(sql, params)]


def fetch_value(conn: apsw.Connection, sql: str, params: Params = ()) -> Any:
    """First column of the first row, or None."""
    row = fetch_one(conn, sql, params)
    return None if row is None else row[0]


def like_escape(text: str) -> str:
    """`text` for a LIKE pattern written with ESCAPE '\\': its %, _ and backslash taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@contextlib.contextmanager
def transaction(conn: apsw.Connection) -> Iterator[apsw.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolling back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Database:
    """The process's database: one writer connection, one inline reader, a small thread pool for long reads.

    Short work (a primary-key lookup, a sale commit) runs inline on the event loop: a thread hop costs more
    than the query. Long reads (reports, exports) go to `run_in_thread`, with a connection per thread.
    """

    def __init__(self, path: str, synchronous: str = "FULL", busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self.synchronous = synchronous
        self.busy_timeout_ms = busy_timeout_ms
        self._writer: apsw.Connection | None = None
        self._reader: apsw.Connection | None = None
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None
        self._thread_conns: list[apsw.Connection] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        """Open the writer and the inline reader."""
        self._writer = self._connect()
        self._reader = self._connect()
        # The inline reader serves every lane's scan: at a million products a lookup touches ~10 B-tree pages,
        # and with SQLite's default 2 MiB cache most are re-read from the OS each time. 64 MiB keeps the
        # interior pages hot (measured: scan lookups/s +25-40 %, docs/PERFORMANCE.md "Catalog").
        self._reader.execute(f"PRAGMA cache_size=-{READER_CACHE_KIB}")

    def _connect(self) -> apsw.Connection:
        return connect(self.path, self.synchronous, self.busy_timeout_ms)

    @property
    def writer(self) -> apsw.Connection:
        """The single writer connection."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @property
    def reader(self) -> apsw.Connection:
        """The inline reader connection (event-loop thread only)."""
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader

    def write(self) -> contextlib.AbstractContextManager[apsw.Connection]:
        """A BEGIN IMMEDIATE transaction on the writer."""
        return transaction(self.writer)

    def _thread_conn(self) -> apsw.Connection:
        conn: apsw.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._thread_conns.append(conn)
        return conn

    async def run_in_thread(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Run a long read on a worker thread with that thread's own connection."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="db-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(self._thread_conn()))

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close every connection."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for conn in self._thread_conns:
            conn.close()
        self._thread_conns.clear()
        if self._writer is not None:
            with contextlib.suppress(apsw.Error):
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._writer.close()
            self._writer = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

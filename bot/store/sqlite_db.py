"""One SQLite file opened the way every embedded store needs it: WAL, a busy timeout, errors as outages.

WAL lets readers in several processes of one machine run while one writes; ``busy_timeout`` makes a
writer wait for another process's write instead of failing at once. The file lives under
``BRIEFBOT_DATA_DIR`` (created on first use). WAL needs a local disk: not a network file system.

sqlite3 blocks, so calls run in a worker thread (``asyncio.to_thread``) with one connection per store,
guarded by a lock. Any sqlite3 error (locked past the timeout, disk full, read-only, not a database) is
``StateUnavailable`` naming the file; the first one of an outage is logged and counted.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from bot.store.state import StateUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")


def open_wal(path: Path, schema: str, synchronous: str, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode with WAL, the busy timeout and ``schema`` applied (folders created).

    Two connections opening a new file at once can get "database is locked" at once from the journal-mode
    switch (SQLite does not run the busy handler there), so the set-up is retried for up to the busy
    timeout before the error is raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA synchronous={synchronous}")
                conn.executescript(schema)
                return conn
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)
    except BaseException:
        conn.close()
        raise


class SQLiteDB:
    def __init__(
        self, path: Path, schema: str, synchronous: str = "FULL", busy_timeout: float = 5.0, report: bool = True
    ) -> None:
        self.path = Path(path)
        self._schema = schema
        self._synchronous = synchronous
        self._busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._healthy = True
        self._report = report  # False: the caller (the cache's OutageGate) logs and counts outages itself

    def _connect(self) -> sqlite3.Connection:
        return open_wal(self.path, self._schema, self._synchronous, self._busy_timeout)

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` under this store's lock; sqlite errors become StateUnavailable."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                result = work(self._conn)
            except (sqlite3.Error, OSError) as error:
                self._failed(error)
                raise StateUnavailable(f"the SQLite file {self.path} cannot be used: {error}") from error
            if not self._healthy and self._report:
                log.warning("SQLite store %s usable again", self.path)
            self._healthy = True
            return result

    async def call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self.run, work)

    def _failed(self, error: Exception) -> None:
        conn, self._conn = self._conn, None  # reopen next time (the file may have been fixed or replaced)
        if conn is not None:
            with suppress(sqlite3.Error):
                conn.close()
        if self._healthy and self._report:
            from bot.metrics import STORE_OUTAGES

            STORE_OUTAGES.labels("sqlite").inc()
            log.warning("SQLite store %s unavailable (%s: %s)", self.path, type(error).__name__, error)
            self._healthy = False

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken up front (BEGIN IMMEDIATE): read-then-write steps of two processes
    cannot interleave, and waiting for the other writer happens here, under the busy timeout."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # some errors (disk full, I/O) end the transaction already: keep their message
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

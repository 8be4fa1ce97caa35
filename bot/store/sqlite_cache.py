"""The embedded cache: briefs in a SQLite file under BRIEFBOT_DATA_DIR, shared by one machine's processes.

A cache may degrade: a failure is one warning and a miss, an unreadable entry is a miss (logged once, counted).
Bounded: past ``max_entries`` the oldest written entries go. Expiry is a wall-clock timestamp per entry.
``synchronous=NORMAL``: a crash may lose the last few entries, which are recomputed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.store.redis_client import OutageGate
from bot.store.sqlite_db import SQLiteDB
from bot.store.state import StateUnavailable
from bot.store.values import CORRUPT, dumps, loads

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires REAL, written REAL NOT NULL);
CREATE INDEX IF NOT EXISTS cache_written ON cache (written);
"""

_TRIM_EVERY = 64  # sets between size checks


class SQLiteCache:
    def __init__(
        self,
        path: Path,
        namespace: str = "briefbot",
        max_entries: int = 4096,
        retry_after: float = 30.0,
        clock: Any = time.time,
    ) -> None:
        self.db = SQLiteDB(path, _SCHEMA, synchronous="NORMAL", report=False)
        self._ns = namespace
        self._max = max_entries
        self._clock = clock
        self._sets = 0
        self.outage = OutageGate(log, "answering without the cache", retry_after,
                                 back="SQLite cache usable again", store="sqlite")  # fmt: skip

    def _key(self, key: str) -> str:
        return f"{self._ns}:{key}"

    async def _try(self, work: Any) -> Any:
        if not self.outage.open:
            return None
        try:
            result = await self.db.call(work)
        except StateUnavailable as error:
            self.outage.failed(error)
            return None
        self.outage.succeeded()
        return result

    async def get(self, key: str) -> Any | None:
        raw = await self._try(
            lambda conn: (conn.execute(
                "SELECT value FROM cache WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (self._key(key), self._clock()),
            ).fetchone() or (None,))[0]
        )  # fmt: skip
        if raw is None:
            return None
        value = loads(raw, "cache", key)
        return None if value is CORRUPT else value

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        raw = dumps(value)
        self._sets += 1
        trim = self._sets % _TRIM_EVERY == 0

        def work(conn: sqlite3.Connection) -> None:
            now = self._clock()
            conn.execute(
                "INSERT OR REPLACE INTO cache (key, value, expires, written) VALUES (?, ?, ?, ?)",
                (self._key(key), raw, now + ttl if ttl else None, now),
            )
            if trim:
                conn.execute("DELETE FROM cache WHERE expires IS NOT NULL AND expires <= ?", (now,))
                conn.execute(
                    "DELETE FROM cache WHERE key IN (SELECT key FROM cache ORDER BY written DESC LIMIT -1 OFFSET ?)",
                    (self._max,),
                )

        await self._try(work)

    async def delete(self, key: str) -> None:
        await self._try(lambda conn: conn.execute("DELETE FROM cache WHERE key = ?", (self._key(key),)))

    async def close(self) -> None:
        self.db.close()

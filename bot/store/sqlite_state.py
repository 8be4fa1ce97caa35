"""The embedded state store: a SQLite file shared by the processes of one machine (no REDIS_URL).

Same protocol and guarantees as ``RedisState``: ``set_if_absent`` is one conditional upsert (a claim is
taken by exactly one process, even two ``briefbot digest run-now`` at once), TTLs are stored as expiry
timestamps (wall clock, shared by processes) and expired rows count as absent, and read-modify-write
steps (the rate-limit counter) run in a ``BEGIN IMMEDIATE`` transaction. Writes are ``synchronous=FULL``:
a subscription acknowledged is on disk.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.store.sqlite_db import SQLiteDB, immediate
from bot.store.state import parse_map
from bot.store.values import CORRUPT, dumps, loads, report_corrupt

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires REAL);
CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL;
CREATE TABLE IF NOT EXISTS maps (
    name TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, field)
);
"""

_PURGE_EVERY = 256  # writes between sweeps of expired rows (reads already ignore them)

_UPSERT_IF_ABSENT = """
INSERT INTO kv (key, value, expires) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires
WHERE kv.expires IS NOT NULL AND kv.expires <= ?
"""


class SQLiteState:
    def __init__(self, path: Path, namespace: str = "briefbot", clock: Any = time.time) -> None:
        self.db = SQLiteDB(path, _SCHEMA, synchronous="FULL")
        self.path = self.db.path
        self._ns = namespace
        self._clock = clock
        self._writes = 0

    def _key(self, key: str) -> str:
        return f"{self._ns}:{key}"

    def _expiry(self, ttl: float | None) -> float | None:
        return self._clock() + ttl if ttl else None

    def _wrote(self, conn: sqlite3.Connection) -> None:
        self._writes += 1
        if self._writes % _PURGE_EVERY == 0:
            conn.execute("DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?", (self._clock(),))

    def _live(self, conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute(
            "SELECT value FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)", (key, self._clock())
        ).fetchone()
        return None if row is None else row[0]

    async def get_json(self, key: str) -> Any | None:
        raw = await self.db.call(lambda conn: self._live(conn, self._key(key)))
        value = None if raw is None else loads(raw, "state", self._key(key))
        return None if value is CORRUPT else value

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO kv (key, value, expires) VALUES (?, ?, ?)",
                (self._key(key), dumps(value), self._expiry(ttl)),
            )
            self._wrote(conn)

        await self.db.call(work)

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            now = self._clock()
            cursor = conn.execute(_UPSERT_IF_ABSENT, (self._key(key), dumps(value), now + ttl, now))
            self._wrote(conn)
            return cursor.rowcount == 1

        return await self.db.call(work)

    async def delete(self, key: str) -> None:
        await self.db.call(lambda conn: conn.execute("DELETE FROM kv WHERE key = ?", (self._key(key),)))

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "DELETE FROM kv WHERE key = ? AND value = ? AND (expires IS NULL OR expires > ?)",
                (self._key(key), dumps(value), self._clock()),
            )
            return cursor.rowcount == 1

        return await self.db.call(work)

    async def incr_window(self, key: str, window_seconds: float) -> int:
        def work(conn: sqlite3.Connection) -> int:
            full = self._key(key)
            with immediate(conn):
                now = self._clock()
                row = conn.execute(
                    "SELECT value, expires FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)", (full, now)
                ).fetchone()
                count, expires = 0, now + window_seconds
                if row is not None:
                    stored = loads(row[0], "counter", full)
                    if isinstance(stored, int) and not isinstance(stored, bool):
                        count, expires = stored, row[1]
                    elif stored is not CORRUPT:
                        report_corrupt("counter", full, "not an integer")
                conn.execute(
                    "INSERT OR REPLACE INTO kv (key, value, expires) VALUES (?, ?, ?)", (full, str(count + 1), expires)
                )
                self._wrote(conn)
            return count + 1

        return await self.db.call(work)

    async def map_set(self, name: str, field: str, value: Any) -> None:
        await self.db.call(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO maps (name, field, value) VALUES (?, ?, ?)",
                (self._key(name), field, dumps(value)),
            )
        )

    async def map_get_all(self, name: str) -> dict[str, Any]:
        rows = await self.db.call(
            lambda conn: conn.execute("SELECT field, value FROM maps WHERE name = ?", (self._key(name),)).fetchall()
        )
        return parse_map(name, dict(rows), self._key(name))

    async def map_delete(self, name: str, field: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute("DELETE FROM maps WHERE name = ? AND field = ?", (self._key(name), field))
            return cursor.rowcount == 1

        return await self.db.call(work)

    async def close(self) -> None:
        self.db.close()

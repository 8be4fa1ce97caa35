"""The brief cache: a protocol with in-process, SQLite (``bot.store.sqlite_cache``) and Redis backends.

Values are JSON (never pickle) so replicas running different code versions cannot execute each other's
data, and keys are namespaced so one Redis can serve several deployments. The cache may degrade: store
trouble never stops an answer (the backend warns once, behaves as a miss, and tries again after a pause),
and an unreadable entry is a miss, logged once with its key and counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict
from typing import Any, Protocol

from bot.store.redis_client import OutageGate, async_redis
from bot.store.values import CORRUPT, loads

log = logging.getLogger(__name__)


class Cache(Protocol):
    async def get(self, key: str) -> Any | None: ...

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def close(self) -> None: ...


def cache_key(kind: str, *parts: Any) -> str:
    """A stable key from any JSON-able parts: same inputs, same key, on every replica."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}:{hashlib.sha256(blob.encode()).hexdigest()[:32]}"


class MemoryCache:
    """In-process LRU with per-entry expiry; the embedded default when REDIS_URL is unset."""

    def __init__(self, max_entries: int = 2048, clock: Any = time.monotonic) -> None:
        self._data: OrderedDict[str, tuple[float | None, str]] = OrderedDict()
        self._max = max_entries
        self._clock = clock

    async def get(self, key: str) -> Any | None:
        item = self._data.get(key)
        if item is None:
            return None
        expires, raw = item
        if expires is not None and self._clock() >= expires:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        value = loads(raw, "cache", key)
        return None if value is CORRUPT else value

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        expires = self._clock() + ttl if ttl else None
        # stored as JSON text so a cached value can't be mutated by whoever read it
        self._data[key] = (expires, json.dumps(value, ensure_ascii=False))
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def close(self) -> None:
        self._data.clear()


class RedisCache:
    """Redis backend (redis.asyncio). Any Redis error is a miss plus a single warning until it recovers."""

    def __init__(
        self,
        url: str,
        namespace: str = "briefbot",
        connect_timeout: float = 0.5,
        retry_after: float = 30.0,
        client: Any = None,
    ) -> None:
        self._client = client or async_redis(url, connect_timeout)
        self._ns = namespace
        self.outage = OutageGate(
            log, "answering without the cache", retry_after, back="Redis is back: cache enabled again"
        )

    def _key(self, key: str) -> str:
        return f"{self._ns}:cache:{key}"

    async def get(self, key: str) -> Any | None:
        if not self.outage.open:
            return None
        try:
            raw = await self._client.get(self._key(key))
        except Exception as error:  # redis raises many types (ConnectionError, TimeoutError, OSError)
            self.outage.failed(error)
            return None
        self.outage.succeeded()
        if raw is None:
            return None
        value = loads(raw, "cache", key)
        if value is CORRUPT:  # a miss; the next set overwrites it
            return None
        return value

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        if not self.outage.open:
            return
        raw = json.dumps(value, ensure_ascii=False)
        try:
            if ttl:
                await self._client.set(self._key(key), raw, px=int(ttl * 1000))
            else:
                await self._client.set(self._key(key), raw)
        except Exception as error:
            self.outage.failed(error)
            return
        self.outage.succeeded()

    async def delete(self, key: str) -> None:
        if not self.outage.open:
            return
        try:
            await self._client.delete(self._key(key))
        except Exception as error:
            self.outage.failed(error)

    async def close(self) -> None:
        try:
            await self._client.aclose()
        except Exception:  # closing a dead connection must not mask the real shutdown reason
            log.debug("error closing Redis client", exc_info=True)

"""Shared state: thread contexts, idempotency keys, locks, rate-limit counters and subscriptions.

One small protocol with a memory and a Redis backend (the slack-machine storage pattern). Values are JSON.
``FallbackState`` wraps Redis so that a Redis outage degrades to this process's memory with one warning
instead of failing a user's request; guarantees that need Redis (exactly-once across replicas) say so
in their own modules.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any, Protocol

from bot.store.redis_client import OutageGate, async_redis

log = logging.getLogger(__name__)


class StateStore(Protocol):
    async def get_json(self, key: str) -> Any | None: ...

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None: ...

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        """Atomically claim ``key``; True for exactly one caller until it expires or is deleted."""
        ...

    async def delete(self, key: str) -> None: ...

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        """Release a claim only if we still hold it (a lock that expired may now be someone else's)."""
        ...

    async def incr_window(self, key: str, window_seconds: float) -> int:
        """Count an event in a fixed window starting at the first event; returns the count so far."""
        ...

    async def map_set(self, name: str, field: str, value: Any) -> None: ...

    async def map_get_all(self, name: str) -> dict[str, Any]: ...

    async def map_delete(self, name: str, field: str) -> bool: ...

    async def close(self) -> None: ...


def new_token() -> str:
    """A unique holder token for locks."""
    return uuid.uuid4().hex


class MemoryState:
    """Single-process state; the default without REDIS_URL and the fallback while Redis is down."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._values: dict[str, tuple[float | None, str]] = {}
        self._maps: dict[str, dict[str, str]] = {}
        self._clock = clock

    def _live(self, key: str) -> str | None:
        item = self._values.get(key)
        if item is None:
            return None
        expires, raw = item
        if expires is not None and self._clock() >= expires:
            del self._values[key]
            return None
        return raw

    async def get_json(self, key: str) -> Any | None:
        raw = self._live(key)
        return None if raw is None else json.loads(raw)

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._values[key] = (self._clock() + ttl if ttl else None, json.dumps(value))

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        await self.set_json(key, value, ttl)
        return True

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        raw = self._live(key)
        if raw is not None and json.loads(raw) == value:
            del self._values[key]
            return True
        return False

    async def incr_window(self, key: str, window_seconds: float) -> int:
        raw = self._live(key)
        count = (json.loads(raw) if raw else 0) + 1
        expires = self._values[key][0] if raw else self._clock() + window_seconds
        self._values[key] = (expires, json.dumps(count))
        return count

    async def map_set(self, name: str, field: str, value: Any) -> None:
        self._maps.setdefault(name, {})[field] = json.dumps(value)

    async def map_get_all(self, name: str) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._maps.get(name, {}).items()}

    async def map_delete(self, name: str, field: str) -> bool:
        return self._maps.get(name, {}).pop(field, None) is not None

    async def close(self) -> None:
        return None


_RELEASE_IF_EQUALS = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""

_INCR_WINDOW = """
local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end
return n
"""


class RedisState:
    """Redis backend: every operation is one atomic command or script, safe across replicas."""

    def __init__(
        self, url: str, namespace: str = "briefbot", connect_timeout: float = 0.5, client: Any = None
    ) -> None:
        self._client = client or async_redis(url, connect_timeout)
        self._ns = namespace

    def _key(self, key: str) -> str:
        return f"{self._ns}:state:{key}"

    async def get_json(self, key: str) -> Any | None:
        raw = await self._client.get(self._key(key))
        return None if raw is None else json.loads(raw)

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        px = int(ttl * 1000) if ttl else None
        await self._client.set(self._key(key), json.dumps(value), px=px)

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        return bool(await self._client.set(self._key(key), json.dumps(value), nx=True, px=int(ttl * 1000)))

    async def delete(self, key: str) -> None:
        await self._client.delete(self._key(key))

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        done = await self._client.eval(_RELEASE_IF_EQUALS, 1, self._key(key), json.dumps(value))
        return bool(done)

    async def incr_window(self, key: str, window_seconds: float) -> int:
        return int(await self._client.eval(_INCR_WINDOW, 1, self._key(key), int(window_seconds * 1000)))

    async def map_set(self, name: str, field: str, value: Any) -> None:
        await self._client.hset(self._key(name), field, json.dumps(value))

    async def map_get_all(self, name: str) -> dict[str, Any]:
        raw = await self._client.hgetall(self._key(name))
        return {k: json.loads(v) for k, v in raw.items()}

    async def map_delete(self, name: str, field: str) -> bool:
        return bool(await self._client.hdel(self._key(name), field))

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except Exception:
            return False

    async def close(self) -> None:
        try:
            await self._client.aclose()
        except Exception:
            log.debug("error closing Redis client", exc_info=True)


class FallbackState:
    """Redis first; on a Redis error, this process's memory, with one warning, retrying Redis later.

    Chat keeps working through an outage; what was written to memory meanwhile is local to this replica.
    """

    def __init__(self, primary: StateStore, retry_after: float = 30.0) -> None:
        self.primary = primary
        self.fallback = MemoryState()
        self.outage = OutageGate(log, "shared state kept in memory", retry_after)

    @property
    def redis_available(self) -> bool:
        return self.outage.open

    async def _call(self, name: str, *args: Any) -> Any:
        if self.outage.open:
            try:
                result = await getattr(self.primary, name)(*args)
            except Exception as error:  # connection refused, timeout, OSError...
                self.outage.failed(error)
            else:
                self.outage.succeeded()
                return result
        return await getattr(self.fallback, name)(*args)

    async def get_json(self, key: str) -> Any | None:
        return await self._call("get_json", key)

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        await self._call("set_json", key, value, ttl)

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        return await self._call("set_if_absent", key, value, ttl)

    async def delete(self, key: str) -> None:
        await self._call("delete", key)

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        return await self._call("delete_if_equals", key, value)

    async def incr_window(self, key: str, window_seconds: float) -> int:
        return await self._call("incr_window", key, window_seconds)

    async def map_set(self, name: str, field: str, value: Any) -> None:
        await self._call("map_set", name, field, value)

    async def map_get_all(self, name: str) -> dict[str, Any]:
        return await self._call("map_get_all", name)

    async def map_delete(self, name: str, field: str) -> bool:
        return await self._call("map_delete", name, field)

    async def close(self) -> None:
        await self.primary.close()

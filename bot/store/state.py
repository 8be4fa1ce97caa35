"""Shared state: thread contexts, idempotency keys, locks, rate-limit counters and subscriptions.

One small protocol, three backends (the slack-machine storage pattern; values are JSON):

* ``MemoryState``: one process (tests);
* ``SQLiteState`` (``bot.store.sqlite_state``): the embedded default without REDIS_URL, one file shared by
  the processes of one machine;
* ``RedisState``: replicas across machines.

What may degrade and what must not. Every backend raises ``StateUnavailable`` when it cannot be reached
(after one retry on a stale pooled Redis connection); a caller storing something that must not be lost
(subscriptions, sources, digest markers and locks, idempotency keys) lets it reach the person or the log.
Rate limits and thread contexts may degrade: ``DegradingState`` wraps a store for them and falls back to
this process's memory during an outage, with one warning.

A bad value is a bad value, not an outage: every read parses per record, and an unreadable one is skipped
(``get_json`` answers None, a map leaves the field out, a counter restarts at 1), logged once with its
key and counted in ``briefbot_corrupt_values_total``.
"""

from __future__ import annotations

import logging
import time
import uuid
from enum import StrEnum
from typing import Any, Protocol

from bot.store.redis_client import OutageGate, async_redis, is_outage
from bot.store.values import CORRUPT, dumps, loads, report_corrupt

log = logging.getLogger(__name__)


class StateUnavailable(Exception):
    """The state store cannot be reached or written; the message names the store. Nothing was stored."""


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


# ------------------------------------------------------------------------------------------ claim once


class Claim(StrEnum):
    FIRST = "first"  # this caller is the first: handle the event
    SEEN = "seen"  # someone handled it already: drop it
    UNKNOWN = "unknown"  # the store could not be asked


async def claim_once(state: StateStore, key: str, ttl: float) -> Claim:
    """Idempotency: claim an event id (Slack event_id, Discord interaction id) with three outcomes."""
    try:
        return Claim.FIRST if await state.set_if_absent(key, 1, ttl) else Claim.SEEN
    except StateUnavailable as error:
        log.warning("cannot check idempotency key %s: %s", key, error)
        return Claim.UNKNOWN


def should_handle(claim: Claim, is_retry: bool) -> bool:
    """The one decision: a platform's retry whose key cannot be checked is dropped rather than answered twice
    (the first delivery may well have been answered); a first delivery is answered."""
    if claim is Claim.UNKNOWN:
        return not is_retry
    return claim is Claim.FIRST


# ------------------------------------------------------------------------------------------- backends


class MemoryState:
    """Single-process state: tests, and ``DegradingState``'s fallback while the real store is down."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._values: dict[str, tuple[float | None, str]] = {}
        self._maps: dict[str, dict[str, str]] = {}
        self._clock = clock

    def put_raw(self, key: str, raw: str, field: str | None = None) -> None:
        """Store ``raw`` text as is (a value, or a map's ``field``), the way a bad write or another version
        could leave it in a shared store: so the corrupt-value handling is tested on every backend."""
        if field is None:
            self._values[key] = (None, raw)
        else:
            self._maps.setdefault(key, {})[field] = raw

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
        value = None if raw is None else loads(raw, "state", key)
        return None if value is CORRUPT else value

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._values[key] = (self._clock() + ttl if ttl else None, dumps(value))

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        await self.set_json(key, value, ttl)
        return True

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        raw = self._live(key)
        if raw is not None and raw == dumps(value):
            del self._values[key]
            return True
        return False

    async def incr_window(self, key: str, window_seconds: float) -> int:
        raw = self._live(key)
        count = loads(raw, "counter", key) if raw is not None else 0
        if not isinstance(count, int) or isinstance(count, bool):
            if count is not CORRUPT:
                report_corrupt("counter", key, f"not an integer: {raw[:40] if raw else raw}")
            raw, count = None, 0
        expires = self._values[key][0] if raw is not None else self._clock() + window_seconds
        self._values[key] = (expires, dumps(count + 1))
        return count + 1

    async def map_set(self, name: str, field: str, value: Any) -> None:
        self._maps.setdefault(name, {})[field] = dumps(value)

    async def map_get_all(self, name: str) -> dict[str, Any]:
        return parse_map(name, self._maps.get(name, {}))

    async def map_delete(self, name: str, field: str) -> bool:
        return self._maps.get(name, {}).pop(field, None) is not None

    async def close(self) -> None:
        return None


def parse_map(name: str, raw: dict[str, str], where: str | None = None) -> dict[str, Any]:
    """Per-field parsing: an unreadable field is reported (as ``where/field``, ``where`` being the stored
    key) and left out; the others are returned."""
    found: dict[str, Any] = {}
    for field, text in raw.items():
        value = loads(text, name, f"{where or name}/{field}")
        if value is not CORRUPT:
            found[field] = value
    return found


_RELEASE_IF_EQUALS = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""

# a counter that is not an integer (corrupt) restarts at 1 instead of failing every request
_INCR_WINDOW = """
local ok, n = pcall(redis.call, 'incr', KEYS[1])
if not ok then
  redis.call('set', KEYS[1], 1, 'px', ARGV[1])
  return -1
end
if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end
return n
"""


class RedisState:
    """Redis backend: every operation is one atomic command or script, safe across replicas.

    A connection error (after redis-py's one retry on a fresh connection) is ``StateUnavailable``.
    """

    def __init__(
        self, url: str, namespace: str = "briefbot", connect_timeout: float = 0.5, client: Any = None
    ) -> None:
        self.url = url
        self._client = client or async_redis(url, connect_timeout)
        self._ns = namespace
        self._healthy = True

    def _key(self, key: str) -> str:
        return f"{self._ns}:state:{key}"

    async def _do(self, command: Any) -> Any:
        """Run one Redis call; an unreachable Redis becomes StateUnavailable (counted once per outage)."""
        try:
            result = await command
        except Exception as error:
            if not is_outage(error):
                raise
            if self._healthy:
                from bot.metrics import STORE_OUTAGES

                STORE_OUTAGES.labels("redis").inc()
                log.warning("Redis state store unreachable (%s: %s)", type(error).__name__, error)
                self._healthy = False
            raise StateUnavailable(f"the state store (Redis) is unreachable: {error}") from error
        if not self._healthy:
            log.warning("Redis state store reachable again")
            self._healthy = True
        return result

    async def get_json(self, key: str) -> Any | None:
        raw = await self._do(self._client.get(self._key(key)))
        value = None if raw is None else loads(raw, "state", self._key(key))
        return None if value is CORRUPT else value

    async def set_json(self, key: str, value: Any, ttl: float | None = None) -> None:
        px = int(ttl * 1000) if ttl else None
        await self._do(self._client.set(self._key(key), dumps(value), px=px))

    async def set_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        return bool(await self._do(self._client.set(self._key(key), dumps(value), nx=True, px=int(ttl * 1000))))

    async def delete(self, key: str) -> None:
        await self._do(self._client.delete(self._key(key)))

    async def delete_if_equals(self, key: str, value: Any) -> bool:
        done = await self._do(self._client.eval(_RELEASE_IF_EQUALS, 1, self._key(key), dumps(value)))
        return bool(done)

    async def incr_window(self, key: str, window_seconds: float) -> int:
        count = int(await self._do(self._client.eval(_INCR_WINDOW, 1, self._key(key), int(window_seconds * 1000))))
        if count < 0:
            report_corrupt("counter", self._key(key), "not an integer")
            return 1
        return count

    async def map_set(self, name: str, field: str, value: Any) -> None:
        await self._do(self._client.hset(self._key(name), field, dumps(value)))

    async def map_get_all(self, name: str) -> dict[str, Any]:
        return parse_map(name, await self._do(self._client.hgetall(self._key(name))), self._key(name))

    async def map_delete(self, name: str, field: str) -> bool:
        return bool(await self._do(self._client.hdel(self._key(name), field)))

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


class DegradingState:
    """For what may degrade (rate limits, thread contexts): the store first; while it is unavailable,
    this process's memory, with one warning, trying the store again after ``retry_after`` seconds.

    Never wrap subscriptions, sources, digest markers or idempotency keys in this: there a failure must be
    seen, not papered over with memory that vanishes on restart.
    """

    def __init__(self, primary: StateStore, retry_after: float = 30.0) -> None:
        self.primary = primary
        self.fallback = MemoryState()
        self.outage = OutageGate(log, "rate limits and thread contexts kept in memory", retry_after,
                                 store="state", count=False)  # the store counts its own outages  # fmt: skip

    @property
    def redis_available(self) -> bool:
        return self.outage.open

    async def _call(self, name: str, *args: Any) -> Any:
        if self.outage.open:
            try:
                result = await getattr(self.primary, name)(*args)
            except StateUnavailable as error:
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


FallbackState = DegradingState  # the older name (bench scripts)


def strict(state: StateStore) -> StateStore:
    """The store behind a ``DegradingState`` (or the store itself): for values that must not degrade."""
    return getattr(state, "primary", state)

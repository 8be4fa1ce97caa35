"""The brief cache on both backends: hit, miss, TTL expiry, namespacing, and Redis being down."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.store.cache import MemoryCache, RedisCache, cache_key
from tests.conftest import DEAD_REDIS_URL, REDIS_URL


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_key_is_stable_and_sensitive() -> None:
    a = cache_key("brief", "china-russia", [("a", "h1")], "full")
    assert a == cache_key("brief", "china-russia", [("a", "h1")], "full")
    assert a != cache_key("brief", "china-russia", [("a", "h2")], "full")  # new article text -> new brief
    assert a != cache_key("brief", "china-russia", [("a", "h1")], "short")
    assert a.startswith("brief:")


async def test_memory_cache_hit_miss_and_ttl() -> None:
    clock = FakeClock()
    cache = MemoryCache(clock=clock)
    assert await cache.get("k") is None
    await cache.set("k", {"x": [1, 2]}, ttl=10)
    assert await cache.get("k") == {"x": [1, 2]}
    clock.now += 9.9
    assert await cache.get("k") == {"x": [1, 2]}
    clock.now += 0.2
    assert await cache.get("k") is None


async def test_memory_cache_values_are_copies_and_lru_bounded() -> None:
    cache = MemoryCache(max_entries=2)
    value = {"points": ["a"]}
    await cache.set("a", value)
    value["points"].append("mutated")
    got = await cache.get("a")
    assert got == {"points": ["a"]}
    got["points"].append("again")
    assert await cache.get("a") == {"points": ["a"]}
    await cache.set("b", 2)
    await cache.get("a")  # a is now most recent
    await cache.set("c", 3)
    assert await cache.get("b") is None
    assert await cache.get("a") is not None and await cache.get("c") == 3


async def test_redis_cache_hit_miss_ttl_and_namespace(redis_client, namespace: str) -> None:
    cache = RedisCache(REDIS_URL, namespace=namespace)
    try:
        assert await cache.get("k") is None
        await cache.set("k", {"brief": "text", "n": 3}, ttl=0.3)
        assert await cache.get("k") == {"brief": "text", "n": 3}
        raw = await redis_client.get(f"{namespace}:cache:k")
        assert raw is not None and '"brief"' in raw  # JSON on the wire, never pickle
        ttl_ms = await redis_client.pttl(f"{namespace}:cache:k")
        assert 0 < ttl_ms <= 300
        await asyncio.sleep(0.45)
        assert await cache.get("k") is None
        await cache.set("other", 1)
        await cache.delete("other")
        assert await cache.get("other") is None
    finally:
        await cache.close()


async def test_redis_down_is_a_miss_with_one_warning_and_no_hang(caplog: pytest.LogCaptureFixture) -> None:
    cache = RedisCache(DEAD_REDIS_URL, connect_timeout=0.3, retry_after=60)
    caplog.set_level(logging.WARNING, logger="bot.store.cache")
    started = time.monotonic()
    await cache.set("k", 1)
    assert await cache.get("k") is None
    assert await cache.get("k") is None
    assert time.monotonic() - started < 3  # no hang; failing fast is the point
    warnings = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(warnings) == 1
    await cache.close()


async def test_redis_cache_recovers_after_outage(namespace: str, redis_client) -> None:
    cache = RedisCache(REDIS_URL, namespace=namespace, retry_after=0.05)
    cache.outage.failed(ConnectionError("simulated outage"))  # as if the last call had failed
    assert await cache.get("k") is None  # still inside the pause: treated as down
    await asyncio.sleep(0.08)
    await cache.set("k", "back")
    assert await cache.get("k") == "back"
    await cache.close()

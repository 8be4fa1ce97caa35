"""The brief cache on both backends: hit, miss, TTL expiry, namespacing, and Redis being down."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
import redis

from bot.store.cache import MemoryCache, RedisCache, cache_key
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, counted


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


# ------------------------------------------------------------------ issue 13: SQLite, corrupt entries

from pathlib import Path  # noqa: E402

from bot.metrics import CORRUPT_VALUES  # noqa: E402
from bot.store.sqlite_cache import SQLiteCache  # noqa: E402


async def test_sqlite_cache_hit_miss_ttl_shared_by_two_instances(tmp_path: Path) -> None:
    clock = FakeClock()
    one = SQLiteCache(tmp_path / "data" / "cache.sqlite3", clock=clock)
    two = SQLiteCache(tmp_path / "data" / "cache.sqlite3", clock=clock)
    assert await one.get("k") is None
    await one.set("k", {"brief": ["a", "b"]}, ttl=10)
    assert await two.get("k") == {"brief": ["a", "b"]}  # another process on the same machine sees it
    clock.now += 10.1
    assert await two.get("k") is None
    await one.set("forever", 1)
    await two.delete("forever")
    assert await one.get("forever") is None
    await one.close()
    await two.close()


async def test_sqlite_cache_is_bounded(tmp_path: Path) -> None:
    cache = SQLiteCache(tmp_path / "c.sqlite3", max_entries=10)
    for i in range(200):
        await cache.set(f"k{i}", i)
    rows = cache.db.run(lambda c: c.execute("SELECT count(*) FROM cache").fetchone()[0])
    assert rows <= 10 + 64  # trimmed every 64 writes
    assert await cache.get("k199") == 199
    await cache.close()


async def test_sqlite_cache_unusable_is_a_miss_with_one_warning(tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = SQLiteCache(blocker / "cache.sqlite3")
    with caplog.at_level(logging.WARNING):
        await cache.set("k", 1)
        assert await cache.get("k") is None
    assert sum("unavailable" in r.getMessage() for r in caplog.records) == 1


async def test_a_corrupt_cache_entry_is_a_miss(redis_client, namespace: str, tmp_path: Path) -> None:
    redis_cache = RedisCache(REDIS_URL, namespace)
    sqlite_cache = SQLiteCache(tmp_path / "c.sqlite3", namespace=namespace)
    await redis_client.set(f"{namespace}:cache:brief:x", "{truncated")
    key = f"{namespace}:brief:x"
    sqlite_cache.db.run(lambda c: c.execute("INSERT INTO cache VALUES (?, '{trunc', NULL, 0)", (key,)))
    before = counted(CORRUPT_VALUES, "cache")
    assert await redis_cache.get("brief:x") is None
    assert await sqlite_cache.get("brief:x") is None
    assert redis_cache.outage.open  # not an outage: the next get still asks Redis
    assert counted(CORRUPT_VALUES, "cache") == before + 2
    await redis_cache.set("brief:x", {"ok": True})
    assert await redis_cache.get("brief:x") == {"ok": True}
    await redis_cache.close()
    await sqlite_cache.close()


async def test_a_brief_survives_a_corrupt_cached_copy(settings_factory, redis_client, namespace: str) -> None:
    from bot.app import Briefbot

    async with Briefbot(settings_factory(redis_url=REDIS_URL), namespace=namespace) as bot:
        first = await bot.service.brief("china-russia")
        keys = [k async for k in redis_client.scan_iter(f"{namespace}:cache:*")]
        assert keys
        for key in keys:
            await redis_client.set(key, '{"half": ')
        again = await bot.service.brief("china-russia")  # raised JSONDecodeError before
        assert again.brief.title == first.brief.title and again.article_ids == first.article_ids


def test_a_corrupt_stored_vector_is_a_miss(redis_client, namespace: str) -> None:
    from bot.store.vectors import RedisVectorStore

    store = RedisVectorStore(REDIS_URL, namespace)
    store.set_many({"a": [0.1, 0.2, 0.3], "b": [0.3, 0.2, 0.1]})
    raw = redis.Redis.from_url(REDIS_URL, decode_responses=True)  # what another writer left in Redis
    raw.set(f"{namespace}:vec:c", "{nope")
    raw.set(f"{namespace}:vec:d", '["x", "y", "z"]')
    raw.set(f"{namespace}:vec:e", "[1.0, 2.0]")  # the wrong length cannot be stacked
    before = counted(CORRUPT_VALUES, "vector")
    assert store.get_many(["a", "b", "c", "d", "e", "f"]) == {"a": [0.1, 0.2, 0.3], "b": [0.3, 0.2, 0.1]}
    assert counted(CORRUPT_VALUES, "vector") == before + 3
    assert store.outage.open
    raw.delete(*[f"{namespace}:vec:{k}" for k in "abcde"])
    raw.close()
    store.close()

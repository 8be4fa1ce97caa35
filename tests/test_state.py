"""The state store on memory and real Redis: claims, safe release, windows, maps, and the fallback."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.state import FallbackState, MemoryState, RedisState
from tests.conftest import DEAD_REDIS_URL, REDIS_URL


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest, namespace: str, redis_client):
    if request.param == "memory":
        yield MemoryState()
        return
    state = RedisState(REDIS_URL, namespace=namespace)
    yield state
    await state.close()


async def test_json_roundtrip_and_ttl(store) -> None:
    await store.set_json("ctx", {"topic": "t", "ids": ["a", "b"]}, ttl=0.2)
    assert await store.get_json("ctx") == {"topic": "t", "ids": ["a", "b"]}
    await asyncio.sleep(0.3)
    assert await store.get_json("ctx") is None


async def test_set_if_absent_claims_once_and_release_is_safe(store) -> None:
    assert await store.set_if_absent("lock", "holder-1", ttl=5)
    assert not await store.set_if_absent("lock", "holder-2", ttl=5)
    assert not await store.delete_if_equals("lock", "holder-2")  # not ours: untouched
    assert await store.get_json("lock") == "holder-1"
    assert await store.delete_if_equals("lock", "holder-1")
    assert await store.set_if_absent("lock", "holder-2", ttl=5)


async def test_claim_expires(store) -> None:
    assert await store.set_if_absent("event:E1", 1, ttl=0.2)
    await asyncio.sleep(0.3)
    assert await store.set_if_absent("event:E1", 1, ttl=0.2)


async def test_incr_window_counts_then_resets(store) -> None:
    counts = [await store.incr_window("rl:u1", 0.3) for _ in range(3)]
    assert counts == [1, 2, 3]
    await asyncio.sleep(0.4)
    assert await store.incr_window("rl:u1", 0.3) == 1


async def test_maps(store) -> None:
    await store.map_set("subs", "a", {"topic": "x"})
    await store.map_set("subs", "b", {"topic": "y"})
    assert await store.map_get_all("subs") == {"a": {"topic": "x"}, "b": {"topic": "y"}}
    assert await store.map_delete("subs", "a")
    assert not await store.map_delete("subs", "a")
    assert await store.map_get_all("subs") == {"b": {"topic": "y"}}


async def test_redis_claims_are_exclusive_under_concurrency(redis_client, namespace: str) -> None:
    """Ten replicas racing for one claim: exactly one wins."""
    stores = [RedisState(REDIS_URL, namespace=namespace) for _ in range(10)]
    results = await asyncio.gather(*(s.set_if_absent("occurrence", i, ttl=5) for i, s in enumerate(stores)))
    assert sum(results) == 1
    for s in stores:
        await s.close()


async def test_fallback_keeps_working_when_redis_is_down() -> None:
    state = FallbackState(RedisState(DEAD_REDIS_URL, connect_timeout=0.3), retry_after=60)
    await state.set_json("thread:x", {"topic": "t"})
    assert await state.get_json("thread:x") == {"topic": "t"}
    assert await state.set_if_absent("e", 1, ttl=5)
    assert not await state.set_if_absent("e", 1, ttl=5)
    assert not state.redis_available
    await state.close()


async def test_fallback_uses_redis_when_up(redis_client, namespace: str) -> None:
    state = FallbackState(RedisState(REDIS_URL, namespace=namespace))
    await state.set_json("k", [1])
    assert await redis_client.get(f"{namespace}:state:k") == "[1]"
    await state.close()

"""The state store on memory, SQLite and real Redis: claims, safe release, windows, maps, the degrading
wrapper, outages that raise, stale connections retried once, and corrupt values skipped."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from bot.metrics import CORRUPT_VALUES, STORE_OUTAGES
from bot.store.sqlite_state import SQLiteState
from bot.store.state import (
    Claim,
    DegradingState,
    FallbackState,
    MemoryState,
    RedisState,
    StateUnavailable,
    claim_once,
    should_handle,
)
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, ROOT, counted
from tests.private_redis import PrivateRedis


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def store(request: pytest.FixtureRequest, namespace: str, tmp_path: Path, redis_client):
    if request.param == "memory":
        yield MemoryState()
        return
    if request.param == "sqlite":
        state = SQLiteState(tmp_path / "data" / "state.sqlite3", namespace=namespace)
        yield state
        await state.close()
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


def metric(counter, label: str) -> float:
    return counted(counter, label)


async def test_maps_keep_json_types_and_overwrite(store) -> None:
    """What the sources helper stores: nested records, overwritten in place, other maps untouched."""
    await store.map_set("sources", "s1", {"url": "https://e.x/feed", "every": 3600, "etag": None})
    await store.map_set("sources", "s1", {"url": "https://e.x/feed", "every": 60, "etag": "W/1"})
    await store.map_set("other", "s1", [1, 2])
    assert await store.map_get_all("sources") == {"s1": {"url": "https://e.x/feed", "every": 60, "etag": "W/1"}}
    assert await store.map_get_all("nothing") == {}


async def test_sqlite_state_is_created_on_first_use_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "deeper" / "state.sqlite3"
    first = SQLiteState(path)
    await first.map_set("subscriptions", "a", {"topic": "x"})
    await first.set_json("k", {"v": 1})
    await first.close()
    second = SQLiteState(path)
    assert await second.map_get_all("subscriptions") == {"a": {"topic": "x"}}
    assert await second.get_json("k") == {"v": 1}
    mode = second.db.run(lambda conn: conn.execute("PRAGMA journal_mode").fetchone()[0])
    assert mode == "wal"
    await second.close()


_RACE = """
import asyncio, sys
from pathlib import Path
from bot.store.sqlite_state import SQLiteState

async def main():
    state = SQLiteState(Path(sys.argv[1]))
    wins = 0
    for i in range(200):
        wins += await state.set_if_absent(f"occurrence:{i}", sys.argv[2], ttl=60)
    print(wins)
    await state.close()

asyncio.run(main())
"""


def test_sqlite_claims_are_exclusive_across_processes(tmp_path: Path) -> None:
    """Three processes race for 200 claims on one file: each claim is won exactly once."""
    path = tmp_path / "state.sqlite3"
    racers = [
        subprocess.Popen([sys.executable, "-c", _RACE, str(path), f"p{n}"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for n in range(3)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in racers]
    assert all(p.returncode == 0 for p in racers), results
    assert sum(int(out) for out, _ in results) == 200, results


async def test_sqlite_expired_claim_can_be_claimed_again(tmp_path: Path) -> None:
    now = [1000.0]
    state = SQLiteState(tmp_path / "s.sqlite3", clock=lambda: now[0])
    assert await state.set_if_absent("lock", "a", ttl=10)
    now[0] += 9
    assert not await state.set_if_absent("lock", "b", ttl=10)
    now[0] += 2
    assert await state.set_if_absent("lock", "b", ttl=10)
    assert not await state.delete_if_equals("lock", "a") and await state.delete_if_equals("lock", "b")
    await state.close()


async def test_sqlite_unusable_file_raises_state_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    state = SQLiteState(blocker / "state.sqlite3")
    before = metric(STORE_OUTAGES, "sqlite")
    with pytest.raises(StateUnavailable, match="not-a-folder"):
        await state.map_set("subscriptions", "a", {"topic": "x"})
    with pytest.raises(StateUnavailable):
        await state.map_get_all("subscriptions")
    assert metric(STORE_OUTAGES, "sqlite") == before + 1  # one outage, however many calls fail
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(StateUnavailable, match="garbage"):
        await SQLiteState(garbage).get_json("k")


async def test_redis_down_raises_state_unavailable_instead_of_answering_from_memory() -> None:
    state = RedisState(DEAD_REDIS_URL, connect_timeout=0.3)
    with pytest.raises(StateUnavailable, match="unreachable"):
        await state.map_set("subscriptions", "a", {"topic": "x"})
    with pytest.raises(StateUnavailable):
        await state.map_get_all("subscriptions")
    await state.close()


async def test_a_dropped_connection_is_retried_once_not_called_an_outage(private_redis: PrivateRedis) -> None:
    """CLIENT KILL (an idle timeout, a failover) leaves a stale pooled connection: the next call still works."""
    state = RedisState(private_redis.url)
    degrading = DegradingState(state)
    await state.map_set("subscriptions", "a", {"topic": "x"})
    private_redis.drop_clients()
    await state.map_set("subscriptions", "b", {"topic": "y"})  # raised ConnectionError before the retry
    assert await state.map_get_all("subscriptions") == {"a": {"topic": "x"}, "b": {"topic": "y"}}
    private_redis.drop_clients()
    await degrading.set_json("thread:1", {"topic": "t"})
    assert degrading.redis_available  # not sent to memory for 30 s
    assert b"topic" in private_redis.command("GET", "briefbot:state:thread:1")
    await state.close()


async def test_redis_killed_then_back(private_redis: PrivateRedis) -> None:
    state = RedisState(private_redis.url, connect_timeout=0.3)
    await state.set_json("k", 1)
    private_redis.stop(kill=True)
    with pytest.raises(StateUnavailable):
        await state.set_json("k", 2)
    private_redis.start()  # restarted empty
    assert await state.get_json("k") is None
    await state.set_json("k", 3)
    assert await state.get_json("k") == 3
    await state.close()


async def test_claim_once_has_three_outcomes_and_drops_unverifiable_retries(tmp_path: Path) -> None:
    state = MemoryState()
    assert await claim_once(state, "slack:event:E1", 60) is Claim.FIRST
    assert await claim_once(state, "slack:event:E1", 60) is Claim.SEEN
    dead = RedisState(DEAD_REDIS_URL, connect_timeout=0.3)
    unknown = await claim_once(dead, "slack:event:E2", 60)
    assert unknown is Claim.UNKNOWN
    assert should_handle(Claim.FIRST, is_retry=True) and not should_handle(Claim.SEEN, is_retry=False)
    assert should_handle(unknown, is_retry=False)  # the first delivery is answered
    assert not should_handle(unknown, is_retry=True)  # a retry may already have been answered: dropped
    await dead.close()


# ---------------------------------------------------------------------------------- corrupt values


async def test_corrupt_thread_key_is_a_miss_not_an_outage(redis_client, namespace: str) -> None:
    state = DegradingState(RedisState(REDIS_URL, namespace=namespace))
    await redis_client.set(f"{namespace}:state:slack:C1:123.4", "{not json")
    await state.set_json("slack:C1:555.5", {"topic": "fine"})
    before = metric(CORRUPT_VALUES, "state")
    assert await state.get_json("slack:C1:123.4") is None
    assert state.redis_available  # still on Redis: the next read comes from Redis, not memory
    assert await state.get_json("slack:C1:555.5") == {"topic": "fine"}
    assert metric(CORRUPT_VALUES, "state") == before + 1
    await state.close()


async def test_corrupt_counter_restarts_instead_of_failing(store, redis_client, namespace: str) -> None:
    """A non-integer rate-limit counter (Redis: INCR fails) restarts at 1 on every backend."""
    if isinstance(store, RedisState):
        await redis_client.set(f"{namespace}:state:ratelimit:u1", "abc", px=60_000)
    elif isinstance(store, SQLiteState):
        store.db.run(lambda c: c.execute("INSERT INTO kv VALUES (?, 'abc', NULL)", (f"{namespace}:ratelimit:u1",)))
    else:
        store.put_raw("ratelimit:u1", "abc")
    before = metric(CORRUPT_VALUES, "counter")
    assert await store.incr_window("ratelimit:u1", 60) == 1
    assert await store.incr_window("ratelimit:u1", 60) == 2
    assert metric(CORRUPT_VALUES, "counter") == before + 1


async def test_corrupt_counter_does_not_flip_the_replica_into_memory(redis_client, namespace: str) -> None:
    state = DegradingState(RedisState(REDIS_URL, namespace=namespace))
    await redis_client.set(f"{namespace}:state:ratelimit:u1", "abc", px=60_000)
    assert await state.incr_window("ratelimit:u1", 60) == 1
    assert state.redis_available
    assert await redis_client.get(f"{namespace}:state:ratelimit:u1") == "1"
    await state.close()


async def test_one_bad_map_field_hides_only_itself(store, redis_client, namespace: str, caplog) -> None:
    await store.map_set("subscriptions", "good", {"topic": "x"})
    if isinstance(store, RedisState):
        await redis_client.hset(f"{namespace}:state:subscriptions", "bad", "{oops")
    elif isinstance(store, SQLiteState):
        name = f"{namespace}:subscriptions"
        store.db.run(lambda c: c.execute("INSERT INTO maps VALUES (?, 'bad', '{oops')", (name,)))
    else:
        store.put_raw("subscriptions", "{oops", field="bad")
    before = metric(CORRUPT_VALUES, "subscriptions")
    assert await store.map_get_all("subscriptions") == {"good": {"topic": "x"}}
    assert await store.map_get_all("subscriptions") == {"good": {"topic": "x"}}
    assert metric(CORRUPT_VALUES, "subscriptions") == before + 2  # counted each time...
    logged = [r for r in caplog.records if "subscriptions/bad" in r.getMessage()]
    assert len(logged) == 1  # ...logged once, with its key

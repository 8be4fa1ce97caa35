"""State and cache backends side by side: what the durable embedded default (SQLite) costs per operation.

    .venv/bin/python bench/state_stores.py            # memory, SQLite, and Redis at REDIS_URL (default local)
    .venv/bin/python bench/state_stores.py --quick

Median microseconds per operation, one run, every backend in the same process. Redis keys go under a
throwaway namespace and are deleted afterwards (never FLUSHDB). The SQLite files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def median_us(run: Callable[[int], Awaitable[Any]], times: int) -> float:
    samples = []
    for i in range(times):
        start = time.perf_counter()
        await run(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


async def measure(state: Any, cache: Any, times: int) -> dict[str, float]:
    brief = {"title": "t", "points": [{"text": "word " * 40, "sources": ["a", "b"]} for _ in range(40)]}  # ~10 KB
    for i in range(50):
        await state.map_set("subscriptions", f"sub{i}", {"topic": f"topic {i}", "at": "08:00", "tz": "UTC"})
    await state.set_json("thread", {"article_ids": [f"a{i}" for i in range(30)]})
    await cache.set("brief", brief)
    return {
        "set_if_absent (a claim)": await median_us(lambda i: state.set_if_absent(f"claim:{i}", 1, 60), times),
        "get_json (a thread context)": await median_us(lambda i: state.get_json("thread"), times),
        "incr_window (a rate limit)": await median_us(lambda i: state.incr_window("rl", 60), times),
        "map_set (a subscription)": await median_us(
            lambda i: state.map_set("subscriptions", f"sub{i % 50}", {"topic": "x"}), times
        ),
        "map_get_all (50 subscriptions)": await median_us(lambda i: state.map_get_all("subscriptions"), times),
        "cache get, 10 KB brief": await median_us(lambda i: cache.get("brief"), times),
    }


async def main(quick: bool) -> None:
    from bot.store.cache import MemoryCache, RedisCache
    from bot.store.sqlite_cache import SQLiteCache
    from bot.store.sqlite_state import SQLiteState
    from bot.store.state import MemoryState, RedisState

    times = 200 if quick else 2000
    results: dict[str, dict[str, float]] = {}
    results["memory"] = await measure(MemoryState(), MemoryCache(), times)
    with tempfile.TemporaryDirectory() as folder:
        state, cache = SQLiteState(Path(folder) / "state.sqlite3"), SQLiteCache(Path(folder) / "cache.sqlite3")
        results["sqlite"] = await measure(state, cache, times)
        await state.close()
        await cache.close()
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    redis_state, redis_cache = RedisState(url, namespace), RedisCache(url, namespace)
    if await redis_state.ping():
        results["redis"] = await measure(redis_state, redis_cache, times)
        from bot.store.redis_client import async_redis

        client = async_redis(url)  # our own connection to clean up: the store's client is its business
        keys = [k async for k in client.scan_iter(f"{namespace}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
    await redis_state.close()
    await redis_cache.close()
    names = list(results)
    print(f"median microseconds per operation ({times} runs each)")
    print("| operation | " + " | ".join(names) + " | sqlite / memory |")
    print("| --- |" + " --- |" * (len(names) + 1))
    for op in results["memory"]:
        cells = " | ".join(f"{results[n][op]:.0f}" for n in names)
        print(f"| {op} | {cells} | {results['sqlite'][op] / results['memory'][op]:.0f}x |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))

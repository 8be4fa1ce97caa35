"""Article stores: folder round trip, Redis shared by two store instances (replicas), atomic dedup, Redis down."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.store.articles import AddStatus, FolderStore, StoreUnavailable
from bot.store.redis_articles import RedisArticleStore
from summarizer.articles import Article
from summarizer.ingest import compute_features, make_article
from tests.conftest import DEAD_REDIS_URL, REDIS_URL

TEXTS = [
    ("Port strike halts container traffic", "Dock workers walked out at the port on Monday, halting all container "
     "traffic. The union said talks over pay had collapsed after six weeks. Shipping lines diverted vessels."),
    ("Port strike enters second day", "The strike at the port entered its second day as dock workers held firm. "
     "Shipping lines said diverted vessels would add days to deliveries. Talks resume on Wednesday."),
    ("New species of frog found", "Biologists described a new species of tree frog from cloud forest in Peru. "
     "The frog is smaller than a thumbnail and calls at night. Its habitat is threatened by logging roads."),
]


def items(texts=TEXTS, **meta) -> list[tuple[Article, object]]:
    articles = [make_article(t, b, **meta) for t, b in texts]
    return list(zip(articles, compute_features(articles), strict=True))


async def test_folder_store_round_trip_and_dedup(tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "a")
    results = await store.add(items(outlet="Harbour Times", url="https://example.test/x", published="2024-05-07"))
    assert [r.status for r in results] == [AddStatus.added] * 3
    stored = {a.id: a for a in await store.articles()}
    assert set(stored) == {r.article_id for r in results}
    first = stored[results[0].article_id]
    assert (first.title, first.outlet, first.url) == ("Port strike halts container traffic", "Harbour Times",
                                                     "https://example.test/x")
    assert first.published.startswith("2024-05-07")
    # same body, other title and URL: a duplicate of the stored one
    (again,) = await store.add(items([("Strike at the port", TEXTS[0][1])], url="https://other.test/y"))
    assert again.status is AddStatus.duplicate and again.duplicate_of == results[0].article_id
    assert len(await store.articles()) == 3
    vectors = store.lead_vectors(list(stored.values()))
    assert vectors.shape[0] == 3 and vectors.nnz > 0
    assert store.features(first.id).sentences[0].startswith("Dock workers walked out")


async def test_folder_store_concurrent_batches_with_the_same_article(tmp_path: Path) -> None:
    """Ingest flushes batches from worker threads at once: one copy is added, the others are duplicates."""
    store = FolderStore(tmp_path / "a")
    batches = await asyncio.gather(*(store.add(items()) for _ in range(8)))
    statuses = [r.status for batch in batches for r in batch]
    assert statuses.count(AddStatus.added) == 3 and statuses.count(AddStatus.duplicate) == 21
    assert len(await store.articles()) == 3
    assert not list((tmp_path / "a").glob(".*.tmp"))


async def test_folder_store_knows_hand_added_files(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "mine.txt").write_text(f"{TEXTS[2][0]}\n{TEXTS[2][1]}\n")
    store = FolderStore(folder)
    results = await store.add(items())
    assert [r.status for r in results] == [AddStatus.added, AddStatus.added, AddStatus.duplicate]
    assert results[2].duplicate_of == "mine"
    articles = await store.articles()
    assert store.lead_vectors(articles).shape[0] == len(articles) == 3  # the hand-added file gets a vector too


async def test_redis_store_shared_between_two_replicas(namespace: str, redis_client) -> None:
    one = RedisArticleStore(REDIS_URL, namespace)
    two = RedisArticleStore(REDIS_URL, namespace)
    try:
        assert await two.articles() == ()
        added = await one.add(items(TEXTS[:2]))
        assert [r.status for r in added] == [AddStatus.added] * 2
        seen = await two.articles()
        assert [a.title for a in seen] == [TEXTS[0][0], TEXTS[1][0]]
        assert two.features(seen[0].id).sentences[0].startswith("Dock workers walked out")  # features shared too
        (dup,) = await two.add(items(TEXTS[:1], url="https://mirror.test/1"))
        assert dup.status is AddStatus.duplicate and dup.duplicate_of == added[0].article_id
        await two.add(items(TEXTS[2:]))
        assert [a.title for a in await one.articles()] == [t for t, _ in TEXTS]  # incremental read picks it up
        assert one.lead_vectors(list(await one.articles())).shape[0] == 3
        keys = sorted([k async for k in redis_client.scan_iter(f"{namespace}:articles:*")])
        records = [k for k in keys if not k.startswith(f"{namespace}:articles:term:")]
        assert records == [f"{namespace}:articles:{k}" for k in (
            "at", "docs", "features", "fingerprints", "ids", "index", "index_version", "log", "seq")]  # fmt: skip
        assert f"{namespace}:articles:term:strike:0" in keys  # the index: a set per term
        # each replica's topic read finds what the other added, through the index
        assert [a.title for a in await one.candidates(["port strike"])] == [TEXTS[0][0], TEXTS[1][0]]
        assert [a.title for a in await two.candidates(["frog"])] == [TEXTS[2][0]]
    finally:
        await one.close()
        await two.close()


async def test_redis_dedup_is_atomic_across_concurrent_replicas(namespace: str, redis_client) -> None:
    stores = [RedisArticleStore(REDIS_URL, namespace) for _ in range(4)]
    try:
        batch = items(TEXTS[:1])
        results = await asyncio.gather(*(s.add(batch) for s in stores))
        statuses = [r[0].status for r in results]
        assert statuses.count(AddStatus.added) == 1 and statuses.count(AddStatus.duplicate) == 3
        assert await redis_client.llen(f"{namespace}:articles:log") == 1
    finally:
        for store in stores:
            await store.close()


async def test_redis_down_reads_keep_last_articles_and_writes_fail_clearly(caplog) -> None:
    store = RedisArticleStore(DEAD_REDIS_URL, "bbtest-dead")
    try:
        with caplog.at_level(logging.WARNING):
            assert await store.articles() == ()
            assert await store.articles() == ()
        assert sum("article store unavailable" in r.message for r in caplog.records) == 1
        with pytest.raises(StoreUnavailable, match="cannot write to the Redis article store"):
            await store.add(items(TEXTS[:1]))
    finally:
        await store.close()


async def test_briefbot_reads_the_redis_store(settings_factory, namespace: str, redis_client) -> None:
    from bot.app import Briefbot

    store = RedisArticleStore(REDIS_URL, namespace)
    await store.add(items())
    await store.close()
    settings = settings_factory(redis_url=REDIS_URL, article_store="redis", namespace=namespace)
    async with Briefbot(settings) as bot:
        assert isinstance(bot.source, RedisArticleStore)
        result = await bot.service.brief("port strike")
        assert set(result.article_ids) >= {a.id for a, _ in items(TEXTS[:2])}


def test_redis_store_needs_redis_url(settings_factory) -> None:
    from bot.app import build_article_source

    with pytest.raises(ValueError, match="needs REDIS_URL"):
        build_article_source(settings_factory(article_store="redis"))


# ----------------------------------------------------------------- issue 13: one writer, bad records, resets

_INGEST = """
import asyncio, sys, time
from pathlib import Path
from bot.store.articles import FolderStore
from summarizer.ingest import compute_features, make_article

async def main():
    folder, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = FolderStore(folder)
    articles = [make_article(f"{who} edition: story {i}", " ".join(f"w{i}x{j}" for j in range(40)))
                for i in range(count)]
    features = compute_features(articles)
    (folder.parent / f"ready-{who}").touch()  # start together: both ingests run at the same time
    deadline = time.monotonic() + 60
    while len(list(folder.parent.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    added = 0
    for start in range(0, len(articles), 5):
        batch = list(zip(articles[start:start + 5], features[start:start + 5]))
        added += sum(r.status.value == "added" for r in await store.add(batch))
    print(added)

asyncio.run(main())
"""


def test_two_ingest_processes_into_one_folder_store_each_story_once(tmp_path: Path) -> None:
    """The same 300 stories (under other titles, so other ids) from two processes at once: stored once."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    folder = tmp_path / "articles"
    count = 300
    racers = [
        subprocess.Popen([sys.executable, "-c", _INGEST, str(folder), who, str(count)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for who in ("morning", "evening")
    ]  # fmt: skip
    results = [p.communicate(timeout=180) for p in racers]
    assert all(p.returncode == 0 for p in racers), results
    assert sum(int(out) for out, _ in results) == count, results
    assert len(list(folder.glob("*.txt"))) == count
    index = (folder / ".briefbot" / "features.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(index) == count


def _client(url: str):
    import redis.asyncio as redis_asyncio

    return redis_asyncio.from_url(url, decode_responses=True)


async def test_one_unreadable_article_record_hides_only_itself(namespace: str, redis_client) -> None:
    writer = RedisArticleStore(REDIS_URL, namespace)
    reader = RedisArticleStore(REDIS_URL, namespace)
    try:
        first = await writer.add(items(TEXTS[:1]))
        assert len(await reader.articles()) == 1
        await redis_client.rpush(f"{namespace}:articles:log", "broken-id", "missing-id")
        await redis_client.hset(f"{namespace}:articles:docs", "broken-id", "{not json")
        await writer.add(items(TEXTS[1:]))
        await redis_client.hset(f"{namespace}:articles:features", first[0].article_id, "[]")  # bad features too
        titles = [a.title for a in await reader.articles()]
        assert titles == [t for t, _ in TEXTS]  # the two after the bad records are read
        assert [a.title for a in await reader.articles()] == titles  # and read once, not again each time
        fresh = RedisArticleStore(REDIS_URL, namespace)
        assert [a.title for a in await fresh.articles()] == titles
        assert fresh.lead_vectors(list(await fresh.articles())).shape[0] == 3
        await fresh.close()
    finally:
        await writer.close()
        await reader.close()


async def test_reader_resynchronises_when_redis_restarts_empty(private_redis) -> None:
    writer = RedisArticleStore(private_redis.url, "bb")
    reader = RedisArticleStore(private_redis.url, "bb")
    try:
        await writer.add(items(TEXTS[:2]))
        assert len(await reader.articles()) == 2
        private_redis.restart_empty()
        assert await reader.articles() == ()  # no deleted articles served
        await writer.add(items(TEXTS[2:]))
        assert [a.title for a in await reader.articles()] == [TEXTS[2][0]]
        # restarted empty and refilled past the old length: the log's content, not its length, tells
        private_redis.restart_empty()
        await writer.add(items(TEXTS[:2]))  # longer than what the reader had read, other first entry
        assert [a.title for a in await reader.articles()] == [TEXTS[0][0], TEXTS[1][0]]
    finally:
        await writer.close()
        await reader.close()

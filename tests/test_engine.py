"""The configured engine (encoder choice, shared embeddings) and the service's concurrency behaviour."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.app import Briefbot
from bot.core.engine import SummarizerEngine
from bot.store.vectors import RedisVectorStore
from summarizer.articles import load_articles
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, SEEDS


@pytest.mark.ml
def test_minilm_engine_builds_a_cited_brief_and_shares_vectors(redis_client, namespace: str) -> None:
    store = RedisVectorStore(REDIS_URL, namespace)
    engine = SummarizerEngine("minilm", vector_store=store)
    articles = load_articles(SEEDS).articles
    brief = engine.build("china-russia", "China and Russia", articles, "full")
    assert engine.encoder().name == "minilm"
    assert 5 <= len(brief.points) <= 8 and all(p.sources for p in brief.points)
    answer = engine.answer("Who is the national security adviser?", articles)
    assert answer.answered and "Sullivan" in answer.answer
    stored = asyncio.run(_count_keys(namespace))
    assert stored > 50  # sentence embeddings landed in Redis for other replicas


async def _count_keys(namespace: str) -> int:
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.from_url(REDIS_URL)
    count = len([k async for k in client.scan_iter(f"{namespace}:vec:*")])
    await client.aclose()
    return count


def test_redis_vector_store_roundtrip_and_outage(redis_client, namespace: str) -> None:
    store = RedisVectorStore(REDIS_URL, namespace)
    store.set_many({"a": [0.5, -0.25], "b": [1.0, 0.0]})
    assert store.get_many(["a", "b", "missing"]) == {"a": [0.5, -0.25], "b": [1.0, 0.0]}
    store.close()
    dead = RedisVectorStore(DEAD_REDIS_URL, namespace, connect_timeout=0.2)
    dead.set_many({"a": [1.0]})  # no exception: encoding just happens again next time
    assert dead.get_many(["a"]) == {}


def test_unknown_encoder_in_settings_is_rejected(settings_factory) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        settings_factory(encoder="word2vec")


async def test_concurrent_requests_for_one_brief_compute_it_once(settings_factory, seeds_dir: Path) -> None:
    calls = []
    lock = threading.Lock()
    engine = SummarizerEngine()

    def counting(*args, **kwargs):
        with lock:
            calls.append(args[0])
        return engine.build(*args, **kwargs)

    async with Briefbot(settings_factory(articles_dir=seeds_dir), builder=counting) as bot:
        results = await asyncio.gather(*(bot.service.brief("china-russia") for _ in range(5)))
        assert len(calls) == 1
        assert len({r.brief_id for r in results}) == 1 and all(r.brief == results[0].brief for r in results)


async def test_topic_matching_follows_article_changes(settings_factory, seeds_dir: Path) -> None:
    async with Briefbot(settings_factory(articles_dir=seeds_dir)) as bot:
        first = await bot.service.match("submarine")
        (seeds_dir / "sub.txt").write_text(
            "Submarine deal\n\nAustralia signed a submarine deal with the UK and the United States on Monday.\n",
            encoding="utf-8",
        )
        second = await bot.service.match("submarine")
        assert "sub" in {a.id for a in second.articles} and "sub" not in {a.id for a in first.articles}

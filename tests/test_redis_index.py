"""The Redis article store's index: topic reads select what the SQLite store's FTS index selects, ``since``,
retention through every structure, a store written by the previous version indexed on first use, bad records."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path

import pytest

from bot.app import load_topic_specs
from bot.metrics import CORRUPT_VALUES
from bot.store import redis_articles
from bot.store.articles import AddStatus, StoreUnavailable
from bot.store.redis_articles import RedisArticleStore, article_to_json
from bot.store.sqlite_articles import SqliteArticleStore
from summarizer.articles import Article
from summarizer.ingest import compute_features, make_article
from summarizer.topics import TopicSpec, match_topic
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, ROOT, counted

NOW = time.time()
DAY = 86400.0


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()


def _pairs(articles: list[Article]) -> list[tuple[Article, object]]:
    return list(zip(articles, compute_features(articles), strict=True))


def _corpus() -> list[Article]:
    """400 synthetic news articles (real sentences, 100 stories) spread over 40 days, some undated, plus
    words the stemmer treats differently (plurals, possessives, accents, a prefix that is another word)."""
    from bench.corpus import generate

    out = []
    for n, item in enumerate(generate(400, seed=7, duplicate_rate=0.0)):
        published = None if n % 9 == 0 else _iso(NOW - (n % 40) * DAY - 3600)
        out.append(make_article(item.title, item.body, outlet=item.outlet, url=item.url, published=published))
    extra = [("Buses stop", "The buses stopped at the depot in Zürich."), ("The bus's route", "The bus's route "
             "changed."), ("Busy market", "A busy market day in Moscow's centre."), ("Presidency", "The "
             "presidency was contested by Putin's rivals."), ("Élection présidentielle", "Les électeurs de "
             "Besançon votent.")]  # fmt: skip
    filler = " The council met on Tuesday and will meet again next week to discuss the budget in detail."
    out += [make_article(t, b + filler * 3, published=_iso(NOW - 2 * DAY)) for t, b in extra]
    return out


def _topics(articles: list[Article]) -> list[TopicSpec]:
    """The shipped named topics, plus one per story title word pair, plus the stemming cases."""
    topics = load_topic_specs(ROOT / "bot" / "defaults" / "topics.toml")
    for n, article in enumerate(articles[:60:6]):
        words = [w for w in article.title.split() if len(w) > 4][:2]
        if words:
            topics.append(TopicSpec(f"story-{n}", f"Story {n}", tuple(words)))
    topics.append(TopicSpec("stems", "Stems", ("bus", "president", "Zurich", "élection", "Moscow")))
    return topics


async def _dump(client, namespace: str) -> dict[str, object]:
    """Every key of the namespace with its whole value (what a SCAN of the server sees)."""
    out: dict[str, object] = {}
    async for key in client.scan_iter(f"{namespace}:*"):
        kind = await client.type(key)
        if kind == "hash":
            out[key] = await client.hgetall(key)
        elif kind == "set":
            out[key] = await client.smembers(key)
        elif kind == "zset":
            out[key] = await client.zrange(key, 0, -1, withscores=True)
        elif kind == "list":
            out[key] = await client.lrange(key, 0, -1)
        else:
            out[key] = await client.get(key)
    return out


async def test_topic_reads_select_what_the_sqlite_store_selects(
    tmp_path: Path, namespace: str, redis_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_articles, "BLOCK", 7)  # term sets in many blocks (512 articles each by default)
    articles = _corpus()
    clock = lambda: NOW  # noqa: E731  (undated articles are dated when added: the same moment in both)
    sqlite = SqliteArticleStore(tmp_path / "a.sqlite3", clock=clock)
    redis = RedisArticleStore(REDIS_URL, namespace, clock=clock)
    try:
        pairs = _pairs(articles)
        for start in range(0, len(pairs), 64):  # ingest flushes batches
            mine = await redis.add(pairs[start : start + 64])
            theirs = await sqlite.add(pairs[start : start + 64])
            assert [(r.status, r.duplicate_of) for r in mine] == [(r.status, r.duplicate_of) for r in theirs]
        # dedupe as the SQLite store does: by body fingerprint, and by canonical URL (tracking stripped)
        first = articles[1]
        again = [make_article("Another headline", first.body, url="https://elsewhere.example/x"),
                 make_article("Same page", articles[2].body + " Updated.", url=f"{articles[3].url}?utm_source=rss")]
        mine, theirs = await redis.add(_pairs(again)), await sqlite.add(_pairs(again))
        assert [(r.status, r.duplicate_of) for r in mine] == [(r.status, r.duplicate_of) for r in theirs] == [
            (AddStatus.duplicate, first.id), (AddStatus.duplicate, articles[3].id)]
        topics = _topics(articles)
        everything = list(await redis.articles())
        compared = 0
        for topic in topics:
            for since in (None, NOW - 10 * DAY, NOW - 2.5 * DAY):
                ours = await redis.candidates(topic.keywords, since)
                reference = await sqlite.candidates(topic.keywords, since)
                # the index reads a superset of FTS's phrase matches (a phrase's words, anywhere) ...
                assert {a.id for a in ours} >= {a.id for a in reference}, topic.name
                # ... and the topic the matcher makes of it is the same, article for article, in order
                got = match_topic(topic.name, ours, topics).articles
                assert [a.id for a in got] == [a.id for a in match_topic(topic.name, reference, topics).articles]
                if since is None:  # and what a full read of the store gives
                    assert got == match_topic(topic.name, everything, topics).articles
                compared += bool(got)
        assert compared > 20  # most topics found articles: the comparison is not of empty sets
        assert await redis.candidates(["zzzunknownword"]) == ()
        # one-word keywords: exactly the FTS rows (a phrase of one word is its set)
        for word in ("bus", "president", "Moscow", "election"):
            assert [a.id for a in await redis.candidates([word])] == [a.id for a in await sqlite.candidates([word])]
    finally:
        await redis.close()
        await sqlite.close()


async def test_since_and_undated_articles(namespace: str, redis_client) -> None:
    body = "The harbour authority approved the new quay after a long debate among the city's councillors. " * 3
    store = RedisArticleStore(REDIS_URL, namespace, clock=lambda: NOW)
    try:
        fresh = make_article("Harbour fresh", body + "fresh", published=_iso(NOW - 3600))
        old = make_article("Harbour old", body + "old", published=_iso(NOW - 5 * DAY))
        undated = make_article("Harbour undated", body + "undated")  # dated when added: now
        other = make_article("Wheat prices", body.replace("harbour", "farm") + "wheat", published=_iso(NOW))
        await store.add(_pairs([fresh, old, undated, other]))
        assert [a.title for a in await store.candidates(["harbour"])] == ["Harbour fresh", "Harbour old",
                                                                          "Harbour undated"]
        recent = await store.candidates(["harbour"], since=NOW - DAY)
        assert [a.title for a in recent] == ["Harbour fresh", "Harbour undated"]
        assert await store.candidates(["harbour"], since=NOW + 1) == ()
    finally:
        await store.close()


async def test_retention_removes_an_article_from_every_structure(
    namespace: str, redis_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_articles, "BLOCK", 2)  # numbers 1, 2, 3: blocks 0, 1, 1
    body = "Dock workers at the harbour voted to accept the new contract after three weeks of talks. " * 3
    clock = [NOW - 40 * DAY]
    store = RedisArticleStore(REDIS_URL, namespace, clock=lambda: clock[0])
    try:
        old = make_article("Harbour contract", body, url="https://news.example/a?utm_source=x",
                           published=_iso(NOW - 35 * DAY))
        undated = make_article("Harbour undated", body + " Undated.")  # added 40 days ago
        fresh = make_article("Harbour today", body + " Today.", published=_iso(NOW - DAY))
        await store.add(_pairs([old, undated, fresh]))
        clock[0] = NOW
        before = await _dump(redis_client, namespace)
        numbers = {i: v.split("|")[0] for i, v in before[f"{namespace}:articles:index"].items()}
        assert await store.prune(30 * DAY) == 2
        after = await _dump(redis_client, namespace)
        gone = {old.id: numbers[old.id], undated.id: numbers[undated.id]}
        for key, value in after.items():
            text = json.dumps(value, default=sorted, ensure_ascii=False)
            for article_id, number in gone.items():
                assert article_id not in text, key
                if key.endswith((":ids", ":at")) or ":term:" in key:  # the index holds numbers, not ids
                    members = value.keys() if isinstance(value, dict) else [m for m, *_ in value] \
                        if key.endswith(":at") else value
                    assert number not in members, key
        # a term only the pruned articles used has no set left; the survivor's terms are all there
        assert f"{namespace}:articles:term:undat:1" in before and f"{namespace}:articles:term:undat:1" not in after
        assert f"{namespace}:articles:term:contract:0" not in after  # block 0 held the old article (number 1) only
        assert after[f"{namespace}:articles:term:contract:1"] == {numbers[fresh.id]}
        assert [a.title for a in await store.candidates(["harbour"])] == ["Harbour today"]
        assert [a.title for a in await store.articles()] == ["Harbour today"]  # a reader re-reads after a prune
        # as in the SQLite store, the fingerprint and URL went too: a republished copy comes back
        (again,) = await store.add(_pairs([old]))
        assert again.status is AddStatus.added
        assert await store.prune(30 * DAY) == 1  # and, still too old, leaves at the next pass
    finally:
        await store.close()


async def test_a_replica_sees_another_replicas_prune(namespace: str, redis_client) -> None:
    body = "The bridge over the river reopened to traffic after repairs to its steel deck were finished. " * 3
    clock = lambda: NOW  # noqa: E731
    one, two = RedisArticleStore(REDIS_URL, namespace, clock=clock), RedisArticleStore(REDIS_URL, namespace,
                                                                                       clock=clock)
    try:
        old = make_article("Bridge old", body, published=_iso(NOW - 60 * DAY))
        new = make_article("Bridge new", body + " New.", published=_iso(NOW))
        await one.add(_pairs([old, new]))
        assert [a.title for a in await two.articles()] == ["Bridge old", "Bridge new"]
        assert await one.prune(30 * DAY) == 1
        assert [a.title for a in await two.articles()] == ["Bridge new"]
        assert [a.title for a in await two.candidates(["bridge"])] == ["Bridge new"]
    finally:
        await one.close()
        await two.close()


# what the previous version's add script wrote: records, fingerprints and the log, no index
_OLD_ADD = """
local first = redis.call('hget', KEYS[1], ARGV[1])
if first then return first end
if redis.call('hexists', KEYS[2], ARGV[2]) == 1 then return ARGV[2] end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
redis.call('hset', KEYS[3], ARGV[2], ARGV[4])
redis.call('rpush', KEYS[4], ARGV[2])
return false
"""


async def _old_store(client, namespace: str, articles: list[Article]) -> list[str]:
    prefix = f"{namespace}:articles"
    keys = [f"{prefix}:{k}" for k in ("fingerprints", "docs", "features", "log")]
    for article, features in _pairs(articles):
        await client.eval(_OLD_ADD, 4, *keys, features.fingerprint, article.id, article_to_json(article),
                          json.dumps(features.to_dict()))
    # a record that is not an article, and a log entry whose record is gone
    await client.hset(keys[1], "broken", "{not json")
    await client.rpush(keys[3], "broken", "vanished")
    return keys


async def test_a_store_written_by_the_previous_version_is_indexed_on_first_read(
    namespace: str, redis_client, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    body = "Farmers in the valley expect a good grain harvest after the spring rains this year. "
    texts = [(f"Grain report {n}", body * 3 + f"Report {n}.") for n in range(7)]
    texts += [("Orchestra tour", "The city orchestra begins a tour of five countries next month. " * 3)]
    articles = [make_article(t, b, published=_iso(NOW - n * DAY)) for n, (t, b) in enumerate(texts)]
    await _old_store(redis_client, namespace, articles)
    monkeypatch.setattr(redis_articles, "_CHUNK", 3)  # several chunks
    # a budget of nothing: each read indexes one chunk, then answers from the log (correctly, more slowly)
    store = RedisArticleStore(REDIS_URL, namespace, clock=lambda: NOW, index_budget_seconds=0)
    other = RedisArticleStore(REDIS_URL, namespace, clock=lambda: NOW)
    bad_before = counted(CORRUPT_VALUES, "article")
    try:
        with caplog.at_level(logging.INFO, logger="bot.store.redis_articles"):
            first = await store.candidates(["grain"])  # while indexing: the whole log (the matcher narrows)
            assert [a.title for a in first] == [t for t, _ in texts]
            assert await redis_client.hlen(f"{namespace}:articles:index") == 3
            assert await redis_client.get(f"{namespace}:articles:index_version") is None
            # another replica meanwhile holds the build lock: it reads the log, it does not build too
            await redis_client.set(f"{namespace}:articles:index_lock", "someone", ex=60)
            assert [a.title for a in await other.candidates(["grain"])] == [t for t, _ in texts]
            assert await redis_client.hlen(f"{namespace}:articles:index") == 3
            await redis_client.delete(f"{namespace}:articles:index_lock")
            # the next read finishes the job (no budget limit on this replica)
            assert [a.title for a in await other.candidates(["grain"], since=NOW - 2.5 * DAY)] == [
                "Grain report 0", "Grain report 1", "Grain report 2"]
        assert await redis_client.get(f"{namespace}:articles:index_version") == redis_articles.INDEX_VERSION
        assert await redis_client.hlen(f"{namespace}:articles:index") == 10  # 8 articles, 2 bad entries
        assert any("indexing 10 article(s)" in r.message for r in caplog.records)
        assert any("indexed" in r.message and "2 unreadable" in r.message for r in caplog.records)
        assert any("being built by another replica" in r.message for r in caplog.records)
        assert counted(CORRUPT_VALUES, "article") > bad_before  # counted, not an outage
        # the old records deduplicate as before, and by URL from now on
        (dup,) = await store.add(_pairs(articles[:1]))
        assert dup.status is AddStatus.duplicate and dup.duplicate_of == articles[0].id
        # the unreadable entries were dated when indexed: retention removes them with the rest
        later = RedisArticleStore(REDIS_URL, namespace, clock=lambda: NOW + 100 * DAY)
        assert await later.prune(30 * DAY) == 10
        await later.close()
        left = await _dump(redis_client, namespace)
        assert set(left) == {f"{namespace}:articles:{k}" for k in ("seq", "pruned", "index_version")}
    finally:
        await store.close()
        await other.close()


async def test_a_corrupt_record_is_skipped_and_counted(namespace: str, redis_client) -> None:
    body = "The museum opened a new wing for modern sculpture, with works lent by several collectors. " * 3
    store = RedisArticleStore(REDIS_URL, namespace)
    try:
        good = make_article("Museum wing", body)
        bad = make_article("Museum loans", body + " Loans.")
        await store.add(_pairs([good, bad]))
        await redis_client.hset(f"{namespace}:articles:docs", bad.id, '{"id": 5}')
        before = counted(CORRUPT_VALUES, "article")
        assert [a.title for a in await store.candidates(["museum"])] == ["Museum wing"]
        assert counted(CORRUPT_VALUES, "article") == before + 1
    finally:
        await store.close()


async def test_redis_down_topic_reads_answer_from_what_was_read_and_prune_fails_clearly(caplog) -> None:
    store = RedisArticleStore(DEAD_REDIS_URL, "bbtest-dead")
    try:
        with caplog.at_level(logging.WARNING):
            assert await store.candidates(["harbour"]) == ()
            assert await store.candidates(["harbour"]) == ()
        assert sum("article store unavailable" in r.message for r in caplog.records) == 1
        with pytest.raises(StoreUnavailable, match="cannot prune the Redis article store"):
            await store.prune(30 * DAY)
    finally:
        await store.close()

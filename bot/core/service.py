"""BriefService: topics, briefs and answers for the chat core, with caching.

The summarizer is synchronous and CPU-bound, so builds and answers run off the event loop: in the shared
process pool (``bot.core.workers``) when the bot runs one, else in a worker thread. Either way the loop keeps
acknowledging Slack and heartbeating Discord while a brief is computed; only the pool keeps it from waiting for
the GIL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.engine import SummarizerEngine
from bot.core.work import WorkSlots
from bot.core.workers import WorkerPool
from bot.metrics import ANSWER_SECONDS, BRIEFS
from bot.store.cache import Cache, cache_key
from summarizer.articles import Article, load_articles
from summarizer.clusters import DiscoveredTopic
from summarizer.models import Answer, Brief
from summarizer.topics import (
    TopicMatch,
    TopicSpec,
    UnknownTopic,
    _slug,
    free_text_terms,
    match_topic,
    topic_counts,
)

if TYPE_CHECKING:  # summarizer.brief imports numpy: only where a brief is built
    from summarizer.brief import Seen

log = logging.getLogger(__name__)


def recent(match: TopicMatch, since: dt.timedelta, now: dt.datetime | None = None) -> TopicMatch:
    """The match restricted to articles published within ``since`` of ``now`` (undated ones left out)."""
    from summarizer.dates import parse_published

    moment = now or dt.datetime.now(dt.UTC)
    cutoff = moment.date() - dt.timedelta(days=since.days + (1 if since.seconds else 0))  # dates are days: round up

    def fresh(article: Article) -> bool:
        exact = _timestamp(article.published)
        if exact is not None:  # a feed's full timestamp: compared to the second ("--since 6h" means 6 hours)
            return exact >= moment - since
        day = parse_published(article.published)
        return day is not None and day >= cutoff

    return replace(match, articles=tuple(a for a in match.articles if fresh(a)))


def _timestamp(published: str | None) -> dt.datetime | None:
    """An ISO 8601 date with a time of day (UTC when no zone is given); None for a bare date or no date."""
    if not published or len(published) <= 10:
        return None
    try:
        when = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


class ArticleSource(Protocol):
    """Where articles come from: a folder (default) or a shared store (several replicas)."""

    async def articles(self) -> Sequence[Article]: ...


class FolderArticles:
    """Articles from a folder, reloaded only when a file in it changes (name, size or mtime).

    Stat-ing every file on every request is slow for big folders, so a full check runs at most every
    ``recheck_seconds``; a change of the folder's own mtime (a file added, removed or renamed) is seen at once.
    """

    def __init__(self, folder: Path, max_bytes: int = 2_000_000, recheck_seconds: float = 2.0) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.recheck_seconds = recheck_seconds
        self._signature: tuple[Any, ...] | None = None
        self._folder_mtime: int | None = None
        self._checked_at = float("-inf")
        self._articles: tuple[Article, ...] = ()
        self.warnings: tuple[str, ...] = ()
        self._lock = threading.Lock()  # loads run in worker threads; one at a time, others wait for its result

    def _current_signature(self) -> tuple[Any, ...]:
        if not self.folder.is_dir():
            return ()
        return tuple(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(self.folder.iterdir()) if p.is_file()
        )

    def _folder_changed(self) -> bool:
        try:
            mtime = self.folder.stat().st_mtime_ns
        except OSError:
            mtime = None
        changed = mtime != self._folder_mtime
        self._folder_mtime = mtime
        return changed

    def load(self) -> Sequence[Article]:
        with self._lock:
            return self._load_locked()

    def _load_locked(self) -> Sequence[Article]:
        now = time.monotonic()
        if not self._folder_changed() and now - self._checked_at < self.recheck_seconds:
            return self._articles
        self._checked_at = now
        signature = self._current_signature()
        if signature != self._signature:
            report = load_articles(self.folder, max_bytes=self.max_bytes)
            for warning in report.warnings:
                log.warning("%s", warning)
            self._articles, self.warnings, self._signature = report.articles, report.warnings, signature
        return self._articles

    async def articles(self) -> Sequence[Article]:
        return await asyncio.to_thread(self.load)


@dataclass(frozen=True)
class TopicInfo:
    name: str
    title: str
    articles: int
    discovered: bool = False  # a cluster found in the articles, not a configured topic


@dataclass(frozen=True)
class BriefResult:
    brief: Brief
    brief_id: str
    article_ids: tuple[str, ...]
    cached: bool


BriefBuilder = Callable[..., Brief]
Discoverer = Callable[[Sequence[Article]], Sequence[DiscoveredTopic]]
Answerer = Callable[[str, Sequence[Article]], Answer]


def _engine_version() -> str:
    from summarizer.brief import ENGINE_VERSION

    return ENGINE_VERSION


MATCH_MEMO_LIMIT = 1024  # remembered topic matches per article set


class BriefService:
    def __init__(
        self,
        source: ArticleSource,
        topics: Sequence[TopicSpec],
        cache: Cache,
        cache_ttl: float = 86400,
        builder: BriefBuilder | None = None,
        answerer: Answerer | None = None,
        engine_tag: str | Callable[[], str] = "",
        discover: Discoverer | None = None,
        pool: WorkerPool | None = None,
        cpu: WorkSlots | None = None,
    ) -> None:
        self.source = source
        self.topics = tuple(topics)
        self.cache = cache
        self.cache_ttl = cache_ttl
        default = SummarizerEngine()  # tfidf, no polish: what bot.app builds when settings say nothing else
        self._builder = builder or default.build
        self._answerer = answerer or default.answer
        # the engine actually built (a callable: asked on first use): a different engine makes a different brief
        self._engine_tag = engine_tag
        self.pool = pool  # builder and answerer must then pickle (an engine's bound methods do)
        self._discover = discover  # articles -> discovered topics (summarizer.clusters.TopicDiscoverer)
        self.cpu = cpu or WorkSlots()  # brief builds and answers hold a slot; nothing else does
        # Topic matching scans every article: remember results until the article set changes (the source
        # hands back the same sequence object while nothing changed).
        self._memo_articles: Sequence[Article] | None = None
        self._memo: dict[Any, Any] = {}
        self._inflight: dict[str, asyncio.Future[Brief]] = {}

    def _memo_for(self, articles: Sequence[Article]) -> dict[Any, Any]:
        # every distinct free-text query adds an entry: start afresh past a bound, so a long-running bot
        # with an unchanging article set doesn't grow without limit
        if articles is not self._memo_articles or len(self._memo) >= MATCH_MEMO_LIMIT:
            self._memo_articles, self._memo = articles, {}
        return self._memo

    async def topic_list(self) -> list[TopicInfo]:
        articles = await self.source.articles()
        memo = self._memo_for(articles)
        if "counts" not in memo:
            memo["counts"] = await asyncio.to_thread(topic_counts, articles, self.topics)
        named = [TopicInfo(t.name, t.title, n) for t, n in memo["counts"]]
        found = await self.discovered_topics(articles)
        return named + [TopicInfo(d.name, d.title, d.size, discovered=True) for d in found]

    async def discovered_topics(self, articles: Sequence[Article] | None = None) -> list[DiscoveredTopic]:
        """Stories found by clustering (memoised by the discoverer: recomputed only when articles change)."""
        if self._discover is None:
            return []
        if articles is None:
            articles = await self.source.articles()
        return list(await asyncio.to_thread(self._discover, articles))

    async def match(self, query: str) -> TopicMatch:
        """Raises ``UnknownTopic`` (with suggestions) when nothing matches."""
        wanted = query.strip().lower()
        named = next((t for t in self.topics if t.name == _slug(query) or t.title.lower() == wanted), None)
        candidates = getattr(self.source, "candidates", None)
        if named is not None and candidates is not None:
            # an indexed store hands over only the articles that mention the topic's words: a cold brief
            # reads its topic, not the whole store; the exact matcher still decides membership
            found = await candidates(named.keywords)
            return await asyncio.to_thread(match_topic, query, found, self.topics)
        if named is None and candidates is not None and len(wanted.split()) > 1:
            # free text ("spy balloon"): never a discovered topic's name (those are slugs), and an article
            # joins an ad-hoc topic on its own words alone, so the index's candidates for the query's words
            # give the same topic as the whole store, without reading (or clustering) the whole store
            terms = free_text_terms(query)
            found = await candidates(terms) if terms else ()
            return await asyncio.to_thread(match_topic, query, found, self.topics)
        articles = await self.source.articles()
        if self._discover is not None and wanted not in {t.name for t in self.topics}:
            for found in await self.discovered_topics(articles):
                if found.name == wanted:
                    by_id = {a.id: a for a in articles}
                    members = tuple(by_id[i] for i in found.article_ids if i in by_id)  # most central first
                    return TopicMatch(found.name, found.title, members)
        memo = self._memo_for(articles)
        key = ("match", query.strip())
        if key not in memo:
            try:
                memo[key] = await asyncio.to_thread(match_topic, query, articles, self.topics)
            except UnknownTopic as unknown:
                memo[key] = unknown
        result = memo[key]
        if isinstance(result, UnknownTopic):
            raise result
        return result

    async def ready(self) -> None:
        """Before serving: import the summarizer and read the articles off the event loop, so the first
        request does not stall the loop on an import (with the pool, builds never import here)."""
        await asyncio.to_thread(_engine_version)
        await asyncio.to_thread(self.engine_tag)
        await self.source.articles()

    def engine_tag(self) -> str:
        return self._engine_tag() if callable(self._engine_tag) else self._engine_tag

    async def _offload(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """CPU-heavy work: in the process pool when there is one, else in a worker thread."""
        async with self.cpu.hold():  # the work slots bound how many run at once, pool or threads
            if self.pool is not None:
                return await self.pool.run(functools.partial(fn, *args, **kwargs))  # a partial pickles its parts
            return await asyncio.to_thread(fn, *args, **kwargs)

    def _brief_key(self, match: TopicMatch, length: str, focus: str | None = None,
                   previous: Seen | None = None) -> str:
        hashes = sorted((a.id, a.content_hash) for a in match.articles)
        parts: tuple[Any, ...] = (match.name, match.title, hashes, length, _engine_version(), self.engine_tag())
        if focus:  # a focused brief is another brief; unfocused keys stay what they were
            parts += (" ".join(focus.lower().split()),)
        if previous is not None:
            parts += ("previous", sorted(previous.article_ids), list(previous.texts))
        return cache_key("brief", *parts)

    async def brief(self, query: str, length: str = "full", focus: str | None = None,
                    since: dt.timedelta | None = None, previous: Seen | None = None) -> BriefResult:
        """``focus``: a question the brief answers. ``since``: only articles published within that long of
        now (undated articles are left out then). ``previous``: what the reader already has (article ids,
        posted point texts): the brief tells only what is new. See ``summarizer.brief.build_brief``."""
        match = await self.match(query)
        if since is not None:
            match = recent(match, since)
        return await self.brief_for(match, length, focus, previous)

    async def brief_for(self, match: TopicMatch, length: str = "full", focus: str | None = None,
                        previous: Seen | None = None) -> BriefResult:
        focus = (focus or "").strip() or None
        key = self._brief_key(match, length, focus, previous)
        ids = tuple(a.id for a in match.articles)
        cached = await self.cache.get(key)
        if cached is not None:
            log.info("brief cache hit", extra={"topic": match.name, "articles": len(ids), "brief": key})
            BRIEFS.labels(source="cache").inc()
            return BriefResult(Brief.from_dict(cached), key, ids, cached=True)
        running = self._inflight.get(key)
        if running is not None:  # the same brief is being computed for someone else: share it
            BRIEFS.labels(source="cache").inc()  # not computed again: counted with the cache hits
            return BriefResult(await asyncio.shield(running), key, ids, cached=True)
        future: asyncio.Future[Brief] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            extra: dict[str, Any] = {"focus": focus} if focus else {}  # builders without them keep working
            if previous is not None:
                extra["previous"] = previous
            brief = await self._offload(self._builder, match.name, match.title, tuple(match.articles), length, **extra)
            log.info("brief computed", extra={"topic": match.name, "articles": len(ids), "brief": key})
            BRIEFS.labels(source="computed").inc()
            await self.cache.set(key, brief.to_dict(), ttl=self.cache_ttl)
            future.set_result(brief)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # marks it retrieved: no "never retrieved" warning when nobody else waited
            raise
        finally:
            del self._inflight[key]
        return BriefResult(brief, key, ids, cached=False)

    async def articles_by_id(self, article_ids: Sequence[str]) -> list[Article]:
        wanted = set(article_ids)
        return [a for a in await self.source.articles() if a.id in wanted]

    async def answer(self, question: str, article_ids: Sequence[str]) -> Answer:
        started = time.perf_counter()
        try:
            return await self._answer(question, article_ids)
        finally:
            ANSWER_SECONDS.observe(time.perf_counter() - started)

    async def _answer(self, question: str, article_ids: Sequence[str]) -> Answer:
        articles = await self.articles_by_id(article_ids)
        hashes = sorted((a.id, a.content_hash) for a in articles)
        key = cache_key("answer", question.strip().lower(), hashes, _engine_version(), self.engine_tag())
        cached = await self.cache.get(key)
        if cached is not None:
            return Answer.from_dict(cached)
        answer = await self._offload(self._answerer, question, articles)
        await self.cache.set(key, answer.to_dict(), ttl=self.cache_ttl)
        return answer

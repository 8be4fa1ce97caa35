"""BriefService: topics, briefs and answers for the chat core, with caching.

The summarizer is synchronous and CPU-bound, so it runs in a worker thread: the event loop keeps
acknowledging Slack and heartbeating Discord while a brief is computed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.cache import Cache, cache_key
from summarizer.articles import Article, load_articles
from summarizer.clusters import DiscoveredTopic
from summarizer.models import Answer, Brief
from summarizer.topics import TopicMatch, TopicSpec, match_topic, topic_counts

log = logging.getLogger(__name__)


class ArticleSource(Protocol):
    """Where articles come from: a folder (default) or a shared store (several replicas)."""

    async def articles(self) -> Sequence[Article]: ...


class FolderArticles:
    """Articles from a folder, reloaded only when a file in it changes (name, size or mtime)."""

    def __init__(self, folder: Path, max_bytes: int = 2_000_000) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._signature: tuple[Any, ...] | None = None
        self._articles: tuple[Article, ...] = ()
        self.warnings: tuple[str, ...] = ()

    def _current_signature(self) -> tuple[Any, ...]:
        if not self.folder.is_dir():
            return ()
        return tuple(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(self.folder.iterdir()) if p.is_file()
        )

    def load(self) -> Sequence[Article]:
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


def _default_builder(topic: str, title: str, articles: Sequence[Article], length: str) -> Brief:
    from summarizer.brief import build_brief

    return build_brief(topic, title, articles, length=length)


def _default_answerer(question: str, articles: Sequence[Article]) -> Answer:
    from summarizer.qa import answer_question

    return answer_question(question, articles)


def _engine_version() -> str:
    from summarizer.brief import ENGINE_VERSION

    return ENGINE_VERSION


class BriefService:
    def __init__(
        self,
        source: ArticleSource,
        topics: Sequence[TopicSpec],
        cache: Cache,
        cache_ttl: float = 86400,
        builder: BriefBuilder = _default_builder,
        answerer: Answerer = _default_answerer,
        engine_tag: str = "",
        discover: Discoverer | None = None,
    ) -> None:
        self.source = source
        self.topics = tuple(topics)
        self.cache = cache
        self.cache_ttl = cache_ttl
        self._builder = builder
        self._answerer = answerer
        self._engine_tag = engine_tag  # e.g. the encoder name: a different engine makes a different brief
        self._discover = discover  # articles -> discovered topics (summarizer.clusters.TopicDiscoverer)

    async def topic_list(self) -> list[TopicInfo]:
        articles = await self.source.articles()
        named = [TopicInfo(t.name, t.title, n) for t, n in topic_counts(articles, self.topics)]
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
        articles = await self.source.articles()
        wanted = query.strip().lower()
        if self._discover is not None and wanted not in {t.name for t in self.topics}:
            for found in await self.discovered_topics(articles):
                if found.name == wanted:
                    by_id = {a.id: a for a in articles}
                    members = tuple(by_id[i] for i in found.article_ids if i in by_id)  # most central first
                    return TopicMatch(found.name, found.title, members)
        return match_topic(query, articles, self.topics)

    def _brief_key(self, match: TopicMatch, length: str) -> str:
        hashes = sorted((a.id, a.content_hash) for a in match.articles)
        return cache_key("brief", match.name, match.title, hashes, length, _engine_version(), self._engine_tag)

    async def brief(self, query: str, length: str = "full") -> BriefResult:
        match = await self.match(query)
        return await self.brief_for(match, length)

    async def brief_for(self, match: TopicMatch, length: str = "full") -> BriefResult:
        key = self._brief_key(match, length)
        ids = tuple(a.id for a in match.articles)
        cached = await self.cache.get(key)
        if cached is not None:
            log.info("brief %s (%d articles): cache hit %s", match.name, len(ids), key)
            return BriefResult(Brief.from_dict(cached), key, ids, cached=True)
        brief = await asyncio.to_thread(self._builder, match.name, match.title, match.articles, length)
        log.info("brief %s (%d articles): computed %s", match.name, len(ids), key)
        await self.cache.set(key, brief.to_dict(), ttl=self.cache_ttl)
        return BriefResult(brief, key, ids, cached=False)

    async def articles_by_id(self, article_ids: Sequence[str]) -> list[Article]:
        wanted = set(article_ids)
        return [a for a in await self.source.articles() if a.id in wanted]

    async def answer(self, question: str, article_ids: Sequence[str]) -> Answer:
        articles = await self.articles_by_id(article_ids)
        hashes = sorted((a.id, a.content_hash) for a in articles)
        key = cache_key("answer", question.strip().lower(), hashes, _engine_version(), self._engine_tag)
        cached = await self.cache.get(key)
        if cached is not None:
            return Answer.from_dict(cached)
        answer = await asyncio.to_thread(self._answerer, question, articles)
        await self.cache.set(key, answer.to_dict(), ttl=self.cache_ttl)
        return answer

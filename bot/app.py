"""Composition root: builds settings, cache, state, the brief service and the core; owns their lifetimes.

Only this module (and the CLI) wires concrete classes together. ``Briefbot`` is an async context manager,
so every command and every test closes Redis connections and adapters the same way.
"""

from __future__ import annotations

import logging
import tomllib
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.core.engine import SummarizerEngine
from bot.core.handlers import BriefbotCore
from bot.core.service import ArticleSource, BriefService
from bot.digests import DigestRunner, DigestSettings
from bot.scheduler import DigestScheduler
from bot.settings import Settings
from bot.store.cache import Cache, RedisCache
from bot.store.state import DegradingState, RedisState, StateStore, strict
from bot.subscriptions import ChatSubscriptions, SubscriptionStore, load_static
from summarizer.topics import TopicSpec

log = logging.getLogger(__name__)


def load_topic_specs(path: Path) -> list[TopicSpec]:
    """Named topics from topics.toml; a missing file means no named topics (free-text queries still work)."""
    if not path.exists():
        return []
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    specs = []
    for name, body in data.items():
        if isinstance(body, dict):
            specs.append(
                TopicSpec(
                    name=name.lower(),
                    title=str(body.get("title", name)),
                    keywords=tuple(str(k) for k in body.get("keywords", [name])),
                )
            )
    return specs


def build_cache(settings: Settings, namespace: str = "briefbot") -> Cache:
    """Redis with REDIS_URL (replicas); otherwise a SQLite file under BRIEFBOT_DATA_DIR (one machine)."""
    if settings.redis_url:
        return RedisCache(settings.redis_url, namespace, settings.redis_connect_timeout_seconds)
    from bot.store.sqlite_cache import SQLiteCache

    return SQLiteCache(Path(settings.data_dir) / "cache.sqlite3", namespace)


def build_state(settings: Settings, namespace: str = "briefbot") -> StateStore:
    """The strict store: a failure raises StateUnavailable (wrap in DegradingState only what may degrade).

    Redis with REDIS_URL; otherwise a SQLite file under BRIEFBOT_DATA_DIR, durable and shared by the
    processes of one machine (exactly-once digests hold across them)."""
    if settings.redis_url:
        return RedisState(settings.redis_url, namespace, settings.redis_connect_timeout_seconds)
    from bot.store.sqlite_state import SQLiteState

    return SQLiteState(Path(settings.data_dir) / "state.sqlite3", namespace)


def build_article_source(
    settings: Settings, articles_dir: Path | None = None, namespace: str | None = None
) -> ArticleSource:
    """The article store: the folder (default) or, with BRIEFBOT_ARTICLE_STORE=redis, Redis shared by replicas."""
    if settings.article_store == "redis" and articles_dir is None:
        if not settings.redis_url:
            raise ValueError("BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL")
        from bot.store.articles import RedisArticleStore

        return RedisArticleStore(
            settings.redis_url, namespace or settings.namespace, settings.redis_connect_timeout_seconds
        )
    from bot.store.articles import FolderStore

    folder = settings.resolve(Path(articles_dir or settings.articles_dir))
    return FolderStore(folder, max_bytes=settings.max_article_bytes)


def build_engine(settings: Settings, namespace: str) -> SummarizerEngine:
    """The configured summarizer; with Redis and the minilm encoder, embeddings are shared by replicas."""
    store = None
    if settings.redis_url and settings.encoder == "minilm":
        from bot.store.vectors import RedisVectorStore

        store = RedisVectorStore(settings.redis_url, namespace, connect_timeout=settings.redis_connect_timeout_seconds)
    return SummarizerEngine(settings.encoder, settings.encoder_model, store, settings.polish_model)


def build_discoverer(settings: Settings, source: ArticleSource, topics: list[TopicSpec]) -> Any:
    """Discovered topics over the source's ingest-time vectors (None when BRIEFBOT_DISCOVER_TOPICS=false)."""
    if not settings.discover_topics:
        return None
    from summarizer.clusters import TopicDiscoverer

    return TopicDiscoverer(vectors=getattr(source, "lead_vectors", None), reserved=[t.name for t in topics])


def build_subscriptions(
    settings: Settings, state: StateStore, service: BriefService
) -> tuple[SubscriptionStore, ChatSubscriptions]:
    """The subscription store (state store + static digests.toml) and the chat commands over it."""
    static, warnings = load_static(settings.resolve(settings.digests_file))
    for warning in warnings:
        log.warning("%s", warning)
    store = SubscriptionStore(state, static)
    return store, ChatSubscriptions(store, service, settings.default_timezone)


def build_digest_runner(bot: Briefbot, posters: dict[str, Any]) -> DigestRunner:
    """Posts digest occurrences through ``posters`` (platform -> ChatAdapter), once across replicas."""
    s = bot.settings
    options = DigestSettings(lock_ttl=s.digest_lock_seconds, post_unchanged=s.digest_post_unchanged)
    # locks and markers go to the strict store (never memory): during an outage a digest waits for the next
    # catch-up instead of being posted once per replica
    return DigestRunner(bot.service, strict(bot.state), posters, bot.core, options)


def build_digest_scheduler(bot: Briefbot, posters: dict[str, Any]) -> DigestScheduler:
    """A scheduler for the digests of the platforms in ``posters``; chat changes re-sync it at once."""
    scheduler = DigestScheduler(
        bot.subscriptions,
        build_digest_runner(bot, posters),
        grace=timedelta(seconds=bot.settings.digest_grace_seconds),
        sync_seconds=bot.settings.digest_sync_seconds,
    )
    bot.subscription_commands.listeners.append(scheduler.changed)
    return scheduler


class Briefbot:
    """Everything a running Briefbot holds. ``async with Briefbot(settings) as bot: ...``"""

    def __init__(
        self,
        settings: Settings,
        articles_dir: Path | None = None,
        namespace: str | None = None,
        source: ArticleSource | None = None,
    ) -> None:
        self.settings = settings
        self.namespace = namespace = namespace or settings.namespace
        self.cache = build_cache(settings, namespace)
        self.state = build_state(settings, namespace)
        self.topics = load_topic_specs(settings.resolve(settings.topics_file))
        self.source = source or build_article_source(settings, articles_dir, namespace)
        self.engine = build_engine(settings, namespace)
        self.service = BriefService(
            self.source,
            self.topics,
            self.cache,
            cache_ttl=settings.cache_ttl_seconds,
            builder=self.engine.build,
            answerer=self.engine.answer,
            engine_tag=self.engine.tag,
            discover=build_discoverer(settings, self.source, self.topics),
        )
        self.subscriptions, self.subscription_commands = build_subscriptions(settings, self.state, self.service)
        self.core = BriefbotCore(
            self.service,
            DegradingState(self.state),  # rate limits and thread contexts may degrade; nothing else does
            subscriptions=self.subscription_commands,
            thread_ttl=settings.thread_ttl_seconds,
            briefs_per_user_per_minute=settings.briefs_per_user_per_minute,
        )
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Briefbot:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._stack.aclose()
        if hasattr(self.source, "close"):  # the Redis article store holds a connection pool
            await self.source.close()
        await self.cache.close()
        await self.state.close()

    def on_close(self, callback: Any) -> None:
        """Register an async cleanup (adapters, scheduler) to run when the bot closes, last in first out."""
        self._stack.push_async_callback(callback)


async def run_platforms(settings: Settings, names: list[str], articles_dir: Path | None = None) -> None:
    """Run the named platform adapters until cancelled."""
    import asyncio

    async with Briefbot(settings, articles_dir=articles_dir) as bot:
        adapters: list[Any] = []
        for name in names:
            if name == "slack":
                from bot.adapters.slack import SlackAdapter

                adapters.append(SlackAdapter(bot.core, settings, bot.state))
            elif name == "discord":
                from bot.adapters.discord import DiscordAdapter

                adapters.append(DiscordAdapter(bot.core, settings, bot.state))
        for adapter in adapters:
            await adapter.start()
            bot.on_close(adapter.stop)
        from bot.adapters.console import ConsoleAdapter  # console digests print on this process's stdout

        posters = {"console": ConsoleAdapter(bot.core)} | {a.platform: a for a in adapters}
        scheduler = build_digest_scheduler(bot, posters)
        await scheduler.start()
        bot.on_close(scheduler.stop)
        await asyncio.Event().wait()

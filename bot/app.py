"""Composition root: builds settings, cache, state, the brief service and the core; owns their lifetimes.

Only this module (and the CLI) wires concrete classes together. ``Briefbot`` is an async context manager,
so every command and every test closes Redis connections and adapters the same way.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import tomllib
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import platforms
from bot.core.engine import EngineSpec, SummarizerEngine, engine_for
from bot.core.handlers import BriefbotCore, SourceCommands
from bot.core.models import ChatAdapter, StartupError
from bot.core.pages import LinkError, build_pages
from bot.core.service import ArticleSource, BriefBuilder, BriefService
from bot.core.work import WorkSlots
from bot.core.workers import WorkerPool
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
        from bot.store.redis_articles import RedisArticleStore

        return RedisArticleStore(
            settings.redis_url, namespace or settings.namespace, settings.redis_connect_timeout_seconds
        )
    from bot.store.articles import FolderStore

    folder = settings.resolve(Path(articles_dir or settings.articles_dir))
    if folder == settings.resolve(Path(settings.articles_dir)):  # the configured folder: plus the live store
        from bot.core.service import FolderArticles
        from bot.store.sqlite_articles import SeedsAndStore

        return SeedsAndStore(FolderArticles(folder, settings.max_article_bytes), build_article_store(settings))
    return FolderStore(folder, max_bytes=settings.max_article_bytes)


def build_article_store(settings: Settings, namespace: str | None = None) -> Any:
    """Where ingest and the source poller write: Redis with BRIEFBOT_ARTICLE_STORE=redis, else the embedded
    SQLite store in BRIEFBOT_DATA_DIR (never the tracked seed folder)."""
    if settings.article_store == "redis":
        if not settings.redis_url:
            raise ValueError("BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL")
        from bot.store.redis_articles import RedisArticleStore

        return RedisArticleStore(
            settings.redis_url, namespace or settings.namespace, settings.redis_connect_timeout_seconds
        )
    from bot.store.sqlite_articles import SqliteArticleStore

    return SqliteArticleStore(Path(settings.data_dir) / "articles.sqlite3")


def build_source_registry(settings: Settings, state: StateStore) -> Any:
    """Sources in the state store (every replica sees them) plus the static ones of config/sources.toml."""
    from bot.sources.registry import SourceRegistry, load_static

    static, warnings = load_static(settings.resolve(settings.sources_file))
    for warning in warnings:
        log.warning("%s", warning)
    return SourceRegistry(state, static)


def build_poller(settings: Settings, registry: Any, store: Any) -> Any:
    """The source poller with the fetch limits, intervals and retention of the settings."""
    from bot.sources.fetch import FetchOptions, user_agent
    from bot.sources.poller import Poller, PollOptions

    s = settings
    fetch = FetchOptions(
        timeout=s.source_fetch_timeout_seconds,
        connect_timeout=s.source_connect_timeout_seconds,
        max_bytes=s.source_max_bytes,
        max_redirects=s.source_max_redirects,
        per_host=s.source_per_host,
        concurrency=max(s.source_concurrency, s.source_per_host),
        allow_private=s.allow_private_sources,
        user_agent=user_agent(s.contact_url),
    )
    options = PollOptions(
        default_interval=s.source_every_seconds,
        min_interval=s.source_min_seconds,
        max_interval=max(s.source_max_seconds, s.source_min_seconds),
        unhealthy_after=s.source_unhealthy_after,
        unhealthy_retry=s.source_unhealthy_retry_seconds,
        teasers_per_pass=s.source_teasers_per_pass,
        concurrency=s.source_concurrency,
        retention_seconds=s.retention_days * 86400,
        max_article_bytes=s.max_article_bytes,
        source_deadline=3 * s.source_fetch_timeout_seconds,
    )
    return Poller(registry, store, fetch, options)


def build_engine(settings: Settings, namespace: str) -> SummarizerEngine:
    """The configured summarizer; with Redis and the minilm encoder, embeddings are shared by replicas."""
    spec = EngineSpec(
        settings.encoder,
        settings.encoder_model,
        settings.polish_model,
        settings.redis_url,
        namespace,
        settings.redis_connect_timeout_seconds,
    )
    return SummarizerEngine.from_spec(spec)


def build_pool(
    engine: SummarizerEngine, processes: int, log_format: str = "text", niceness: int = 0
) -> WorkerPool | None:
    """The process pool every adapter and the digest runner share (None: build in threads, e.g. one-shot CLI)."""
    if processes < 1:
        return None
    spec = engine.effective_spec()  # resolves the encoder here: a minilm fallback is logged once, by the parent
    return WorkerPool(processes, warm_up=engine_for(spec).warm_up, log_format=log_format, niceness=niceness)


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
    commands = ChatSubscriptions(store, service, settings.default_timezone, settings.digest_min_interval)
    return store, commands


def build_source_commands(bot: Briefbot) -> SourceCommands | None:
    """``/brief sources [since 2d]|add URL|remove ID`` (bot/sources/chat.py): admins add and remove."""
    from bot.sources.chat import SourcesChat

    s = bot.settings
    return SourcesChat(
        bot.sources, s.source_admins, s.allow_private_sources, s.source_every_seconds, s.source_min_seconds
    )


def build_digest_runner(bot: Briefbot, posters: dict[str, Any]) -> DigestRunner:
    """Posts digest occurrences through ``posters`` (platform -> ChatAdapter), once across replicas."""
    s = bot.settings
    options = DigestSettings(lock_ttl=s.digest_lock_seconds, post_unchanged=s.digest_post_unchanged)
    # locks and markers go to the strict store (never memory): during an outage a digest waits for the next
    # catch-up instead of being posted once per replica
    return DigestRunner(bot.service, strict(bot.state), posters, bot.core, options)


def build_digest_scheduler(bot: Briefbot, posters: dict[str, Any], clock: Any = None) -> DigestScheduler:
    """A scheduler for the digests of the platforms in ``posters``; chat changes re-sync it at once; its runs
    are the core's in-flight work (shutdown waits for them). ``clock`` (a callable returning an aware datetime)
    is for tests that fix the time."""
    scheduler = DigestScheduler(
        bot.subscriptions,
        DrainingRunner(build_digest_runner(bot, posters), bot.core),  # type: ignore[arg-type]
        grace=timedelta(seconds=bot.settings.digest_grace_seconds),
        sync_seconds=bot.settings.digest_sync_seconds,
        clock=clock,
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
        builder: BriefBuilder | None = None,
        processes: int = 0,
    ) -> None:
        self.settings = settings
        self.namespace = namespace = namespace or settings.namespace
        self.cache = build_cache(settings, namespace)
        self.state = build_state(settings, namespace)
        self.topics = load_topic_specs(settings.resolve(settings.topics_file))
        self.source = source or build_article_source(settings, articles_dir, namespace)
        self.engine = build_engine(settings, namespace)
        self.pool = build_pool(self.engine, processes, settings.log_format, settings.build_niceness)
        self.service = BriefService(
            self.source,
            self.topics,
            self.cache,
            cache_ttl=settings.cache_ttl_seconds,
            builder=builder or self.engine.build,
            answerer=self.engine.answer,
            engine_tag=lambda: self.engine.tag,
            discover=build_discoverer(settings, self.source, self.topics),
            cpu=WorkSlots(settings.work_slots),
            pool=self.pool,
        )
        self.subscriptions, self.subscription_commands = build_subscriptions(settings, self.state, self.service)
        self.core = BriefbotCore(
            self.service,
            DegradingState(self.state),  # rate limits and thread contexts may degrade; nothing else does
            subscriptions=self.subscription_commands,
            thread_ttl=settings.thread_ttl_seconds,
            briefs_per_user_per_minute=settings.briefs_per_user_per_minute,
            followups_per_user_per_minute=settings.followups_per_minute,
            work_slots=settings.work_slots,
            claims=self.state,  # idempotency keys never degrade: a retry that cannot be checked is dropped
        )
        self.sources = build_source_registry(settings, self.state)
        self.core.sources = build_source_commands(self)
        try:  # brief pages (signed "Full brief" links); misconfigured: the bot refuses to run, the CLI goes on
            self.core.pages = build_pages(self.state, settings)
        except LinkError as problem:
            log.warning("brief pages are off: %s", problem)
            self.pages_problem: str | None = str(problem)
        else:
            self.pages_problem = None
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Briefbot:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._stack.aclose()
        if self.pool is not None:
            self.pool.close()
        if hasattr(self.source, "close"):  # the Redis article store holds a connection pool
            await self.source.close()
        await self.cache.close()
        await self.state.close()

    def on_close(self, callback: Any) -> None:
        """Register an async cleanup (adapters, scheduler) to run when the bot closes, last in first out."""
        self._stack.push_async_callback(callback)


def build_adapters(bot: Briefbot, names: list[str]) -> list[ChatAdapter]:
    """The named platforms' adapters (``bot.platforms``), each given only its own settings."""
    return [platforms.get(name).build(bot.core, bot.settings) for name in names]


class DrainingRunner:
    """The digest runner as the scheduler sees it during shutdown: every run is in-flight work of the core,
    so shutdown waits for it (or cancels it, which releases its lock); once closing, no new run starts."""

    def __init__(self, runner: DigestRunner, core: BriefbotCore) -> None:
        self.runner = runner
        self.core = core
        self.posters = runner.posters

    async def run(self, sub: Any, scheduled_for: Any, wait: float | None = None) -> Any:
        from bot.digests import Outcome

        if self.core.closing:
            return Outcome.IN_PROGRESS  # another replica (or this one, restarted) posts it
        return await self.core.tracked(self.runner.run(sub, scheduled_for, wait))

    def __getattr__(self, name: str) -> Any:  # is_posted, in_backoff, ...: the runner's own
        return getattr(self.runner, name)


async def run_platforms(
    settings: Settings,
    names: list[str],
    articles_dir: Path | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the named platform adapters until SIGTERM/SIGINT (or ``stop``), then shut down gracefully:
    take no new work, let in-flight work finish for up to BRIEFBOT_SHUTDOWN_SECONDS, cancel the rest
    (digest locks are released so another replica posts), stop the adapters, return normally."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, _on_signal, stop, signum)
            installed.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or not Unix
            pass
    try:
        async with Briefbot(settings, articles_dir=articles_dir, processes=settings.pool_processes()) as bot:
            schedulers: list[DigestScheduler] = []
            serving = asyncio.create_task(_serve(bot, names, schedulers), name="briefbot-serve")
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if serving.done():
                serving.result()  # a start-up failure (StartupError) reaches the CLI as one line
            log.warning("shutting down: taking no new work; %s s for work in flight", settings.shutdown_seconds)
            for scheduler in schedulers:
                if scheduler.scheduler is not None:
                    scheduler.scheduler.pause()
            cancelled = await bot.core.drain(settings.shutdown_seconds)  # start-up catch-ups included
            if cancelled:
                log.warning("shutdown: cancelled %d unfinished jobs (their digest locks are released)", cancelled)
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
        log.warning("shutdown complete")
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def _serve(bot: Briefbot, names: list[str], schedulers: list[DigestScheduler]) -> None:
    """Start the build pool, the adapters and the digest scheduler (closed with the bot), then serve until
    cancelled."""
    if bot.pool is not None:
        bot.pool.start()
    await bot.service.ready()
    if bot.pages_problem:
        raise StartupError(bot.pages_problem)
    from bot.web.server import WebServer, state_check

    web = WebServer(bot.settings.http_host, bot.settings.http_port, pages=bot.core.pages)
    web.add_check("state", state_check(bot.state))
    adapters = build_adapters(bot, names)
    for adapter in adapters:  # routes (Slack's events in HTTP mode) are mounted before the server starts
        if hasattr(adapter, "web"):
            adapter.web = web
        for method, path, handler in getattr(adapter, "web_routes", list)():
            web.add_route(method, path, handler)
        if hasattr(adapter, "ready"):
            web.add_check(adapter.platform, adapter.ready)
    await web.start()  # health, readiness and metrics answer in every mode, while the platforms connect
    bot.on_close(web.stop)
    for adapter in adapters:
        await adapter.start()
        bot.on_close(adapter.stop)
    console = platforms.get("console").build(bot.core, bot.settings)  # console digests print on stdout
    posters = {"console": console} | {a.platform: a for a in adapters}
    scheduler = build_digest_scheduler(bot, posters)
    schedulers.append(scheduler)
    bot.on_close(scheduler.stop)
    await scheduler.start()
    await start_polling(bot, scheduler.scheduler)
    log.info("Briefbot running: %s", ", ".join(names))
    await asyncio.Event().wait()


def _on_signal(stop: asyncio.Event, signum: int) -> None:
    log.warning("received %s", signal.Signals(signum).name)
    stop.set()


async def start_polling(bot: Briefbot, scheduler: Any) -> Any:
    """Poll the due sources every ``poll_tick_seconds`` on the scheduler; each source's lease makes a source
    polled once per interval across all replicas. The poller writes to the store the bot reads from."""
    store = bot.source if hasattr(bot.source, "add") else build_article_store(bot.settings, bot.namespace)
    poller = build_poller(bot.settings, bot.sources, store)
    await poller.__aenter__()
    bot.on_close(poller.__aexit__)
    if store is not bot.source:
        bot.on_close(store.close)

    async def tick() -> None:
        try:
            await poller.run_pass()
        except Exception:  # a bad pass is logged; the next tick tries again
            log.exception("source poll pass failed")

    scheduler.add_job(
        tick, "interval", seconds=bot.settings.poll_tick_seconds, id="sources-poll", replace_existing=True,
        next_run_time=datetime.now(UTC),
        max_instances=1, coalesce=True,
    )
    return poller

"""The poller: one pass over the due sources, politely, once per interval across all replicas.

Per source: take its lease (``set_if_absent``, like the digest lock) so two replicas never poll it together,
re-read its status (another replica may just have polled it), then a conditional GET (ETag, Last-Modified).
New items become articles (teasers are replaced by their linked page, a bounded number per pass); the
store dedupes by fingerprint and canonical URL. The next poll is set by the outcome:

* adaptive (no ``--every``): the interval follows the feed's own publication rate, like Miniflux's
  entry-frequency scheduler: the time observed (the rate window, 24 h, or less for a source known for less)
  divided by the number of items published in it, between the configured bounds. It does not grow during a
  quiet stretch of a feed that publishes in bursts (the first item of the next burst would wait for it), only
  as the window slides past old items; a feed with nothing in the window slows down by half per poll up to the
  maximum. A fixed ``--every`` stays fixed;
* an error: exponential backoff from the interval; ``Retry-After`` on 429/503 is honoured; after
  ``unhealthy_after`` errors in a row the source is unhealthy and retried only every few hours.

Every source runs under its own deadline, so a stalled or huge feed never delays the others past it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.metrics import SOURCE_POLLS
from bot.sources.feeds import canonical_url, loader_clean
from bot.sources.fetch import Fetcher, FetchFailed, FetchOptions
from bot.sources.registry import Source, SourceRegistry, SourceStatus
from bot.store.state import new_token
from summarizer.articles import Article
from summarizer.ingest import FeedEntry, Unreadable, compute_features, entry_article, parse_feed, parse_html, word_count

log = logging.getLogger(__name__)

TEASER_WORDS = 150  # an item with fewer words of its own is a teaser: its linked page is the article


@dataclass(frozen=True)
class PollOptions:
    default_interval: float = 1800
    min_interval: float = 300
    max_interval: float = 6 * 3600
    unhealthy_after: int = 5
    unhealthy_retry: float = 6 * 3600
    teasers_per_pass: int = 50
    concurrency: int = 16  # sources polled at once
    retention_seconds: float | None = 30 * 86400
    max_article_bytes: int = 2_000_000
    source_deadline: float = 60.0  # a whole source (feed + its teaser pages), whatever happens
    rate_window: float = 86400  # how far back a feed's publication rate is counted


@dataclass
class SourceOutcome:
    id: str
    url: str
    status: str  # ok | not_modified | error
    added: int = 0
    duplicates: int = 0
    error: str | None = None
    added_ids: list[str] = field(default_factory=list)
    retry_after: float | None = None  # from a 429/503
    pending: list[Article] = field(default_factory=list)  # fetched, to be cleaned and stored
    done: list[str] = field(default_factory=list)  # item keys to remember once stored
    published: list[float] = field(default_factory=list)  # when the new items were published (their rate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "status": self.status, "added": self.added,
            "duplicates": self.duplicates, "error": self.error,
        }


@dataclass
class PollReport:
    sources: list[SourceOutcome] = field(default_factory=list)
    pruned: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"sources": [s.to_dict() for s in self.sources]}

    def summary(self) -> str:
        if not self.sources:
            return "No source was due (use --all to poll every source now)."
        lines = []
        for s in self.sources:
            detail = f"{s.added} new, {s.duplicates} duplicate(s)" if s.status != "error" else s.error
            lines.append(f"{s.id}  {s.status:<12} {detail}  {s.url}")
        added = sum(s.added for s in self.sources)
        failed = sum(s.status == "error" for s in self.sources)
        lines.append(f"Polled {len(self.sources)} source(s): {added} new article(s), {failed} failed.")
        if self.pruned:
            lines.append(f"Retention: {self.pruned} old article(s) removed.")
        return "\n".join(lines)


def item_key(entry: FeedEntry) -> str:
    """What identifies a feed item between polls: its canonical link, else its title and date."""
    return canonical_url(entry.link) or f"{entry.title}|{entry.published}"


class Poller:
    """``await Poller(...).run_pass()``; one instance per process, sharing one fetcher session."""

    def __init__(
        self,
        registry: SourceRegistry,
        store: Any,
        fetch_options: FetchOptions,
        options: PollOptions | None = None,
        clock: Any = time.time,
        on_added: Any = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.registry = registry
        self.store = store
        self.fetch_options = fetch_options
        self.options = options or PollOptions()
        self.clock = clock
        self.on_added = on_added  # called with the new article ids (e.g. to note fresh articles)
        self._unopened = fetcher or Fetcher(fetch_options)  # tests pass one with a mapped resolver
        self.fetcher: Fetcher | None = None
        # (source id, added) -> (next poll this replica knows of, when it learnt it): "not due yet" is trusted
        # without reading the status (a big saving per tick), but only for the shortest interval, because
        # another replica's poll (a shorter adaptive interval, or `briefbot poll --all`) can move it earlier.
        self._known_next: dict[tuple[str, float], tuple[float, float]] = {}
        self._hosts: dict[str, asyncio.Semaphore] = {}  # feeds of one host polled at once (fetch per_host)

    async def __aenter__(self) -> Poller:
        self._hosts = {}  # semaphores belong to one event loop
        self.fetcher = await self._unopened.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self.fetcher is not None:
            await self.fetcher.__aexit__(*exc)
            self.fetcher = None

    async def run_pass(self, everything: bool = False, progress: Any = None) -> PollReport:
        """Poll the due sources (every source with ``everything``); sources leased elsewhere are skipped."""
        if self.fetcher is None:
            async with self:
                return await self.run_pass(everything, progress)
        sources = await self.registry.all()
        current = {(s.id, s.added) for s in sources}
        self._known_next = {k: v for k, v in self._known_next.items() if k in current}  # removed sources go
        report = PollReport()
        limit = asyncio.Semaphore(self.options.concurrency)
        task = progress.add_task("polling", total=len(sources)) if progress is not None else None

        async def one(source: Source) -> None:
            async with limit:
                outcome = await self.poll_source(source, everything)
            if outcome is not None:
                report.sources.append(outcome)
            if progress is not None:
                progress.advance(task)

        await asyncio.gather(*(one(s) for s in sources))
        order = {s.id: n for n, s in enumerate(sources)}
        report.sources.sort(key=lambda o: order.get(o.id, 0))
        if self.options.retention_seconds and hasattr(self.store, "prune"):
            report.pruned = await self.store.prune(self.options.retention_seconds)
            if report.pruned:
                log.info("retention: %d article(s) older than %g days removed", report.pruned,
                         self.options.retention_seconds / 86400)
        return report

    def _not_due(self, source: Source, status: SourceStatus, now: float) -> bool:
        if status.next_poll is not None and status.next_poll > now:
            self._known_next[(source.id, source.added)] = (status.next_poll, now)
            return True
        return False

    async def poll_source(self, source: Source, everything: bool = False) -> SourceOutcome | None:
        """One source, under its lease; None when it was not due or another replica holds it.

        The deadline is the source's own time: a feed waiting for a free connection to its host (other feeds
        of that host ahead of it) is not charged for the wait, or a busy host's healthy feeds would time out,
        back off and be polled less. So the poller queues per host first, and takes the lease (whose life
        the deadline bounds) only once it is this feed's turn."""
        known = self._known_next.get((source.id, source.added))
        now = self.clock()
        if not everything and known is not None and known[0] > now and now - known[1] < self.options.min_interval:
            return None
        if not everything and self._not_due(source, await self.registry.status(source.id), now):
            return None  # a read without the lease: most sources are not due on most passes
        host = urlsplit(source.url).hostname or ""
        gate = self._hosts.setdefault(host, asyncio.Semaphore(self.fetch_options.per_host))
        async with gate:
            return await self._leased(source, everything)

    async def _leased(self, source: Source, everything: bool) -> SourceOutcome | None:
        state = self.registry.state
        lease, token = f"sources:lease:{source.id}", new_token()
        if not await state.set_if_absent(lease, token, self.options.source_deadline + 300):
            return None
        try:
            status = await self.registry.status(source.id)  # fresh: another replica may just have polled
            now = self.clock()
            if not everything and self._not_due(source, status, now):
                return None
            try:
                # the deadline bounds the network (feed and teaser pages); storing is local work after it
                outcome = await asyncio.wait_for(self._poll(source, status), self.options.source_deadline)
            except TimeoutError:
                outcome = SourceOutcome(
                    source.id, source.url, "error",
                    error=f"the poll took longer than {self.options.source_deadline:g} s",
                )
            if outcome.status == "ok":
                await self._store(outcome, status)
            self._schedule(source, status, outcome, now)
            SOURCE_POLLS.labels(outcome.status).inc()
            if status.next_poll is not None:
                self._known_next[(source.id, source.added)] = (status.next_poll, self.clock())
            if await self.registry.save_status(source.id, status):
                log.info("source %s: %s, %d new (%s)", source.id, outcome.status, outcome.added, source.url)
            if outcome.added_ids and self.on_added is not None:
                self.on_added(outcome.added_ids)
            return outcome
        finally:
            await state.delete_if_equals(lease, token)

    def _schedule(self, source: Source, status: SourceStatus, outcome: SourceOutcome, now: float) -> None:
        o = self.options
        interval = float(source.every_seconds or status.interval or o.default_interval)
        status.last_polled = now
        status.last_status = outcome.status
        status.last_error = outcome.error
        if outcome.status == "error":
            status.consecutive_errors += 1
            backoff = min(o.max_interval, interval * 2 ** min(status.consecutive_errors, 16))
            if outcome.retry_after:
                backoff = max(backoff, outcome.retry_after)
            if status.consecutive_errors >= o.unhealthy_after:
                status.healthy = False
                backoff = max(backoff, o.unhealthy_retry)
            status.next_poll = now + backoff * random.uniform(1.0, 1.1)  # noqa: S311  jitter, not secrecy
            log.warning("source %s: %s (error %d in a row)", source.id, outcome.error, status.consecutive_errors)
            return
        status.consecutive_errors = 0
        status.healthy = True
        status.articles_added += outcome.added
        if status.first_polled is None:
            status.first_polled = now
        status.note_published(outcome.published, now - o.rate_window)
        if source.every_seconds is None:  # adaptive: busy feeds more often, quiet ones less
            interval = self.adaptive_interval(status, outcome, now, interval)
            status.interval = interval
        status.next_poll = now + interval

    def adaptive_interval(self, status: SourceStatus, outcome: SourceOutcome, now: float, interval: float) -> float:
        """The mean time between the feed's publications over the rate window (or over the time the source
        has been known, when shorter), between the bounds; with nothing published in it, half as long again
        as ``interval``. A subclass may choose another rule (bench/wire.py compares an earlier one)."""
        o = self.options
        times = status.published
        if not times:
            return min(o.max_interval, max(o.min_interval, interval * 1.5))
        known_since = min(status.first_polled if status.first_polled is not None else now, times[0])
        observed = min(o.rate_window, max(now - known_since, o.min_interval))
        return min(o.max_interval, max(o.min_interval, observed / len(times)))

    async def _poll(self, source: Source, status: SourceStatus) -> SourceOutcome:
        assert self.fetcher is not None
        headers = {}
        if status.etag:
            headers["If-None-Match"] = status.etag
        if status.last_modified:
            headers["If-Modified-Since"] = status.last_modified
        try:
            fetched = await self.fetcher.get(source.url, headers)
        except FetchFailed as failed:
            retry_after = failed.retry_after if failed.status in (429, 503) else None
            return SourceOutcome(source.id, source.url, "error", error=str(failed), retry_after=retry_after)
        if fetched.status == 304:
            return SourceOutcome(source.id, source.url, "not_modified")
        try:
            entries = await asyncio.to_thread(parse_feed, fetched.body, fetched.url)
        except Unreadable as problem:
            return SourceOutcome(source.id, source.url, "error", error=str(problem))
        except Exception as error:  # feedparser on pathological input: one source's problem, not the pass's
            return SourceOutcome(source.id, source.url, "error", error=f"unreadable feed ({type(error).__name__})")
        status.etag = fetched.headers.get("ETag") or None
        status.last_modified = fetched.headers.get("Last-Modified") or None
        return await self._entries(source, status, entries)

    async def _entries(self, source: Source, status: SourceStatus, entries: Sequence[FeedEntry]) -> SourceOutcome:
        outcome = SourceOutcome(source.id, source.url, "ok")
        seen = set(status.seen)
        now = self.clock()
        cutoff = now - self.options.retention_seconds if self.options.retention_seconds else None
        fresh = [e for e in entries if item_key(e) not in seen]
        teasers_left = self.options.teasers_per_pass
        done: list[str] = []
        articles: list[Article] = []
        teasers: list[FeedEntry] = []
        for entry in fresh:
            published = entry.published
            if cutoff is not None and published and _epoch(published) is not None and _epoch(published) < cutoff:
                done.append(item_key(entry))  # older than retention: would be pruned at once
                continue
            if word_count(entry.text) >= TEASER_WORDS or not entry.link:
                article = self._entry_article(entry, None, now)
                if article is not None:
                    articles.append(article)
                done.append(item_key(entry))
            elif teasers_left > 0:
                teasers_left -= 1
                teasers.append(entry)
            else:  # left for the next pass (not marked seen): the next poll must get the full feed, not a 304
                status.etag = status.last_modified = None
        pages = await asyncio.gather(*(self._page(e) for e in teasers))  # cancelled with the source's deadline
        for entry, page in zip(teasers, pages, strict=True):
            article = self._entry_article(entry, page, now)
            if article is not None:
                articles.append(article)
            done.append(item_key(entry))
        outcome.pending, outcome.done = articles, done
        handled = set(done)  # an item left for the next pass is counted then, once
        outcome.published = [_published_at(e.published, now) for e in fresh if item_key(e) in handled]
        return outcome

    async def _store(self, outcome: SourceOutcome, status: SourceStatus) -> None:
        """Clean (the loader's rules), compute features and add; the store dedupes across sources."""
        articles, outcome.pending = outcome.pending, []
        cleaned = [c for c in (loader_clean(a, self.options.max_article_bytes) for a in articles) if c is not None]
        if cleaned:
            features = await asyncio.to_thread(compute_features, cleaned)
            results = await self.store.add(list(zip(cleaned, features, strict=True)))
            for result in results:
                if result.status == "added":
                    outcome.added += 1
                    outcome.added_ids.append(result.article_id)
                else:
                    outcome.duplicates += 1
        status.remember(outcome.done)

    async def _page(self, entry: FeedEntry) -> Article | None:
        """The linked page of a teaser item, through the guarded fetcher; None when it cannot be had."""
        assert self.fetcher is not None and entry.link
        try:
            fetched = await self.fetcher.get(entry.link)
            return await asyncio.to_thread(parse_html, fetched.body, fetched.url)
        except (FetchFailed, Unreadable) as problem:
            log.info("teaser page %s: %s", entry.link, problem)
            return None
        except Exception as error:  # trafilatura/lxml on hostile markup
            log.info("teaser page %s: %s", entry.link, type(error).__name__)
            return None

    @staticmethod
    def _entry_article(entry: FeedEntry, page: Article | None, now: float) -> Article | None:
        """title, outlet (the feed's title), url and published (UTC; first seen when the feed gives none)."""
        import datetime as dt

        published = entry.published or dt.datetime.fromtimestamp(now, dt.UTC).isoformat(timespec="seconds")
        try:
            base = page if page is not None else entry_article(entry)
        except Unreadable:
            return None
        return Article(
            base.id, entry.title or base.title, base.body, entry.outlet or base.outlet, entry.link or base.url,
            published,
        )


def _published_at(published: str | None, now: float) -> float:
    """An item's publication time for the feed's rate: its date, or ``now`` when it has none or a future one."""
    when = _epoch(published) if published else None
    return now if when is None or when > now else when


def _epoch(published: str) -> float | None:
    from bot.store.sqlite_articles import epoch_of

    return epoch_of(published)

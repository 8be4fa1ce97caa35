"""Ingestion: add files, folders, web pages and feeds to the article store, with a report of what happened.

Shared by ``briefbot ingest``, the benchmarks and the source poller.

Local files and folders (.txt/.md with front matter, .html pages, .xml/.rss/.atom feeds), web pages and
RSS/Atom feeds by URL. Parsing is ``summarizer.ingest`` (pure); fetching and the store are here; the CLI is
``bot.cli.ingest``. A feed item whose text is only a teaser is replaced by its linked page; nothing is ever
lost silently: every source ends up added, a duplicate of a stored article, or skipped with its reason.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sources.feeds import loader_clean
from bot.sources.fetch import Fetcher, FetchFailed, FetchOptions
from summarizer.articles import MAX_ARTICLE_BYTES, Article
from summarizer.ingest import (
    FeedEntry,
    Unreadable,
    compute_features,
    decode,
    entry_article,
    iter_files,
    kind_of_path,
    looks_like_feed,
    parse_feed,
    parse_html,
    parse_text,
    word_count,
)

TEASER_WORDS = 150  # a feed item shorter than this is a teaser: fetch the page it links to
BATCH = 500
IN_FLIGHT = 64  # sources read or downloaded at once
MAX_DOWNLOAD_BYTES = 10_000_000  # a local page or feed file larger than this is skipped (issue 14)
FRONT_MATTER_ALLOWANCE = 65_536  # a text file may carry this much front matter on top of the article's byte cap
log = logging.getLogger(__name__)

@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, stored article id)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def reason_counts(self) -> Counter[str]:
        """Skips grouped by the start of their reason ('empty', 'unreadable', 'fetch failed', ...)."""
        return Counter(reason.split(" (")[0].split(":")[0] for _, reason in self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": [{"source": s, "duplicate_of": d} for s, d in self.duplicates],
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "counts": {"added": len(self.added), "duplicates": len(self.duplicates), "skipped": len(self.skipped)},
        }

    def summary(self) -> str:
        lines = [
            f"Added {len(self.added)} article(s); {len(self.duplicates)} duplicate(s) skipped; "
            f"{len(self.skipped)} source(s) skipped."
        ]
        if self.skipped:
            lines.append("Skipped by reason: " + ", ".join(f"{k} {v}" for k, v in self.reason_counts().most_common()))
        lines += [f"  duplicate: {s} (same text as {d})" for s, d in self.duplicates[:20]]
        lines += [f"  skipped: {s}: {r}" for s, r in self.skipped[:50]]
        hidden = max(0, len(self.duplicates) - 20) + max(0, len(self.skipped) - 50)
        if hidden:
            lines.append(f"  ... and {hidden} more (use --format json for all)")
        return "\n".join(lines)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


class Ingester:
    """Turns sources into articles and adds them to a store, batch by batch."""

    def __init__(self, store: Any, fetcher: Fetcher, progress: Any = None, max_bytes: int = 2_000_000) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.fetcher = fetcher
        self.report = IngestReport()
        # (order key, source label, article): a batch is stored in the order the sources were given, so the
        # first of two duplicates named on the command line is the one kept, whatever the download order
        self._pending: list[tuple[tuple[int, int], str, Article]] = []
        self._progress = progress
        self._task: Any = None

    def _advance(self, total_delta: int = 0) -> None:
        if self._progress is not None:
            if total_delta:
                self._progress.update(self._task, total=self._progress.tasks[0].total + total_delta)
            else:
                self._progress.advance(self._task)

    async def run(self, sources: Sequence[str]) -> IngestReport:
        plan: list[tuple[str, Path | None]] = []
        for source in sources:
            if is_url(source):
                plan.append((source, None))
                continue
            path = Path(source).expanduser()
            if not path.exists():
                self.report.skipped.append((source, "not found"))
                continue
            files = list(iter_files(path, self.report.skipped))  # links out of the folder are reported skipped
            if not files:
                self.report.skipped.append((source, "no .txt, .md, .html or feed files"))
            plan += [(str(f), f) for f in files]
        if self._progress is not None:
            self._task = self._progress.add_task("ingesting", total=len(plan))
        # a bounded number of sources in flight: a 100,000-file folder must not queue 100,000 reads ahead of
        # the first batch's write (memory, and no article stored until every file was read)
        limit = asyncio.Semaphore(IN_FLIGHT)

        async def bounded(n: int, source: str, path: Path | None) -> None:
            async with limit:
                await self._one(n, source, path)

        await asyncio.gather(*(bounded(n, source, path) for n, (source, path) in enumerate(plan)))
        await self._flush()
        return self.report

    async def _one(self, order: int, source: str, path: Path | None) -> None:
        try:
            if path is None:
                fetched = await self.fetcher.get(source)
                await self._bytes(order, source, fetched.body, fetched.content_type, fetched.url)
            else:
                await self._file(order, source, path)
        except (Unreadable, FetchFailed) as problem:
            self.report.skipped.append((source, str(problem)))
        except OSError as error:
            self.report.skipped.append((source, f"unreadable ({error.strerror or error})"))
        except Exception as error:  # one bad file never aborts the batch (issue 14): skip it, say why
            log.debug("%s: skipped", source, exc_info=True)
            self.report.skipped.append((source, f"unreadable ({type(error).__name__})"))
        finally:
            self._advance()
        if len(self._pending) >= BATCH:
            await self._flush()

    async def _file(self, order: int, source: str, path: Path) -> None:
        kind = kind_of_path(path)
        data = await asyncio.to_thread(_read_capped, path, kind)
        if kind == "feed":
            await self._feed(order, source, data, None)
        elif kind == "html":
            self._pending.append(((order, 0), source, await asyncio.to_thread(parse_html, data, None, path=str(path))))
        else:
            self._pending.append(((order, 0), source, parse_text(decode(data), path=str(path))))

    async def _bytes(self, order: int, source: str, body: bytes, content_type: str, url: str) -> None:
        if looks_like_feed(body, content_type):
            await self._feed(order, source, body, url)
        elif "text/plain" in content_type.lower():
            self._pending.append(((order, 0), source, parse_text(decode(body), url=url)))
        else:
            self._pending.append(((order, 0), source, await asyncio.to_thread(parse_html, body, url)))

    async def _feed(self, order: int, source: str, data: bytes, url: str | None) -> None:
        entries = await asyncio.to_thread(parse_feed, data, url)
        if not entries:
            self.report.skipped.append((source, "empty (the feed has no items)"))
            return
        self._advance(total_delta=len(entries))
        await asyncio.gather(*(self._entry((order, n), source, e) for n, e in enumerate(entries)))

    async def _entry(self, key: tuple[int, int], feed: str, entry: FeedEntry) -> None:
        label = entry.link or f"{feed} item '{entry.title[:60]}'"
        try:
            if word_count(entry.text) >= TEASER_WORDS or not entry.link or not is_url(entry.link):
                self._pending.append((key, label, entry_article(entry)))
                return
            try:
                fetched = await self.fetcher.get(entry.link)
                page = await asyncio.to_thread(parse_html, fetched.body, fetched.url)
            except (FetchFailed, Unreadable) as problem:
                if word_count(entry.text) >= 10:  # the teaser is better than nothing; say so
                    self._pending.append((key, label, entry_article(entry)))
                    return
                raise problem
            # the feed's metadata is usually cleaner than the page's
            self._pending.append(
                (
                    key,
                    label,
                    Article(
                        page.id,
                        entry.title or page.title,
                        page.body,
                        page.outlet or entry.outlet,
                        entry.link,
                        entry.published or page.published,
                    ),
                )
            )
        except (Unreadable, FetchFailed) as problem:
            self.report.skipped.append((label, str(problem)))
        finally:
            self._advance()

    async def _flush(self) -> None:
        pending, self._pending = sorted(self._pending, key=lambda item: item[0]), []
        batch = []
        for key, source, article in pending:  # the loader's cleaning, as for files read by `brief`
            cleaned = loader_clean(article, self.max_bytes)
            if cleaned is None:
                self.report.skipped.append((source, "empty (nothing left after removing boilerplate)"))
            else:
                batch.append((key, source, cleaned))
        if not batch:
            return
        articles = [a for _, _, a in batch]
        features = await asyncio.to_thread(compute_features, articles)
        results = await self.store.add(list(zip(articles, features, strict=True)))
        for (_, source, _), result in zip(batch, results, strict=True):
            if result.status == "added":
                self.report.added.append(result.article_id)
            else:
                self.report.duplicates.append((source, result.duplicate_of or result.article_id))


def _read_capped(path: Path, kind: str) -> bytes:
    """A local file, read no further than its cap (issue 14: a 50 MB file was read, and stored, whole).

    A text article keeps its first bytes with a warning naming the file (the article's own caps then apply);
    a page or feed cut short would be broken markup, so a larger one is skipped, like a download over the cap.
    """
    limit = MAX_ARTICLE_BYTES + FRONT_MATTER_ALLOWANCE if kind == "text" else MAX_DOWNLOAD_BYTES
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) <= limit:
        return data
    if kind != "text":
        raise Unreadable(f"too large (more than {limit} bytes)")
    log.warning("%s: larger than %d bytes, only the first %d are read", path, limit, limit)
    return data[:limit]


def _progress(enabled: bool) -> Any:
    """A rich progress bar on stderr, only when stderr is a terminal (never in logs or pipes)."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )


async def ingest_sources(
    store: Any,
    sources: Iterable[str],
    timeout: float = 20.0,
    concurrency: int = 8,
    progress: bool = True,
    options: FetchOptions | None = None,
) -> IngestReport:
    """Programmatic entry point (the CLI and the benchmarks use it). Loopback and private hosts are refused
    unless ``options.allow_private``."""
    options = options or FetchOptions(timeout=timeout, concurrency=concurrency)
    bar = _progress(progress)
    async with Fetcher(options) as fetcher:
        ingester = Ingester(store, fetcher, bar)
        if bar is None:
            return await ingester.run(list(sources))
        with bar:
            return await ingester.run(list(sources))

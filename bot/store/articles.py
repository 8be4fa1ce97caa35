"""The article store: where ingested articles and their ingest-time features live.

Two backends behind one protocol (an ``ArticleSource`` for the brief service, plus ``add``):

* ``FolderStore`` (default): one ``.txt`` per article with front matter (title, outlet, url, published), the
  same files ``briefbot brief --articles DIR`` reads, plus ``.briefbot/features.jsonl`` next to them holding
  each article's fingerprint, sentence split and hashed lead vector;
* ``RedisArticleStore``: the same records in Redis hashes, so several replicas share one corpus. Adding is
  one Lua script (dedup by fingerprint and append are atomic, whichever replica ingests), and each replica
  reads only the articles appended since its last read. Before each read it checks that the log still
  starts where it left it (its last id is still at the same position); a Redis restarted empty, a flushed
  or rewritten log makes it read everything again. An unreadable record is skipped, logged and counted.

Writers take turns: a ``FolderStore`` holds an exclusive file lock (``.briefbot/write.lock``) around each
batch and first reads what other processes appended to the index, so two ``briefbot ingest`` runs into one
folder store each story once.

Dedup is by body fingerprint (``summarizer.ingest.fingerprint``): the same text from two URLs is one article.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from bot.core.service import FolderArticles
from bot.redact import redact
from bot.store.values import report_corrupt
from summarizer.articles import Article
from summarizer.ingest import ArticleFeatures, compute_features, features_matrix, fingerprint, to_front_matter

try:  # POSIX: one writer across processes; elsewhere only across this process's threads
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


class AddStatus(StrEnum):
    added = "added"
    duplicate = "duplicate"


@dataclass(frozen=True)
class AddResult:
    status: AddStatus
    article_id: str
    duplicate_of: str | None = None


class StoreUnavailable(Exception):
    """The store cannot be reached or written (Redis down, folder not writable): the message says which."""


class ArticleStore(Protocol):
    async def articles(self) -> Sequence[Article]: ...

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        """Store new articles; an article whose fingerprint is already stored is reported as a duplicate."""
        ...

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        """Stored hashed title+lead vectors, one sparse row per article (computed if missing)."""
        ...

    async def close(self) -> None: ...


class _FeatureCache:
    """In-memory features by article id, valid while the article's content hash matches."""

    def __init__(self) -> None:
        self.by_id: dict[str, ArticleFeatures] = {}

    def put(self, features: ArticleFeatures) -> None:
        self.by_id[features.article_id] = features

    def vectors(self, articles: Sequence[Article]) -> Any:
        rows: list[ArticleFeatures | None] = []
        for article in articles:
            known = self.by_id.get(article.id)
            rows.append(known if known is not None and known.content_hash == article.content_hash else None)
        missing = [a for a, f in zip(articles, rows, strict=True) if f is None]
        if missing:  # hand-edited or pre-existing files: hash them once, keep the result
            for features in compute_features(missing, with_sentences=False):
                self.put(features)
            rows = [self.by_id[a.id] for a in articles]
        return features_matrix([f for f in rows if f is not None])


class FolderStore:
    """Articles as front-matter .txt files in a folder; features in ``.briefbot/features.jsonl``."""

    def __init__(self, folder: Path, max_bytes: int = 2_000_000) -> None:
        self.folder = Path(folder)
        self.reader = FolderArticles(self.folder, max_bytes=max_bytes)
        self.index_file = self.folder / ".briefbot" / "features.jsonl"
        self._features = _FeatureCache()
        self._fingerprints: dict[str, str] | None = None
        self._index_offset = 0  # bytes of the index read so far (other processes append to it)
        self._index_lock = threading.Lock()
        self._write_lock = threading.Lock()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.reader.warnings

    async def articles(self) -> Sequence[Article]:
        return await self.reader.articles()

    def _load_index(self) -> None:
        """Read the index records appended since the last call (by us or by another process)."""
        with self._index_lock:
            if not self.index_file.is_file():
                return
            with self.index_file.open("rb") as handle:
                handle.seek(self._index_offset)
                for line in handle:
                    if not line.endswith(b"\n"):
                        break  # a record being written right now: read it next time
                    self._index_offset += len(line)
                    try:
                        features = ArticleFeatures.from_dict(json.loads(line))
                    except (ValueError, KeyError, TypeError) as error:
                        report_corrupt("article-features", f"{self.index_file}@{self._index_offset}", error)
                        continue
                    self._features.put(features)
                    if self._fingerprints is not None:
                        self._fingerprints.setdefault(features.fingerprint, features.article_id)

    def _known(self) -> dict[str, str]:
        """fingerprint -> article id, for the stored records and for every article file in the folder."""
        if self._fingerprints is None:
            self._load_index()
            known = {f.fingerprint: f.article_id for f in self._features.by_id.values()}
            if self.folder.is_dir():
                for article in self.reader.load():
                    known.setdefault(fingerprint(article.body), article.id)
            self._fingerprints = known
        return self._fingerprints

    @contextlib.contextmanager
    def _one_writer(self) -> Iterator[None]:
        """Exclusive across this process's threads and, with a file lock, across processes."""
        with self._write_lock:
            if fcntl is None:
                yield
                return
            with (self.index_file.parent / "write.lock").open("a") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _add_sync(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        # ingest flushes batches from several worker threads, and two ingests may run at once: the
        # duplicate check and the write of one article must not interleave with another batch's
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.index_file.parent.mkdir(exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"cannot create the article folder {self.folder}: {error.strerror}") from error
        with self._one_writer():
            self._load_index()  # what other processes stored since we last looked
            return self._add_locked(items)

    def _add_locked(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        known = self._known()
        results = []
        with self.index_file.open("a", encoding="utf-8") as index:
            for article, features in items:
                first = known.get(features.fingerprint)
                target = self.folder / f"{article.id}.txt"
                if first is None and target.exists():
                    first = article.id
                if first is not None:
                    results.append(AddResult(AddStatus.duplicate, article.id, first))
                    continue
                temporary = target.with_name(f".{target.name}.tmp")
                try:
                    temporary.write_text(to_front_matter(article), encoding="utf-8")
                    os.replace(temporary, target)  # a reader never sees half a file
                except OSError as error:
                    raise StoreUnavailable(f"cannot write {target}: {error.strerror}") from error
                index.write(json.dumps(features.to_dict(), ensure_ascii=False) + "\n")
                known[features.fingerprint] = article.id
                self._features.put(features)
                results.append(AddResult(AddStatus.added, article.id))
        return results

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        return await asyncio.to_thread(self._add_sync, items)

    def features(self, article_id: str) -> ArticleFeatures | None:
        self._load_index()
        return self._features.by_id.get(article_id)

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        self._load_index()
        return self._features.vectors(articles)

    async def close(self) -> None:
        return None


# KEYS: fingerprints, docs, features, log. ARGV: fingerprint, id, article json, features json.
# Returns the id already holding this text (a duplicate), or nothing when the article was added.
_ADD = """
local first = redis.call('hget', KEYS[1], ARGV[1])
if first then return first end
if redis.call('hexists', KEYS[2], ARGV[2]) == 1 then return ARGV[2] end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
redis.call('hset', KEYS[3], ARGV[2], ARGV[4])
redis.call('rpush', KEYS[4], ARGV[2])
return false
"""

_ARTICLE_FIELDS = ("id", "title", "body", "outlet", "url", "published")


def article_to_json(article: Article) -> str:
    return json.dumps({k: getattr(article, k) for k in _ARTICLE_FIELDS}, ensure_ascii=False)


def article_from_json(raw: str) -> Article:
    """The stored article; ValueError when the record is not one (a wrong type would fail far later)."""
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError(f"a {type(data).__name__}, not an article record")
    fields = {k: data.get(k) for k in _ARTICLE_FIELDS}
    for name, value in fields.items():
        required = name in ("id", "body")
        if not isinstance(value, str) and (required or value is not None):
            raise ValueError(f"field {name!r} is {type(value).__name__}, not text")
    if not fields["title"]:
        fields["title"] = fields["id"]
    return Article(**fields)


class RedisArticleStore:
    """Articles shared by every replica on one Redis (keys under ``{namespace}:articles:``).

    Reads are incremental: the append-only id log tells each replica how many articles it has not seen.
    While Redis is down, a replica keeps answering from the articles it already read (one warning).
    """

    def __init__(
        self, url: str, namespace: str = "briefbot", connect_timeout: float = 0.5, client: Any = None
    ) -> None:
        from bot.store.redis_client import async_redis

        self.url = url
        # reads of a large store move megabytes: a longer read timeout than the cache's, same fast connect
        self._client = client or async_redis(url, connect_timeout, read_timeout=5.0)
        prefix = f"{namespace}:articles"
        self.keys = (f"{prefix}:fingerprints", f"{prefix}:docs", f"{prefix}:features", f"{prefix}:log")
        self._articles: list[Article] = []
        self._features = _FeatureCache()
        self._read = 0  # log entries consumed, readable or not
        self._last_id: str | None = None  # the id at position _read - 1 when we read it
        self._lock = asyncio.Lock()
        self._warned = False

    async def _refresh(self) -> None:
        _, docs, feats, id_log = self.keys
        pipe = self._client.pipeline(transaction=True)
        pipe.llen(id_log)
        pipe.lindex(id_log, self._read - 1 if self._read else 0)
        total, at_cursor = await pipe.execute()
        if total < self._read or (self._read and at_cursor != self._last_id):
            # the log is not the one we read (Redis restarted empty, the log was flushed or rewritten)
            log.warning("Redis article log changed under us (%d entries, we had read %d): reading it again",
                        total, self._read)  # fmt: skip
            self._articles, self._features, self._read, self._last_id = [], _FeatureCache(), 0, None
        if total <= self._read:
            return
        new_ids = await self._client.lrange(id_log, self._read, total - 1)
        for start in range(0, len(new_ids), 1000):
            chunk = new_ids[start : start + 1000]
            raw_docs = await self._client.hmget(docs, chunk)
            raw_feats = await self._client.hmget(feats, chunk)
            for article_id, raw_doc, raw_feat in zip(chunk, raw_docs, raw_feats, strict=True):
                self._take(article_id, raw_doc, raw_feat)
        # advance past every entry read, readable or not: one bad record never hides the ones after it
        self._read += len(new_ids)
        self._last_id = new_ids[-1] if new_ids else self._last_id

    def _take(self, article_id: str, raw_doc: str | None, raw_feat: str | None) -> None:
        """One log entry: its article (skipped, logged once and counted when missing or unreadable)."""
        if raw_doc is None:
            report_corrupt("article", article_id, "listed in the log but its record is missing")
            return
        try:
            article = article_from_json(raw_doc)
        except (ValueError, TypeError, AttributeError) as error:
            report_corrupt("article", article_id, error)
            return
        self._articles.append(article)
        if raw_feat is None:
            return
        try:
            self._features.put(ArticleFeatures.from_dict(json.loads(raw_feat)))
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # features are recomputed when needed
            report_corrupt("article-features", article_id, error)

    async def articles(self) -> Sequence[Article]:
        async with self._lock:
            try:
                await self._refresh()
            except Exception as error:  # redis raises ConnectionError, TimeoutError, OSError...
                if not self._warned:
                    log.warning("Redis article store unavailable (%s): using the articles already read", error)
                    self._warned = True
            else:
                self._warned = False
        return tuple(self._articles)

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        if not items:
            return []
        try:
            pipe = self._client.pipeline(transaction=False)
            for article, features in items:
                pipe.eval(
                    _ADD,
                    4,
                    *self.keys,
                    features.fingerprint,
                    article.id,
                    article_to_json(article),
                    json.dumps(features.to_dict(), ensure_ascii=False),
                )
            replies = await pipe.execute()
        except Exception as error:
            where = redact(self.url)
            raise StoreUnavailable(f"cannot write to the Redis article store at {where}: {redact(error)}") from error
        results = []
        for (article, _), first in zip(items, replies, strict=True):
            if first:
                results.append(AddResult(AddStatus.duplicate, article.id, str(first)))
            else:
                results.append(AddResult(AddStatus.added, article.id))
        return results

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        return self._features.vectors(articles)

    def features(self, article_id: str) -> ArticleFeatures | None:
        return self._features.by_id.get(article_id)

    async def close(self) -> None:
        try:
            await self._client.aclose()
        except Exception:  # closing a dead connection must not hide why we are shutting down
            log.debug("error closing Redis client", exc_info=True)

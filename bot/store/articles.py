"""The article store: where ingested articles and their ingest-time features live.

Two backends behind one protocol (an ``ArticleSource`` for the brief service, plus ``add``):

* ``FolderStore`` (default): one ``.txt`` per article with front matter (title, outlet, url, published), the
  same files ``briefbot brief --articles DIR`` reads, plus ``.briefbot/features.jsonl`` next to them holding
  each article's fingerprint, sentence split and hashed lead vector;
* ``RedisArticleStore``: the same records in Redis hashes, so several replicas share one corpus. Adding is
  one Lua script (dedup by fingerprint and append are atomic, whichever replica ingests), and each replica
  reads only the articles appended since its last read.

Dedup is by body fingerprint (``summarizer.ingest.fingerprint``): the same text from two URLs is one article.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from bot.core.service import FolderArticles
from bot.redact import redact
from summarizer.articles import Article
from summarizer.ingest import ArticleFeatures, compute_features, features_matrix, fingerprint, to_front_matter

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
        self._index_loaded = False
        self._write_lock = threading.Lock()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.reader.warnings

    async def articles(self) -> Sequence[Article]:
        return await self.reader.articles()

    def _load_index(self) -> None:
        if self._index_loaded:
            return
        self._index_loaded = True
        if not self.index_file.is_file():
            return
        with self.index_file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    self._features.put(ArticleFeatures.from_dict(json.loads(line)))
                except (ValueError, KeyError, TypeError):
                    log.warning("%s line %d: unreadable feature record skipped", self.index_file, number)

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

    def _add_sync(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        # ingest flushes batches from several worker threads: the duplicate check and the write of one
        # article must not interleave with another batch's (two copies of one story would race on one file)
        with self._write_lock:
            return self._add_locked(items)

    def _add_locked(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.index_file.parent.mkdir(exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"cannot create the article folder {self.folder}: {error.strerror}") from error
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
    data = json.loads(raw)
    return Article(**{k: data.get(k) for k in _ARTICLE_FIELDS})


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
        self._lock = asyncio.Lock()
        self._warned = False

    async def _refresh(self) -> None:
        _, docs, feats, id_log = self.keys
        total = await self._client.llen(id_log)
        if total <= len(self._articles):
            return
        new_ids = await self._client.lrange(id_log, len(self._articles), total - 1)
        for start in range(0, len(new_ids), 1000):
            chunk = new_ids[start : start + 1000]
            raw_docs = await self._client.hmget(docs, chunk)
            raw_feats = await self._client.hmget(feats, chunk)
            for raw_doc, raw_feat in zip(raw_docs, raw_feats, strict=True):
                if raw_doc is None:
                    continue
                self._articles.append(article_from_json(raw_doc))
                if raw_feat is not None:
                    self._features.put(ArticleFeatures.from_dict(json.loads(raw_feat)))

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

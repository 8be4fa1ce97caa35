"""The article store: where ingested articles and their ingest-time features live.

Two backends behind one protocol (an ``ArticleSource`` for the brief service, plus ``add``):

* ``FolderStore`` (default): one ``.txt`` per article with front matter (title, outlet, url, published), the
  same files ``briefbot brief --articles DIR`` reads, plus ``.briefbot/features.jsonl`` next to them holding
  each article's fingerprint, sentence split and hashed lead vector;
* ``RedisArticleStore`` (``bot.store.redis_articles``): the same records in Redis, so several replicas share
  one corpus, with a term and date index for topic reads (see that module);
* ``SqliteArticleStore`` (``bot.store.sqlite_articles``): the embedded default, one SQLite file with FTS5.

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

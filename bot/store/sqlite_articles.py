"""The embedded article store: one SQLite file under ``BRIEFBOT_DATA_DIR`` with a full-text index (FTS5).

Why SQLite: a cold ``briefbot brief`` over a folder re-reads every file to find a topic's articles; here the
index is kept at ingest time, so a brief reads only the rows its topic's words select (``candidates``).
Articles are deduplicated by body fingerprint and by canonical URL (tracking parameters stripped), across
every source that feeds the store. Retention (``prune``) deletes what is older than the configured age.

Several processes of one machine share the file (WAL mode); each keeps the articles it has read and
reloads only when the store's generation counter (bumped by every write) has moved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.store.articles import AddResult, AddStatus, StoreUnavailable, _FeatureCache
from bot.store.sqlite_db import immediate, open_wal
from bot.store.terms import TOKENIZE, fts_phrases
from summarizer.articles import Article
from summarizer.ingest import ArticleFeatures

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  outlet TEXT, url TEXT, canonical_url TEXT, published TEXT,
  at REAL NOT NULL,             -- published (UTC epoch) or, without one, when it was added
  added REAL NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  features TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_at ON articles(at);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
  title, body, content='articles', content_rowid='n', tokenize='""" + TOKENIZE + """'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.n, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.n, old.title, old.body);
END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', 0);
"""

_COLUMNS = "id, title, body, outlet, url, published"


def epoch_of(published: str | None) -> float | None:
    """Seconds since the epoch of an ISO 8601 date (UTC when no zone is given), None when unreadable."""
    if not published:
        return None
    try:
        when = dt.datetime.fromisoformat(published)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def fts_query(terms: Sequence[str]) -> str | None:
    """An FTS5 query matching any of ``terms``: a superset of what the exact topic matcher accepts (a keyword
    on word boundaries, with an optional plural or possessive ending), which then narrows it, so the index
    never decides membership on its own. The index and the query are both Porter-stemmed, so "president"
    also finds "presidents" and "president's"; ``fts_phrases`` adds the plural spellings whose stem differs."""
    quoted = ('"' + phrase.replace('"', '""') + '"' for phrase in fts_phrases(terms))  # FTS5 string escape
    return " OR ".join(quoted) or None


class SqliteArticleStore:
    """Articles in ``path`` (created on first write). ``ArticleSource`` and ``ArticleStore`` both."""

    def __init__(self, path: Path, clock: Any = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()  # one connection, used by one worker thread at a time
        self._generation: int | None = None
        self._articles: tuple[Article, ...] = ()
        self._features = _FeatureCache()
        self.warnings: tuple[str, ...] = ()

    # ------------------------------------------------------------------ connection

    def _db(self, create: bool = False) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not create and not self.path.exists():
            return None
        try:
            db = open_wal(self.path, _SCHEMA, "NORMAL", busy_timeout=30)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the article store {self.path}: {error}") from error
        self._conn = db
        return db

    def generation(self) -> int:
        db = self._db()
        if db is None:
            return -1
        return int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _article(row: Sequence[Any]) -> Article:
        return Article(row[0], row[1], row[2], row[3], row[4], row[5])

    def _load(self) -> tuple[Article, ...]:
        with self._lock:
            generation = self.generation()
            if generation == self._generation:
                return self._articles
            db = self._db()
            rows = [] if db is None else db.execute(f"SELECT {_COLUMNS}, features FROM articles ORDER BY n")
            articles = []
            for row in rows:
                articles.append(self._article(row))
                if row[6]:
                    self._features.put(ArticleFeatures.from_dict(json.loads(row[6])))
            self._articles, self._generation = tuple(articles), generation
            return self._articles

    async def articles(self) -> Sequence[Article]:
        return await asyncio.to_thread(self._load)

    def _candidates(self, terms: Sequence[str], since: float | None) -> tuple[Article, ...]:
        db = self._db()
        query = fts_query(terms)
        if db is None or query is None:
            return ()
        sql = (  # the article columns only: a brief needs no stored features (discovery reads them in _load)
            f"SELECT {_COLUMNS} FROM articles WHERE n IN "
            "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        )
        args: list[Any] = [query]
        if since is not None:
            sql += " AND at >= ?"
            args.append(since)
        return tuple(self._article(row) for row in db.execute(sql + " ORDER BY n", args))

    async def candidates(self, terms: Sequence[str], since: float | None = None) -> Sequence[Article]:
        """The articles that mention any of ``terms`` (a superset of a topic's articles), from the index."""
        def locked() -> tuple[Article, ...]:
            with self._lock:
                return self._candidates(terms, since)

        return await asyncio.to_thread(locked)

    def count(self) -> int:
        with self._lock:
            db = self._db()
            return 0 if db is None else int(db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # ------------------------------------------------------------------ writing

    def _add_sync(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        from bot.sources.feeds import canonical_url

        db = self._db(create=True)
        assert db is not None
        results: list[AddResult] = []
        now = self._clock()
        try:
            with immediate(db):  # one writer at a time across processes: dedupe and insert together
                for article, features in items:
                    canonical = canonical_url(article.url)
                    row = db.execute(
                        "SELECT id FROM articles WHERE fingerprint = ? OR id = ? OR canonical_url = ? LIMIT 1",
                        (features.fingerprint, article.id, canonical),
                    ).fetchone()
                    if row is not None:
                        results.append(AddResult(AddStatus.duplicate, article.id, row[0]))
                        continue
                    db.execute(
                        "INSERT INTO articles (id, title, body, outlet, url, canonical_url, published, at, added,"
                        " fingerprint, features) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            article.id, article.title, article.body, article.outlet, article.url, canonical,
                            article.published, epoch_of(article.published) or now, now, features.fingerprint,
                            json.dumps(features.to_dict(), ensure_ascii=False),
                        ),
                    )
                    self._features.put(features)
                    results.append(AddResult(AddStatus.added, article.id))
                if any(r.status is AddStatus.added for r in results):
                    db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot write the article store {self.path}: {error}") from error
        return results

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        if not items:
            return []
        def locked() -> list[AddResult]:
            with self._lock:
                return self._add_sync(items)

        return await asyncio.to_thread(locked)

    def _prune_sync(self, older_than: float) -> int:
        db = self._db()
        if db is None:
            return 0
        try:
            with immediate(db):
                removed = db.execute("DELETE FROM articles WHERE at < ?", (older_than,)).rowcount
                if removed:
                    db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot prune the article store {self.path}: {error}") from error
        return removed

    async def prune(self, retention_seconds: float) -> int:
        """Delete articles published (or, undated, added) longer ago than ``retention_seconds``; how many."""
        def locked() -> int:
            with self._lock:
                return self._prune_sync(self._clock() - retention_seconds)

        return await asyncio.to_thread(locked)

    # ------------------------------------------------------------------ features

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        return self._features.vectors(articles)

    def features(self, article_id: str) -> ArticleFeatures | None:
        return self._features.by_id.get(article_id)

    async def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class SeedsAndStore:
    """The default article set: the folder of seed articles (read-only) plus the embedded store.

    A fresh clone briefs the seeds; what ``briefbot ingest`` and the source poller add goes to the store in
    ``BRIEFBOT_DATA_DIR`` and shows up next to them. Writes go to the store only, never to the tracked folder.
    """

    def __init__(self, folder: Any, store: SqliteArticleStore) -> None:
        self.folder = folder  # bot.core.service.FolderArticles
        self.store = store
        self._parts: tuple[Any, Any] | None = None
        self._combined: tuple[Article, ...] = ()
        self._features = _FeatureCache()

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.folder.warnings) + self.store.warnings

    async def articles(self) -> Sequence[Article]:
        seeds = await self.folder.articles()
        stored = await self.store.articles()
        if self._parts is None or self._parts[0] is not seeds or self._parts[1] is not stored:
            seen = {a.id for a in seeds}
            self._combined = tuple(seeds) + tuple(a for a in stored if a.id not in seen)
            self._parts = (seeds, stored)
        return self._combined  # the same object while nothing changed: the service memoises on identity

    async def candidates(self, terms: Sequence[str], since: float | None = None) -> Sequence[Article]:
        seeds = await self.folder.articles()
        seen = {a.id for a in seeds}
        stored = await self.store.candidates(terms, since)
        return tuple(seeds) + tuple(a for a in stored if a.id not in seen)

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        return await self.store.add(items)

    async def prune(self, retention_seconds: float) -> int:
        return await self.store.prune(retention_seconds)

    def features(self, article_id: str) -> ArticleFeatures | None:
        return self.store.features(article_id) or self._features.by_id.get(article_id)

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        for article in articles:
            if article.id not in self._features.by_id:
                known = self.store.features(article.id)
                if known is not None:
                    self._features.put(known)
        return self._features.vectors(articles)

    async def close(self) -> None:
        await self.store.close()

"""The Redis article store: one corpus shared by every replica, with an index so a topic read is cheap.

Keys under ``{namespace}:articles:``

* ``docs`` (id -> article JSON), ``features`` (id -> ingest features), ``log`` (ids in ingest order),
  ``fingerprints`` (body fingerprint -> id) and ``urls`` (canonical URL -> id): the records and their dedupe;
* the index: ``term:<t>:<b>`` (per index term, the numbers of its articles in block ``b``, numbers
  ``512*b`` to ``512*b+511``), ``at`` (a sorted set, number -> published epoch or, undated, when it was
  added), ``ids`` (number -> id), ``index`` (id -> "number|{fp, url, terms}", what retention must remove),
  ``seq`` (the last number) and ``index_version``.

Why numbers in blocks of 512: Redis keeps a set of at most 512 integers (``set-max-intset-entries``) as an
intset, 4 bytes a member, where a larger set or a set of 40-character ids is a hash table at about 50. The
terms are the SQLite store's own (``bot.store.terms`` runs the
same FTS5 tokenizer), so a topic read selects what the embedded store's FTS query selects: a topic's phrase
is the intersection of its words' sets (a superset of the phrase; the exact matcher narrows it), the topic the
union of its phrases, ``since`` a bound on ``at``.

Adding is one Lua script per article: dedupe by fingerprint, id and canonical URL, store, append and index
together, whichever replica ingests. Retention (``prune``) is one script per batch: an expired article leaves
the records, the log, every term set, the date set and the dedupe hashes (so, as in the SQLite store, a
republished copy can come back). A store written by an earlier version (no index) is indexed on first use,
in bounded chunks under a lock, with a time budget per call; until it is done a read falls back to the log.

Full reads (``articles``) stay incremental: the append-only log tells each replica how many articles it has
not seen. Before each read it checks that the log still starts where it left it; a Redis restarted empty, a
flushed or rewritten log, or a prune (the ``pruned`` counter moved) makes it read everything again. An
unreadable record is skipped, logged and counted (``bot.store.values.report_corrupt``), never an outage.

The scripts build the term sets' key names from the prefix (an article's number decides its block): fine on
a single Redis (what Briefbot runs on), not on Redis Cluster.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

from bot.redact import redact
from bot.store.articles import AddResult, AddStatus, StoreUnavailable, _FeatureCache
from bot.store.values import report_corrupt
from summarizer.articles import Article
from summarizer.ingest import ArticleFeatures

log = logging.getLogger(__name__)

INDEX_VERSION = "1"
_CHUNK = 500  # records per round trip and per script when indexing or pruning: bounded memory and blocking
BLOCK = 512  # article numbers per term set (Redis's default set-max-intset-entries): every set stays an intset

# KEYS: fingerprints, docs, features, log, urls, index, ids, at, seq.
# ARGV: fingerprint, id, article json, features json, canonical url ('' for none), at, index record,
# term key prefix, block size, then the article's terms.
# Returns the id already holding this text or URL (a duplicate), or nothing when the article was added.
_ADD = """
local first = redis.call('hget', KEYS[1], ARGV[1])
if first then return first end
if redis.call('hexists', KEYS[2], ARGV[2]) == 1 then return ARGV[2] end
if ARGV[5] ~= '' then
  first = redis.call('hget', KEYS[5], ARGV[5])
  if first then return first end
  redis.call('hset', KEYS[5], ARGV[5], ARGV[2])
end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
redis.call('hset', KEYS[3], ARGV[2], ARGV[4])
redis.call('rpush', KEYS[4], ARGV[2])
local n = redis.call('incr', KEYS[9])
redis.call('hset', KEYS[7], n, ARGV[2])
redis.call('hset', KEYS[6], ARGV[2], n .. '|' .. ARGV[7])
redis.call('zadd', KEYS[8], ARGV[6], n)
local block = ':' .. math.floor(n / tonumber(ARGV[9]))
for i = 10, #ARGV do redis.call('sadd', ARGV[8] .. ARGV[i] .. block, n) end
return false
"""

# Index articles written without one (an earlier version). KEYS: index, ids, at, seq, urls, fingerprints.
# ARGV: term key prefix, block size, then per article: id, at, fingerprint, canonical url, record, k, k terms.
# An article already indexed (by a racing replica or since added) is left alone. Returns how many it indexed.
_INDEX = """
local done, i, size = 0, 3, tonumber(ARGV[2])
while i <= #ARGV do
  local id, at, fp, url, rec, k = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], tonumber(ARGV[i + 5])
  if redis.call('hexists', KEYS[1], id) == 0 then
    local n = redis.call('incr', KEYS[4])
    redis.call('hset', KEYS[2], n, id)
    redis.call('hset', KEYS[1], id, n .. '|' .. rec)
    redis.call('zadd', KEYS[3], at, n)
    local block = ':' .. math.floor(n / size)
    for j = 1, k do redis.call('sadd', ARGV[1] .. ARGV[i + 5 + j] .. block, n) end
    if url ~= '' then redis.call('hsetnx', KEYS[5], url, id) end
    if fp ~= '' then redis.call('hsetnx', KEYS[6], fp, id) end
    done = done + 1
  end
  i = i + 6 + k
end
return done
"""

# KEYS: ids, at, seq. ARGV: since ('' for none), term key prefix, block size, then per phrase: k, k terms.
# Returns the ids of the articles holding every word of some phrase, in ingest order.
_CANDIDATES = """
local prefix, size = ARGV[2], tonumber(ARGV[3])
local last = math.floor((tonumber(redis.call('get', KEYS[3]) or '0')) / size)
local found = {}
for b = 0, last do
  local block = ':' .. b
  local p = 4
  while p <= #ARGV do
    local k = tonumber(ARGV[p])
    local keys = {}
    for j = 1, k do keys[j] = prefix .. ARGV[p + j] .. block end
    for _, n in ipairs(redis.call('sinter', unpack(keys))) do found[n] = true end
    p = p + 1 + k
  end
end
local numbers = {}
for n in pairs(found) do numbers[#numbers + 1] = tonumber(n) end
table.sort(numbers)
local out, since = {}, tonumber(ARGV[1])
for _, n in ipairs(numbers) do
  local keep = true
  if since then
    local when = redis.call('zscore', KEYS[2], n)
    keep = when ~= false and tonumber(when) >= since
  end
  if keep then
    local id = redis.call('hget', KEYS[1], n)
    if id then out[#out + 1] = id end
  end
end
return out
"""

# KEYS: at, ids, index, docs, features, fingerprints, urls, log, pruned.
# ARGV: cutoff, limit, term key prefix, block size.
# Removes up to ``limit`` articles dated before the cutoff from every structure; returns how many.
_PRUNE = """
local numbers = redis.call('zrangebyscore', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, n in ipairs(numbers) do
  local id = redis.call('hget', KEYS[2], n)
  if id then
    local raw = redis.call('hget', KEYS[3], id)
    if raw then
      local bar = string.find(raw, '|', 1, true)
      local ok, rec = pcall(cjson.decode, string.sub(raw, (bar or 0) + 1))
      if ok and type(rec) == 'table' then
        if type(rec.terms) == 'string' then
          local block = ':' .. math.floor(tonumber(n) / tonumber(ARGV[4]))
          for t in string.gmatch(rec.terms, '%S+') do redis.call('srem', ARGV[3] .. t .. block, n) end
        end
        if type(rec.fp) == 'string' and redis.call('hget', KEYS[6], rec.fp) == id then
          redis.call('hdel', KEYS[6], rec.fp)
        end
        if type(rec.url) == 'string' and redis.call('hget', KEYS[7], rec.url) == id then
          redis.call('hdel', KEYS[7], rec.url)
        end
      end
    end
    redis.call('hdel', KEYS[3], id)
    redis.call('hdel', KEYS[4], id)
    redis.call('hdel', KEYS[5], id)
    redis.call('lrem', KEYS[8], 1, id)
  end
  redis.call('hdel', KEYS[2], n)
  redis.call('zrem', KEYS[1], n)
end
if #numbers > 0 then redis.call('incrby', KEYS[9], #numbers) end
return #numbers
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


def _index_record(fp: str | None, url: str | None, terms: Sequence[str]) -> str:
    """What retention needs to remove an article from every structure (its number is stored in front). The
    terms (FTS5 tokens: no spaces) are one space-separated string, a third smaller than a JSON list."""
    return json.dumps({"fp": fp, "url": url, "terms": " ".join(terms)}, ensure_ascii=False)


class RedisArticleStore:
    """Articles shared by every replica on one Redis (keys under ``{namespace}:articles:``).

    ``candidates`` reads a topic's articles through the index; ``articles`` reads the whole log,
    incrementally. While Redis is down, a replica keeps answering from the articles it already read (one
    warning); writes and prunes raise ``StoreUnavailable``.
    """

    def __init__(
        self,
        url: str,
        namespace: str = "briefbot",
        connect_timeout: float = 0.5,
        client: Any = None,
        clock: Any = time.time,
        index_budget_seconds: float = 20.0,
    ) -> None:
        from bot.store.redis_client import async_redis

        self.url = url
        # reads of a large store move megabytes: a longer read timeout than the cache's, same fast connect
        self._client = client or async_redis(url, connect_timeout, read_timeout=5.0)
        self._clock = clock
        self._index_budget = index_budget_seconds  # building a missing index: at most this long per call
        prefix = f"{namespace}:articles"
        self.prefix = prefix
        self.keys = (f"{prefix}:fingerprints", f"{prefix}:docs", f"{prefix}:features", f"{prefix}:log")
        self.term_prefix = f"{prefix}:term:"
        (self.urls_key, self.index_key, self.ids_key, self.at_key, self.seq_key, self.pruned_key,
         self.version_key, self.lock_key) = (f"{prefix}:{k}" for k in (
            "urls", "index", "ids", "at", "seq", "pruned", "index_version", "index_lock"))  # fmt: skip
        self._articles: list[Article] = []
        self._features = _FeatureCache()
        self._read = 0  # log entries consumed, readable or not
        self._last_id: str | None = None  # the id at position _read - 1 when we read it
        self._pruned: str | None = None  # the prune counter when we read
        self._lock = asyncio.Lock()
        self._warned = False
        self.warnings: tuple[str, ...] = ()

    def _where(self) -> str:
        return f"the Redis article store at {redact(self.url)}"

    # ------------------------------------------------------------------ full read (incremental)

    async def _refresh(self) -> None:
        _, docs, feats, id_log = self.keys
        pipe = self._client.pipeline(transaction=True)
        pipe.llen(id_log)
        pipe.lindex(id_log, self._read - 1 if self._read else 0)
        pipe.get(self.pruned_key)
        total, at_cursor, pruned = await pipe.execute()
        if self._read and pruned != self._pruned:
            log.info("Redis article store pruned since the last read: reading it again")
            self._articles, self._features, self._read, self._last_id = [], _FeatureCache(), 0, None
        elif total < self._read or (self._read and at_cursor != self._last_id):
            # the log is not the one we read (Redis restarted empty, the log was flushed or rewritten)
            log.warning("Redis article log changed under us (%d entries, we had read %d): reading it again",
                        total, self._read)  # fmt: skip
            self._articles, self._features, self._read, self._last_id = [], _FeatureCache(), 0, None
        self._pruned = pruned
        if total <= self._read:
            return
        new_ids = await self._client.lrange(id_log, self._read, total - 1)
        for start in range(0, len(new_ids), 1000):
            chunk = new_ids[start : start + 1000]
            raw_docs = await self._client.hmget(docs, chunk)
            raw_feats = await self._client.hmget(feats, chunk)
            for article_id, raw_doc, raw_feat in zip(chunk, raw_docs, raw_feats, strict=True):
                article = self._parse(article_id, raw_doc)
                if article is not None:
                    self._articles.append(article)
                    self._take_features(article_id, raw_feat)
        # advance past every entry read, readable or not: one bad record never hides the ones after it
        self._read += len(new_ids)
        self._last_id = new_ids[-1] if new_ids else self._last_id

    @staticmethod
    def _parse(article_id: str, raw_doc: str | None) -> Article | None:
        """One stored article, or None (logged once and counted) when it is missing or unreadable."""
        if raw_doc is None:
            report_corrupt("article", article_id, "listed in the log but its record is missing")
            return None
        try:
            return article_from_json(raw_doc)
        except (ValueError, TypeError, AttributeError) as error:
            report_corrupt("article", article_id, error)
            return None

    def _take_features(self, article_id: str, raw_feat: str | None) -> None:
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

    # ------------------------------------------------------------------ topic read (the index)

    async def candidates(self, terms: Sequence[str], since: float | None = None) -> Sequence[Article]:
        """The articles that mention any of ``terms`` (a superset of a topic's articles) dated at or after
        ``since`` (epoch seconds), from the index: the same articles the SQLite store's FTS query selects.
        Without an index yet (a store being indexed by another replica), or with Redis down, the full read."""
        from bot.store.redis_client import is_outage
        from bot.store.terms import fts_phrases, tokenizer

        phrases = [p for p in tokenizer().phrase_terms(fts_phrases(terms)) if p]
        if not phrases:
            return ()
        try:
            if await self._ensure_index():
                return await self._indexed(phrases, since)
        except Exception as error:
            if not is_outage(error):
                raise
            # the full read below warns (once) and answers from the articles already read
        return self._since(await self.articles(), since)

    async def _indexed(self, phrases: list[list[str]], since: float | None) -> tuple[Article, ...]:
        args: list[Any] = ["" if since is None else repr(float(since)), self.term_prefix, BLOCK]
        for phrase in phrases:
            args += [len(phrase), *phrase]
        ids = await self._client.eval(_CANDIDATES, 3, self.ids_key, self.at_key, self.seq_key, *args)
        found: list[Article] = []
        docs = self.keys[1]
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for article_id, raw in zip(chunk, await self._client.hmget(docs, chunk), strict=True):
                if raw is None:
                    continue  # pruned between the index read and this one
                article = self._parse(article_id, raw)
                if article is not None:
                    found.append(article)
        return tuple(found)

    @staticmethod
    def _since(articles: Sequence[Article], since: float | None) -> tuple[Article, ...]:
        """The fallback's date bound: dated articles before ``since`` out, undated ones kept (a superset)."""
        from bot.store.sqlite_articles import epoch_of

        if since is None:
            return tuple(articles)
        return tuple(a for a in articles if (epoch_of(a.published) or since) >= since)

    # ------------------------------------------------------------------ building a missing index

    async def _ensure_index(self) -> bool:
        """True when the index covers the log; else index what is missing (bounded) and say whether it now does."""
        pipe = self._client.pipeline(transaction=False)
        pipe.get(self.version_key)
        pipe.llen(self.keys[3])
        pipe.hlen(self.index_key)
        version, total, indexed = await pipe.execute()
        if indexed >= total:
            if version != INDEX_VERSION:
                await self._client.set(self.version_key, INDEX_VERSION)
            return True
        return await self._build_index(total - indexed)

    async def _build_index(self, missing: int) -> bool:
        """Index the log's articles that have no index entry (written by an earlier version), a chunk at a
        time, under a lock (one replica builds; the others read the log meanwhile), for at most the budget."""
        token = uuid.uuid4().hex
        if not await self._client.set(self.lock_key, token, nx=True, ex=120):
            log.info("the Redis article index is being built by another replica: reading the whole log")
            return False
        started = time.monotonic()
        done = unreadable = 0
        log.warning("Redis article store: indexing %d article(s) stored without an index (an earlier version)",
                    missing)  # fmt: skip
        try:
            position = 0
            while True:
                ids = await self._client.lrange(self.keys[3], position, position + _CHUNK - 1)
                if not ids:
                    break
                position += len(ids)
                added, bad = await self._index_chunk(ids)
                done, unreadable = done + added, unreadable + bad
                await self._client.expire(self.lock_key, 120)
                if time.monotonic() - started > self._index_budget:
                    log.warning("Redis article store: indexed %d article(s) in %.1f s, the rest on the next read",
                                done, time.monotonic() - started)  # fmt: skip
                    return False
            pipe = self._client.pipeline(transaction=False)
            pipe.llen(self.keys[3])
            pipe.hlen(self.index_key)
            total, indexed = await pipe.execute()
            complete = indexed >= total
            if complete:
                await self._client.set(self.version_key, INDEX_VERSION)
            log.warning("Redis article store: indexed %d article(s) (%d unreadable, kept out of topics until "
                        "retention removes them) in %.1f s", done, unreadable, time.monotonic() - started)
            return complete
        finally:
            if await self._client.get(self.lock_key) == token:
                await self._client.delete(self.lock_key)

    async def _index_chunk(self, ids: list[str]) -> tuple[int, int]:
        """Index the ones of ``ids`` not indexed yet; (indexed, unreadable). An unreadable record is counted,
        dated now and given no terms: no topic reads it, retention removes it."""
        from bot.sources.feeds import canonical_url
        from bot.store.sqlite_articles import epoch_of
        from bot.store.terms import tokenizer
        from summarizer.ingest import fingerprint

        known = await self._client.hmget(self.index_key, ids)
        todo = [i for i, k in zip(ids, known, strict=True) if k is None]
        if not todo:
            return 0, 0
        raw_docs = await self._client.hmget(self.keys[1], todo)
        raw_feats = await self._client.hmget(self.keys[2], todo)
        now = self._clock()
        parsed = [self._parse(i, raw) for i, raw in zip(todo, raw_docs, strict=True)]
        readable = [a for a in parsed if a is not None]
        terms = iter(await asyncio.to_thread(tokenizer().document_terms, [(a.title, a.body) for a in readable]))
        args: list[Any] = [self.term_prefix, BLOCK]
        for article_id, article, raw_feat in zip(todo, parsed, raw_feats, strict=True):
            if article is None:
                args += [article_id, repr(now), "", "", _index_record(None, None, ()), 0]
                continue
            fp = _stored_fingerprint(raw_feat) or fingerprint(article.body)
            url = canonical_url(article.url) or ""
            words = next(terms)
            at = epoch_of(article.published) or now
            args += [article_id, repr(at), fp, url, _index_record(fp, url or None, words), len(words), *words]
        keys = [self.index_key, self.ids_key, self.at_key, self.seq_key, self.urls_key, self.keys[0]]
        added = await self._client.eval(_INDEX, len(keys), *keys, *args)
        return int(added), len(parsed) - len(readable)

    # ------------------------------------------------------------------ writing

    async def add(self, items: Sequence[tuple[Article, ArticleFeatures]]) -> list[AddResult]:
        from bot.sources.feeds import canonical_url
        from bot.store.sqlite_articles import epoch_of
        from bot.store.terms import tokenizer

        if not items:
            return []
        documents = [(article.title, article.body) for article, _ in items]
        terms = await asyncio.to_thread(tokenizer().document_terms, documents)
        now = self._clock()
        fixed = [*self.keys, self.urls_key, self.index_key, self.ids_key, self.at_key, self.seq_key]
        try:
            await self._ensure_index()  # an earlier version's articles first, so numbers follow the log
            pipe = self._client.pipeline(transaction=False)
            for (article, features), words in zip(items, terms, strict=True):
                url = canonical_url(article.url)
                pipe.eval(
                    _ADD,
                    len(fixed),
                    *fixed,
                    features.fingerprint,
                    article.id,
                    article_to_json(article),
                    json.dumps(features.to_dict(), ensure_ascii=False),
                    url or "",
                    repr(epoch_of(article.published) or now),
                    _index_record(features.fingerprint, url, words),
                    self.term_prefix,
                    BLOCK,
                    *words,
                )
            replies = await pipe.execute()
        except Exception as error:
            raise StoreUnavailable(f"cannot write to {self._where()}: {redact(error)}") from error
        results = []
        for (article, _), first in zip(items, replies, strict=True):
            if first:
                results.append(AddResult(AddStatus.duplicate, article.id, str(first)))
            else:
                results.append(AddResult(AddStatus.added, article.id))
        return results

    async def prune(self, retention_seconds: float) -> int:
        """Delete articles published (or, undated, added) longer ago than ``retention_seconds``; how many.
        As in the SQLite store, their fingerprints and URLs go too: a republished copy may be added again."""
        cutoff = repr(float(self._clock() - retention_seconds))
        keys = [self.at_key, self.ids_key, self.index_key, self.keys[1], self.keys[2], self.keys[0],
                self.urls_key, self.keys[3], self.pruned_key]  # fmt: skip
        removed = 0
        try:
            await self._ensure_index()  # an earlier version's articles have no date until indexed
            while True:
                batch = int(await self._client.eval(_PRUNE, len(keys), *keys, cutoff, _CHUNK, self.term_prefix,
                                                         BLOCK))
                removed += batch
                if batch < _CHUNK:
                    return removed
        except Exception as error:
            raise StoreUnavailable(f"cannot prune {self._where()}: {redact(error)}") from error

    # ------------------------------------------------------------------ features

    def lead_vectors(self, articles: Sequence[Article]) -> Any:
        return self._features.vectors(articles)

    def features(self, article_id: str) -> ArticleFeatures | None:
        return self._features.by_id.get(article_id)

    async def close(self) -> None:
        try:
            await self._client.aclose()
        except Exception:  # closing a dead connection must not hide why we are shutting down
            log.debug("error closing Redis client", exc_info=True)


def _stored_fingerprint(raw_features: str | None) -> str | None:
    """The fingerprint an earlier version stored with the article's features, if readable."""
    if raw_features is None:
        return None
    try:
        value = json.loads(raw_features).get("fingerprint")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None

"""The source registry: which feeds Briefbot follows, in the state store so every replica sees them.

Two layers per source, so the poller's frequent writes never race an operator's edit:

* the registration (map ``sources``, field = source id): url, name, fixed interval or adaptive, when added,
  whether it comes from ``config/sources.toml`` (static: removed there, not from chat or the CLI);
* the poll status (key ``sources:status:ID``): last poll, status, error, counts, next poll, the validators of
  the conditional GET, the adaptive interval, the recently seen items. Only the holder of the source's lease
  (``sources:lease:ID``, one replica at a time) writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.sources.duration import BadDuration, parse_duration
from bot.sources.feeds import canonical_url
from bot.store.state import StateStore

log = logging.getLogger(__name__)

MAP = "sources"
SEEN_LIMIT = 300  # item keys remembered per source (a feed repeats its last items on every poll)
PUBLISHED_LIMIT = 100  # publication times remembered per source, for its rate


class SourceError(ValueError):
    """A source cannot be added or removed; the message says why, in one line."""


def source_id(url: str) -> str:
    """Stable and short: the same feed URL (tracking parameters and all) gets the same id on every replica."""
    return hashlib.sha256((canonical_url(url) or url).encode()).hexdigest()[:10]


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


@dataclass
class Source:
    id: str
    url: str
    name: str | None = None
    every_seconds: int | None = None  # fixed interval; None = adaptive between the configured bounds
    added: float = 0.0
    static: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            id=str(data["id"]),
            url=str(data["url"]),
            name=data.get("name"),
            every_seconds=data.get("every_seconds"),
            added=float(data.get("added") or 0.0),
            static=bool(data.get("static", False)),
        )


@dataclass
class SourceStatus:
    last_polled: float | None = None
    last_status: str | None = None  # ok | not_modified | error
    last_error: str | None = None
    articles_added: int = 0
    consecutive_errors: int = 0
    next_poll: float | None = None  # None: due now (never polled)
    interval: float | None = None  # the adaptive interval now in use
    etag: str | None = None
    last_modified: str | None = None
    healthy: bool = True
    seen: list[str] = field(default_factory=list)  # recent item keys, oldest first
    # the feed's publication rate: when its recent new items were published (epoch seconds, oldest first;
    # the poll time for an undated item), and when this source was first polled
    published: list[int] = field(default_factory=list)
    first_polled: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SourceStatus:
        if not isinstance(data, dict):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def remember(self, keys: list[str]) -> None:
        fresh = [k for k in keys if k not in set(self.seen)]
        self.seen = (self.seen + fresh)[-SEEN_LIMIT:]

    def note_published(self, times: list[float], since: float) -> None:
        """Add the publication times of new items; keep those after ``since`` (the rate window), bounded."""
        kept = [int(t) for t in self.published if isinstance(t, int | float) and t >= since]
        kept += [int(t) for t in times if t >= since]
        self.published = sorted(kept)[-PUBLISHED_LIMIT:]


def listing(source: Source, status: SourceStatus, default_every: int) -> dict[str, Any]:
    """One source as ``sources list --format json`` shows it (the documented JSON contract, plus ``healthy``)."""
    return {
        "id": source.id,
        "url": source.url,
        "name": source.name,
        "every_seconds": int(source.every_seconds or status.interval or default_every),
        "last_polled": iso(status.last_polled),
        "last_status": status.last_status,
        "last_error": status.last_error,
        "articles_added": status.articles_added,
        "consecutive_errors": status.consecutive_errors,
        "next_poll": iso(status.next_poll),
        "healthy": status.healthy,
    }


def load_static(path: Path) -> tuple[list[Source], list[str]]:
    """Sources of ``config/sources.toml`` (``[[source]]`` tables with url, name, every); bad ones are warnings."""
    if not path.exists():
        return [], []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], [f"{path}: unreadable, no static sources ({error})"]
    sources, warnings = [], []
    entries = data.get("source", [])
    if not isinstance(entries, list):
        return [], [f"{path}: 'source' must be a list of tables ([[source]])"]
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            warnings.append(f"{path}: source {number} skipped: it needs a url")
            continue
        url = entry["url"].strip()
        if not url.lower().startswith(("http://", "https://")):
            warnings.append(f"{path}: source {number} skipped: {url[:80]!r} is not an http(s) URL")
            continue
        every = None
        if entry.get("every") is not None:
            try:
                every = parse_duration(str(entry["every"]))
            except BadDuration as error:
                warnings.append(f"{path}: source {number}: {error}; the adaptive interval is used")
        name = entry.get("name")
        sources.append(Source(source_id(url), url, str(name) if name else None, every, 0.0, static=True))
    return sources, warnings


class SourceRegistry:
    """Sources in a ``StateStore`` (memory, SQLite or Redis), plus the static ones of config/sources.toml."""

    def __init__(self, state: StateStore, static: list[Source] | None = None, clock: Any = time.time) -> None:
        self.state = state
        self.static = {s.id: s for s in static or []}
        self._clock = clock

    async def all(self) -> list[Source]:
        """Every source, static ones first (in file order), then the added ones by date added."""
        stored = await self.state.map_get_all(MAP)
        added = []
        for key, value in stored.items():
            try:
                source = Source.from_dict(value)
            except (KeyError, TypeError, ValueError):
                log.warning("source %s: unreadable registration skipped", key)
                continue
            if source.id not in self.static:
                added.append(source)
        return list(self.static.values()) + sorted(added, key=lambda s: (s.added, s.id))

    async def get(self, ident: str) -> Source | None:
        return next((s for s in await self.all() if s.id == ident), None)

    async def add(self, url: str, name: str | None = None, every_seconds: int | None = None) -> Source:
        """Register ``url`` (the caller has validated it); ``SourceError`` if it is already followed."""
        ident = source_id(url)
        existing = await self.get(ident)
        if existing is not None:
            raise SourceError(f"already following {existing.url} as source {ident}")
        source = Source(ident, url.strip(), name, every_seconds, self._clock())
        await self.state.map_set(MAP, ident, source.to_dict())
        await self.state.delete(f"sources:removed:{ident}")
        return source

    async def remove(self, ident: str) -> Source:
        source = await self.get(ident.strip())
        if source is None:
            raise SourceError(f"no source with id {ident!r} (see `briefbot sources list`)")
        if source.static:
            raise SourceError(f"source {source.id} is defined in config/sources.toml: remove it there")
        await self.state.map_delete(MAP, source.id)
        # a poll in flight on another replica must not write its status back after this
        await self.state.set_json(f"sources:removed:{source.id}", True, ttl=86400)
        await self.state.delete(f"sources:status:{source.id}")
        return source

    async def status(self, ident: str) -> SourceStatus:
        return SourceStatus.from_dict(await self.state.get_json(f"sources:status:{ident}"))

    async def save_status(self, ident: str, status: SourceStatus) -> bool:
        """Write a poll's outcome, unless the source was removed meanwhile (then False)."""
        if await self.state.get_json(f"sources:removed:{ident}"):
            return False
        await self.state.set_json(f"sources:status:{ident}", status.to_dict())
        return True

    async def listing(self, default_every: int) -> list[dict[str, Any]]:
        return [listing(s, await self.status(s.id), default_every) for s in await self.all()]

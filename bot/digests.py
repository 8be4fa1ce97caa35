"""One digest occurrence: what's new since the channel's last digest, posted once across all replicas.

Exactly once rests on two keys per (subscription, scheduled instant) in the shared state store:
a short lock (``SET NX PX``: the holder posts) and a lasting "posted" marker (nobody posts again).
A holder that dies mid-post leaves no marker; its lock expires after ``lock_ttl`` and the next catch-up
(by any replica) posts the occurrence. The one unavoidable gap: a holder that dies after the platform
accepted the message but before the marker is written; the marker is written first thing after ``post``
returns to keep that window tiny. Across processes this needs Redis; with the memory store it holds
within one process only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.core.models import Reply, ReplyKind, ThreadContext, ThreadRef
from bot.render.text import brief_to_text
from bot.store.state import StateStore, new_token
from bot.subscriptions import Subscription, format_local, normalize_topic
from summarizer.models import Brief, Point, Source

log = logging.getLogger(__name__)

POSTED_TTL = 14 * 86400.0  # longer than any grace window or weekly cadence: a marker outlives its use
MAX_EXTRA_POINTS = 5  # points a digest adds for new articles the topic brief's ranking left out
RETRY_BACKOFF = 60.0  # after a failed post, catch-ups wait this long before trying the occurrence again


class Poster(Protocol):
    """What a digest needs from a ChatAdapter."""

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None: ...


class Outcome(StrEnum):
    POSTED = "posted"
    ALREADY_POSTED = "already-posted"  # the marker exists: someone (maybe us) posted this occurrence
    IN_PROGRESS = "in-progress"  # another holder has the lock right now
    UNCHANGED_SILENT = "unchanged-silent"  # nothing new and settings say stay silent (occurrence done)
    NO_POSTER = "no-poster"  # this process has no adapter for the subscription's platform
    GONE = "gone"  # the subscription was removed before its time came
    FAILED = "failed"  # building or posting failed; logged with the subscription id; retried later


def occurrence_stamp(moment: datetime) -> str:
    """The scheduled instant as one canonical string (UTC, seconds) for the lock and marker keys."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def lock_key(sub_id: str, moment: datetime) -> str:
    return f"digest:lock:{sub_id}:{occurrence_stamp(moment)}"


def posted_key(sub_id: str, moment: datetime) -> str:
    return f"digest:posted:{sub_id}:{occurrence_stamp(moment)}"


def backoff_key(sub_id: str, moment: datetime) -> str:
    return f"digest:retry:{sub_id}:{occurrence_stamp(moment)}"


def last_key(sub: Subscription) -> str:
    """What this channel last received for this topic (per platform+channel+topic, not per schedule)."""
    return f"digest:last:{sub.platform}:{sub.channel}:{normalize_topic(sub.topic)}"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Delta:
    """What changed since the last digest: new article ids (current order) and points that are new."""

    new_article_ids: tuple[str, ...]
    new_points: tuple[Point, ...]
    since: datetime | None  # None: the channel's first digest of this topic

    @property
    def unchanged(self) -> bool:
        return self.since is not None and not self.new_article_ids and not self.new_points


def compute_delta(brief: Brief, article_ids: Sequence[str], last: Mapping[str, Any] | None) -> Delta:
    """A point is new when one of its sources is a new article or its text was not in the last digest."""
    if not last:
        return Delta(tuple(article_ids), brief.points, None)
    seen_ids = set(last.get("article_ids", []))
    seen_points = {_norm(t) for t in last.get("points", [])}
    new_ids = tuple(a for a in article_ids if a not in seen_ids)
    fresh = set(new_ids)
    new_points = tuple(
        p for p in brief.points if fresh.intersection(p.sources) or _norm(p.text) not in seen_points
    )
    return Delta(new_ids, new_points, datetime.fromisoformat(last["sent_at"]))


def digest_header(sub: Subscription, brief: Brief, delta: Delta) -> str:
    """The text fallback's first lines: what is new, before the full brief."""
    titles = {s.id: s.title for s in brief.sources}
    if delta.since is None:
        lines = [f"First digest of {sub.topic} for this channel: {len(delta.new_article_ids)} articles."]
    else:
        lines = [
            f"New since {format_local(delta.since, sub.tz)}: {len(delta.new_article_ids)} new articles, "
            f"{len(delta.new_points)} new points."
        ]
        lines += [f"  + {titles.get(a, a)}" for a in delta.new_article_ids]
        if delta.new_points:
            lines.append("New points:")
            lines += [f"  * {p.text}" for p in delta.new_points]
    return "\n".join(lines)


@dataclass(frozen=True)
class DigestSettings:
    lock_ttl: float = 120.0
    post_unchanged: bool = True
    length: str = "full"
    wait_for_holder: float = 0.0  # run-now: wait for a concurrent holder to finish instead of giving up


class DigestRunner:
    """Builds and posts one occurrence of a subscription's digest, at most once across replicas."""

    def __init__(
        self,
        service: Any,  # BriefService
        state: StateStore,
        posters: Mapping[str, Poster],
        core: Any = None,  # BriefbotCore: brief_posted(reply, ref) so the digest's thread answers follow-ups
        settings: DigestSettings | None = None,
    ) -> None:
        self.service = service
        self.state = state
        self.posters = dict(posters)
        self.core = core
        self.settings = settings or DigestSettings()

    async def is_posted(self, sub_id: str, moment: datetime) -> bool:
        return await self.state.get_json(posted_key(sub_id, moment)) is not None

    async def in_backoff(self, sub_id: str, moment: datetime) -> bool:
        return await self.state.get_json(backoff_key(sub_id, moment)) is not None

    async def run(self, sub: Subscription, scheduled_for: datetime, wait: float | None = None) -> Outcome:
        """Post ``sub``'s digest for the occurrence ``scheduled_for`` unless someone already did."""
        poster = self.posters.get(sub.platform)
        if poster is None:
            log.error("digest %s: no %s adapter in this process; not posted", sub.id, sub.platform)
            return Outcome.NO_POSTER
        wait = self.settings.wait_for_holder if wait is None else wait
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            try:
                if await self.is_posted(sub.id, scheduled_for):
                    return Outcome.ALREADY_POSTED
                token = new_token()
                claimed = await self.state.set_if_absent(
                    lock_key(sub.id, scheduled_for), token, self.settings.lock_ttl
                )
            except Exception as error:  # the shared store is down: post nothing rather than risk twice
                log.error("digest %s %s: state store unavailable (%s); will retry", sub.id,
                          occurrence_stamp(scheduled_for), error)  # fmt: skip
                return Outcome.FAILED
            if claimed:
                return await self._holding_lock(sub, scheduled_for, poster, token)
            if asyncio.get_running_loop().time() >= deadline:
                log.info("digest %s %s: another process holds the lock", sub.id, occurrence_stamp(scheduled_for))
                return Outcome.IN_PROGRESS
            await asyncio.sleep(0.2)  # the holder finishes (marker) or dies (lock expires)

    async def _holding_lock(self, sub: Subscription, moment: datetime, poster: Poster, token: str) -> Outcome:
        lock = lock_key(sub.id, moment)
        try:
            # re-check under the lock: a holder may have posted and released between our check and claim
            if await self.is_posted(sub.id, moment):
                return Outcome.ALREADY_POSTED
            reply, record = await self.build(sub)
            if reply is None:
                await self._mark_posted(sub, moment, "silent")
                log.info("digest %s %s: nothing new, staying silent", sub.id, occurrence_stamp(moment))
                return Outcome.UNCHANGED_SILENT
            where = await poster.post(sub.channel, reply)
            await self._mark_posted(sub, moment, "posted")
        except asyncio.CancelledError:  # shutdown: let another replica post it now, not after lock_ttl
            await asyncio.shield(self._release(lock, token))
            log.info("digest %s %s: cancelled by shutdown; lock released", sub.id, occurrence_stamp(moment))
            raise
        except Exception:
            log.exception("digest %s %s for %s:%s failed", sub.id, occurrence_stamp(moment), sub.platform,
                          sub.channel)  # fmt: skip
            await self._release(lock, token)
            with contextlib.suppress(Exception):
                await self.state.set_json(backoff_key(sub.id, moment), True, ttl=RETRY_BACKOFF)
            return Outcome.FAILED
        log.info("digest %s %s posted to %s:%s", sub.id, occurrence_stamp(moment), sub.platform, sub.channel)
        try:
            if record is not None:
                await self.state.set_json(last_key(sub), record)
            if where is not None and self.core is not None:
                await self.core.brief_posted(reply, where)
        except Exception:  # the digest went out; the next one may repeat some "new" items
            log.exception("digest %s: posted, but saving its state failed", sub.id)
        await self._release(lock, token)
        return Outcome.POSTED

    async def _mark_posted(self, sub: Subscription, moment: datetime, how: str) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        await self.state.set_json(posted_key(sub.id, moment), {"how": how, "at": stamp}, ttl=POSTED_TTL)

    async def _release(self, lock: str, token: str) -> None:
        try:
            await self.state.delete_if_equals(lock, token)
        except Exception:  # it expires by itself
            log.warning("could not release %s; it expires in %.0f s", lock, self.settings.lock_ttl)

    async def _points_of(self, brief: Brief, article_ids: Sequence[str]) -> tuple[Point, ...]:
        """One point per article: the lead of a brief of that article alone (its summary when it has no
        key points), so each line cites exactly the article it came from."""
        from summarizer.topics import TopicMatch

        points: list[Point] = []
        for article in (await self.service.articles_by_id(article_ids))[:MAX_EXTRA_POINTS]:
            match = TopicMatch(brief.topic, brief.title, (article,), adhoc=True)
            single = (await self.service.brief_for(match, "short")).brief
            text = single.points[0].text if single.points else single.summary
            if text.strip():
                points.append(Point(text.strip(), (article.id,), 1))
        return tuple(points)

    async def _with_points_for(self, brief: Brief, article_ids: Sequence[str]) -> Brief:
        """``brief`` with a leading point for each of these articles (and their sources, if missing)."""
        present = {_norm(p.text) for p in brief.points}
        points = tuple(p for p in await self._points_of(brief, article_ids) if _norm(p.text) not in present)
        known = {s.id for s in brief.sources}
        missing = {sid for p in points for sid in p.sources} - known
        sources = brief.sources
        if missing:
            articles = await self.service.articles_by_id(sorted(missing))
            sources += tuple(Source(a.id, a.title, a.outlet, a.url, a.published) for a in articles)
        return replace(brief, points=points + brief.points, sources=sources)

    async def build(self, sub: Subscription) -> tuple[Reply | None, dict[str, Any] | None]:
        """The digest reply (None: nothing new and silence requested) and the state to remember if posted."""
        result = await self.service.brief(sub.topic, self.settings.length)
        brief: Brief = result.brief
        last = await self.state.get_json(last_key(sub))
        delta = compute_delta(brief, result.article_ids, last)
        if delta.since is not None:
            uncited = [a for a in delta.new_article_ids if not any(a in p.sources for p in brief.points)]
            if uncited:  # new articles the topic's ranking left out still deserve a line in a digest
                brief = await self._with_points_for(brief, uncited)
                delta = compute_delta(brief, result.article_ids, last)
        extra = {
            "digest": True,
            "subscription": sub.id,
            "new_article_ids": list(delta.new_article_ids),
            "new_points": [p.text for p in delta.new_points],
            "since": delta.since.isoformat() if delta.since else None,
        }
        if delta.unchanged:
            if not self.settings.post_unchanged:
                return None, None
            assert delta.since is not None
            text = f"No new developments on {sub.topic} since {format_local(delta.since, sub.tz)}."
            return Reply(ReplyKind.TEXT, text, extra=extra), None
        text = f"{digest_header(sub, brief, delta)}\n\n{brief_to_text(brief)}"
        context = ThreadContext(brief.topic, brief.title, tuple(result.article_ids), result.brief_id)
        record = {
            "article_ids": list(result.article_ids),
            "points": [p.text for p in brief.points],
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return Reply(ReplyKind.BRIEF, text, brief=brief, context=context, extra=extra), record

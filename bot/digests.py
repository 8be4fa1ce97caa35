"""One digest occurrence: what's new since the channel's last digest, posted once across all replicas.

Exactly once rests on two keys per (subscription, scheduled instant) in the strict state store (Redis, or
the SQLite file shared by one machine's processes): a short lock (claimed with ``set_if_absent``: the
holder posts) and a lasting "posted" marker (nobody posts again).

Posted means posted: the poster returns where the platform put the message (its id: Slack ``ts``, Discord
message id) or raises when the platform refused it. Only then is the marker written and the channel's
"last digest" advanced; a refused post releases the lock, waits ``RETRY_BACKOFF`` and is tried again by the
next catch-up inside the grace window, and its failure is kept (``status_key``) for the log and
``briefbot digest list``. The marker is written before the lock is released, retried until the lock would
expire; if the store stays unreachable the runner keeps the marker in its own memory, checks it before any
re-post, and writes it when the store answers again.

State keys and their JSON values (``stamp`` = ``occurrence_stamp``):

* ``digest:lock:{sub}:{stamp}``: the holder's token, TTL ``lock_ttl``;
* ``digest:posted:{sub}:{stamp}``: ``{"how": "posted"|"silent", "at": ISO, "message_id": str|null,
  "channel": str|null}``, TTL ``POSTED_TTL``;
* ``digest:retry:{sub}:{stamp}``: present while a failed occurrence waits before its next try;
* ``digest:status:{sub}``: the latest outcome, ``{"occurrence": ISO, "outcome": "posted"|"failed",
  "at": ISO, "attempts": int, "error": str|null, "message_id": str|null}``;
* ``digest:last:{platform}:{channel}:{topic}`` (``last_key``), what the channel last received:
  ``{"article_ids": [str], "points": [str], "sent_at": ISO, "occurrence": ISO, "message_id": str}``;
  ``compute_delta`` reads ``article_ids``, ``points`` and ``sent_at`` (extra fields are ignored). ``points``
  holds every point the channel has had (the last ``MAX_REMEMBERED_POINTS``); the next digest passes them and
  ``article_ids`` to the engine as ``Seen`` (update summarisation), so it briefs only what is new.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.core.models import Reply, ReplyKind, ThreadContext, ThreadRef
from bot.core.service import BriefResult
from bot.metrics import DIGESTS
from bot.render.text import brief_to_text
from bot.store.state import StateStore, StateUnavailable, new_token
from bot.store.values import report_corrupt
from bot.subscriptions import Subscription, format_local, normalize_topic
from summarizer.articles import Article
from summarizer.brief import Seen
from summarizer.models import Brief, Point, Source
from summarizer.topics import TopicMatch

log = logging.getLogger(__name__)

POSTED_TTL = 14 * 86400.0  # longer than any grace window or weekly cadence: a marker outlives its use
MAX_EXTRA_POINTS = 5  # points a digest adds for new articles the topic brief's ranking left out
MAX_REMEMBERED_POINTS = 300  # posted point texts kept per channel and topic for update briefs
RETRY_BACKOFF = 60.0  # after a failed post, catch-ups wait this long before trying the occurrence again


StateWrite = tuple[str, Any, float | None]  # a state key, its JSON value, its TTL in seconds (None: none)


class Poster(Protocol):
    """What a digest needs from a ChatAdapter: where the platform put the message (``thread_id`` is its
    message id), or an exception when the platform refused it (never a silent None)."""

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None: ...


class DigestBriefs(Protocol):
    """What a digest needs from ``bot.core.service.BriefService``: the topic's brief (an update brief after
    ``previous``), a brief of chosen articles, and articles by id."""

    async def brief(self, query: str, length: str = "full", *, previous: Seen | None = None) -> BriefResult: ...

    async def brief_for(self, match: TopicMatch, length: str = "full") -> BriefResult: ...

    async def articles_by_id(self, article_ids: Sequence[str]) -> list[Article]: ...


class DigestThreads(Protocol):
    """What a digest needs from ``bot.core.handlers.BriefbotCore``: the "Full brief" link (when pages are on)
    and its thread registered once it is posted, so follow-ups there are answered."""

    async def with_page(self, reply: Reply) -> Reply: ...

    async def brief_posted(self, reply: Reply, where: ThreadRef) -> None: ...


class PostRefused(Exception):
    """The platform did not accept the digest (or said nothing about where it went)."""


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


def status_key(sub_id: str) -> str:
    """The latest outcome of this subscription's digests (``briefbot digest list`` shows failures)."""
    return f"digest:status:{sub_id}"


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


def _usable_last(last: Any, key: str) -> dict[str, Any] | None:
    """The stored "last digest" record if it has the documented shape; otherwise reported and treated as none
    (the next digest is a first one) instead of failing every occurrence of this digest."""
    if last is None:
        return None
    try:
        if not isinstance(last, dict) or not isinstance(last.get("sent_at"), str):
            raise ValueError("not a last-digest record")
        datetime.fromisoformat(last["sent_at"])
        if not all(isinstance(last.get(k, []), list) for k in ("article_ids", "points")):
            raise ValueError("article_ids and points must be lists")
    except ValueError as error:
        report_corrupt("digest", key, error)
        return None
    return last


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
        service: DigestBriefs,
        state: StateStore,
        posters: Mapping[str, Poster],
        core: DigestThreads | None = None,  # None: no page links, and the digest's thread takes no follow-ups
        settings: DigestSettings | None = None,
    ) -> None:
        self.service = service
        self.state = state
        self.posters = dict(posters)
        self.core = core
        self.settings = settings or DigestSettings()
        # posts the platform accepted whose marker could not be stored yet: (sub id, stamp) -> writes
        self._unrecorded: dict[tuple[str, str], list[StateWrite]] = {}

    async def is_posted(self, sub_id: str, moment: datetime) -> bool:
        """The marker, in the store or (when the store was lost right after a post) in this runner's memory."""
        if (sub_id, occurrence_stamp(moment)) in self._unrecorded:
            return True
        return await self.state.get_json(posted_key(sub_id, moment)) is not None

    async def in_backoff(self, sub_id: str, moment: datetime) -> bool:
        return await self.state.get_json(backoff_key(sub_id, moment)) is not None

    async def run(self, sub: Subscription, scheduled_for: datetime, wait: float | None = None) -> Outcome:
        """Post ``sub``'s digest for the occurrence ``scheduled_for`` unless someone already did."""
        poster = self.posters.get(sub.platform)
        if poster is None:
            log.error("digest %s: no %s adapter in this process; not posted", sub.id, sub.platform)
            return Outcome.NO_POSTER
        await self._flush_unrecorded()
        wait = self.settings.wait_for_holder if wait is None else wait
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            try:
                if await self.is_posted(sub.id, scheduled_for):
                    return Outcome.ALREADY_POSTED
                token = new_token()
                claimed_at = loop.time()
                claimed = await self.state.set_if_absent(
                    lock_key(sub.id, scheduled_for), token, self.settings.lock_ttl
                )
            except StateUnavailable as error:  # post nothing rather than risk posting twice
                log.error("digest %s %s: state store unavailable (%s); will retry", sub.id,
                          occurrence_stamp(scheduled_for), error)  # fmt: skip
                DIGESTS.labels("failed").inc()
                return Outcome.FAILED
            if claimed:
                hold_until = claimed_at + self.settings.lock_ttl * 0.8  # margin before someone else may claim
                return await self._holding_lock(sub, scheduled_for, poster, token, hold_until)
            if loop.time() >= deadline:
                log.info("digest %s %s: another process holds the lock", sub.id, occurrence_stamp(scheduled_for))
                return Outcome.IN_PROGRESS
            await asyncio.sleep(0.2)  # the holder finishes (marker) or dies (lock expires)

    async def _holding_lock(
        self, sub: Subscription, moment: datetime, poster: Poster, token: str, hold_until: float
    ) -> Outcome:
        lock = lock_key(sub.id, moment)
        try:
            # re-check under the lock: a holder may have posted and released between our check and claim
            if await self.is_posted(sub.id, moment):
                await self._release(lock, token)
                return Outcome.ALREADY_POSTED
            reply, record = await self.build(sub)
            if reply is None:
                await self._mark_posted(sub, moment, {"how": "silent"})
                await self._release(lock, token)
                log.info("digest %s %s: nothing new, staying silent", sub.id, occurrence_stamp(moment),
                         extra=_ids(sub, moment))  # fmt: skip
                DIGESTS.labels("skipped").inc()
                return Outcome.UNCHANGED_SILENT
            if self.core is not None:
                reply = await self.core.with_page(reply)
            where = await poster.post(sub.channel, reply)
            if where is None:
                raise PostRefused(f"the {sub.platform} adapter returned no message id")
        except asyncio.CancelledError:  # shutdown: let another replica post it now, not after lock_ttl
            await asyncio.shield(self._release(lock, token))
            log.info("digest %s %s: cancelled by shutdown; lock released", sub.id, occurrence_stamp(moment))
            raise
        except Exception as error:
            log.warning("digest %s %s for %s:%s not posted: %s: %s", sub.id, occurrence_stamp(moment),
                        sub.platform, sub.channel, type(error).__name__, error,
                        exc_info=not isinstance(error, PostRefused | StateUnavailable),
                        extra=_ids(sub, moment))  # fmt: skip
            await self._failed(sub, moment, lock, token, error)
            return Outcome.FAILED
        await self._accepted(sub, moment, reply, record, where, lock, token, hold_until)
        return Outcome.POSTED

    async def _accepted(
        self,
        sub: Subscription,
        moment: datetime,
        reply: Reply,
        record: dict[str, Any] | None,
        where: ThreadRef,
        lock: str,
        token: str,
        hold_until: float,
    ) -> None:
        """The platform took it: record that (marker, last digest, status) before the lock goes."""
        stamp = occurrence_stamp(moment)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        marker = {"how": "posted", "at": now, "message_id": where.thread_id, "channel": where.channel}
        log.info("digest %s %s posted to %s:%s (message %s)", sub.id, stamp, sub.platform, sub.channel,
                 where.thread_id, extra=_ids(sub, moment) | {"message_id": where.thread_id})  # fmt: skip
        DIGESTS.labels("posted").inc()
        writes: list[StateWrite] = [(posted_key(sub.id, moment), marker, POSTED_TTL)]
        if record is not None:
            writes.append((last_key(sub), record | {"occurrence": stamp, "message_id": where.thread_id}, None))
        status = {"occurrence": stamp, "outcome": "posted", "at": now, "attempts": 1, "error": None,
                  "message_id": where.thread_id}  # fmt: skip
        writes.append((status_key(sub.id), status, POSTED_TTL))
        if not await self._persist(writes, hold_until):
            # never release a lock we could not record behind; remember the post here, write it later
            self._unrecorded[(sub.id, stamp)] = writes
            log.error("digest %s %s was posted (message %s) but the state store is unreachable: recorded in "
                      "this process only until the store is back", sub.id, stamp, where.thread_id)  # fmt: skip
            return
        try:
            if self.core is not None:
                await self.core.brief_posted(reply, where)
        except Exception:  # follow-ups in the digest's thread may go unanswered; the digest went out
            log.exception("digest %s: posted, but remembering its thread failed", sub.id)
        await self._release(lock, token)

    async def _persist(self, writes: list[StateWrite], hold_until: float) -> bool:
        """Write each value, retrying an unreachable store until ``hold_until`` (loop time)."""
        loop = asyncio.get_running_loop()
        pause = 0.1
        pending = list(writes)
        while pending:
            key, value, ttl = pending[0]
            try:
                await self.state.set_json(key, value, ttl=ttl)
            except StateUnavailable:
                if loop.time() + pause >= hold_until:
                    return False
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)
                continue
            pending.pop(0)
        return True

    async def _flush_unrecorded(self) -> None:
        """Write markers of posts made while the store was unreachable, now that it may answer."""
        for occurrence, writes in list(self._unrecorded.items()):
            try:
                for key, value, ttl in writes:
                    await self.state.set_json(key, value, ttl=ttl)
            except StateUnavailable:
                return
            del self._unrecorded[occurrence]
            log.warning("digest %s %s: its posted marker is now recorded", *occurrence)

    async def _failed(self, sub: Subscription, moment: datetime, lock: str, token: str, error: Exception) -> None:
        """Not posted: free the occurrence for a later try (after a pause) and keep the failure for the operator."""
        DIGESTS.labels("failed").inc()
        await self._release(lock, token)
        stamp = occurrence_stamp(moment)
        try:
            await self.state.set_json(backoff_key(sub.id, moment), True, ttl=RETRY_BACKOFF)
            previous = await self.state.get_json(status_key(sub.id))
            attempts = 1
            same = isinstance(previous, dict) and previous.get("occurrence") == stamp
            if same and isinstance(previous, dict) and previous.get("outcome") == "failed":
                attempts = int(previous.get("attempts") or 0) + 1
            status = {"occurrence": stamp, "outcome": "failed",
                      "at": datetime.now(UTC).isoformat(timespec="seconds"), "attempts": attempts,
                      "error": f"{type(error).__name__}: {error}"[:300], "message_id": None}  # fmt: skip
            await self.state.set_json(status_key(sub.id), status, ttl=POSTED_TTL)
        except (StateUnavailable, ValueError, TypeError) as problem:
            log.warning("digest %s %s: could not record the failure: %s", sub.id, stamp, problem)

    async def _mark_posted(self, sub: Subscription, moment: datetime, marker: dict[str, Any]) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        value = {"at": stamp, "message_id": None, "channel": None} | marker
        await self.state.set_json(posted_key(sub.id, moment), value, ttl=POSTED_TTL)

    async def _release(self, lock: str, token: str) -> None:
        try:
            await self.state.delete_if_equals(lock, token)
        except StateUnavailable:  # it expires by itself
            log.warning("could not release %s; it expires in %.0f s", lock, self.settings.lock_ttl)

    async def _points_of(self, brief: Brief, article_ids: Sequence[str]) -> tuple[Point, ...]:
        """One point per article: the lead of a brief of that article alone (its summary when it has no
        key points), so each line cites exactly the article it came from."""
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
        last = _usable_last(await self.state.get_json(last_key(sub)), last_key(sub))
        previous = None
        if last is not None:  # update mode: the engine briefs what the channel has not had yet
            previous = Seen(frozenset(map(str, last.get("article_ids", []))), tuple(map(str, last.get("points", []))))
        result = await self.service.brief(sub.topic, self.settings.length, previous=previous)
        brief: Brief = result.brief
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
        had = [str(t) for t in (last or {}).get("points", [])]
        record = {
            "article_ids": list(result.article_ids),
            # every point the channel has had (bounded), so no later digest repeats one of them
            "points": (had + [p.text for p in brief.points])[-MAX_REMEMBERED_POINTS:],
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return Reply(ReplyKind.BRIEF, text, brief=brief, context=context, extra=extra), record


def _ids(sub: Subscription, moment: datetime) -> dict[str, str]:
    """The ids an operator filters digest log lines by (``key=value`` in text logs, keys in JSON logs)."""
    return {"subscription": sub.id, "occurrence": occurrence_stamp(moment), "platform": sub.platform,
            "channel": sub.channel}  # fmt: skip

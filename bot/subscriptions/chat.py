"""The core's SubscriptionCommands: ``/brief subscribe|unsubscribe|subscriptions`` in any chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from bot.commands import SubscribeRequest, UnsubscribeRequest
from bot.core.models import Inbound, Reply, ReplyKind
from bot.store.state import StateUnavailable
from bot.subscriptions.errors import SubscriptionError
from bot.subscriptions.model import Subscription, make_subscription, normalize_topic
from bot.subscriptions.schedule import format_local, next_run
from bot.subscriptions.store import SubscriptionStore
from summarizer.topics import TopicMatch, TopicSpec

log = logging.getLogger(__name__)

Listener = Callable[[], Awaitable[None]]

NOT_SAVED = "Sorry, I couldn't save the subscription; try again in a moment."
NOT_READ = "Sorry, I couldn't read this channel's subscriptions; try again in a moment."


def _unavailable(what: str, error: StateUnavailable) -> Reply:
    log.warning("subscriptions: %s", error)
    return Reply(ReplyKind.ERROR, what, ephemeral=True)

class TopicMatcher(Protocol):
    """What subscriptions need of the brief service: the named topics, and matching a query to one."""

    topics: tuple[TopicSpec, ...]

    async def match(self, query: str) -> TopicMatch: ...


class ChatSubscriptions:
    """The core's SubscriptionCommands: ``/brief subscribe|unsubscribe|subscriptions``."""

    def __init__(
        self, store: SubscriptionStore, service: TopicMatcher, default_tz: str = "UTC", min_interval: float = 3600
    ) -> None:
        self.store = store
        self.service = service  # BriefService: .match(query) raises UnknownTopic with suggestions
        self.default_tz = default_tz
        self.min_interval = min_interval  # seconds between two digests of one subscription, at least
        self.listeners: list[Listener] = []  # e.g. the local scheduler re-syncing at once

    async def _changed(self) -> None:
        for listener in self.listeners:
            try:
                await listener()
            except Exception:
                log.exception("subscription change listener failed")

    async def canonical_topic(self, topic: str) -> str:
        """The named topic a query resolves to (or the query itself for a free-text topic)."""
        from summarizer.topics import UnknownTopic

        try:
            match = await self.service.match(topic)
        except UnknownTopic as unknown:
            raise SubscriptionError(str(unknown)) from unknown
        return topic if match.adhoc else match.name

    def _reject_named_plus_words(self, topic: str) -> None:
        """'china-russia hourly' is a named topic plus a word we don't know, not a free-text topic."""
        words = topic.split()
        names = {t.name.lower() for t in self.service.topics}
        if len(words) > 1 and words[0].lower() in names:
            raise SubscriptionError(
                f"I don't understand '{' '.join(words[1:])}'. Usage: /brief subscribe TOPIC "
                '[daily|weekdays|weekly DAY|cron "..."] [at HH:MM] [Area/City]'
            )

    async def subscribe(self, inbound: Inbound, parsed: SubscribeRequest) -> Reply:
        try:
            self._reject_named_plus_words(parsed.topic)
            topic = await self.canonical_topic(parsed.topic)
            who = inbound.user_name or inbound.user
            sub = make_subscription(
                inbound.platform,
                inbound.channel,
                topic,
                parsed.cadence,
                parsed.at,
                parsed.tz or self.default_tz,
                created_by=f"{inbound.platform}:{who}",
                min_interval=self.min_interval,
            )
        except SubscriptionError as error:
            return Reply(ReplyKind.ERROR, str(error), ephemeral=True)
        try:
            replaced = await self.store.put(sub)
        except StateUnavailable as error:  # never answer "Subscribed" for something not stored
            return _unavailable(NOT_SAVED, error)
        await self._changed()
        log.info("subscription %s %s: %s", sub.id, "updated" if replaced else "added", sub.describe())
        upcoming = next_run(sub, datetime.now(UTC))
        when = f" Next one: {format_local(upcoming, sub.tz)}." if upcoming else ""
        verb = "Updated: this channel gets" if replaced else "Subscribed: this channel will get"
        return Reply(ReplyKind.TEXT, f"{verb} a digest of {sub.topic} {sub.describe()}.{when} (id {sub.id})")

    async def _find(self, inbound: Inbound, topic: str) -> Subscription | None:
        mine = await self.store.for_channel(inbound.platform, inbound.channel)
        wanted = normalize_topic(topic)
        for sub in mine:
            if sub.id == topic.strip() or normalize_topic(sub.topic) == wanted:
                return sub
        try:
            canonical = normalize_topic(await self.canonical_topic(topic))
        except SubscriptionError:
            return None
        return next((s for s in mine if normalize_topic(s.topic) == canonical), None)

    async def unsubscribe(self, inbound: Inbound, request: UnsubscribeRequest) -> Reply:
        try:
            return await self._unsubscribe(inbound, request)
        except StateUnavailable as error:
            return _unavailable("Sorry, I couldn't change the subscription; try again in a moment.", error)

    async def _unsubscribe(self, inbound: Inbound, request: UnsubscribeRequest) -> Reply:
        topic = request.topic.strip().strip("\"'")
        if not topic:
            return Reply(ReplyKind.ERROR, "Which topic? Usage: /brief unsubscribe TOPIC", ephemeral=True)
        sub = await self._find(inbound, topic)
        if sub is None:
            mine = await self.store.for_channel(inbound.platform, inbound.channel)
            names = ", ".join(s.topic for s in mine) or "none"
            return Reply(
                ReplyKind.ERROR,
                f"This channel has no digest of '{topic}'. Its digests: {names}.",
                ephemeral=True,
            )
        removed = await self.store.remove(sub.id)
        await self._changed()
        still = await self.store.get(sub.id)
        if still is not None:  # a static digest from config/digests.toml remains
            prefix = "Removed this channel's own schedule, but" if removed else "This digest"
            return Reply(
                ReplyKind.TEXT,
                f"{prefix} the operator's digest of {sub.topic} ({still.describe()}) is configured in "
                "digests.toml; ask them to remove it there.",
            )
        log.info("subscription %s removed", sub.id)
        return Reply(ReplyKind.TEXT, f"Unsubscribed: no more digests of {sub.topic} in this channel.")

    async def list(self, inbound: Inbound) -> Reply:
        try:
            mine = await self.store.for_channel(inbound.platform, inbound.channel)
        except StateUnavailable as error:
            return _unavailable(NOT_READ, error)
        if not mine:
            return Reply(
                ReplyKind.TEXT,
                "This channel has no digests. Add one with /brief subscribe TOPIC [daily] [at HH:MM] [Area/City].",
                ephemeral=True,
            )
        now = datetime.now(UTC)
        lines = ["Digests in this channel:"]
        for sub in mine:
            upcoming = next_run(sub, now)
            nxt = f", next {format_local(upcoming, sub.tz)}" if upcoming else ""
            lines.append(f"  {sub.topic} \u2014 {sub.describe()}{nxt} (id {sub.id})")
        return Reply(ReplyKind.TEXT, "\n".join(lines), ephemeral=True)


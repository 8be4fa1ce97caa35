"""BriefbotCore: one ``handle(Inbound) -> Reply`` for every platform.

Adapters call ``handle`` for each command or thread message and ``brief_posted`` once a brief has a
thread, so follow-ups in that thread can be answered later, by any replica.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from bot.core.models import Inbound, Reply, ReplyKind, ThreadContext, ThreadRef
from bot.core.router import Action, Command, parse_command
from bot.core.service import BriefService
from bot.render.text import answer_to_text, brief_to_text
from bot.store.state import StateStore
from summarizer.topics import UnknownTopic

log = logging.getLogger(__name__)


class SubscriptionCommands(Protocol):
    """Implemented by the digests module: chat-side subscribe/unsubscribe/list."""

    async def subscribe(self, inbound: Inbound, args: str) -> Reply: ...

    async def unsubscribe(self, inbound: Inbound, args: str) -> Reply: ...

    async def list(self, inbound: Inbound) -> Reply: ...


HELP = """Briefbot condenses the news articles it has into a brief per topic.

  /brief TOPIC [short|full]   a brief: lead, key points with sources, quotes, timeline, who's who
  /brief TOPIC since 2d       only articles published in the last 2 days
  /brief "free text"          a brief of the articles that match the words
  /brief topics               the named topics and how many articles each has
  /brief subscribe TOPIC [daily|weekdays|weekly] [at HH:MM] [Area/City]
  /brief unsubscribe TOPIC    /brief subscriptions
  /brief sources              the feeds Briefbot follows (admins: sources add URL, sources remove ID)
  /brief help                 this help

Reply in a brief's thread to ask a follow-up question; answers come only from the articles."""


def error(text: str) -> Reply:
    return Reply(ReplyKind.ERROR, text, ephemeral=True)


class BriefbotCore:
    def __init__(
        self,
        service: BriefService,
        state: StateStore,
        subscriptions: SubscriptionCommands | None = None,
        thread_ttl: float = 7 * 86400,
        briefs_per_user_per_minute: int = 10,
    ) -> None:
        self.service = service
        self.state = state
        self.subscriptions = subscriptions
        self.thread_ttl = thread_ttl
        self.rate_limit = briefs_per_user_per_minute
        self.sources: Any = None  # bot.sources.chat.SourcesChat, set by bot.app

    async def handle(self, inbound: Inbound) -> Reply | None:
        """A reply for the user, or None when the message is not ours to answer."""
        try:
            if inbound.is_command:
                return await self._command(inbound, parse_command(inbound.text))
            return await self._thread_message(inbound)
        except Exception:  # the user gets a sentence, the log gets the traceback
            log.exception("handler failed for %s message in %s", inbound.platform, inbound.channel)
            return error("Sorry, something went wrong while preparing that. The error has been logged.")

    async def _command(self, inbound: Inbound, command: Command) -> Reply:
        if command.action is Action.HELP:
            return Reply(ReplyKind.TEXT, await self._help_text(), ephemeral=True)
        if command.action is Action.TOPICS:
            return Reply(ReplyKind.TEXT, await self._topics_text(), ephemeral=True)
        if command.action in (Action.SUBSCRIBE, Action.UNSUBSCRIBE, Action.SUBSCRIPTIONS):
            if self.subscriptions is None:
                return error("Digests are not enabled on this Briefbot.")
            if command.action is Action.SUBSCRIBE:
                return await self.subscriptions.subscribe(inbound, command.args)
            if command.action is Action.UNSUBSCRIBE:
                return await self.subscriptions.unsubscribe(inbound, command.args)
            return await self.subscriptions.list(inbound)
        if command.action is Action.SOURCES:
            if self.sources is None:
                return error("Live sources are not enabled on this Briefbot.")
            return await self.sources.handle(inbound, command.args)
        return await self._brief(inbound, command)

    async def _help_text(self) -> str:
        return f"{HELP}\n\n{await self._topics_text()}"

    async def _topics_text(self) -> str:
        topics = await self.service.topic_list()
        if not topics:
            return "No named topics are configured; try /brief followed by a few words."
        lines = ["Topics:"] + [f"  {t.name} \u2014 {t.title} ({t.articles} articles)" for t in topics]
        return "\n".join(lines)

    async def allow_brief(self, inbound: Inbound) -> bool:
        """Per-user rate limit on briefs, shared across replicas through the state store."""
        if self.rate_limit <= 0:
            return True
        key = f"ratelimit:{inbound.platform}:{inbound.team or '-'}:{inbound.user}"
        return await self.state.incr_window(key, 60) <= self.rate_limit

    async def _brief(self, inbound: Inbound, command: Command) -> Reply:
        topic = command.args.strip().strip("\"'\u201c\u201d")
        if not await self.allow_brief(inbound):
            return error(
                f"You've asked for {self.rate_limit} briefs in the last minute; "
                "please wait a moment before the next one."
            )
        since = None
        if command.since is not None:
            import datetime as dt

            from bot.sources.duration import BadDuration, parse_duration

            try:
                since = dt.timedelta(seconds=parse_duration(command.since))
            except BadDuration as bad:
                return error(str(bad))
        try:
            result = await self.service.brief(topic, command.length, since=since)
        except UnknownTopic as unknown:
            return error(str(unknown))
        if since is not None and not result.brief.sources:
            return error(f"No article about '{topic}' was published in the last {command.since}.")
        if not result.brief.points and not result.brief.summary:
            return error(f"The articles matching '{topic}' have no text to brief.")
        context = ThreadContext(result.brief.topic, result.brief.title, result.article_ids, result.brief_id)
        return Reply(ReplyKind.BRIEF, brief_to_text(result.brief), brief=result.brief, context=context)

    async def brief_posted(self, reply: Reply, where: ThreadRef) -> None:
        """Remember which articles a posted brief came from, so its thread can be answered."""
        if reply.context is not None:
            await self.state.set_json(where.key, reply.context.to_dict(), ttl=self.thread_ttl)

    async def thread_context(self, thread: ThreadRef) -> ThreadContext | None:
        data = await self.state.get_json(thread.key)
        return ThreadContext.from_dict(data) if data else None

    async def _thread_message(self, inbound: Inbound) -> Reply | None:
        if inbound.thread is None:
            return None
        context = await self.thread_context(inbound.thread)
        if context is None:
            return None  # a thread Briefbot did not start: not ours
        question = inbound.text.strip()
        if not question:
            return None
        answer = await self.service.answer(question, context.article_ids)
        numbers = {aid: i for i, aid in enumerate(context.article_ids, 1)}
        return Reply(
            ReplyKind.ANSWER, answer_to_text(answer, numbers), answer=answer, thread=inbound.thread
        )

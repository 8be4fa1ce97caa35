"""BriefbotCore: one ``handle(Inbound) -> Reply`` for every platform, routed on typed requests.

Adapters call ``handle`` with the text after ``/brief`` (parsed here, once, by ``bot.commands``) or
``handle_request`` with a request they built from typed options (Discord), and ``brief_posted`` once a brief
has a thread, so follow-ups in that thread can be answered later, by any replica. Everything every adapter
needs besides that lives here too, so no adapter holds the state store: ``claim`` (each platform event is
handled once across replicas), the permission rule for managing commands, rate limits, and draining on
shutdown.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from bot.commands import (
    AskRequest,
    BriefRequest,
    HelpRequest,
    Request,
    SourcesRequest,
    SubscribeRequest,
    SubscriptionsRequest,
    TopicsRequest,
    UnsubscribeRequest,
    UsageError,
    help_text,
    is_managing,
    parse,
)
from bot.core.models import Inbound, Reply, ReplyKind, ThreadContext, ThreadRef
from bot.core.pages import BriefPages
from bot.core.service import BriefResult, BriefService
from bot.core.work import WorkSlots
from bot.render.text import answer_to_text, brief_to_text
from bot.store.state import StateStore, claim_once, should_handle
from summarizer.topics import UnknownTopic

log = logging.getLogger(__name__)
T = TypeVar("T")

CLAIM_TTL = 86400.0  # platforms redeliver within minutes; a day of memory is plenty
NOT_A_MANAGER = (
    "Only people who manage this channel can change its digests or sources "
    "(Discord: the Manage Channels permission; Slack: the admins in SLACK_ADMINS)."
)
CLOSING = "Briefbot is restarting; please try again in a minute."
TEXT_MEMO = 256  # rendered text of this many recent briefs, by brief id (a content key: same id, same text)


class SubscriptionCommands(Protocol):
    """Implemented by ``bot.subscriptions.ChatSubscriptions``."""

    async def subscribe(self, inbound: Inbound, request: SubscribeRequest) -> Reply: ...

    async def unsubscribe(self, inbound: Inbound, request: UnsubscribeRequest) -> Reply: ...

    async def list(self, inbound: Inbound) -> Reply: ...


class SourceCommands(Protocol):
    """Implemented by the sources module: ``/brief sources [since 2d]|add URL|remove ID``."""

    async def sources(self, inbound: Inbound, request: SourcesRequest) -> Reply: ...


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
        followups_per_user_per_minute: int = 10,
        sources: SourceCommands | None = None,
        work_slots: int = 2,
        claims: StateStore | None = None,
    ) -> None:
        self.service = service
        self.state = state  # rate limits, thread contexts, markers: may degrade to memory in an outage
        self.claims = claims or state  # idempotency keys: must not degrade (a strict store)
        self.subscriptions = subscriptions
        self.sources = sources
        self.thread_ttl = thread_ttl
        self.rate_limit = briefs_per_user_per_minute
        self.followup_limit = followups_per_user_per_minute
        self.slots = WorkSlots(work_slots)  # briefs and answers; never held while posting or waiting on a platform
        self.closing = False
        self._inflight: set[asyncio.Future[Any]] = set()
        self._brief_options = set(inspect.signature(service.brief).parameters)
        # Rendering a brief as text (textwrap) costs milliseconds on the event loop that also acknowledges
        # Slack; a burst of requests for one cached brief renders it once (bench/slack_ack.py, warm rounds).
        self._texts: OrderedDict[str, str] = OrderedDict()

        self.pages: BriefPages | None = None  # set by bot.app when brief pages are configured

    async def with_page(self, reply: Reply) -> Reply:
        """The reply with a signed "Full brief" link in ``extra["page_url"]`` when pages are configured."""
        return await self.pages.with_page(reply) if self.pages is not None else reply

    # -- entry points ------------------------------------------------------------------------------------

    async def handle(self, inbound: Inbound) -> Reply | None:
        """A reply for the user, or None when the message is not ours to answer."""
        if not inbound.is_command:
            return await self._guarded(inbound, self._thread_message(inbound))
        try:
            request = parse(inbound.text, topics=[t.name for t in self.service.topics])
        except UsageError as wrong:
            return error(str(wrong))
        return await self.handle_request(inbound, request)

    async def handle_request(self, inbound: Inbound, request: Request) -> Reply:
        """The reply to a typed request (from the text grammar or an app's typed options)."""
        reply = await self._guarded(inbound, self._route(inbound, request))
        assert reply is not None
        return reply

    async def _guarded(self, inbound: Inbound, work: Any) -> Reply | None:
        if self.closing:
            work.close()
            return error(CLOSING) if inbound.is_command else None
        try:
            return await self.tracked(work)
        except UsageError as wrong:
            return error(str(wrong))
        except Exception:  # the user gets a sentence, the log gets the traceback
            log.exception("handler failed for %s message in %s", inbound.platform, inbound.channel)
            return error("Sorry, something went wrong while preparing that. The error has been logged.")

    async def tracked(self, work: Awaitable[T]) -> T:
        """Run ``work`` as in-flight work that shutdown waits for (and cancels past its deadline)."""
        task = asyncio.ensure_future(work)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return await task

    async def _route(self, inbound: Inbound, request: Request) -> Reply:
        if is_managing(request) and inbound.can_manage is False:
            return error(NOT_A_MANAGER)
        match request:
            case HelpRequest(command=command):
                text = help_text(command)
                if command is None:
                    text = f"{text}\n\n{await self._topics_text()}"
                return Reply(ReplyKind.TEXT, text, ephemeral=True)
            case TopicsRequest():
                return Reply(ReplyKind.TEXT, await self._topics_text(), ephemeral=True)
            case SubscribeRequest() | UnsubscribeRequest() | SubscriptionsRequest():
                return await self._subscriptions(inbound, request)
            case SourcesRequest():
                if self.sources is None:
                    return error("Source management is not enabled on this Briefbot.")
                return await self.sources.sources(inbound, request)
            case AskRequest():
                async with self.slots.hold():
                    return await self._ask(inbound, request)
            case BriefRequest():
                async with self.slots.hold():
                    return await self._brief(inbound, request)
        raise AssertionError(f"unrouted request {request!r}")

    async def _subscriptions(self, inbound: Inbound, request: Request) -> Reply:
        if self.subscriptions is None:
            return error("Digests are not enabled on this Briefbot.")
        if isinstance(request, SubscribeRequest):
            return await self.subscriptions.subscribe(inbound, request)
        if isinstance(request, UnsubscribeRequest):
            return await self.subscriptions.unsubscribe(inbound, request)
        return await self.subscriptions.list(inbound)

    # -- shared services for adapters ----------------------------------------------------------------------

    async def claim(
        self, platform: str, kind: str, ident: object, ttl: float = CLAIM_TTL, is_retry: bool = False
    ) -> bool:
        """True for the first replica to see this platform event (a retry or a second replica gets False).
        When the store cannot tell, a first delivery is handled and a platform's retry is dropped."""
        claim = await claim_once(self.claims, f"{platform}:seen:{kind}:{ident}", ttl)
        return should_handle(claim, is_retry)

    async def marker(self, name: str) -> Any:
        """A small value an adapter keeps across restarts (e.g. the hash of the registered commands)."""
        return await self.state.get_json(f"marker:{name}")

    async def set_marker(self, name: str, value: Any) -> None:
        await self.state.set_json(f"marker:{name}", value)

    async def drain(self, timeout: float) -> int:
        """Stop taking work; wait up to ``timeout`` seconds for what is in flight, then cancel the rest (a
        cancelled digest releases its lock, so another replica posts it). Returns how many were cancelled."""
        self.closing = True
        pending = set(self._inflight)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5.0)  # cancellation runs their cleanup (lock release)
        return len(pending)

    # -- commands ----------------------------------------------------------------------------------------

    async def _topics_text(self) -> str:
        topics = await self.service.topic_list()
        if not topics:
            return "No named topics are configured; try /brief followed by a few words."
        lines = ["Topics:"] + [f"  {t.name} \u2014 {t.title} ({t.articles} articles)" for t in topics]
        return "\n".join(lines)

    async def _within(self, kind: str, limit: int, inbound: Inbound) -> bool:
        """Per-user rate limit, shared across replicas through the state store."""
        if limit <= 0:
            return True
        key = f"ratelimit:{kind}:{inbound.platform}:{inbound.team or '-'}:{inbound.user}"
        return await self.state.incr_window(key, 60) <= limit

    async def allow_brief(self, inbound: Inbound) -> bool:
        return await self._within("brief", self.rate_limit, inbound)

    async def _brief(self, inbound: Inbound, request: BriefRequest) -> Reply:
        topic = request.topic.strip().strip("\"'\u201c\u201d")
        if not await self.allow_brief(inbound):
            return error(
                f"You've asked for {self.rate_limit} briefs in the last minute; "
                "please wait a moment before the next one."
            )
        options: dict[str, Any] = {}
        if request.focus is not None:
            options["focus"] = request.focus
        if request.since is not None:  # the service takes a window back from now
            options["since"] = max(timedelta(0), datetime.now(UTC) - request.since)
        missing = set(options) - self._brief_options
        if missing:
            return error(f"This Briefbot cannot make briefs with '{sorted(missing)[0]}' yet.")
        try:
            result = await self.service.brief(topic, request.length, **options)
        except UnknownTopic as unknown:
            return error(str(unknown))
        if request.since is not None and not result.brief.sources:
            return error(f"No article about '{topic}' was published since {request.since_text} "
                         "(articles without a publication date are left out).")  # fmt: skip
        if not result.brief.points and not result.brief.summary:
            return error(f"The articles matching '{topic}' have no text to brief.")
        context = ThreadContext(result.brief.topic, result.brief.title, result.article_ids, result.brief_id)
        reply = Reply(ReplyKind.BRIEF, self._brief_text(result), brief=result.brief, context=context)
        return await self.with_page(reply)

    def _brief_text(self, result: BriefResult) -> str:
        """The brief's terminal text, rendered once per brief id (the brief's content key)."""
        text = self._texts.get(result.brief_id)
        if text is None:
            text = self._texts[result.brief_id] = brief_to_text(result.brief)
            if len(self._texts) > TEXT_MEMO:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(result.brief_id)
        return text

    async def _ask(self, inbound: Inbound, request: AskRequest) -> Reply:
        if not await self._within("followup", self.followup_limit, inbound):
            return error(f"You've asked {self.followup_limit} questions in the last minute; please wait a moment.")
        try:
            match = await self.service.match(request.topic)
        except UnknownTopic as unknown:
            return error(str(unknown))
        ids = [a.id for a in match.articles]
        answer = await self.service.answer(request.question, ids)
        numbers = {aid: i for i, aid in enumerate(ids, 1)}
        text = answer_to_text(answer, numbers)
        return Reply(ReplyKind.ANSWER, text, answer=answer, extra={"source_numbers": numbers})

    # -- threads -------------------------------------------------------------------------------------------

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
        if not await self._within("followup", self.followup_limit, inbound):
            return Reply(
                ReplyKind.ERROR,
                f"You've asked {self.followup_limit} questions in the last minute; please wait a moment.",
                ephemeral=True,
                thread=inbound.thread,
            )
        async with self.slots.hold():
            answer = await self.service.answer(question, context.article_ids)
            numbers = {aid: i for i, aid in enumerate(context.article_ids, 1)}
            text = answer_to_text(answer, numbers)
        return Reply(
            ReplyKind.ANSWER, text, answer=answer, thread=inbound.thread,
            extra={"source_numbers": numbers},  # renderers number citations like the brief, without hard wraps
        )

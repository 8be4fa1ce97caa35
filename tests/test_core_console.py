"""The platform-free core, driven through the console adapter (a real ChatAdapter)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.app import Briefbot
from bot.commands import (
    AskRequest,
    BriefRequest,
    HelpRequest,
    SourcesRequest,
    SubscribeRequest,
    SubscriptionsRequest,
    TopicsRequest,
    UnsubscribeRequest,
    parse,
)
from bot.core.engine import SummarizerEngine
from bot.core.models import Inbound, ReplyKind, ThreadRef


@pytest.fixture
async def console(settings_factory, seeds_dir: Path):
    settings = settings_factory(articles_dir=seeds_dir, briefs_per_user_per_minute=3)
    async with Briefbot(settings) as bot:
        out = io.StringIO()
        yield ConsoleAdapter(bot.core, out=out), out, bot


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("", HelpRequest()),
        ("help", HelpRequest()),
        ("help subscribe", HelpRequest("subscribe")),
        ("/brief topics", TopicsRequest()),
        ("china-russia", BriefRequest("china-russia")),
        ("china-russia short", BriefRequest("china-russia", "short")),
        ("spy balloon", BriefRequest("spy balloon")),
        ("subscribe china-russia daily at 08:00 Europe/Berlin",
         SubscribeRequest("china-russia", "daily", "08:00", "Europe/Berlin")),
        ("unsubscribe china-russia", UnsubscribeRequest("china-russia")),
        ("subscriptions", SubscriptionsRequest()),
        ('ask china-russia "Who met in Rome?"', AskRequest("china-russia", "Who met in Rome?")),
        ("sources", SourcesRequest()),
    ],
)
def test_parse_builds_typed_requests(text: str, request_: object) -> None:
    assert parse(text, topics=["china-russia"]) == request_


async def test_brief_then_follow_up_in_its_thread(console) -> None:
    adapter, out, _ = console
    reply = await adapter.handle_line("/brief china-russia")
    assert reply is not None and reply.kind is ReplyKind.BRIEF
    assert reply.brief is not None and reply.brief.points
    assert "[1]" in out.getvalue() and "Sources" in out.getvalue()
    assert adapter.last_thread is not None

    answer = await adapter.handle_line("> Who met in Rome?")
    assert answer is not None and answer.kind is ReplyKind.ANSWER
    assert answer.thread == adapter.last_thread


async def test_follow_up_before_any_brief_explains(console) -> None:
    adapter, out, _ = console
    assert await adapter.handle_line("> anything?") is None
    assert "No brief yet" in out.getvalue()


async def test_message_in_a_thread_we_did_not_start_is_ignored(console) -> None:
    _, _, bot = console
    stranger = Inbound("console", "c", "u", "what happened?", False, ThreadRef("console", "c", "not-ours"))
    assert await bot.core.handle(stranger) is None
    plain = Inbound("console", "c", "u", "hello", False, None)
    assert await bot.core.handle(plain) is None


async def test_unknown_topic_suggests_close_names(console) -> None:
    adapter, out, _ = console
    reply = await adapter.handle_line("/brief china-rusia")
    assert reply is not None and reply.kind is ReplyKind.ERROR and reply.ephemeral
    assert "china-russia" in reply.text


async def test_help_and_topics_list_named_topics(console) -> None:
    adapter, _, _ = console
    help_reply = await adapter.handle_line("/brief help")
    assert help_reply is not None and "/brief TOPIC" in help_reply.text and "china-russia" in help_reply.text
    topics = await adapter.handle_line("/brief topics")
    assert topics is not None and "china-russia" in topics.text and "5 articles" in topics.text


async def test_rate_limit_per_user(console) -> None:
    adapter, _, bot = console
    for _ in range(3):
        assert (await adapter.handle_line("/brief china-russia")).kind is ReplyKind.BRIEF
    limited = await adapter.handle_line("/brief china-russia")
    assert limited.kind is ReplyKind.ERROR and "wait" in limited.text
    other_user = Inbound("console", "console", "someone-else", "china-russia")
    assert (await bot.core.handle(other_user)).kind is ReplyKind.BRIEF


async def test_second_brief_is_a_cache_hit(settings_factory, seeds_dir: Path) -> None:
    calls = []
    engine = SummarizerEngine()

    def counting_builder(*args, **kwargs):
        calls.append(args[0])
        return engine.build(*args, **kwargs)

    async with Briefbot(settings_factory(articles_dir=seeds_dir), builder=counting_builder) as bot:
        first = await bot.service.brief("china-russia")
        second = await bot.service.brief("china-russia")
    assert not first.cached and second.cached and len(calls) == 1
    assert second.brief == first.brief


async def test_new_article_makes_a_new_brief(console, seeds_dir: Path) -> None:
    _, _, bot = console
    first = await bot.service.brief("china-russia")
    (seeds_dir / "zz_new.txt").write_text(
        "China and Russia sign a new trade pact\n\nChina and Russia signed a trade pact in Moscow on Tuesday, "
        "officials in Beijing said, as Putin and Xi Jinping met again.\n",
        encoding="utf-8",
    )
    second = await bot.service.brief("china-russia")
    assert not second.cached and second.brief_id != first.brief_id
    assert "zz_new" in second.article_ids


async def test_unexpected_failure_becomes_a_sentence(settings_factory, seeds_dir: Path) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    async with Briefbot(settings_factory(articles_dir=seeds_dir), builder=broken) as bot:
        reply = await bot.core.handle(Inbound("console", "c", "u", "china-russia"))
    assert reply.kind is ReplyKind.ERROR and "went wrong" in reply.text and "boom" not in reply.text

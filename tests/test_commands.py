"""One grammar (bot/commands): the drifts issue 15 lists, each parsed once into a typed request; help from
the table; the chat limits of issue 14 that live in the grammar and the schedule rules."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.app import Briefbot
from bot.commands import (
    COMMANDS,
    BriefRequest,
    SubscribeRequest,
    UsageError,
    help_text,
    parse,
    subscribe_from_options,
    usage,
)
from bot.core.models import Inbound, ReplyKind

TOPICS = ["china-russia", "spy-balloon"]


def test_subscribe_topic_with_a_slash_is_a_topic_not_a_time_zone() -> None:
    assert parse("subscribe covid/vaccines daily") == SubscribeRequest("covid/vaccines", "daily")
    assert parse("subscribe covid/vaccines weekly fri at 07:30 Europe/Berlin") == SubscribeRequest(
        "covid/vaccines", "weekly fri", "07:30", "Europe/Berlin"
    )
    # a real zone still is one, right after the topic; a mistyped zone reaches the zone check (suggestions)
    assert parse("subscribe china-russia Europe/Berlin").tz == "Europe/Berlin"
    assert parse("subscribe china-russia Europe/Berln").tz == "Europe/Berln"


def test_help_lists_every_command_with_cron_and_weekly_day() -> None:
    text = help_text()
    for spec in COMMANDS:
        assert usage(spec.name) in text
    assert 'cron "M H D M W"' in text and "weekly DAY" in text and "since 2d" in text and "focus" in text
    assert "Example:" in help_text("subscribe") and help_text("subscribe").startswith(usage("subscribe"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("china-russia medium", "I don't understand 'medium'"),
        ("china-russia short extra", "after the options"),
        ("china-russia since yesterday", "is not a time span"),
        ("china-russia since 2\u0664d", "is not a time span"),  # Arabic-Indic digit
        ('china-russia focus', "needs a question"),
        ("topics please", "takes no arguments"),
        ("subscriptions now", "takes no arguments"),
        ("unsubscribe", "Which topic?"),
        ("ask china-russia", "Ask what"),
        ('"unclosed', "check the quotes"),
        ("x" * 3000, "the limit is 2000"),
    ],
)
def test_mistakes_are_usage_errors_never_free_text(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        parse(text, topics=TOPICS)
    assert "Usage: /brief" in str(caught.value) or "limit" in str(caught.value)


def test_brief_options() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    request = parse('china-russia short since 2d focus "what did they sign?"', topics=TOPICS, now=now)
    assert request == BriefRequest("china-russia", "short", now - timedelta(days=2), "2d", "what did they sign?")
    assert parse("china-russia since 2026-11-01", now=now).since == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse('"spy balloon" full', topics=TOPICS) == BriefRequest("spy balloon", "full")
    assert parse("spy balloon over montana", topics=TOPICS).topic == "spy balloon over montana"


def test_the_command_lines_option_spelling_means_the_same_in_chat() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    words = parse('china-russia short since 2d focus "what did they sign?"', topics=TOPICS, now=now)
    assert parse('china-russia --short --since 2d --focus "what did they sign?"', topics=TOPICS, now=now) == words
    assert parse('china-russia --length short --since=2d focus "what did they sign?"', topics=TOPICS, now=now) == words
    assert parse("china-russia --length=short", topics=TOPICS).length == "short"
    assert parse("china-russia length full", topics=TOPICS).length == "full"
    assert parse("china-russia since=2d", topics=TOPICS, now=now) == parse("china-russia since 2d", topics=TOPICS,
                                                                           now=now)
    assert parse("china-russia --focus=Why?", topics=TOPICS).focus == "Why?"  # a question keeps its capitals
    # a topic keeps its words; an unknown option is still a mistake, shown as typed
    assert parse("spy balloon length", topics=TOPICS).topic == "spy balloon length"
    with pytest.raises(UsageError, match="'--medium'"):
        parse("china-russia --medium", topics=TOPICS)


def test_typed_options_build_the_same_requests_as_text() -> None:
    assert subscribe_from_options("china-russia", "weekly", "fri", None, "07:30", "Europe/Berlin") == parse(
        "subscribe china-russia weekly fri at 07:30 Europe/Berlin"
    )
    assert subscribe_from_options("china-russia", "cron", None, "0 6 * * 1-5") == parse(
        'subscribe china-russia cron "0 6 * * 1-5"'
    )
    for wrong, message in [
        (("china-russia", "daily", "fri"), "goes with the weekly"),
        (("china-russia", "cron"), "needs the cron option"),
        (("china-russia", "weekdays", None, "0 6 * * *"), "goes with the cron"),
        (("china-russia", "cron", None, "0 6 * * *", "08:00"), "sets its own time"),
        (("  ",), "Which topic"),
    ]:
        with pytest.raises(UsageError, match=message):
            subscribe_from_options(*wrong)  # type: ignore[arg-type]


# -- through the real core and the console adapter ---------------------------------------------------------


@pytest.fixture
async def console(settings_factory, seeds_dir: Path):
    settings = settings_factory(articles_dir=seeds_dir, followups_per_minute=2)
    async with Briefbot(settings) as bot:
        out = io.StringIO()
        yield ConsoleAdapter(bot.core, out=out), out, bot


async def test_named_topic_with_an_unknown_word_is_an_error_not_a_free_text_brief(console) -> None:
    adapter, _, _ = console
    reply = await adapter.handle_line("/brief china-russia medium")
    assert reply is not None and reply.kind is ReplyKind.ERROR and reply.ephemeral
    assert "medium" in reply.text and "short|full" in reply.text


async def test_plain_line_in_chat_is_a_follow_up_not_a_new_brief(console) -> None:
    adapter, out, _ = console
    assert await adapter.handle_line("Who met in Rome?") is None  # no brief yet: a hint, not a brief
    assert "No brief yet" in out.getvalue()
    brief = await adapter.handle_line("/brief china-russia")
    assert brief is not None and brief.kind is ReplyKind.BRIEF
    answer = await adapter.handle_line("Who met in Rome?")
    assert answer is not None and answer.kind is ReplyKind.ANSWER and answer.thread == adapter.last_thread
    assert await adapter.handle_line("/quote something") is None and "Unknown command" in out.getvalue()


async def test_help_reply_comes_from_the_table(console) -> None:
    adapter, _, _ = console
    reply = await adapter.handle_line("/brief help")
    assert reply is not None and help_text() in reply.text and "china-russia" in reply.text
    one = await adapter.handle_line("/brief help subscribe")
    assert one is not None and one.text == help_text("subscribe")


async def test_follow_ups_are_rate_limited_per_user(console) -> None:
    adapter, _, _ = console
    await adapter.handle_line("/brief china-russia")
    for _ in range(2):
        assert (await adapter.handle_line("Who met in Rome?")).kind is ReplyKind.ANSWER
    limited = await adapter.handle_line("Who met in Rome?")
    assert limited is not None and limited.kind is ReplyKind.ERROR and "wait" in limited.text


async def test_ask_command_answers_from_a_topic(console) -> None:
    _, _, bot = console
    reply = await bot.core.handle(Inbound("console", "c", "u", 'ask china-russia "Who met in Rome?"'))
    assert reply is not None and reply.kind is ReplyKind.ANSWER and reply.answer is not None


async def test_since_and_focus_reach_the_brief_service(console, seeds_dir: Path) -> None:
    _, _, bot = console
    focused = await bot.core.handle(Inbound("console", "c", "u", 'china-russia focus "Who met in Rome?"'))
    assert focused is not None and focused.kind is ReplyKind.BRIEF and focused.brief is not None
    plain = await bot.core.handle(Inbound("console", "c", "u2", "china-russia"))
    assert plain is not None and plain.context is not None and focused.context is not None
    assert plain.context.brief_id != focused.context.brief_id  # a different brief, not the cached one
    # one article published ten days ago: 'since 2w' briefs it alone, 'since 2d' has nothing and says so
    day_ago = (datetime.now(UTC) - timedelta(days=10)).isoformat(timespec="seconds")
    (seeds_dir / "zz_recent.md").write_text(
        f"---\ntitle: China and Russia sign a grain deal\npublished: {day_ago}\n---\n\n"
        "China and Russia signed a grain deal in Moscow, officials in Beijing said on Tuesday, as Putin "
        "and Xi Jinping met again to discuss trade and the war in Ukraine.\n",
        encoding="utf-8",
    )
    recent = await bot.core.handle(Inbound("console", "c", "u3", "china-russia since 2w"))
    assert recent is not None and recent.kind is ReplyKind.BRIEF and recent.context is not None
    assert recent.context.article_ids == ("zz_recent",)
    nothing = await bot.core.handle(Inbound("console", "c", "u4", "china-russia since 2d"))
    assert nothing is not None and nothing.kind is ReplyKind.ERROR and "since 2d" in nothing.text


async def test_sources_without_a_sources_module_is_a_sentence(console) -> None:
    _, _, bot = console
    reply = await bot.core.handle(Inbound("console", "c", "u", "sources"))
    assert reply is not None and reply.kind in (ReplyKind.TEXT, ReplyKind.ERROR)
    assert "went wrong" not in reply.text

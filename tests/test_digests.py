"""What's new in a digest: new articles and points since the channel's last one, the 'no new developments'
notice (or silence), thread context for follow-ups, and failures that leave the occurrence retryable."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.console import ConsoleAdapter
from bot.app import Briefbot, build_digest_runner
from bot.core.models import Inbound, Reply, ReplyKind, ThreadRef
from bot.digests import (
    DigestRunner,
    DigestSettings,
    Outcome,
    backoff_key,
    compute_delta,
    last_key,
    lock_key,
    posted_key,
)
from bot.subscriptions import make_subscription
from summarizer.models import Brief, Coverage, Point, Source
from tests.conftest import REDIS_URL

TOPIC = "china-russia"


class RecordingConsole(ConsoleAdapter):
    def __init__(self, core: object) -> None:
        super().__init__(core, out=io.StringIO())  # type: ignore[arg-type]
        self.replies: list[Reply] = []

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        self.replies.append(reply)
        return await super().post(channel, reply)


def add_article(folder: Path, name: str, title: str, body: str) -> str:
    (folder / f"{name}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    return name


def sub_for(channel: str = "c1"):
    return make_subscription("console", channel, TOPIC, "daily", "08:00", "Europe/Berlin")


def at(day: int, hour: int = 7) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def test_second_digest_lists_new_articles_and_marks_new_points(settings_factory, seeds_dir) -> None:
    async with Briefbot(settings_factory(articles_dir=seeds_dir)) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        sub = sub_for()
        assert await runner.run(sub, at(20)) is Outcome.POSTED
        first = console.replies[-1]
        assert first.kind is ReplyKind.BRIEF and first.extra["since"] is None
        assert set(first.extra["new_article_ids"]) == {p.stem for p in seeds_dir.glob("*.txt")}
        old_points = {p.text for p in first.brief.points}

        new_id = add_article(
            seeds_dir,
            "zz_new_report",
            "Russia and China sign grain corridor accord",
            "Officials in Moscow and Beijing signed a grain corridor accord on Monday, diplomats said. "
            "The agreement covers rail shipments through Kazakhstan. Ukraine criticised the timing.",
        )
        assert await runner.run(sub, at(21)) is Outcome.POSTED
        second = console.replies[-1]
        assert second.kind is ReplyKind.BRIEF and second.brief is not None
        assert second.extra["digest"] is True and second.extra["subscription"] == sub.id
        assert second.extra["new_article_ids"] == [new_id]
        assert second.extra["since"] is not None
        assert second.extra["new_points"], "the new article's points are marked new"
        by_text = {p.text: p for p in second.brief.points}
        for text in second.extra["new_points"]:
            assert new_id in by_text[text].sources or text not in old_points
        unchanged = [p.text for p in second.brief.points if p.text in old_points and new_id not in p.sources]
        assert not set(unchanged) & set(second.extra["new_points"])
        assert second.text.startswith("New since ")
        assert "Russia and China sign grain corridor accord" in second.text.split("\n\n")[0]


async def test_nothing_new_says_so_or_stays_silent(settings_factory, seeds_dir) -> None:
    async with Briefbot(settings_factory(articles_dir=seeds_dir)) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        sub = sub_for()
        assert await runner.run(sub, at(20)) is Outcome.POSTED
        assert await runner.run(sub, at(21)) is Outcome.POSTED
        notice = console.replies[-1]
        assert notice.kind is ReplyKind.TEXT
        assert notice.text.startswith(f"No new developments on {TOPIC} since 2026-")
        assert notice.extra["new_article_ids"] == [] and notice.extra["new_points"] == []

        silent = DigestSettings(post_unchanged=False)
        quiet = DigestRunner(bot.service, bot.state, {"console": console}, bot.core, silent)
        count = len(console.replies)
        assert await quiet.run(sub, at(22)) is Outcome.UNCHANGED_SILENT
        assert len(console.replies) == count
        assert await bot.state.get_json(posted_key(sub.id, at(22))) is not None  # occurrence done


async def test_the_digest_thread_answers_follow_ups(settings_factory) -> None:
    async with Briefbot(settings_factory()) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        assert await runner.run(sub_for(), at(20)) is Outcome.POSTED
        thread = console.last_thread
        assert thread is not None
        context = await bot.core.thread_context(thread)
        assert context is not None and context.topic == TOPIC and context.article_ids
        reply = await bot.core.handle(Inbound("console", "c1", "u", "Who spoke with Xi?", False, thread))
        assert reply is not None and reply.kind is ReplyKind.ANSWER


async def test_a_failed_post_leaves_the_occurrence_retryable(settings_factory, namespace, redis_client) -> None:
    class Down(RecordingConsole):
        async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
            raise TimeoutError("no route to the platform")

    async with Briefbot(settings_factory(redis_url=REDIS_URL), namespace=namespace) as bot:
        sub = sub_for()
        runner = build_digest_runner(bot, {"console": Down(bot.core)})
        assert await runner.run(sub, at(20)) is Outcome.FAILED
        state = bot.state
        assert await state.get_json(lock_key(sub.id, at(20))) is None
        assert await state.get_json(posted_key(sub.id, at(20))) is None
        assert await state.get_json(backoff_key(sub.id, at(20))) is True
        assert await state.get_json(last_key(sub)) is None  # nothing recorded as sent
        console = RecordingConsole(bot.core)
        assert await build_digest_runner(bot, {"console": console}).run(sub, at(20)) is Outcome.POSTED
        assert len(console.replies) == 1


async def test_no_adapter_for_the_platform_is_reported_not_crashed(settings_factory) -> None:
    async with Briefbot(settings_factory()) as bot:
        runner = build_digest_runner(bot, {})
        sub = make_subscription("slack", "C1", TOPIC, "daily", "08:00", "UTC")
        assert await runner.run(sub, at(20)) is Outcome.NO_POSTER


def test_compute_delta_rules() -> None:
    def brief(points: list[Point]) -> Brief:
        return Brief("t", "T", "", tuple(points), (Source("a", "A"), Source("b", "B")), Coverage(2, 2, 0))

    last = {"article_ids": ["a"], "points": ["Old  point."], "sent_at": "2026-11-20T07:00:00+00:00"}
    kept = Point("old point.", ("a",), 1)  # same text modulo case/spaces, old source: not new
    reworded = Point("A rewritten old point.", ("a",), 1)  # text not in the last digest: new
    from_new = Point("Old point.", ("a", "b"), 2)  # an old text now also backed by the new article: new
    delta = compute_delta(brief([kept, reworded, from_new]), ["a", "b"], last)
    assert delta.new_article_ids == ("b",)
    assert delta.new_points == (reworded, from_new)
    assert delta.since == datetime(2026, 11, 20, 7, tzinfo=UTC) and not delta.unchanged
    assert compute_delta(brief([kept]), ["a"], last).unchanged
    first = compute_delta(brief([kept]), ["a"], None)
    assert first.since is None and first.new_article_ids == ("a",) and not first.unchanged


async def test_a_corrupt_last_digest_record_makes_a_first_digest_not_a_failure(settings_factory) -> None:
    """A "last digest" record of the wrong shape (no sent_at) raised KeyError on every occurrence."""
    async with Briefbot(settings_factory()) as bot:
        sub = sub_for()
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        await bot.state.set_json(last_key(sub), {"article_ids": ["x"], "points": "not a list"})
        assert await runner.run(sub, at(20)) is Outcome.POSTED
        assert console.replies[0].text.startswith("First digest of china-russia")
        last = await bot.state.get_json(last_key(sub))
        assert last["sent_at"] and last["occurrence"] == "2026-11-20T07:00:00+00:00" and last["message_id"]


async def test_a_digest_never_repeats_a_point_the_channel_already_had(settings_factory, seeds_dir) -> None:
    """Update mode: a new article that retells an old event in other words adds only its new fact."""
    async with Briefbot(settings_factory(articles_dir=seeds_dir)) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        sub = sub_for()
        assert await runner.run(sub, at(20)) is Outcome.POSTED
        first_points = [p.text for p in console.replies[-1].brief.points]
        retold = first_points[0]
        new_id = add_article(
            seeds_dir,
            "zz_retelling",
            "Wire round-up on China and Russia",
            f"{retold} Separately, Kazakhstan agreed on Monday to open a new rail corridor for Chinese grain "
            "shipments to Russia, officials in Astana said.",
        )
        assert await runner.run(sub, at(21)) is Outcome.POSTED
        second = console.replies[-1]
        assert second.kind is ReplyKind.BRIEF and second.extra["new_article_ids"] == [new_id]
        texts = [p.text for p in second.brief.points]
        assert texts, "the new fact is briefed"
        assert all(t not in first_points for t in texts), texts
        assert any("Kazakhstan" in t for t in texts), texts
        third_record = await bot.state.get_json(last_key(sub))
        assert set(first_points) <= set(third_record["points"])  # remembered for the digests after this one

"""Posted means posted (issue 13): a digest the platform refused is not marked posted, its "last digest" does
not advance, it is tried again and its failure is shown; a store lost right after the platform accepted a
digest never leads to a second post. Real Slack SDK against a fake Web API, real discord.py against the
fake gateway, and a private redis-server the tests cut, stop and empty."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters.slack import RATE_LIMIT_RETRIES, SlackAdapter
from bot.app import Briefbot, build_digest_runner
from bot.core.models import Reply, ThreadRef
from bot.digests import DigestRunner, DigestSettings, Outcome, last_key, posted_key, status_key
from bot.platforms.slack import settings_from
from bot.store.state import strict
from bot.subscriptions import make_subscription
from tests.discord_fakes import CHANNEL_ID, FakeDiscord
from tests.private_redis import PrivateRedis
from tests.slack_fakes import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.test_digests import RecordingConsole
from tests.test_discord import discord_settings, running

TOPIC = "china-russia"
WHEN = datetime(2026, 11, 23, 7, tzinfo=UTC)


def sub(platform: str = "console", channel: str = "c1"):
    return make_subscription(platform, channel, TOPIC, "daily", "08:00", "Europe/Berlin")


@pytest.fixture
async def fake_slack():
    server = await FakeSlack().start()
    yield server
    await server.stop()


def slack_settings(settings_factory: Any, fake: FakeSlack, **extra: Any) -> Any:
    slack = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.api_url}
    return settings_factory(slack=slack, http_port=0, **extra)


async def assert_not_posted(bot: Briefbot, subscription: Any, error: str) -> None:
    state = strict(bot.state)
    assert await state.get_json(posted_key(subscription.id, WHEN)) is None
    assert await state.get_json(last_key(subscription)) is None  # "last digest" did not advance
    status = await state.get_json(status_key(subscription.id))
    assert status["outcome"] == "failed" and error in status["error"], status


@pytest.mark.parametrize("refusal", ["not_in_channel", "ratelimited"])
async def test_a_digest_slack_refuses_is_not_posted_and_is_retried(settings_factory, fake_slack, refusal) -> None:
    async with Briefbot(slack_settings(settings_factory, fake_slack)) as bot:
        digest = sub("slack", "C0CHAN")
        await bot.subscriptions.put(digest)
        runner = build_digest_runner(bot, {"slack": SlackAdapter(bot.core, settings_from(bot.settings))})
        if refusal == "ratelimited":  # 429 on the first try and on every retry the SDK makes
            for _ in range(RATE_LIMIT_RETRIES + 1):
                fake_slack.fail("chat.postMessage", 429, {"Retry-After": "0"}, ok=False, error="ratelimited")
        else:
            fake_slack.fail("chat.postMessage", ok=False, error="not_in_channel")
        assert await runner.run(digest, WHEN) is Outcome.FAILED
        await assert_not_posted(bot, digest, refusal)
        assert await runner.in_backoff(digest.id, WHEN)  # the next catch-up after the pause tries again
        # the operator sees it
        from bot.cli.digest import _status_text

        assert refusal in _status_text(await strict(bot.state).get_json(status_key(digest.id)))
        assert await runner.run(digest, WHEN) is Outcome.POSTED  # Slack accepts the retry
        accepted = fake_slack.of("chat.postMessage")[-1]
        marker = await strict(bot.state).get_json(posted_key(digest.id, WHEN))
        assert marker["message_id"] == accepted.ts and marker["how"] == "posted"
        last = await strict(bot.state).get_json(last_key(digest))
        assert last["message_id"] == accepted.ts and last["article_ids"] and last["sent_at"]
        assert await runner.run(digest, WHEN) is Outcome.ALREADY_POSTED
        assert len([c for c in fake_slack.of("chat.postMessage") if c.result.get("ok")]) == 1


async def test_a_digest_discord_refuses_with_403_is_not_posted(settings_factory, fake_discord_server) -> None:
    fake = fake_discord_server
    async with running(discord_settings(settings_factory, fake)) as (bot, adapter):
        digest = sub("discord", CHANNEL_ID)
        runner = build_digest_runner(bot, {"discord": adapter})
        fake.fail("POST", rf"/channels/{CHANNEL_ID}/messages", 403)
        assert await runner.run(digest, WHEN) is Outcome.FAILED
        await assert_not_posted(bot, digest, "Forbidden")
        fake.heal()  # the bot was given the permission
        assert await runner.run(digest, WHEN) is Outcome.POSTED
        marker = await strict(bot.state).get_json(posted_key(digest.id, WHEN))
        assert marker["message_id"]


@pytest.fixture
async def fake_discord_server():
    server = await FakeDiscord().start()
    yield server
    await server.close()


class CutAfterPost(RecordingConsole):
    """The platform accepts the digest, then the store goes away (``cut`` decides how)."""

    def __init__(self, core: object, cut: Any) -> None:
        super().__init__(core)
        self.cut = cut

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        where = await super().post(channel, reply)
        self.cut()
        return where


async def test_a_connection_cut_right_after_the_post_posts_once(settings_factory, private_redis: PrivateRedis):
    async with Briefbot(settings_factory(redis_url=private_redis.url)) as bot:
        digest = sub()
        console = CutAfterPost(bot.core, private_redis.drop_clients)
        runner = build_digest_runner(bot, {"console": console})
        assert await runner.run(digest, WHEN) is Outcome.POSTED
        other_replica = build_digest_runner(bot, {"console": RecordingConsole(bot.core)})
        assert await other_replica.run(digest, WHEN) is Outcome.ALREADY_POSTED
        assert await runner.run(digest, WHEN) is Outcome.ALREADY_POSTED
        assert len(console.replies) == 1
        assert b"message_id" in private_redis.command("GET", f"briefbot:state:{posted_key(digest.id, WHEN)}")


async def test_redis_lost_after_the_post_never_posts_twice(settings_factory, private_redis: PrivateRedis) -> None:
    """Redis dies after Slack (here: the console) accepted the digest and comes back empty: this runner
    remembers the post, does not post again, and writes the marker once Redis answers."""
    async with Briefbot(settings_factory(redis_url=private_redis.url)) as bot:
        digest = sub()
        console = CutAfterPost(bot.core, lambda: private_redis.stop(kill=True))
        runner = DigestRunner(bot.service, strict(bot.state), {"console": console}, bot.core,
                              DigestSettings(lock_ttl=1.5))  # fmt: skip
        assert await runner.run(digest, WHEN) is Outcome.POSTED
        assert await runner.run(digest, WHEN) is Outcome.ALREADY_POSTED  # remembered here while Redis is down
        private_redis.start()  # empty: the lock and everything else are gone
        assert await runner.run(digest, WHEN) is Outcome.ALREADY_POSTED
        assert len(console.replies) == 1
        stored = json.loads(private_redis.command("GET", f"briefbot:state:{posted_key(digest.id, WHEN)}")
                            .split(b"\r\n")[1])  # fmt: skip
        assert stored["how"] == "posted" and stored["message_id"]


async def test_a_failed_store_before_posting_posts_nothing(settings_factory, private_redis: PrivateRedis) -> None:
    async with Briefbot(settings_factory(redis_url=private_redis.url)) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        private_redis.stop()
        assert await runner.run(sub(), WHEN) is Outcome.FAILED
        assert console.replies == []


async def test_exactly_once_on_the_sqlite_default_within_one_process(settings_factory) -> None:
    """Two Briefbots (as two processes would) on one data folder race one occurrence: one post."""
    import asyncio

    settings = settings_factory()
    async with Briefbot(settings) as one, Briefbot(settings) as two:
        consoles = [RecordingConsole(one.core), RecordingConsole(two.core)]
        runners = [build_digest_runner(b, {"console": c}) for b, c in zip((one, two), consoles, strict=True)]
        outcomes = await asyncio.gather(*(r.run(sub(), WHEN, wait=10) for r in runners))
        assert sorted(outcomes) == sorted([Outcome.POSTED, Outcome.ALREADY_POSTED])
        assert sum(len(c.replies) for c in consoles) == 1


async def test_a_discord_digest_without_thread_permission_is_posted_once(settings_factory, fake_discord_server):
    """The message went out but the thread was refused: that is posted (message id kept), not a failure to
    retry (which would post the digest again)."""
    fake = fake_discord_server
    async with running(discord_settings(settings_factory, fake)) as (bot, adapter):
        digest = sub("discord", CHANNEL_ID)
        runner = build_digest_runner(bot, {"discord": adapter})
        fake.fail("POST", rf"/channels/{CHANNEL_ID}/messages/\d+/threads", 403)
        assert await runner.run(digest, WHEN) is Outcome.POSTED
        assert await runner.run(digest, WHEN) is Outcome.ALREADY_POSTED
        (message,) = fake.matching("POST", rf"/channels/{CHANNEL_ID}/messages")
        marker = await strict(bot.state).get_json(posted_key(digest.id, WHEN))
        assert marker["message_id"] and marker["channel"] == CHANNEL_ID

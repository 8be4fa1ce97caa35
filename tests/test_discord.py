"""The Discord adapter end to end: the real discord.py client against a fake gateway and REST API on loopback.

Every test builds the bot through ``bot.app.Briefbot`` (real core, service, cache, state) and drives it with
gateway events; assertions read the REST calls the client made.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import MISSING_THREAD_PERMISSIONS, DiscordAdapter, invite_url, required_permissions
from bot.app import Briefbot
from bot.core.models import StartupError
from bot.platforms.discord import settings_from
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, ROOT
from tests.discord_fakes import APP_ID, CHANNEL_ID, GUILD_ID, OTHER_BOT_ID, TOKEN, Call, FakeDiscord, _user

EPHEMERAL = 64
WEBHOOK = rf"/webhooks/{APP_ID}/{{token}}"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.close()


@pytest.fixture(autouse=True)
def restore_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The adapter sets discord.py's class-level endpoints from settings; put them back whatever happens."""
    import discord.gateway
    import discord.http

    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    socket = discord.gateway.DiscordWebSocket
    monkeypatch.setattr(socket, "DEFAULT_GATEWAY", socket.DEFAULT_GATEWAY)


def discord_settings(settings_factory: Any, fake: FakeDiscord, **overrides: Any) -> Any:
    """``discord_X=...`` overrides ``settings.discord.X`` (DISCORD_X); anything else is a top-level setting."""
    platform = {"token": TOKEN, "api_url": fake.api_url, "gateway_url": fake.gateway_url}
    platform |= {k.removeprefix("discord_"): v for k, v in overrides.items() if k.startswith("discord_")}
    rest = {k: v for k, v in overrides.items() if not k.startswith("discord_")}
    return settings_factory(discord=platform, **rest)


@asynccontextmanager
async def running(settings: Any, **briefbot_kw: Any) -> AsyncIterator[tuple[Briefbot, DiscordAdapter]]:
    async with Briefbot(settings, **briefbot_kw) as bot:
        adapter = DiscordAdapter(bot.core, settings_from(settings), guild_ready_timeout=0.1, ready_timeout=15)
        await adapter.start()
        try:
            yield bot, adapter
        finally:
            await adapter.stop()


def sends(fake: FakeDiscord) -> list[Call]:
    """Every REST call that sends a message (interaction followups, channel and thread messages)."""
    return [
        c for c in fake.calls
        if c.method in ("POST", "PATCH") and isinstance(c.body, dict) and ("content" in c.body or "embeds" in c.body)
    ]  # fmt: skip


def assert_no_pings(fake: FakeDiscord) -> None:
    bodies = sends(fake)
    assert bodies, "nothing was sent"
    for call in bodies:
        assert call.body.get("allowed_mentions", {}).get("parse") == [], (call.path, call.body)


def embed_text(embed: dict[str, Any]) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


async def brief_flow(fake: FakeDiscord, topic: str) -> tuple[Call, str]:
    """Run /brief TOPIC; returns the brief followup and the id of the thread opened on it."""
    token = await fake.command("brief topic", {"topic": topic})
    (followup,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
    (thread_call,) = await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages/\d+/threads")
    thread_id = (await fake.wait_call("POST", r"/channels/\d+/messages"))[0].path.split("/")[2]
    return followup, thread_id


async def test_brief_defers_posts_embeds_opens_thread_and_answers_in_it(
    fake: FakeDiscord, settings_factory: Any, namespace: str, redis_client: Any
) -> None:
    settings = discord_settings(settings_factory, fake, redis_url=REDIS_URL)
    async with running(settings, namespace=namespace):
        # commands were synced globally (no DISCORD_GUILD_ID)
        (sync,) = fake.matching("PUT", rf"/applications/{APP_ID}/commands")
        commands = {c["name"]: c for c in sync.body}
        assert set(commands) == {"brief", "subscribe", "unsubscribe", "sources"}
        assert {o["name"] for o in commands["brief"]["options"]} >= {"topic", "ask", "topics", "subscriptions", "help"}
        # changing a channel's digests or sources needs Manage Channels (1 << 4); reading does not
        manage = 1 << 4
        assert [int(commands[n]["default_member_permissions"]) for n in ("subscribe", "unsubscribe", "sources")] == [
            manage, manage, manage]  # fmt: skip
        assert commands["brief"]["default_member_permissions"] is None
        identify = next(f for f in fake.gateway_frames if f["op"] == 2)
        assert identify["d"]["intents"] & (1 << 15), "message content intent requested"

        followup, thread_id = await brief_flow(fake, "china-russia")
        callback = fake.matching("POST", r"/interactions/\d+/[^/]+/callback")[0]
        assert callback.body["type"] == 5  # deferred at once...
        assert fake.calls.index(callback) < fake.calls.index(followup)  # ...the brief came after
        assert not callback.body.get("data", {}).get("flags")  # the brief is public
        embeds = followup.body["embeds"]
        main, sources = embeds[0], embeds[-1]
        assert "China" in main["title"]
        assert "**Key points**" in main["description"] and "\\[1\\]" in main["description"]  # shows as [1]
        assert sources["title"] == "Sources" and "**[1]**" in sources["description"]

        # the thread is remembered in Redis, under the thread's own id
        keys = [k async for k in redis_client.scan_iter(f"{namespace}:*thread:discord:*")]
        assert [k.split("thread:discord:")[1] for k in keys] == [f"{thread_id}:{thread_id}"]

        question_id = await fake.message(thread_id, "What did Blinken say China would face?")
        answers = await fake.wait_call("POST", rf"/channels/{thread_id}/messages", count=2)
        answer = answers[1].body
        assert str(answer["message_reference"]["message_id"]) == question_id
        text = embed_text(answer["embeds"][0])
        assert "From the articles" in text and "**[" in text, text  # numbered citation
        assert fake.matching("POST", rf"/channels/{thread_id}/typing")

        # ignored: another bot in the thread, and a human in a thread Briefbot did not open
        other_thread = fake.new_id()
        from tests.discord_fakes import thread_channel

        await fake.dispatch("THREAD_CREATE", thread_channel(other_thread, owner="1400000000000000001"))
        await fake.message(thread_id, "What did Blinken say?", author=_user(OTHER_BOT_ID, "otherbot", bot=True))
        await fake.message(other_thread, "What did Blinken say?")
        await fake.message(thread_id, "Who spoke with Xi?")  # a later question is still answered...
        await fake.wait_call("POST", rf"/channels/{thread_id}/messages", count=3)
        await asyncio.sleep(0.2)
        assert len(fake.matching("POST", rf"/channels/{thread_id}/messages")) == 3  # ...the bot's was not
        assert not [c for c in fake.calls if other_thread in c.path]
        assert_no_pings(fake)


async def test_autocomplete_offers_matching_topics(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake)):
        await fake.autocomplete("brief topic", {"topic": "chin"}, focused="topic")
        (call,) = await fake.wait_call("POST", r"/interactions/\d+/[^/]+/callback")
        assert call.body["type"] == 8
        values = [c["value"] for c in call.body["data"]["choices"]]
        assert "china-russia" in values
        assert all(len(c["name"]) <= 100 for c in call.body["data"]["choices"])

        await fake.autocomplete("brief topic", {"topic": "qqqzzz"}, focused="topic")
        calls = await fake.wait_call("POST", r"/interactions/\d+/[^/]+/callback", count=2)
        assert calls[1].body["data"]["choices"] == []


async def test_hostile_article_text_never_pings(fake: FakeDiscord, settings_factory: Any, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    hostile = (
        "Reservoir levels fell again in the valley on Monday, officials said. @everyone @here "
        "<@&123456789012345678> <@123456789012345678> **urgent** read [this](http://evil.example) now. "
        "The reservoir authority said the reservoir would be refilled by spring if rain returns. "
        "Farmers near the reservoir said water rationing had already begun in three villages."
    )
    for n in range(2):
        title = f"Reservoir crisis {n} @everyone **urgent** <@&123456789012345678> [this](http://evil.example)"
        (folder / f"reservoir{n}.txt").write_text(f"{title}\n\n{hostile}\n")
    async with running(discord_settings(settings_factory, fake, articles_dir=folder)):
        followup, thread_id = await brief_flow(fake, "reservoir")
        rendered = "\n".join(embed_text(e) for e in followup.body["embeds"])
        assert "@everyone" not in rendered and "@\u200beveryone" in rendered
        assert "<@&123456789012345678>" not in rendered
        assert not re.search(r"(?<!\\)\[this\]\(", rendered)  # article markdown links are escaped
        assert "\\*\\*urgent\\*\\*" in rendered, rendered  # the hostile title is in the brief, escaped
        await fake.message(thread_id, "What did farmers near the reservoir say @everyone?")
        await fake.wait_call("POST", rf"/channels/{thread_id}/messages", count=2)
        assert_no_pings(fake)


async def test_unknown_topic_gets_private_suggestions(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake)):
        token = await fake.command("brief topic", {"topic": "china-rusia"})
        (private,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert private.body["flags"] & EPHEMERAL
        assert "china-russia" in private.body["content"]  # the suggestion
        # the public "thinking" message was settled first and removed after
        await fake.wait_call("DELETE", WEBHOOK.format(token=token) + "/messages/@original")
        edit = fake.matching("PATCH", WEBHOOK.format(token=token) + "/messages/@original")[0]
        assert fake.calls.index(edit) < fake.calls.index(private)
        assert not fake.matching("POST", r"/channels/\d+/messages/\d+/threads")
        assert_no_pings(fake)


async def test_brief_help_is_private(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake)):
        token = await fake.command("brief help")
        (reply,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        callback = fake.matching("POST", r"/interactions/\d+/[^/]+/callback")[0]
        assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
        # rows Discord wraps on a phone, not a code block that scrolls sideways
        assert "```" not in reply.body["content"] and "`/brief topics` \u2014 The named" in reply.body["content"]
        assert len(reply.body["content"]) <= 2000


class BrokenSource:
    """An article store that fails (a disk error, a dropped connection)."""

    async def articles(self) -> Any:
        raise OSError("article store unreachable")


async def test_error_inside_a_command_reaches_the_user(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake), source=BrokenSource()):
        token = await fake.command("brief topic", {"topic": "china-russia"})
        (reply,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert "something went wrong" in reply.body["content"]
        assert reply.body["flags"] & EPHEMERAL


async def test_missing_thread_permission_is_explained(fake: FakeDiscord, settings_factory: Any) -> None:
    fake.fail("POST", r"/channels/\d+/messages/\d+/threads", 403)
    async with running(discord_settings(settings_factory, fake)):
        token = await fake.command("brief topic", {"topic": "china-russia"})
        calls = await fake.wait_call("POST", WEBHOOK.format(token=token), count=2)
        assert calls[0].body["embeds"], "the brief itself was posted"
        assert calls[1].body["content"] == MISSING_THREAD_PERMISSIONS and calls[1].body["flags"] & EPHEMERAL


async def test_redis_down_still_answers(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake, redis_url=DEAD_REDIS_URL)):
        followup, thread_id = await brief_flow(fake, "china-russia")
        assert followup.body["embeds"]
        await fake.message(thread_id, "Who did Biden speak with?")
        answers = await fake.wait_call("POST", rf"/channels/{thread_id}/messages", count=2)
        assert answers[1].body["embeds"]


async def test_subscribe_command_reaches_the_subscriptions(
    fake: FakeDiscord, settings_factory: Any, namespace: str, redis_client: Any
) -> None:
    settings = discord_settings(settings_factory, fake, redis_url=REDIS_URL)
    async with running(settings, namespace=namespace) as (bot, _):
        options = {"topic": "china-russia", "cadence": "weekdays", "time": "07:30", "timezone": "Europe/Berlin"}
        token = await fake.command("subscribe", options)
        (reply,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert "china-russia" in reply.body["content"], reply.body
        subs = await bot.subscriptions.for_channel("discord", CHANNEL_ID)
        assert [(s.topic, s.at, s.tz) for s in subs] == [("china-russia", "07:30", "Europe/Berlin")]

        token = await fake.command("subscribe", {"topic": "china-russia", "time": "25:99"})
        (bad,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert bad.body["flags"] & EPHEMERAL  # the subscription parser's error, shown privately


async def test_commands_sync_to_one_guild_when_configured(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake, discord_guild_id=int(GUILD_ID))):
        (sync,) = fake.matching("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
        assert "brief" in {c["name"] for c in sync.body}
        assert not fake.matching("PUT", rf"/applications/{APP_ID}/commands")


async def test_gateway_drop_is_resumed_by_the_library(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake)):
        await fake.close_gateway(4000)  # "unknown error": resumable
        resume = await fake.wait_for(lambda f: next((x for x in f.gateway_frames if x["op"] == 6), None))
        assert resume["d"]["session_id"] == "fake-session" and resume["d"]["token"] == TOKEN
        assert fake.connections == 2
        followup, _ = await brief_flow(fake, "china-russia")  # and the bot still works
        assert followup.body["embeds"]


async def test_rejected_token_is_one_clear_startup_error(fake: FakeDiscord, settings_factory: Any) -> None:
    settings = discord_settings(settings_factory, fake, discord_token="wrong-token")
    async with Briefbot(settings) as bot:
        with pytest.raises(StartupError, match="DISCORD_TOKEN.*401"):
            await DiscordAdapter(bot.core, settings_from(settings)).start()
        settings = discord_settings(settings_factory, fake, discord_token=" ")
        with pytest.raises(StartupError, match="DISCORD_TOKEN is not set"):
            await DiscordAdapter(bot.core, settings_from(settings)).start()


async def _cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "REDIS_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=clean | env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    # a hang guard, not a timing check: the bot's start takes ~5 s here alone and took over 60 s once under a load
    # average of 4.6 on this 2-core machine (a full test run beside benchmarks)
    out, err = await asyncio.wait_for(process.communicate(), 240)
    return process.returncode or 0, out.decode(), err.decode()


async def test_cli_run_with_rejected_token_exits_2_with_one_line(fake: FakeDiscord) -> None:
    env = {"DISCORD_TOKEN": "wrong", "DISCORD_API_URL": fake.api_url, "DISCORD_GATEWAY_URL": fake.gateway_url}
    code, _, err = await _cli("run", "discord", env=env)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0], err


async def test_cli_invite_url() -> None:
    code, out, _ = await _cli("discord", "invite-url", "--client-id", "123456789012345678", env={})
    assert code == 0
    url = out.strip()
    assert url == invite_url("123456789012345678")
    assert "client_id=123456789012345678" in url and "scope=bot+applications.commands" in url
    assert f"permissions={required_permissions().value}" in url
    code, _, err = await _cli("discord", "invite-url", env={})
    assert code == 2 and "DISCORD_CLIENT_ID" in err


def test_invite_permissions_are_exactly_what_the_bot_needs() -> None:
    perms = required_permissions()
    import discord

    needed = ("view_channel", "send_messages", "send_messages_in_threads", "create_public_threads",
              "embed_links", "read_message_history")
    assert all(getattr(perms, name) for name in needed)
    assert perms.value == sum(getattr(discord.Permissions, name).flag for name in needed) == 309237730304
    with pytest.raises(ValueError, match="numeric"):
        invite_url("not-a-number")


async def test_post_for_digests_opens_a_thread_that_answers(fake: FakeDiscord, settings_factory: Any) -> None:
    """The adapter posts and opens the thread; the digest runner registers it, once (post alone does not)."""
    from datetime import UTC, datetime

    from bot.app import build_digest_runner
    from bot.core.models import Inbound
    from bot.digests import Outcome
    from bot.subscriptions import make_subscription

    async with running(discord_settings(settings_factory, fake)) as (bot, adapter):
        reply = await bot.core.handle(Inbound("discord", CHANNEL_ID, "scheduler", "china-russia"))
        assert reply is not None and reply.brief is not None
        where = await adapter.post(CHANNEL_ID, reply)
        assert where is not None and where.channel == where.thread_id
        assert await bot.core.thread_context(where) is None  # registering is the caller's job
        (posted,) = fake.matching("POST", rf"/channels/{CHANNEL_ID}/messages")
        assert posted.body["embeds"] and posted.body["allowed_mentions"]["parse"] == []
        assert fake.matching("POST", rf"/channels/{CHANNEL_ID}/messages/\d+/threads")

        sub = make_subscription("discord", CHANNEL_ID, "china-russia", "daily", "08:00", "UTC")
        runner = build_digest_runner(bot, {"discord": adapter})
        assert await runner.run(sub, datetime(2030, 1, 1, 8, tzinfo=UTC)) is Outcome.POSTED
        digest_thread = fake.threads[-1]
        assert digest_thread != where.thread_id
        await fake.message(digest_thread, "Who did Biden speak with?")
        (answer,) = await fake.wait_call("POST", rf"/channels/{digest_thread}/messages")
        assert answer.body["embeds"]
        await fake.message(where.thread_id, "Who did Biden speak with?")
        await asyncio.sleep(0.3)
        assert not fake.matching("POST", rf"/channels/{where.thread_id}/messages")  # never registered: ignored


async def test_subscribe_offers_weekday_and_cron_as_typed_options(
    fake: FakeDiscord, settings_factory: Any
) -> None:
    async with running(discord_settings(settings_factory, fake)) as (bot, _):
        weekly = {"topic": "china-russia", "cadence": "weekly", "day": "fri", "time": "07:30"}
        token = await fake.command("subscribe", weekly)
        (reply,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert "weekly on Fri at 07:30" in reply.body["content"], reply.body
        token = await fake.command("subscribe", {"topic": "spy balloon", "cadence": "cron", "cron": "0 6 * * 1-5"})
        (reply,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert "cron" in reply.body["content"], reply.body
        subs = sorted((s.topic, s.cadence) for s in await bot.subscriptions.for_channel("discord", CHANNEL_ID))
        assert subs == [("china-russia", "weekly fri"), ("spy balloon", "cron 0 6 * * mon,tue,wed,thu,fri")]
        token = await fake.command("subscribe", {"topic": "china-russia", "cadence": "cron"})
        (bad,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert bad.body["flags"] & EPHEMERAL and "needs the cron option" in bad.body["content"]


async def test_member_without_manage_channels_cannot_subscribe(fake: FakeDiscord, settings_factory: Any) -> None:
    from tests.discord_fakes import NO_MANAGE_CHANNELS

    async with running(discord_settings(settings_factory, fake)) as (bot, _):
        token = await fake.command("subscribe", {"topic": "china-russia"}, permissions=NO_MANAGE_CHANNELS)
        replies = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert any("manage this channel" in (r.body or {}).get("content", "") for r in replies)
        assert await bot.subscriptions.all() == []
        token = await fake.command("brief subscriptions", permissions=NO_MANAGE_CHANNELS)
        (listing,) = await fake.wait_call("POST", WEBHOOK.format(token=token))
        assert "no digests" in listing.body["content"]


async def test_failed_typing_indicator_never_costs_the_answer(fake: FakeDiscord, settings_factory: Any) -> None:
    async with running(discord_settings(settings_factory, fake)):
        _, thread_id = await brief_flow(fake, "china-russia")
        fake.fail("POST", rf"/channels/{thread_id}/typing", 403)
        await fake.message(thread_id, "What did Blinken say China would face?")
        answers = await fake.wait_call("POST", rf"/channels/{thread_id}/messages", count=2)
        assert answers[1].body["embeds"]


async def test_commands_sync_only_when_their_definition_changed(
    fake: FakeDiscord, settings_factory: Any, namespace: str, redis_client: Any
) -> None:
    settings = discord_settings(settings_factory, fake, redis_url=REDIS_URL)
    for _ in range(2):  # a restart, or a second replica: same definitions, no second sync
        async with running(settings, namespace=namespace):
            pass
    assert len(fake.matching("PUT", rf"/applications/{APP_ID}/commands")) == 1
    keys = [k async for k in redis_client.scan_iter(f"{namespace}:*discord:commands*")]
    assert len(keys) == 1
    await redis_client.set(keys[0], '"an older definition"')  # e.g. an upgrade changed a command
    async with running(settings, namespace=namespace):
        pass
    assert len(fake.matching("PUT", rf"/applications/{APP_ID}/commands")) == 2

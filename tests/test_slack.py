"""The Slack adapter end to end: bolt's real AsyncApp behind its real aiohttp adapter, signed requests,
a fake Web API on loopback, the real core/service/cache built by ``bot.app.Briefbot``."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack import SlackAdapter, check_settings
from bot.app import Briefbot
from bot.core.models import StartupError, ThreadRef
from bot.platforms.slack import settings_from
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, ROOT
from tests.slack_fakes import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    FakeSlack,
    command_body,
    event_body,
    signed_headers,
    thread_message,
)

TOPIC = "china-russia"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def slack_settings(settings_factory: Any, fake: FakeSlack) -> Any:
    def make(**overrides: Any) -> Any:
        """``slack_X=...`` overrides ``settings.slack.X`` (SLACK_X); anything else is a top-level setting."""
        slack = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.api_url}
        slack |= {k.removeprefix("slack_"): v for k, v in overrides.items() if k.startswith("slack_")}
        rest = {k: v for k, v in overrides.items() if not k.startswith("slack_")}
        return settings_factory(**({"slack": slack, "http_port": 0} | rest))

    return make


@asynccontextmanager
async def running(settings: Any, namespace: str = "briefbot") -> AsyncIterator[SlackAdapter]:
    """A started adapter over a real Briefbot (core, service, cache, state), stopped afterwards."""
    async with Briefbot(settings, namespace=namespace) as bot:
        adapter = SlackAdapter(bot.core, settings_from(settings), host="127.0.0.1")
        await adapter.start()
        try:
            yield adapter
        finally:
            await adapter.stop()


def events_url(adapter: SlackAdapter) -> str:
    return f"http://127.0.0.1:{adapter.port}/slack/events"


async def send_command(
    http: aiohttp.ClientSession, adapter: SlackAdapter, fake: FakeSlack, text: str, **kwargs: Any
) -> int:
    body = command_body(text, fake.response_url(), **kwargs)
    async with http.post(events_url(adapter), data=body, headers=signed_headers(body)) as response:
        return response.status


async def send_event(
    http: aiohttp.ClientSession, adapter: SlackAdapter, event: dict[str, Any], event_id: str, retry: int = 0
) -> int:
    body = event_body(event, event_id)
    headers = signed_headers(body, content_type="application/json")
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    async with http.post(events_url(adapter), data=body, headers=headers) as response:
        return response.status


def all_text(call_params: dict[str, Any]) -> str:
    return json.dumps(call_params.get("blocks", []), ensure_ascii=False) + "\n" + str(call_params.get("text"))


async def wait_context(adapter: SlackAdapter, ts: str, channel: str = "C0CHAN") -> Any:
    """The thread context the adapter stores right after chat.postMessage returns (poll briefly)."""
    for _ in range(100):
        context = await adapter.core.thread_context(ThreadRef("slack", channel, ts))
        if context is not None:
            return context
        await asyncio.sleep(0.02)
    return None


async def post_brief(http: aiohttp.ClientSession, adapter: SlackAdapter, fake: FakeSlack) -> dict[str, Any]:
    """/brief TOPIC, then wait until it is posted and its thread is remembered."""
    before = len(fake.of("chat.postMessage"))
    assert await send_command(http, adapter, fake, TOPIC) == 200
    posted = await fake.wait_for("chat.postMessage", before + 1)
    assert await wait_context(adapter, posted[-1].ts) is not None
    return posted[-1].params


# ---- /brief ---------------------------------------------------------------------------------------


async def test_brief_posts_block_kit_to_the_channel_and_remembers_its_thread(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings()) as adapter:
        params = await post_brief(http, adapter, fake)
        assert params["channel"] == "C0CHAN"
        blocks = params["blocks"]
        assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"]
        kinds = [b["type"] for b in blocks]
        assert "section" in kinds and "context" in kinds and len(blocks) <= 50
        rendered = all_text(params)
        assert "Key points" in rendered and "[1]" in rendered  # points carry citations
        assert "Reply in this thread" in rendered
        # the notification fallback is the title and lead as one line, not the terminal rendering
        assert params["text"].startswith(blocks[0]["text"]["text"]) and "\n" not in params["text"]
        assert "====" not in params["text"] and "Full brief" not in rendered  # no BRIEFBOT_PUBLIC_URL: no link
        assert params["unfurl_links"] is False and "link_names" not in params
        assert not fake.responses  # a brief is public, not an ephemeral reply
        ts = fake.of("chat.postMessage")[-1].ts
        context = await wait_context(adapter, ts)
        assert context is not None and context.topic == TOPIC and context.article_ids


async def test_a_burst_right_after_start_asks_slack_who_we_are_once(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    """bolt's own single-workspace authorization sent auth.test for each request until one had answered: a
    burst of commands right after start made one call each, and every ack waited for its own."""
    async with running(slack_settings()) as adapter:
        assert len(fake.of("auth.test")) == 1  # the start-up check
        statuses = await asyncio.gather(*(send_command(http, adapter, fake, "help", channel=f"C{i:04d}")
                                          for i in range(20)))
        assert statuses == [200] * 20
        await fake.wait_responses(20)
        assert len(fake.of("auth.test")) == 1  # its answer authorised every request


async def test_unknown_topic_gets_an_ephemeral_error_with_suggestions(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings()) as adapter:
        assert await send_command(http, adapter, fake, "china-rusia") == 200
        (response,) = await fake.wait_responses(1)
        assert response["response_type"] == "ephemeral"
        assert "china-russia" in response["text"]  # the suggestion / available topic
        assert not fake.of("chat.postMessage")


@pytest.mark.parametrize("text", ["", "help"])
async def test_help_is_ephemeral_and_lists_topics(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, text: str
) -> None:
    async with running(slack_settings()) as adapter:
        assert await send_command(http, adapter, fake, text) == 200
        (response,) = await fake.wait_responses(1)
        assert response["response_type"] == "ephemeral"
        assert "/brief TOPIC" in response["text"] and TOPIC in response["text"]
        assert response["blocks"][0]["type"] == "section"


async def test_rate_limited_user_is_told_privately(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings(briefs_per_user_per_minute=1)) as adapter:
        await post_brief(http, adapter, fake)
        assert await send_command(http, adapter, fake, TOPIC) == 200
        (response,) = await fake.wait_responses(1)
        assert response["response_type"] == "ephemeral" and "wait" in response["text"]
        assert len(fake.of("chat.postMessage")) == 1


# ---- threads --------------------------------------------------------------------------------------


async def test_follow_up_is_answered_in_the_brief_thread_and_unknown_threads_are_ignored(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings()) as adapter:
        await post_brief(http, adapter, fake)
        brief_ts = fake.of("chat.postMessage")[-1].ts
        stranger = thread_message("What did Blinken say about China?", thread_ts="1111.000001")
        assert await send_event(http, adapter, stranger, "EvStranger") == 200
        question = thread_message("What did Blinken say about China?", thread_ts=brief_ts)
        assert await send_event(http, adapter, question, "EvQuestion") == 200
        posted = await fake.wait_for("chat.postMessage", 2)
        answer = posted[1].params
        assert answer["thread_ts"] == brief_ts and answer["channel"] == "C0CHAN"
        assert re.search(r"\[\d+\]", answer["text"])  # cited with the brief's source numbers
        await asyncio.sleep(0.3)  # the stranger's thread had its chance to (wrongly) get an answer
        assert [c.params.get("thread_ts") for c in fake.of("chat.postMessage")] == [None, brief_ts]


async def test_mention_in_a_brief_thread_is_answered_once_and_elsewhere_reads_as_a_command(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings()) as adapter:
        mention = {
            "type": "app_mention",
            "channel": "C0CHAN",
            "user": "U0USER",
            "text": f"<@{BOT_USER_ID}> {TOPIC} short",
            "ts": "2000.000001",
        }
        assert await send_event(http, adapter, mention, "EvMention1") == 200
        (brief,) = await fake.wait_for("chat.postMessage", 1)
        assert brief.params["blocks"][0]["type"] == "header"
        brief_ts = fake.of("chat.postMessage")[-1].ts
        text = f"<@{BOT_USER_ID}> who is Blinken?"
        # Slack sends both a message event and an app_mention for the same message: one answer only.
        as_message = thread_message(text, thread_ts=brief_ts, ts="2000.000002")
        as_mention = dict(as_message, type="app_mention")
        assert await send_event(http, adapter, as_message, "EvMsg2") == 200
        assert await send_event(http, adapter, as_mention, "EvMention2") == 200
        posted = await fake.wait_for("chat.postMessage", 2)
        assert posted[1].params["thread_ts"] == brief_ts
        await asyncio.sleep(0.3)
        assert len(fake.of("chat.postMessage")) == 2


async def test_retried_event_is_answered_once_across_two_replicas_sharing_redis(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, namespace: str, redis_client: Any
) -> None:
    settings = slack_settings(redis_url=REDIS_URL)
    async with running(settings, namespace) as first, running(settings, namespace) as second:
        await post_brief(http, first, fake)
        brief_ts = fake.of("chat.postMessage")[-1].ts
        question = thread_message("What did Blinken say?", thread_ts=brief_ts)
        assert await send_event(http, first, question, "EvRetry") == 200
        assert await send_event(http, second, question, "EvRetry", retry=1) == 200
        assert await send_event(http, first, question, "EvRetry", retry=2) == 200
        await fake.wait_for("chat.postMessage", 2)
        await asyncio.sleep(0.3)
        answers = [c for c in fake.of("chat.postMessage") if c.params.get("thread_ts") == brief_ts]
        assert len(answers) == 1
        assert await redis_client.exists(f"{namespace}:state:slack:seen:event:EvRetry")


# ---- reliability ----------------------------------------------------------------------------------


async def test_429_is_retried_after_retry_after_then_succeeds(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    fake.fail("chat.postMessage", 429, {"Retry-After": "0"}, ok=False, error="ratelimited")
    async with running(slack_settings()) as adapter:
        assert await send_command(http, adapter, fake, TOPIC) == 200
        first, second = await fake.wait_for("chat.postMessage", 2)
        assert first.params["blocks"] == second.params["blocks"]
        assert await wait_context(adapter, second.ts) is not None
        assert not fake.responses


async def test_not_in_channel_is_explained_privately(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("chat.postMessage", ok=False, error="not_in_channel")
    async with running(slack_settings()) as adapter:
        assert await send_command(http, adapter, fake, TOPIC) == 200
        (response,) = await fake.wait_responses(1)
        assert response["response_type"] == "ephemeral" and "/invite" in response["text"]
        assert "not_in_channel" in caplog.text


@pytest.mark.parametrize("forgery", ["wrong-secret", "stale", "unsigned"])
async def test_forged_or_stale_requests_are_refused(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, forgery: str
) -> None:
    async with running(slack_settings()) as adapter:
        body = command_body(TOPIC, fake.response_url())
        if forgery == "wrong-secret":
            headers = signed_headers(body, secret="not-the-secret")
        elif forgery == "stale":
            headers = signed_headers(body, timestamp=int(time.time()) - 6 * 60)
        else:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        async with http.post(events_url(adapter), data=body, headers=headers) as response:
            assert response.status == 401
        await asyncio.sleep(0.2)
        assert not fake.of("chat.postMessage") and not fake.responses


async def test_redis_down_still_answers(fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any) -> None:
    async with running(slack_settings(redis_url=DEAD_REDIS_URL)) as adapter:
        await post_brief(http, adapter, fake)
        brief_ts = fake.of("chat.postMessage")[-1].ts
        question = thread_message("What did Blinken say?", thread_ts=brief_ts)
        assert await send_event(http, adapter, question, "EvDown") == 200
        posted = await fake.wait_for("chat.postMessage", 2)
        assert posted[1].params["thread_ts"] == brief_ts


async def test_healthz(fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any) -> None:
    async with running(slack_settings()) as adapter:
        response = await http.get(f"http://127.0.0.1:{adapter.port}/healthz")
        assert response.status == 200 and await response.text() == "ok"


async def test_tokens_never_reach_the_log(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running(slack_settings()) as adapter:
        await post_brief(http, adapter, fake)
    assert caplog.records  # the SDK did log its requests at DEBUG
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


# ---- hostile article text -------------------------------------------------------------------------


def _hostile_folder(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    bodies = [
        "The bank said on Monday that <!channel> customers must act. <@U999> approved the bank plan. "
        "Regulators told the bank to reply at <https://evil.example|click> before Friday. "
        "Officials said the bank would pay a fine of 10 million dollars & more.",
        "A second report said the bank <!here> faced new questions. The bank chief <@U999> declined to comment. "
        "Critics said the bank ignored warnings about fraud for years & months.",
    ]
    for i, body in enumerate(bodies):
        (folder / f"{i}.txt").write_text(
            f"---\ntitle: Bank <!channel> story {i}\noutlet: Daily <b>\nurl: https://news.example/{i}\n---\n{body}\n",
            encoding="utf-8",
        )
    topics = tmp_path / "topics.toml"
    topics.write_text('[bank]\ntitle = "The bank"\nkeywords = ["bank"]\n', encoding="utf-8")
    return folder, topics


async def test_hostile_article_text_is_escaped_in_blocks_and_text(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, tmp_path: Path
) -> None:
    folder, topics = _hostile_folder(tmp_path)
    async with running(slack_settings(articles_dir=folder, topics_file=topics)) as adapter:
        assert await send_command(http, adapter, fake, "bank") == 200
        (post,) = await fake.wait_for("chat.postMessage", 1)
        rendered = all_text(post.params)
        for control in ("<!channel>", "<!here>", "<@U999>", "<https://evil.example|click>", "<b>"):
            assert control not in rendered
        assert "&lt;@U999&gt;" in rendered or "&lt;!channel&gt;" in rendered  # shown, as text
        assert "<https://news.example/0|" in rendered  # our own source links still link
        assert "&amp;" in rendered and "&amp;amp;" not in rendered


# ---- Socket Mode ----------------------------------------------------------------------------------


async def test_socket_mode_round_trip(fake: FakeSlack, slack_settings: Any) -> None:
    settings = slack_settings(slack_app_token=APP_TOKEN, slack_signing_secret=None)
    async with running(settings) as adapter:
        assert adapter.socket_mode and adapter.port is None
        opened = fake.of("apps.connections.open")
        assert opened and APP_TOKEN in opened[0].headers.get("Authorization", "")
        payload = {
            "token": "legacy",
            "team_id": "T0001",
            "team_domain": "fake",
            "channel_id": "C0SOCK",
            "channel_name": "news",
            "user_id": "U0USER",
            "user_name": "reader",
            "command": "/brief",
            "text": TOPIC,
            "api_app_id": "A1",
            "response_url": fake.response_url(),
            "trigger_id": "1.2.3",
        }
        await fake.envelopes.put(
            {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True, "payload": payload}
        )
        ack = await asyncio.wait_for(fake.acks.get(), 10)
        assert ack["envelope_id"] == "env-1"
        (post,) = await fake.wait_for("chat.postMessage", 1)
        assert post.params["channel"] == "C0SOCK" and post.params["blocks"][0]["type"] == "header"


# ---- startup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"slack_bot_token": None}, "SLACK_BOT_TOKEN"),
        ({"slack_bot_token": "xoxp-user-token"}, "SLACK_BOT_TOKEN must start with xoxb-"),
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET"),
        ({"slack_app_token": "xoxb-wrong"}, "SLACK_APP_TOKEN must start with xapp-"),
    ],  # a malformed SLACK_API_URL is now refused by Settings itself: tests/test_hostile_cli.py
)
def test_bad_credentials_stop_startup_naming_the_variable(
    slack_settings: Any, overrides: dict[str, Any], variable: str
) -> None:
    with pytest.raises(StartupError, match=variable) as raised:
        check_settings(settings_from(slack_settings(**overrides)))
    assert "\n" not in str(raised.value)


def test_socket_mode_needs_no_signing_secret(slack_settings: Any) -> None:
    check_settings(settings_from(slack_settings(slack_app_token=APP_TOKEN, slack_signing_secret=None)))


async def test_rejected_token_stops_startup(fake: FakeSlack, slack_settings: Any) -> None:
    fake.fail("auth.test", ok=False, error="invalid_auth")
    settings = slack_settings()
    async with Briefbot(settings) as bot:
        adapter = SlackAdapter(bot.core, settings_from(settings), host="127.0.0.1")
        with pytest.raises(StartupError, match="invalid_auth"):
            await adapter.start()
        await adapter.stop()


def test_cli_run_slack_with_a_bad_token_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "REDIS_"))}
    env |= {"SLACK_BOT_TOKEN": "not-a-bot-token", "SLACK_SIGNING_SECRET": "s", "BRIEFBOT_HTTP_PORT": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "slack"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_BOT_TOKEN must start with xoxb-" in lines[0]
    assert "not-a-bot-token" not in done.stderr


def test_manifest_declares_what_the_adapter_uses() -> None:
    import yaml

    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/brief" and command["url"].endswith("/slack/events")
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "channels:history", "groups:history"} <= scopes
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.channels", "message.groups"} <= events


async def test_rejected_app_token_and_busy_port_stop_startup(fake: FakeSlack, slack_settings: Any) -> None:
    fake.fail("apps.connections.open", ok=False, error="invalid_auth")
    socket_settings = slack_settings(slack_app_token=APP_TOKEN)
    async with Briefbot(socket_settings) as bot:
        with pytest.raises(StartupError, match="SLACK_APP_TOKEN"):
            await SlackAdapter(bot.core, settings_from(socket_settings), host="127.0.0.1").start()
    async with running(slack_settings()) as first:
        taken = slack_settings(http_port=first.port)
        async with Briefbot(taken) as bot:
            with pytest.raises(StartupError, match="BRIEFBOT_HTTP_PORT"):
                await SlackAdapter(bot.core, settings_from(taken), host="127.0.0.1").start()


async def test_subscription_commands_are_routed_and_answered(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings()) as adapter:
        assert await send_command(http, adapter, fake, "subscriptions") == 200
        for _ in range(200):  # the reply goes privately (response_url) or to the channel
            if fake.responses or fake.of("chat.postMessage"):
                break
            await asyncio.sleep(0.02)
        replies = [r["text"] for r in fake.responses] + [c.params["text"] for c in fake.of("chat.postMessage")]
        assert len(replies) == 1 and "Digests are not enabled" not in replies[0]


async def test_rate_limit_waits_hold_no_work_slot_so_help_is_answered_meanwhile(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    """Two briefs stuck in Slack's 429 waits used to hold both work slots: /brief help waited behind them."""
    for _ in range(2):
        fake.fail("chat.postMessage", 429, {"Retry-After": "3"}, ok=False, error="ratelimited")
    async with running(slack_settings(work_slots=2)) as adapter:
        assert await send_command(http, adapter, fake, TOPIC, user="U0ONE") == 200
        assert await send_command(http, adapter, fake, "spy balloon", user="U0TWO") == 200
        await fake.wait_for("chat.postMessage", 2, timeout=30)  # both refused, both now waiting 3 s
        assert await send_command(http, adapter, fake, "help", user="U0THREE") == 200
        (response,) = await fake.wait_responses(1, timeout=30)
        assert "/brief subscribe" in response["text"]
        delivered = [c for c in fake.of("chat.postMessage") if c.result.get("ok")]
        assert delivered == [], "help waited for the rate-limited briefs"
        # another brief (a cache hit) takes a slot the waiting briefs gave back, and goes out before them
        assert await send_command(http, adapter, fake, TOPIC, user="U0FOUR", channel="C0FOUR") == 200
        await fake.wait_for("chat.postMessage", 3, timeout=30)
        third = fake.of("chat.postMessage")[2]
        assert third.params["channel"] == "C0FOUR" and third.result.get("ok"), "a brief queued behind 429 waits"
        await fake.wait_for("chat.postMessage", 5, timeout=30)  # and the briefs still go out after the wait


async def test_only_configured_admins_change_a_channels_digests(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    async with running(slack_settings(slack_admins="U0BOSS, U0DEPUTY")) as adapter:
        assert await send_command(http, adapter, fake, "subscribe china-russia", user="U0USER") == 200
        (refused,) = await fake.wait_responses(1)
        assert "manage this channel" in refused["text"] and refused["response_type"] == "ephemeral"
        assert await send_command(http, adapter, fake, "subscribe china-russia", user="U0DEPUTY") == 200
        await fake.wait_for("chat.postMessage", 1)
        (confirmed,) = fake.of("chat.postMessage")
        assert confirmed.params["text"].startswith("Subscribed"), confirmed.params


async def test_events_mount_on_a_shared_http_server(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any
) -> None:
    """serve=False: the adapter binds no port; another aiohttp app (e.g. the web server) mounts its routes."""
    from aiohttp import web

    settings = slack_settings()
    async with Briefbot(settings) as bot:
        adapter = SlackAdapter(bot.core, settings_from(settings), serve=False)
        await adapter.start()
        shared = web.Application()
        adapter.add_routes(shared)
        runner = web.AppRunner(shared)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            assert adapter.port is None  # nothing of its own was bound
            body = command_body("help", fake.response_url())
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                 headers=signed_headers(body)) as response:  # fmt: skip
                assert response.status == 200
            (reply,) = await fake.wait_responses(1)
            assert "/brief subscribe" in reply["text"]
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert await response.text() == "ok"
        finally:
            await runner.cleanup()
            await adapter.stop()


async def test_an_event_arriving_during_shutdown_is_refused_unclaimed_so_slacks_retry_is_answered_elsewhere(
    fake: FakeSlack, http: aiohttp.ClientSession, slack_settings: Any, namespace: str, redis_client: Any
) -> None:
    """Issue 14 item 7: a closing replica must not claim an event it will not answer (Slack's retry to another
    replica would then be dropped as a duplicate); it answers non-2xx, so Slack retries it."""
    settings = slack_settings(redis_url=REDIS_URL)
    async with running(settings, namespace) as closing, running(settings, namespace) as other:
        await post_brief(http, other, fake)
        brief_ts = fake.of("chat.postMessage")[-1].ts
        await closing.core.drain(timeout=1.0)  # shutdown has begun on this replica
        question = thread_message("What did Blinken say?", thread_ts=brief_ts)
        status = await send_event(http, closing, question, "EvClosing")
        assert status >= 300  # not acknowledged: Slack retries it
        assert not await redis_client.exists(f"{namespace}:state:slack:seen:event:EvClosing")
        assert await send_event(http, other, question, "EvClosing", retry=1) == 200
        answers = await fake.wait_for("chat.postMessage", 2)
        assert answers[-1].params.get("thread_ts") == brief_ts
        # a slash command is not retried by Slack: the closing replica still acknowledges it and says why
        assert await send_command(http, closing, fake, TOPIC) == 200

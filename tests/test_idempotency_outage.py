"""A Slack retry that reaches another replica while the state store is unreachable is dropped, not answered
twice (issue 13). The real bolt app behind its HTTP adapter, signed requests, a fake Slack Web API, and a
private redis-server the test stops."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from tests.private_redis import PrivateRedis
from tests.slack_fakes import BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, FakeSlack
from tests.test_slack import TOPIC, running, send_event

MENTION = {"type": "app_mention", "channel": "C0CHAN", "user": "U0USER", "text": f"<@{BOT_USER_ID}> {TOPIC} short",
           "ts": "3000.000001"}  # fmt: skip


@pytest.fixture
async def fake_slack():
    server = await FakeSlack().start()
    yield server
    await server.stop()


async def test_retry_reaching_another_replica_during_an_outage_is_dropped(
    fake_slack: FakeSlack, settings_factory: Any, private_redis: PrivateRedis
) -> None:
    fake = fake_slack
    slack = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.api_url}
    settings = settings_factory(slack=slack, http_port=0, redis_url=private_redis.url)
    async with aiohttp.ClientSession() as http, running(settings) as first, running(settings) as second:
        private_redis.stop()
        assert await send_event(http, first, MENTION, "EvOutage1") == 200  # first delivery: answered
        await fake.wait_for("chat.postMessage", 1)
        assert await send_event(http, second, MENTION, "EvOutage1", retry=1) == 200  # cannot be checked
        assert await send_event(http, first, MENTION, "EvOutage1", retry=2) == 200
        await asyncio.sleep(1.0)  # time for a second brief, if one were coming
        assert len(fake.of("chat.postMessage")) == 1
        private_redis.start()
        assert await send_event(http, second, dict(MENTION, ts="3000.000002"), "EvBack", retry=1) == 200
        await fake.wait_for("chat.postMessage", 2)  # a retry whose key can be checked (first seen) is answered

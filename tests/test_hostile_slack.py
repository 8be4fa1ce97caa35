"""Issue 14 on the Slack side: garbage request headers and a wrong SLACK_API_URL never produce a traceback.

The real adapter (bolt's AsyncApp behind its aiohttp adapter) against the loopback fake Web API; the
"wrong API" is a real loopback HTTP server that answers JSON that is not a Slack response.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.slack import SlackAdapter
from bot.app import Briefbot
from bot.core.models import StartupError
from bot.platforms.slack import settings_from
from tests.slack_fakes import FakeSlack, command_body, signed_headers
from tests.test_slack import events_url, fake, http, running, slack_settings  # noqa: F401  fixtures


@pytest.mark.parametrize("stamp", ["garbage", "1e9", "\u0661\u0662\u0663", " 12", "9" * 40])
async def test_a_garbage_timestamp_is_401_without_a_traceback(
    fake: FakeSlack, slack_settings: Any, http: aiohttp.ClientSession, caplog: Any, stamp: str  # noqa: F811
) -> None:
    body = command_body("help", fake.response_url())
    headers = signed_headers(body) | {"X-Slack-Request-Timestamp": stamp}
    caplog.set_level(logging.DEBUG)
    async with running(slack_settings()) as adapter, http.post(events_url(adapter), data=body, headers=headers) as r:
        assert r.status == 401
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]
    assert "Traceback" not in caplog.text


async def test_a_signed_request_still_passes(
    fake: FakeSlack, slack_settings: Any, http: aiohttp.ClientSession  # noqa: F811
) -> None:
    body = command_body("help", fake.response_url())
    headers = signed_headers(body)
    async with running(slack_settings()) as adapter, http.post(events_url(adapter), data=body, headers=headers) as r:
        assert r.status == 200


@pytest.fixture
async def not_slack() -> AsyncIterator[str]:
    """A loopback server that answers every call with a JSON list: some other API, not Slack's."""

    async def answer(_request: web.Request) -> web.Response:
        return web.json_response([1, 2, 3])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/api/"
    await runner.cleanup()


async def test_a_wrong_api_url_stops_start_up_in_one_line(slack_settings: Any, not_slack: str) -> None:  # noqa: F811
    settings = slack_settings(slack_api_url=not_slack)
    async with Briefbot(settings) as bot:
        adapter = SlackAdapter(bot.core, settings_from(settings), host="127.0.0.1")
        with pytest.raises(StartupError, match="does not answer like the Slack Web API") as raised:
            await adapter.start()
        await adapter.stop()
    assert "\n" not in str(raised.value) and not_slack in str(raised.value)

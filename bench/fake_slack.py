"""The smallest fake Slack the ack benchmark needs: a Web API on loopback that records when each
``chat.postMessage`` arrives, a ``response_url`` catcher, and requests signed as Slack signs them.

The bench keeps its own (the tests' fuller fake lives in tests/, which the bench does not import).
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from dataclasses import dataclass, field

from aiohttp import web

BOT_TOKEN = "xoxb-bench-0000-bot-token"
SIGNING_SECRET = "bench-signing-secret"


@dataclass
class Post:
    channel: str
    at: float  # time.perf_counter() when the fake received it


@dataclass
class FakeSlack:
    posts: list[Post] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    @property
    def response_url(self) -> str:
        return f"{self.url}/respond"

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/respond", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_posts(self, count: int, timeout: float) -> list[Post]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.posts) >= count), timeout)
        return self.posts

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = (await request.read()).decode()
        params = json.loads(raw) if request.content_type == "application/json" else dict(urllib.parse.parse_qsl(raw))
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
        if method == "chat.postMessage":
            self.posts.append(Post(params.get("channel", ""), time.perf_counter()))
            async with self._changed:
                self._changed.notify_all()
            ts = f"{int(time.time())}.{len(self.posts):06d}"
            return web.json_response({"ok": True, "channel": params.get("channel"), "ts": ts})
        return web.json_response({"ok": True})

    async def _respond(self, request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")


def signed_headers(body: str, secret: str = SIGNING_SECRET) -> dict[str, str]:
    from slack_sdk.signature import SignatureVerifier

    ts = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(text: str, response_url: str, channel: str, user: str) -> str:
    fields = {
        "team_id": "T1", "channel_id": channel, "channel_name": "news", "user_id": user, "user_name": "reader",
        "command": "/brief", "text": text, "api_app_id": "A1", "response_url": response_url, "trigger_id": "1.2.3",
    }  # fmt: skip
    return urllib.parse.urlencode(fields)
